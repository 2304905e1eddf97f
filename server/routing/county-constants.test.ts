import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import type { Database } from '../db/database.js';
import { readZonesAndStations } from '../holidays/repository.js';
import { HolidayService } from '../holidays/service.js';
import { drivingOf, type CalibratedConstants, type CalibrationMetrics } from './calibration.js';
import { activateCalibration, insertCalibration } from './calibration-repository.js';
import { attachToRoad, buildRoadNetwork, costsFrom, type RoadNetwork } from './network.js';
import { loadRoadEdges } from './repository.js';
import { RoadRouting } from './service.js';

// A county driven far slower than the model's defaults: straights at 70 %, bends and junctions slower.
const SLOW: CalibratedConstants = { speedFactor: 0.7, sideFriction: 0.18, junctionKmh: 15, climbingWattsPerKg: 10 };
const METRICS: CalibrationMetrics = {
  trips: 40,
  folds: 5,
  before: { medianApe: 0.3, p90Ape: 0.5 },
  inSample: { medianApe: 0.05, p90Ape: 0.1 },
  heldOut: { medianApe: 0.06, p90Ape: 0.12 },
  ratioP10: 0.92,
  ratioP90: 1.1,
  outliers: 0,
  evaluations: 100,
  evaluationsPerSecond: 50,
  fitSeconds: 2,
};

/** Drive seconds between every two stations of the county on a network, as the holiday service measures them. */
function stationSeconds(network: RoadNetwork, stations: readonly { lon: number; lat: number }[]): number[][] {
  const points = stations.map((s) => attachToRoad(network, s.lon, s.lat)!);
  return points.map((from) => Array.from(costsFrom(network, from, points)));
}

describe.each(BACKENDS)('each county driven under its own constants on %s', (kind) => {
  let database: Database;
  let county: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    county = (await sql<{ code: string }>`select min(code) as code from counties`.execute(database.db)).rows[0]!.code;
  });
  afterAll(async () => {
    await database?.close();
  });

  it('a stored calibration re-costs its county for the holiday travel times; dropping it restores the default', async () => {
    const db = database.db;
    const routing = new RoadRouting(db);
    const holidays = new HolidayService(db, routing);
    const { stations } = await readZonesAndStations(db, county);
    expect(stations.length).toBeGreaterThan(3);
    const records = await loadRoadEdges(db, county);
    const byDefault = buildRoadNetwork(records);
    const bySlow = buildRoadNetwork(records, { driving: drivingOf(SLOW) });

    const before = await holidays.stationTravel(county);
    expect(before.seconds).toEqual(stationSeconds(byDefault, stations));
    const defaultNetwork = await routing.network();
    expect((await routing.current()).inUse.size).toBe(0);

    const id = await db.transaction().execute(async (trx) => {
      const stored = await insertCalibration(trx, {
        countyCode: county,
        constants: SLOW,
        metrics: METRICS,
        tripCount: 40,
        sourceFile: 'trips.csv',
        createdBy: 'test',
      });
      await activateCalibration(trx, county, stored, 'test');
      return stored;
    });

    // The routing network sees the calibration on its next request, without being told.
    const calibrated = await routing.current();
    expect(calibrated.network).not.toBe(defaultNetwork);
    expect(calibrated.inUse.get(county)).toMatchObject({ calibrationId: id, constants: SLOW, ratioLow: 0.92 });
    const edgeOfId = new Map(Array.from(calibrated.network.edgeIds, (edgeId, e) => [edgeId, e]));
    records.forEach((record, e) => {
      const at = edgeOfId.get(record.id)!;
      expect([calibrated.network.forwardSeconds[at], calibrated.network.backwardSeconds[at]]).toEqual([
        bySlow.forwardSeconds[e],
        bySlow.backwardSeconds[e],
      ]);
    });

    // The holiday service, its travel cache dropped as the calibration routes do (onDataChanged),
    // gets the calibrated drives: each one longer than before.
    holidays.invalidate();
    const after = await holidays.stationTravel(county);
    expect(after.seconds).toEqual(stationSeconds(bySlow, stations));
    after.seconds.forEach((row, i) =>
      row.forEach((seconds, j) => {
        if (i !== j && Number.isFinite(seconds)) expect(seconds).toBeGreaterThan(before.seconds[i]![j]! * 1.2);
      }),
    );

    // Back to the default: the default constants' times again.
    await db.transaction().execute((trx) => activateCalibration(trx, county, null, 'test'));
    holidays.invalidate();
    expect((await routing.current()).inUse.size).toBe(0);
    expect(Array.from((await routing.network()).forwardSeconds)).toEqual(Array.from(defaultNetwork.forwardSeconds));
    expect((await holidays.stationTravel(county)).seconds).toEqual(before.seconds);
  }, 120_000);
});
