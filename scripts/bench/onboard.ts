/**
 * `npm run bench -- onboard [--no-direct]`: the demo county from its offices' files to ready on
 * the embedded database (files written, county created, every layer imported, grid units and the
 * first automatic plan): readySeconds; the households' XLSX import on its own, scaled to 100,000
 * households: householdsXlsxSeconds; noding a 10,000-line road file: roadNodingSeconds; and the
 * same county loaded directly into a second database, compared (counts, partition, drive times
 * from each station to each village): roundTripEqual.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { DEMO_SEED } from '../../server/county/demo.js';
import { generateCounty } from '../../server/county/generate/index.js';
import { loadCountyModel } from '../../server/county/load.js';
import type { CountyModel } from '../../server/county/model.js';
import { onboardModel } from '../../server/county/onboard/demo.js';
import { countyFingerprint, fingerprintDifferences } from '../../server/county/onboard/round-trip.js';
import { readTaishunSources } from '../../server/county/sources.js';
import { seedDemoGridPlan } from '../../server/grids/demo.js';
import { openDatabase, type Database } from '../../server/db/database.js';
import { migrate } from '../../server/db/migrate.js';
import { nodingBenchmark } from './noding.js';
import type { Benchmark } from './harness.js';

const seconds = (ms: number) => Math.round(ms / 100) / 10;

async function embedded(log: (line: string) => void): Promise<{ database: Database; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shanwang-bench-'));
  const database = await openDatabase({ kind: 'pglite', dataDir: dir });
  await migrate(database.db);
  log(`embedded PGlite in ${dir}`);
  return { database, dir };
}

/** The demo model: the tests' cached copy when there is one, else generated (not timed either way). */
function demoModel(log: (line: string) => void): CountyModel {
  const cache = path.resolve('node_modules/.cache/shanwang');
  const cached = fs.existsSync(cache) ? fs.readdirSync(cache).filter((f) => f.startsWith('demo-model-')) : [];
  if (cached.length > 0) {
    const newest = cached
      .map((f) => path.join(cache, f))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0]!;
    log(`model: ${newest}`);
    return v8.deserialize(fs.readFileSync(newest)) as CountyModel;
  }
  log('model: generating');
  return generateCounty(readTaishunSources(), { seed: DEMO_SEED }).model;
}

export const onboardBenchmark: Benchmark = {
  summary: 'the demo county from its files to ready (embedded), 100,000 households from XLSX, road noding, round trip',
  async run(args, log) {
    const model = demoModel(log);
    const a = await embedded(log);
    const b = args.includes('--no-direct') ? null : await embedded(log);
    try {
      const started = performance.now();
      let lastFile = '';
      const { files, filesSeconds } = await onboardModel(a.database.db, model, {
        onFile: (file, s) => log(`  wrote ${file} in ${s} s`),
        onFilesWritten: (s) => log(`files written in ${s} s`),
        onProgress: (p) => {
          if (p.file !== lastFile) log(`importing ${p.file} (${p.layer}) ${p.step + 1}/${p.steps}`);
          lastFile = p.file;
        },
      });
      for (const f of files) log(`  ${f.file}: ${f.imported} in ${f.seconds} s`);
      await seedDemoGridPlan(a.database.db, model.county.code);
      const readySeconds = seconds(performance.now() - started);
      log(`ready in ${readySeconds} s`);
      const households = files.find((f) => f.layer === 'households')!;
      const householdsXlsxSeconds = Math.round(((households.seconds * 100_000) / model.households.length) * 10) / 10;

      const noding = await nodingBenchmark.run(['--runs', '1'], log);
      let roundTripEqual: boolean | null = null;
      let differences: unknown = null;
      if (b) {
        await loadCountyModel(b.database.db, model);
        await seedDemoGridPlan(b.database.db, model.county.code);
        const places = {
          stations: model.stations.map((s) => ({ code: s.code, point: s.point })),
          villages: model.villages.map((v) => ({ code: v.code, point: v.centre })),
        };
        const direct = await countyFingerprint(b.database.db, model.county.code, places);
        const onboarded = await countyFingerprint(a.database.db, model.county.code, places);
        const diff = fingerprintDifferences(direct, onboarded);
        const driveDiffs = Object.values(diff.driveSeconds);
        roundTripEqual =
          Object.keys(diff.counts).length === 0 && diff.partitionTownships.length === 0 && driveDiffs.length === 0;
        differences = {
          counts: diff.counts,
          partitionTownships: diff.partitionTownships.length,
          driveTimes: Object.keys(direct.driveSeconds).length,
          driveTimesDiffering: driveDiffs.length,
          largestDriveDifferenceSeconds: driveDiffs.reduce(
            (m, [x, y]) => Math.max(m, x === null || y === null ? Infinity : Math.abs(x - y)),
            0,
          ),
        };
        log(`differences: ${JSON.stringify(differences)}`);
      }
      return {
        db: 'pglite',
        households: model.households.length,
        filesSeconds,
        readySeconds,
        importSeconds: Object.fromEntries(files.map((f) => [f.layer, f.seconds])),
        householdsXlsxSeconds,
        roadNodingSeconds: noding.roadNodingSeconds,
        roundTripEqual,
        differences,
      };
    } finally {
      for (const d of [a, b]) {
        if (!d) continue;
        await d.database.close();
        fs.rmSync(d.dir, { recursive: true, force: true });
      }
    }
  },
};
