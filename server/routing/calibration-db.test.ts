import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import { startTestServer, type TestServer } from '../../test/http.js';
import type { Database } from '../db/database.js';
import type { NoTripReport } from '../policing/service.js';
import { syntheticTrips, tripsCsv, type SyntheticTrip } from './calibration-synthetic.js';
import type { CalibrationRunReport } from './calibration-service.js';
import type { StoredCalibration } from './calibration-repository.js';

// Trips of the demo county as if driven 25 % slower on the straight (design speeds × 0.8) and
// slower at junctions than the model assumes, with 5 % noise.
const TRUTH = { speedFactor: 0.8, sideFriction: 0.25, junctionKmh: 20, climbingWattsPerKg: 15 };

describe.each(BACKENDS)('speed calibration on %s', (kind) => {
  let database: Database;
  let server: TestServer;
  let county: string;
  let trips: SyntheticTrip[];

  const count = async (table: 'observed_trips' | 'speed_calibrations') =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db)).rows[0]!.n,
    );
  const post = (query: string, body: string, as: 'admin' | 'commander' | 'leader' = 'commander') =>
    server.api<CalibrationRunReport & { error?: { message: string; details: { problems: { row: number }[] } } }>(
      `/api/routing/calibrations?${query}`,
      { method: 'POST', headers: { 'content-type': 'text/csv' }, body, as },
    );
  const noTrip = async (query = '') => {
    const answer = await server.api<NoTripReport>(`/api/policing/no-trip?county=${county}${query}`, { as: 'leader' });
    expect(answer.status, JSON.stringify(answer.body).slice(0, 500)).toBe(200);
    return answer.body;
  };
  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    server = await startTestServer(database);
    county = (await sql<{ code: string }>`select min(code) as code from counties`.execute(database.db)).rows[0]!.code;
    trips = await syntheticTrips(database.db, county, { truth: TRUTH, noise: 0.05, seed: 21 });
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('refuses a trip file with a bad row and writes nothing; skipping it stores the trips and the calibration', async () => {
    expect(trips.length).toBeGreaterThan(200);
    const sample = trips.slice(0, 60);
    const lines = tripsCsv(sample).trimEnd().split('\r\n');
    lines.splice(5, 0, `${sample[0]!.fromCode},没有这个村,20`);
    const csv = lines.join('\r\n');
    const refused = await post(`county=${county}&fileName=trips.csv`, csv);
    expect(refused.status).toBe(422);
    expect(refused.body.error!.message).toMatch(/未写入任何数据.*nothing was written/);
    expect(refused.body.error!.details.problems.map((p) => p.row)).toEqual([6]);
    expect(await count('observed_trips')).toBe(0);
    expect(await count('speed_calibrations')).toBe(0);

    const leader = await post(`county=${county}`, csv, 'leader');
    expect(leader.status).toBe(403);

    const stored = await post(`county=${county}&fileName=trips.csv&skipBadRows=true&evaluationsPerRound=4`, csv);
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ countyCode: county, fileName: 'trips.csv', trips: 60, skippedRows: [6] });
    expect(stored.body.applied).toBe(false);
    // The model without calibration is ~25 % fast on these trips; even a short fit (4 evaluations a round) is nearer.
    expect(stored.body.metrics.before.medianApe).toBeGreaterThan(0.12);
    expect(stored.body.metrics.inSample.medianApe).toBeLessThan(stored.body.metrics.before.medianApe);
    expect(await count('observed_trips')).toBe(60);
    const row = await sql<{ source_file: string; imported_by: string; source_row: number }>`
      select source_file, imported_by, source_row from observed_trips order by id limit 1`.execute(database.db);
    expect(row.rows[0]).toEqual({ source_file: 'trips.csv', imported_by: 'test-commander', source_row: 2 });
    // Not applied: the no-trip list still says default.
    expect((await noTrip()).constants).toMatchObject({ calibrationId: null, label: 'default', ratioLow: 0.75 });
  }, 300_000);

  it('applies a calibration (drives change, ranges from its held-out error), marks 临界, and reverts to the default', async () => {
    const before = await noTrip();
    const run = await post(`county=${county}&fileName=all.csv&evaluationsPerRound=4`, tripsCsv(trips));
    expect(run.status).toBe(201);
    const list = await server.api<StoredCalibration[]>(`/api/routing/calibrations?county=${county}`, { as: 'leader' });
    expect(list.body[0]).toMatchObject({ id: run.body.calibrationId, active: false, tripCount: run.body.trips });
    expect(list.body.every((c) => !c.active)).toBe(true);

    const applied = await server.api(`/api/routing/calibrations/${run.body.calibrationId}/apply`, {
      method: 'POST',
      json: { county },
      as: 'commander',
    });
    expect(applied.status).toBe(200);
    const after = await noTrip();
    const { ratioP10, ratioP90 } = run.body.metrics;
    expect(after.constants).toMatchObject({
      calibrationId: run.body.calibrationId,
      rangeSource: 'held-out trips',
      ratioLow: ratioP10,
      ratioHigh: ratioP90,
    });
    // The fitted constants drive slower: every reached village's drive is longer than before.
    const beforeByCode = new Map(before.villages.map((v) => [v.code, v]));
    const reached = after.villages.filter((v) => v.driveMinutes !== null && v.driveMinutes > 5);
    expect(reached.length).toBeGreaterThan(100);
    for (const village of reached) {
      expect(village.driveMinutes!).toBeGreaterThan(beforeByCode.get(village.code)!.driveMinutes!);
      expect(village.driveRangeMinutes!.low).toBeCloseTo(village.driveMinutes! * ratioP10, 0);
      expect(village.driveRangeMinutes!.high).toBeCloseTo(village.driveMinutes! * ratioP90, 0);
    }

    // 临界 under a what-if limit at one village's drive: that village is borderline, one far below is not.
    const pivot = reached.find((v) => !v.reasons.includes('no_bus') && v.driveMinutes! > 30)!;
    const limit = Math.round(pivot.driveMinutes!);
    const whatIf = await noTrip(`&maxDriveMinutes=${limit}`);
    const byCode = new Map(whatIf.villages.map((v) => [v.code, v]));
    expect(byCode.get(pivot.code)!.borderline).toBe(true);
    const near = whatIf.villages.find((v) => v.driveMinutes !== null && v.driveMinutes * ratioP90 < limit * 0.9);
    expect(near!.borderline).toBe(false);
    expect(whatIf.county.borderlineVillages).toBe(whatIf.villages.filter((v) => v.borderline).length);
    expect(whatIf.county.borderlineVillages).toBeGreaterThan(0);

    // The export says which constants it used.
    const csv = await server.api<string>(`/api/policing/no-trip.csv?county=${county}`, { as: 'leader' });
    expect(csv.body).toContain('车程参数');
    expect(csv.body).toContain(`校准 ${run.body.calibrationId}`);

    // Back to the default constants: the drives are those of before, with the prior's ±25 %.
    const reverted = await server.api('/api/routing/calibrations/default/apply', {
      method: 'POST',
      json: { county },
      as: 'commander',
    });
    expect(reverted.status).toBe(200);
    const again = await noTrip();
    expect(again.constants).toMatchObject({ calibrationId: null, label: 'default', rangeSource: 'prior ±25 %' });
    expect(again.villages.map((v) => v.driveMinutes)).toEqual(before.villages.map((v) => v.driveMinutes));
    const one = again.villages.find((v) => v.driveMinutes !== null && v.driveMinutes > 20)!;
    expect(one.driveRangeMinutes!.low).toBeCloseTo(one.driveMinutes! * 0.75, 0);
    expect(one.driveRangeMinutes!.high).toBeCloseTo(one.driveMinutes! * 1.25, 0);

    // Each change is in the audit log with who made it.
    const audit = await sql<{ action: string; username: string }>`
      select action, username from audit_log
      where action like '%/api/routing/calibrations%' and status < 300 order by id`.execute(database.db);
    expect(new Set(audit.rows.map((r) => r.username))).toEqual(new Set(['test-commander']));
    expect(audit.rows.map((r) => r.action)).toEqual([
      'POST /api/routing/calibrations',
      'POST /api/routing/calibrations',
      'POST /api/routing/calibrations/:id/apply',
      'POST /api/routing/calibrations/default/apply',
    ]);

    // A calibration of another id is refused, nothing changes.
    const missing = await server.api('/api/routing/calibrations/999999/apply', {
      method: 'POST',
      json: { county },
      as: 'commander',
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'not_found' } });
  }, 600_000);
});
