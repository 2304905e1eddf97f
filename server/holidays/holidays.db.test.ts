import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import { startTestServer, type TestServer } from '../../test/http.js';
import type { Database } from '../db/database.js';
import type {
  HolidayDetail,
  HolidayOfficer,
  HolidaySummary,
  PlanComparison,
  PlanDetail,
  ZoneAreas,
} from './api-types.js';
import { pastWindows } from './evidence.js';

describe('past holidays for the evidence', () => {
  it('are the same days of the same public holiday in earlier years inside the data', () => {
    // 2027-02-06 is 正月初一: the past windows start on the lunar new year, not on 6 February.
    expect(pastWindows('2027-02-06', 7, '2023-11-01', '2026-10-31')).toEqual([
      '2024-02-10',
      '2025-01-29',
      '2026-02-17',
    ]);
    // Entered two days before 初一 (before 2027's statutory days off, which start on 除夕).
    expect(pastWindows('2027-02-04', 9, '2023-11-01', '2026-10-31')).toEqual([
      '2024-02-08',
      '2025-01-27',
      '2026-02-15',
    ]);
    // Mid-Autumn: 八月十五 of each year.
    expect(pastWindows('2027-09-15', 3, '2023-11-01', '2026-10-31')).toEqual([
      '2024-09-17',
      '2025-10-06',
      '2026-09-25',
    ]);
    expect(pastWindows('2027-02-06', 7, '2026-03-01', '2026-10-31')).toEqual([]);
  });

  it('are the same calendar dates for a holiday that is no public holiday', () => {
    expect(pastWindows('2027-10-28', 7, '2023-11-01', '2026-10-31')).toEqual(['2024-10-28', '2025-10-28']);
  });
});

