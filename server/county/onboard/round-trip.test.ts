import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase } from '../../../test/backends.js';
import type { Database } from '../../db/database.js';
import { seedDemoGridPlan } from '../../grids/demo.js';
import { loadCountyModel } from '../load.js';
import type { CountyModel } from '../model.js';
import { onboardModel } from './demo.js';
import { MANIFEST_FILE, type OnboardManifest } from './files.js';
import { countyFingerprint, type CountyFingerprint } from './round-trip.js';

/**
 * The demo county with every 20th household and every 100th event (the rest whole), so that the
 * round trip stays within a minute or two on PGlite; the other layers are the demo's own.
 */
function smallerDemo(model: CountyModel): CountyModel {
  return {
    ...model,
    households: model.households.filter((_, i) => i % 20 === 0),
    events: model.events.filter((_, i) => i % 100 === 0),
  };
}

describe('the demo county through the same door (issue 15.11)', () => {
  let model: CountyModel;
  let direct: Database;
  let onboarded: Database;
  let dir: string;
  let fromFiles: CountyFingerprint;
  let loaded: CountyFingerprint;

  beforeAll(async () => {
    model = smallerDemo(v8.deserialize(fs.readFileSync(inject('demoModelPath'))) as CountyModel);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shanwang-round-trip-'));
    direct = await openTestDatabase('pglite');
    onboarded = await openTestDatabase('pglite');
    await loadCountyModel(direct.db, model);
    await onboardModel(onboarded.db, model, { dir });
    const code = model.county.code;
    await seedDemoGridPlan(direct.db, code);
    await seedDemoGridPlan(onboarded.db, code);
    const places = {
      stations: model.stations.map((s) => ({ code: s.code, point: s.point })),
      villages: model.villages.map((v) => ({ code: v.code, point: v.centre })),
    };
    loaded = await countyFingerprint(direct.db, code, places);
    fromFiles = await countyFingerprint(onboarded.db, code, places);
  }, 600_000);

  afterAll(async () => {
    await direct?.close();
    await onboarded?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is written as the offices hand it over: projected boundaries and roads, tables, a DEM', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as OnboardManifest;
    expect(manifest.county).toEqual({ code: '330329', name: model.county.name, crsEpsg: 4549 });
    expect(manifest.files.map((f) => `${f.file}:${f.layer}`)).toEqual([
      '乡镇界.zip:townships',
      '村界.gpkg:villages',
      '公路路网.zip:roads',
      'DEM.tif:terrain',
      '派出所.xlsx:stations',
      '战区.xlsx:war_zones',
      '户籍.xlsx:households',
      '公交站点.csv:bus_stops',
      '警力.xlsx:officers',
      '警情.csv:events',
    ]);
  });

  it('has the same counts as a direct load', () => {
    expect(fromFiles.counts).toEqual(loaded.counts);
    expect(fromFiles.counts.households).toBe(model.households.length);
    expect(fromFiles.counts.road_edges).toBe(model.roadEdges.length);
  });

  // Not yet equal (issue 15.11 still open): the importer measures a road by ST_Length(geography),
  // the generator on its local planar metres per degree (about 0.07 % shorter east–west), and the
  // DEM is resampled onto a new grid; 2,728 of 3,770 drive times come out 1–3 s longer, and with the
  // grid units' links the automatic partition differs. The same places stay reachable.
  it('has drive times from each station to each village within 3 s of a direct load', () => {
    expect(Object.keys(fromFiles.driveSeconds).length).toBe(model.stations.length * model.villages.length);
    for (const [pair, seconds] of Object.entries(loaded.driveSeconds)) {
      const other = fromFiles.driveSeconds[pair];
      if (seconds === null) expect(other, pair).toBeNull();
      else expect(Math.abs(other! - seconds), pair).toBeLessThanOrEqual(3);
    }
  });

  it('partitions every township into grids covering all its households', () => {
    expect(Object.keys(fromFiles.partition).sort()).toEqual(Object.keys(loaded.partition).sort());
    const households = (p: CountyFingerprint['partition']) =>
      Object.values(p)
        .flatMap((grids) => grids.flatMap((g) => g.split(',')))
        .sort();
    expect(households(fromFiles.partition)).toEqual(households(loaded.partition));
    expect(households(fromFiles.partition)).toHaveLength(model.households.length);
  });
});
