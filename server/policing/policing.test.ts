import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import { startTestServer, type TestServer } from '../../test/http.js';
import type { Database } from '../db/database.js';
import type { NoTripReport } from './service.js';
import type { VisitPlanResult } from './visit-plan.js';

// The demo county's no-trip figures under the default rules (60 min, 1 km): regenerate with the
// county when the generator changes, and read the change before updating them.
// Since the roads have loops (passes between valleys shorten the remote drives; bus lines take other
// roads past more villages): 105 → 54, drive 8 → 1, no bus 97 → 53.
const DEMO_NO_TRIP = { villages: 290, noTripVillages: 54, byReason: { drive: 1, no_bus: 53, designated: 0 } };

describe.each(BACKENDS)('backpack policing on %s', (kind) => {
  let database: Database;
  let server: TestServer;
  let report: NoTripReport;

  const api = async (path: string, init?: RequestInit & { json?: unknown }) => {
    const response = await server.fetch(`${path}`, {
      ...init,
      ...(init?.json === undefined
        ? {}
        : { body: JSON.stringify(init.json), headers: { 'content-type': 'application/json' } }),
    });
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      type,
      body: type.includes('json') ? await response.json() : await response.arrayBuffer(),
    };
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    server = await startTestServer(database);
    const answer = await api('/api/policing/no-trip');
    expect(answer.status).toBe(200);
    report = answer.body as NoTripReport;
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('finds the no-trip villages of the demo county with their reasons', () => {
    expect(report.settings).toEqual({ maxDriveMinutes: 60, maxBusWalkMetres: 1000 });
    expect(report.county).toMatchObject(DEMO_NO_TRIP);
    for (const village of report.villages) {
      const far = village.driveMinutes === null || village.driveMinutes > 60;
      const noBus = village.busWalkMetres === null || village.busWalkMetres > 1000;
      expect(village.reasons).toEqual([...(far ? ['drive'] : []), ...(noBus ? ['no_bus'] : [])]);
      expect(village.noTrip).toBe(far || noBus);
      // The farthest household is never nearer than... the village centre minus its own off-road walk.
      if (village.households > 0) expect(village.farthestHouseholdMinutes).not.toBeNull();
    }
    // Per-station totals add up to the county's.
    const sum = (pick: (s: NoTripReport['stations'][number]) => number) =>
      report.stations.reduce((total, s) => total + pick(s), 0);
    expect(sum((s) => s.noTripVillages)).toBe(report.county.noTripVillages);
    expect(sum((s) => s.noTripGroups.aged70Plus)).toBe(report.county.noTripGroups.aged70Plus);
    expect(report.county.noTripGroups.aged70Plus).toBe(
      report.villages.filter((v) => v.noTrip).reduce((total, v) => total + v.groups.aged70Plus, 0),
    );
  });

  it('answers a what-if on the rules without saving it, and saves rules when asked', async () => {
    const lenient = (await api('/api/policing/no-trip?maxDriveMinutes=600&maxBusWalkMetres=20000'))
      .body as NoTripReport;
    expect(lenient.villages.filter((v) => v.reasons.includes('drive'))).toEqual([]);
    const strict = (await api('/api/policing/no-trip?maxDriveMinutes=30')).body as NoTripReport;
    expect(strict.county.byReason.drive).toBe(report.villages.filter((v) => (v.driveMinutes ?? Infinity) > 30).length);
    expect((await api('/api/policing/settings')).body).toEqual({ maxDriveMinutes: 60, maxBusWalkMetres: 1000 });

    const saved = await api('/api/policing/settings', {
      method: 'PUT',
      json: { maxDriveMinutes: 45, maxBusWalkMetres: 800 },
    });
    expect(saved.body).toEqual({ maxDriveMinutes: 45, maxBusWalkMetres: 800 });
    const after = (await api('/api/policing/no-trip')).body as NoTripReport;
    expect(after.settings).toEqual({ maxDriveMinutes: 45, maxBusWalkMetres: 800 });
    const bad = await api('/api/policing/settings', {
      method: 'PUT',
      json: { maxDriveMinutes: -5, maxBusWalkMetres: 800 },
    });
    expect(bad.status).toBe(400);
    await api('/api/policing/settings', { method: 'PUT', json: { maxDriveMinutes: 60, maxBusWalkMetres: 1000 } });
  });

  it('lets a commander designate a village by hand with a reason, and take it back', async () => {
    const village = report.villages.find((v) => !v.noTrip)!;
    const put = await api(`/api/policing/villages/${village.code}/designation`, {
      method: 'PUT',
      json: { reason: '山体滑坡，道路中断' },
    });
    expect(put.status).toBe(200);
    const designated = ((await api('/api/policing/no-trip')).body as NoTripReport).villages.find(
      (v) => v.code === village.code,
    )!;
    expect(designated.reasons).toEqual(['designated']);
    expect(designated.designation?.reason).toBe('山体滑坡，道路中断');
    expect((await api(`/api/policing/villages/${village.code}/designation`, { method: 'DELETE' })).body).toEqual({
      removed: true,
    });
    const back = ((await api('/api/policing/no-trip')).body as NoTripReport).villages.find(
      (v) => v.code === village.code,
    )!;
    expect(back.noTrip).toBe(false);

    const empty = await api(`/api/policing/villages/${village.code}/designation`, {
      method: 'PUT',
      json: { reason: '  ' },
    });
    expect(empty.status).toBe(400);
    const unknown = await api('/api/policing/villages/330329999999/designation', {
      method: 'PUT',
      json: { reason: 'x' },
    });
    expect(unknown.status).toBe(404);
  });

  it('draws three cumulative isochrone bands of a station', async () => {
    const station = report.stations[1]!;
    const answer = await api(`/api/policing/stations/${station.code}/isochrones?minutes=90,30,60`);
    expect(answer.status).toBe(200);
    const collection = answer.body as {
      features: { geometry: { type: string }; properties: { minutes: number; reachedNodes: number } }[];
    };
    expect(collection.features.map((f) => f.properties.minutes)).toEqual([30, 60, 90]);
    const nodes = collection.features.map((f) => f.properties.reachedNodes);
    expect(nodes[0]).toBeLessThan(nodes[1]!);
    expect(nodes[1]).toBeLessThanOrEqual(nodes[2]!);
    expect(collection.features.every((f) => f.geometry.type === 'MultiPolygon')).toBe(true);
    expect((await api('/api/policing/stations/NOPE/isochrones')).status).toBe(404);
    expect((await api(`/api/policing/stations/${station.code}/isochrones?minutes=0,999`)).status).toBe(400);
  });

  it('plans a team’s visits to its no-trip villages within the working day, no worse than the baseline', async () => {
    const station = [...report.stations].sort((a, b) => b.noTripVillages - a.noTripVillages)[1]!;
    const answer = await api('/api/policing/visit-plans', {
      method: 'POST',
      json: { stationCode: station.code, dayHours: 8 },
    });
    expect(answer.status).toBe(200);
    const plan = answer.body as VisitPlanResult;
    const visited = plan.days.flatMap((d) => d.stops.map((s) => s.villageCode));
    const expected = report.villages.filter((v) => v.noTrip && v.stationCode === station.code).map((v) => v.code);
    expect([...visited, ...plan.unplaced.map((u) => u.villageCode)].sort()).toEqual([...expected].sort());
    for (const day of plan.days) {
      expect(day.totalMinutes).toBeLessThanOrEqual(480);
      expect(day.route.coordinates.length).toBeGreaterThan(2);
      // The itinerary's clock: leaving each stop after its service, back at the station at the end.
      for (const stop of day.stops) expect(stop.leaveMinutes).toBeCloseTo(stop.arriveMinutes + stop.serviceMinutes, 0);
    }
    expect(plan.days.length).toBeLessThanOrEqual(plan.baseline.days);
    expect(plan.totalDriveMinutes).toBeLessThanOrEqual(plan.baseline.totalDriveMinutes + 0.1);
    const unknown = await api('/api/policing/visit-plans', { method: 'POST', json: { stationCode: 'NOPE' } });
    expect(unknown.status).toBe(404);
  });

  it('holds the demo visit record with the seed report’s totals since 2018', async () => {
    const summary = (await api('/api/policing/visits/summary?to=2026-10-31')).body as Record<string, unknown>;
    expect(summary).toMatchObject({ businessHandled: 420, helpRequests: 652, unregisteredResolved: 41 });
    expect((summary.firstVisit as string) >= '2018-03-01').toBe(true);
  });

  it('records visits and totals the services done', async () => {
    const village = report.villages.find((v) => v.noTrip)!;
    const before = (await api('/api/policing/visits/summary')).body as { visits: number; businessHandled: number };
    const posted = await api('/api/policing/visits', {
      method: 'POST',
      json: {
        villageCode: village.code,
        visitedOn: '2026-10-08',
        officers: 2,
        businessHandled: 5,
        helpRequests: 3,
        unregisteredResolved: 1,
      },
    });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({
      villageCode: village.code,
      stationCode: village.stationCode,
      visitedOn: '2026-10-08',
    });
    const after = (await api('/api/policing/visits/summary')).body as { visits: number; businessHandled: number };
    expect(after.visits).toBe(before.visits + 1);
    expect(after.businessHandled).toBe(before.businessHandled + 5);
    const list = (await api(`/api/policing/visits?village=${village.code}`)).body as { visitedOn: string }[];
    expect(list[0]!.visitedOn).toBe('2026-10-08');
    const future = await api('/api/policing/visits', {
      method: 'POST',
      json: { villageCode: village.code, visitedOn: '2999-01-01', officers: 2 },
    });
    expect(future.status).toBe(400);
    const negative = await api('/api/policing/visits', {
      method: 'POST',
      json: { villageCode: village.code, visitedOn: '2026-10-08', officers: 2, helpRequests: -1 },
    });
    expect(negative.status).toBe(400);
  });

  it('exports the no-trip list as CSV for Excel and as XLSX', async () => {
    const csv = await api('/api/policing/no-trip.csv');
    expect(csv.status).toBe(200);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(csv.body as ArrayBuffer);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toContain('村名');
    expect(lines).toHaveLength(report.county.noTripVillages + 1);
    const xlsx = await api('/api/policing/no-trip.xlsx');
    expect(xlsx.status).toBe(200);
    const files = unzipSync(new Uint8Array(xlsx.body as ArrayBuffer));
    expect(strFromU8(files['xl/workbook.xml']!)).toContain('免跑村');
  });
});