describe.each(BACKENDS)('holiday policing on %s', (kind) => {
  let database: Database;
  let server: TestServer;
  let holiday: HolidaySummary;
  let plan: PlanDetail;
  const api = async <T>(path: string, init?: { method?: string; json?: unknown }) => {
    const response = await server.fetch(`${path}`, {
      method: init?.method ?? 'GET',
      ...(init?.json === undefined
        ? {}
        : { body: JSON.stringify(init.json), headers: { 'content-type': 'application/json' } }),
    });
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      body: (type.includes('json') ? await response.json() : await response.arrayBuffer()) as T,
    };
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    server = await startTestServer(database);
    holiday = (await api<HolidaySummary[]>('/api/holidays')).body[0]!;
    plan = (await api<PlanDetail>(`/api/holidays/${holiday.id}/plans`, { method: 'POST', json: {} })).body;
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('holds the demo holiday with every station’s demand, the evidence of past holidays and the pool', async () => {
    expect(holiday).toMatchObject({
      name: '2027年春节',
      firstDay: '2027-02-06',
      days: 7,
      shiftsPerDay: 3,
      status: 'draft',
    });
    const { body } = await api<HolidayDetail>(`/api/holidays/${holiday.id}`);
    expect(body.zones).toHaveLength(4);
    expect(body.stations).toHaveLength(13);
    expect(new Set(body.demands.map((d) => d.stationCode)).size).toBe(13);
    expect(body.evidenceFrom).toEqual(['2024-02-10', '2025-01-29', '2026-02-17']);
    expect(body.evidence.length).toBeGreaterThan(100);
    expect(body.pool.officers).toBe(300);
    const officers = (await api<HolidayOfficer[]>(`/api/holidays/${holiday.id}/officers`)).body;
    // Headquarters officers start from the station nearest their office.
    expect(officers.every((o) => o.homeStation !== null)).toBe(true);
    expect(officers.filter((o) => o.homeIsNearest).length).toBeGreaterThan(100);
  });

  it('solves the holiday optimally, better than the proportional baseline, keeping every rule', async () => {
    expect(plan.status).toBe('optimal');
    expect(plan.mipGap).toBeLessThanOrEqual(0.01);
    const { body: detail } = await api<HolidayDetail>(`/api/holidays/${holiday.id}`);
    const demanded = detail.demands.reduce((sum, d) => sum + d.officers, 0);
    expect(plan.coverage.total.demanded).toBe(demanded);
    expect(plan.coverage.total.met + plan.coverage.total.unmet).toBe(demanded);
    expect(plan.weightedUnmet).toBeLessThan(plan.baseline.weightedUnmet);
    const officers = new Map(
      (await api<HolidayOfficer[]>(`/api/holidays/${holiday.id}/officers`)).body.map((o) => [o.id, o]),
    );
    const slots = new Map<string, number[]>();
    for (const a of plan.assignments) {
      expect(officers.get(a.officerId)!.unavailable).not.toContainEqual([a.day, a.shift]);
      expect(a.travelMinutes).toBeLessThanOrEqual(holiday.maxTravelMinutes);
      if (a.duty === 'traffic') expect(officers.get(a.officerId)!.qualifications).toContain('traffic');
      slots.set(a.officerId, [...(slots.get(a.officerId) ?? []), a.day * 3 + a.shift]);
    }
    for (const worked of slots.values()) {
      const sorted = [...worked].sort((x, y) => x - y);
      expect(new Set(sorted).size).toBe(sorted.length);
      for (let i = 2; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 2]!).toBeGreaterThan(2);
    }
    if (plan.unmet > 0) expect(plan.explanations.some((e) => e.kind === 'short' && e.textZh.includes('缺'))).toBe(true);
  });

  it('answers a what-if with a smaller pool, compares the two plans, publishes and exports', async () => {
    const smaller = (
      await api<PlanDetail>(`/api/holidays/${holiday.id}/plans`, {
        method: 'POST',
        json: { poolSize: 150, label: '减半' },
      })
    ).body;
    expect(smaller.poolSize).toBe(150);
    expect(smaller.unmet).toBeGreaterThan(plan.unmet);
    const comparison = (
      await api<PlanComparison>(`/api/holidays/${holiday.id}/plans/compare?a=${plan.id}&b=${smaller.id}`)
    ).body;
    expect(comparison.total.unmetBefore).toBe(plan.unmet);
    expect(comparison.total.unmetAfter).toBe(smaller.unmet);
    expect(comparison.byZone).toHaveLength(4);
    const published = (
      await api<HolidaySummary>(`/api/holidays/${holiday.id}/plans/${plan.id}/publish`, { method: 'POST' })
    ).body;
    expect(published).toMatchObject({ status: 'published', publishedPlanId: plan.id });
    const csv = await api<ArrayBuffer>(`/api/holidays/${holiday.id}/plans/${plan.id}/roster.csv`);
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(csv.body).trimEnd().split('\r\n');
    expect(lines[0]!.charCodeAt(0)).toBe(0xfeff);
    expect(lines).toHaveLength(plan.assignments.length + 1);
    const xlsx = await api<ArrayBuffer>(`/api/holidays/${holiday.id}/plans/${plan.id}/roster.xlsx`);
    expect(strFromU8(unzipSync(new Uint8Array(xlsx.body))['xl/workbook.xml']!)).toContain('排班表');
  });

  it('moves a station to another war zone, and refuses bad demand without saving any of it', async () => {
    const { body: before } = await api<HolidayDetail>(`/api/holidays/${holiday.id}`);
    const station = before.stations[0]!;
    const other = before.zones.find((z) => z.id !== station.warZoneId)!;
    expect(
      (await api(`/api/war-zones/stations/${station.code}`, { method: 'PUT', json: { warZoneId: other.id } })).status,
    ).toBe(200);
    const areas = (await api<ZoneAreas>(`/api/holidays/${holiday.id}/zones.geojson`)).body;
    expect(areas.features.find((f) => f.properties.zoneId === other.id)!.properties.stationCodes).toContain(
      station.code,
    );
    const bad = await api<{ error: { details: { problems: unknown[] } } }>(`/api/holidays/${holiday.id}/demands`, {
      method: 'PUT',
      json: {
        entries: [
          { stationCode: station.code, day: 0, shift: 0, duty: 'incident', officers: 9, ownOnDuty: 1 },
          { stationCode: station.code, day: 99, shift: 0, duty: 'incident', officers: 9, ownOnDuty: 1 },
        ],
      },
    });
    expect(bad.status).toBe(400);
    const { body: after } = await api<HolidayDetail>(`/api/holidays/${holiday.id}`);
    expect(after.demands).toEqual(before.demands);
    expect((await api('/api/holidays/999999')).status).toBe(404);
  });

  it('keeps a station’s minimum cover in every shift when asked', async () => {
    const station = plan.coverage.byStation.find((s) => s.demanded > 0)!;
    const saved = await api<HolidayDetail>(`/api/holidays/${holiday.id}/station-covers`, {
      method: 'PUT',
      json: { covers: [{ stationCode: station.stationCode, minOfficers: 3 }] },
    });
    expect(saved.body.stationCovers).toEqual([{ stationCode: station.stationCode, minOfficers: 3 }]);
    const covered = (await api<PlanDetail>(`/api/holidays/${holiday.id}/plans`, { method: 'POST', json: {} })).body;
    const posted = new Map<string, number>();
    for (const a of covered.assignments) {
      if (a.stationCode === station.stationCode)
        posted.set(`${a.day}|${a.shift}`, (posted.get(`${a.day}|${a.shift}`) ?? 0) + 1);
    }
    const shortfalls = covered.explanations.filter((e) => e.kind === 'station_cover_short').length;
    expect(shortfalls).toBe(0);
    for (let day = 0; day < holiday.days; day++) {
      for (let shift = 0; shift < holiday.shiftsPerDay; shift++) {
        expect(posted.get(`${day}|${shift}`) ?? 0, `${day}/${shift}`).toBeGreaterThanOrEqual(3);
      }
    }
    const bad = await api(`/api/holidays/${holiday.id}/station-covers`, {
      method: 'PUT',
      json: { covers: [{ stationCode: 'NOPE', minOfficers: 1 }] },
    });
    expect(bad.status).toBe(400);
  });
});
