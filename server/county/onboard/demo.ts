/**
 * The demo county through the same door as any county (issue 15.11): its model written as the
 * offices' files into a folder, onboarded from there, and then the few things no office hands
 * over as an import layer (rivers for the map, mediation rooms and sage police rooms) loaded as
 * the model has them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { geoJsonSql, pointSql } from '../load.js';
import type { CountyModel } from '../model.js';
import { writeCountyFiles } from './files.js';
import { onboardFolder, type OnboardedFile, type OnboardProgress } from './onboard.js';

/** Rivers, mediation rooms and sage police rooms of the model (no import layer takes them). */
async function insertModelExtras(db: Kysely<DB>, model: CountyModel): Promise<void> {
  const code = model.county.code;
  await db.transaction().execute(async (trx) => {
    const offset = (await sql<{ n: number }>`select coalesce(max(id), 0)::int as n from rivers`.execute(trx)).rows[0]!
      .n;
    for (let start = 0; start < model.rivers.length; start += 1000) {
      const batch = model.rivers.slice(start, start + 1000);
      if (batch.length === 0) continue;
      await trx
        .insertInto('rivers')
        .values(
          batch.map((r) => ({
            id: r.id + offset,
            county_code: code,
            name: r.name,
            strahler: r.strahler,
            geom: geoJsonSql({ type: 'LineString', coordinates: r.coordinates }),
          })),
        )
        .execute();
    }
    if (model.mediationRooms.length > 0) {
      await trx
        .insertInto('mediation_rooms')
        .values(
          model.mediationRooms.map((r) => ({
            id: r.id,
            county_code: code,
            name: r.name,
            township_code: r.townshipCode,
            geom: pointSql(r.point),
          })),
        )
        .execute();
    }
    if (model.sageRooms.length > 0) {
      await trx
        .insertInto('sage_police_rooms')
        .values(
          model.sageRooms.map((r) => ({
            id: r.id,
            county_code: code,
            name: r.name,
            village_code: r.villageCode,
            geom: pointSql(r.point),
          })),
        )
        .execute();
    }
    // The county is the generated one: marked synthetic with its seed, as a direct load marks it.
    await sql`update counties set synthetic = ${model.county.synthetic}, seed = ${model.county.seed} where code = ${code}`.execute(
      trx,
    );
  });
}

/**
 * Write the model's files into `dir` (a new temporary folder when not given; removed afterwards)
 * and onboard them, then add the extras. Returns the files' timings.
 */
export async function onboardModel(
  db: Kysely<DB>,
  model: CountyModel,
  options: {
    dir?: string;
    onProgress?: (progress: OnboardProgress) => void;
    onFilesWritten?: (seconds: number) => void;
    onFile?: (file: string, seconds: number) => void;
  } = {},
): Promise<{ files: OnboardedFile[]; filesSeconds: number }> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'shanwang-onboard-'));
  try {
    const started = performance.now();
    await writeCountyFiles(db, model, dir, options.onFile ? { onFile: options.onFile } : {});
    const filesSeconds = Math.round((performance.now() - started) / 100) / 10;
    options.onFilesWritten?.(filesSeconds);
    const { files } = await onboardFolder(db, dir, {
      importedBy: 'demo',
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await insertModelExtras(db, model);
    return { files, filesSeconds };
  } finally {
    if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}
