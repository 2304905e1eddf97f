import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import { startTestServer, type TestServer } from '../../test/http.js';
import type { Database } from '../db/database.js';
import type {
  RiskCellBreakdown,
  RiskDensity,
  RiskGovernance,
  RiskHexes,
  RiskHotspots,
  RiskMeta,
  RiskRanking,
} from './api-types.js';
import { classOf } from './colour-scale.js';
import { localProjection, projectX, projectY } from './projection.js';

// The demo county's events of incidents and fraud in Aug–Oct 2026 (China time): the same on both backends.
const WINDOW = 'categories=incident,fraud&from=2026-08&to=2026-10';

describe.each(BACKENDS)('the risk map on %s', (kind) => {
  let database: Database;
  let server: TestServer;
  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await server.fetch(`${path}`);
    return { status: response.status, body: (await response.json()) as T };
  };
  const sqlCount = async (where: string) => {
    const result = await sql<{ n: number }>`
      select count(*) as n from events
      where category in ('incident', 'fraud')
        and occurred_at >= timestamptz '2026-08-01 00:00+08' and occurred_at < timestamptz '2026-11-01 00:00+08'
        ${sql.raw(where)}`.execute(database.db);
    return result.rows[0]!.n;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    server = await startTestServer(database);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('covers every month with data', async () => {
    const { body } = await get<RiskMeta>('/api/risk/meta');
    expect(body.months[0]).toBe('2023-11');
    expect(body.months.at(-1)).toBe('2026-10');
    expect(body.months).toHaveLength(36);
    expect(body.events).toBe(76_325);
    expect(body.resolutions).toEqual([7, 8]);
  });

  it('counts the window’s events into hexagons exactly as the database does', async () => {
    const { body } = await get<RiskHexes>(`/api/risk/hexes?${WINDOW}&resolution=8`);
    const expected = await sqlCount('');
    expect(body.total).toBe(expected);
    expect(body.features.reduce((sum, f) => sum + f.properties.count, 0)).toBe(expected);
    expect(body.months).toBe(3);
    for (const feature of body.features) {
      expect(feature.properties.value).toBeCloseTo(feature.properties.count / 3, 3);
      expect(feature.properties.class).toBe(classOf(feature.properties.count / 3, body.breaks));
    }
  });

  it('keeps one colour scale whatever the window', async () => {
    const one = (await get<RiskHexes>('/api/risk/hexes?categories=incident,fraud&from=2024-02&to=2024-02')).body;
    const three = (await get<RiskHexes>(`/api/risk/hexes?${WINDOW}`)).body;
    expect(one.total).not.toBe(three.total);
    expect(one.breaks).toEqual(three.breaks);
    expect(one.breaks.length).toBeGreaterThanOrEqual(4);
    const other = (await get<RiskHexes>(`/api/risk/hexes?categories=petition&from=2026-08&to=2026-10`)).body;
    expect(other.breaks).not.toEqual(three.breaks);
    const rates = (await get<RiskHexes>(`/api/risk/hexes?${WINDOW}&measure=per1000`)).body;
    expect(rates.measure).toBe('per1000');
    expect(rates.features.every((f) => f.properties.class === classOf(f.properties.value, rates.breaks))).toBe(true);
  });

  it('finds significant hotspots where events concentrate, and filters by township', async () => {
    const { body } = await get<RiskHotspots>(`/api/risk/hotspots?${WINDOW}`);
    expect(body.hot).toBeGreaterThan(0);
    expect(body.features.every((f) => f.properties.class !== 0 && f.properties.q <= 0.1)).toBe(true);
    const ranking = (await get<RiskRanking>(`/api/risk/ranking?${WINDOW}&level=township&limit=50`)).body;
    const top = ranking.rows[0]!;
    const inTownship = (await get<RiskHexes>(`/api/risk/hexes?${WINDOW}&township=${top.code}`)).body;
    expect(inTownship.total).toBe(top.count);
    expect(top.count).toBe(
      await sqlCount(`and village_code in (select code from villages where township_code = '${top.code}')`),
    );
    expect(ranking.rows.map((r) => r.count)).toEqual([...ranking.rows.map((r) => r.count)].sort((a, b) => b - a));
    expect(top.series).toHaveLength(36);
    const villages = (
      await get<RiskRanking>(`/api/risk/ranking?${WINDOW}&level=village&township=${top.code}&limit=500`)
    ).body;
    const own = await sql<{ n: number }>`select count(*) as n from villages where township_code = ${top.code}`.execute(
      database.db,
    );
    expect(villages.rows).toHaveLength(own.rows[0]!.n);
    expect(villages.rows.reduce((sum, r) => sum + r.count, 0)).toBe(top.count);
    expect(ranking.rows.every((r) => r.emerging === null)).toBe(true);
    const county = (await get<RiskRanking>('/api/risk/ranking?level=village&limit=500')).body;
    expect(county.rows).toHaveLength(290);
    // Around the county seat, villages are hot in most months: persistent hotspots.
    expect(county.rows.filter((r) => r.emerging === 'persistent').length).toBeGreaterThan(0);
  });

  it('breaks one hexagon down by category, month and village', async () => {
    const hexes = (await get<RiskHexes>(`/api/risk/hexes?${WINDOW}&resolution=8`)).body;
    const busiest = [...hexes.features].sort((a, b) => b.properties.count - a.properties.count)[0]!;
    const { body } = await get<RiskCellBreakdown>(`/api/risk/cells/${busiest.properties.h3}?${WINDOW}`);
    expect(body.total).toBe(busiest.properties.count);
    expect(body.byCategory.incident + body.byCategory.fraud).toBe(body.total);
    expect(body.byCategory.petition).toBe(0);
    expect(body.byMonth).toHaveLength(36);
    expect(body.villages.reduce((sum, v) => sum + v.count, 0)).toBeLessThanOrEqual(body.total);
  });

  it('draws the density with fixed breaks as a PNG', async () => {
    const meta = (await get<{ url: string; breaks: number[] }>(`/api/risk/density?${WINDOW}`)).body;
    const other = (
      await get<{ breaks: number[] }>('/api/risk/density?categories=incident,fraud&from=2025-01&to=2025-01')
    ).body;
    expect(other.breaks).toEqual(meta.breaks);
    const png = await server.fetch(`${meta.url}`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });

  it('sizes the density image by the bandwidth, and its corners say where it goes', async () => {
    const answers = new Map<number, { width: number; height: number; corners: [number, number][] }>();
    for (const bandwidth of [100, 1000]) {
      const meta = (await get<RiskDensity>(`/api/risk/density?${WINDOW}&bandwidthMetres=${bandwidth}`)).body;
      expect(meta.bandwidthMetres).toBe(bandwidth);
      expect(meta.url).toContain(`bandwidthMetres=${bandwidth}`);
      const png = Buffer.from(await (await server.fetch(meta.url)).arrayBuffer());
      answers.set(bandwidth, { width: png.readUInt32BE(16), height: png.readUInt32BE(20), corners: meta.coordinates });
    }
    const [fine, coarse] = [answers.get(100)!, answers.get(1000)!];
    // Same north-west corner (the county's), a north-up rectangle.
    expect(fine.corners[0]).toEqual(coarse.corners[0]);
    for (const { corners } of [fine, coarse]) {
      expect(corners[1]![1]).toBe(corners[0]![1]);
      expect(corners[3]![0]).toBe(corners[0]![0]);
    }
    // Pixel size from the corners: h/3 at 100 m (one event weighs 1 only on cells that small), 150 m
    // at 1 km. North–south metres per degree hardly depend on the projection's centre; east–west
    // ones do, so across the two images compare.
    const projection = localProjection(fine.corners[0]![0], (fine.corners[0]![1] + fine.corners[2]![1]) / 2);
    const pixel = ({ width, height, corners }: typeof fine) => ({
      across: (projectX(projection, corners[2]![0]) - projectX(projection, corners[0]![0])) / width,
      down: (projectY(projection, corners[0]![1]) - projectY(projection, corners[2]![1])) / height,
    });
    expect(pixel(fine).down).toBeCloseTo(100 / 3, 2);
    expect(pixel(coarse).down).toBeCloseTo(150, 1);
    expect(pixel(fine).across / pixel(coarse).across).toBeCloseTo(100 / 3 / 150, 6);
    // Both cover the county: their south-east corners are within 0.002° (~200 m) of each other.
    expect(Math.abs(fine.corners[2]![0] - coarse.corners[2]![0])).toBeLessThan(0.002);
    expect(Math.abs(fine.corners[2]![1] - coarse.corners[2]![1])).toBeLessThan(0.002);
  });

  it('reports the governance figures with the visit record', async () => {
    const { body } = await get<RiskGovernance>('/api/risk/governance');
    expect(body.mediation).toMatchObject({ rooms: 19, accepted: 315, resolved: 312 });
    expect(body.backpack).toMatchObject({ businessHandled: 420, helpRequests: 652, unregisteredResolved: 41 });
    expect(body.lastTwelveMonths.fraud.count).toBeGreaterThan(0);
  });

  it('answers bad input with 400 and a clear message', async () => {
    for (const path of [
      '/api/risk/hexes?categories=robbery',
      '/api/risk/hexes?from=2026-13',
      '/api/risk/hexes?from=2026-10&to=2026-01',
      '/api/risk/hexes?resolution=12',
      '/api/risk/cells/zzz',
      '/api/risk/density?bandwidthMetres=5',
    ]) {
      const { status, body } = await get<{ error: { message: string } }>(path);
      expect(status, path).toBe(400);
      expect(body.error.message.length, path).toBeGreaterThan(0);
    }
    expect((await get('/api/risk/hexes?township=330329999')).status).toBe(404);
  });
});
