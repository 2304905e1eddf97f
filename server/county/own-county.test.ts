import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import type { Database } from '../db/database.js';
import { createCounty, listCounties } from './create.js';
import { importLayer } from './import/import.js';
import { listJurisdictions } from './jurisdictions.js';
import { countyReadiness } from './readiness.js';

/** A square township polygon, west edge at `west` (0.1° wide), with properties. */
function square(west: number, properties: Record<string, unknown>) {
  const [s, n, e] = [27.5, 27.6, west + 0.1];
  return {
    type: 'Feature',
    properties,
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [west, s],
          [e, s],
          [e, n],
          [west, n],
          [west, s],
        ],
      ],
    },
  };
}

const collection = (features: unknown[]) => Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));

describe.each(BACKENDS)('a county from its own data on %s', (kind) => {
  let database: Database;
  const db = () => database.db;
  const run = (
    layer: 'townships' | 'villages' | 'stations',
    features: unknown[],
    mode: 'append' | 'replace' = 'append',
  ) =>
    importLayer(db(), {
      layer,
      bytes: collection(features),
      fileName: `${layer}.geojson`,
      crs: 'wgs84',
      countyCode: '330329',
      mode,
      importedBy: 'test',
    }).then((o) => o.report);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await sql`delete from imports`.execute(db());
    await sql`delete from counties`.execute(db());
  });

  it('refuses codes that are not a county and a code already loaded', async () => {
    await expect(createCounty(db(), { code: '330300', name: '温州市' })).rejects.toThrow(/ends in 00/);
    await expect(createCounty(db(), { code: '33032', name: 'x' })).rejects.toThrow(/6 digits/);
    await createCounty(db(), { code: '330329', name: '泰顺县' });
    await expect(createCounty(db(), { code: '330329', name: '泰顺县' })).rejects.toThrow(/already loaded/);
  });

  it('makes its outline from its townships, assigns stable codes, and updates on a second import', async () => {
    const created = await createCounty(db(), { code: '330329', name: '泰顺县' });
    expect(created).toMatchObject({ outline: 'none', townships: 0, bbox: null });
    const file = [square(119.6, { FID: 'a', 名称: '罗阳镇' }), square(119.7, { FID: 'b', 名称: '竹里乡' })];
    expect((await run('townships', file)).accepted).toBe(true);
    const rows = async () =>
      (
        await sql<{ code: string; name: string; kind: string; source_id: string }>`
          select code, name, kind, source_id from townships order by code`.execute(db())
      ).rows;
    expect(await rows()).toEqual([
      { code: '330329900', name: '罗阳镇', kind: 'town', source_id: 'a' },
      { code: '330329901', name: '竹里乡', kind: 'township', source_id: 'b' },
    ]);
    const [county] = await listCounties(db(), '330329');
    expect(county!.outline).toBe('townships');
    expect(county!.bbox!.map((v) => Math.round(v * 10) / 10)).toEqual([119.6, 27.5, 119.8, 27.6]);

    // The same file again, renamed and without the second township: the codes stay, nothing is added.
    const again = [square(119.6, { FID: 'a', 名称: '罗阳镇（新）' }), square(119.7, { FID: 'b', 名称: '竹里乡' })];
    expect((await run('townships', again, 'replace')).accepted).toBe(true);
    expect((await rows()).map((r) => [r.code, r.name])).toEqual([
      ['330329900', '罗阳镇（新）'],
      ['330329901', '竹里乡'],
    ]);
    expect((await run('townships', [again[0]], 'replace')).accepted).toBe(true);
    const [shrunk] = await listCounties(db(), '330329');
    expect(shrunk!.bbox!.map((v) => Math.round(v * 10) / 10)).toEqual([119.6, 27.5, 119.7, 27.6]);
  });

  it('checks official codes against their parent', async () => {
    await createCounty(db(), { code: '330329', name: '泰顺县' });
    const report = await run('townships', [square(119.6, { code: '330328101', name: '外县镇' })]);
    expect(report.accepted).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        index: 0,
        field: 'code',
        reason: expect.stringContaining('first 6 digits must be 330329'),
      }),
    ]);
    expect((await run('townships', [square(119.6, { code: '330329101', name: '罗阳镇' })])).accepted).toBe(true);
    const village = await run('villages', [
      square(119.6, { code: '330329102201', township: '330329101', name: '东门村' }),
    ]);
    expect(village.problems).toEqual([
      expect.objectContaining({
        index: 0,
        field: 'code',
        reason: expect.stringContaining('first 9 digits must be 330329101'),
      }),
    ]);
    // Without a code or a township column, a village lies in the township that covers it and gets a code there.
    expect((await run('villages', [square(119.6, { OBJECTID: 7, name: '东门村' })])).accepted).toBe(true);
    const villages = await sql<{ code: string; source_id: string }>`select code, source_id from villages`.execute(db());
    expect(villages.rows).toEqual([{ code: '330329101800', source_id: '7' }]);
  });

  it("links a station file's townships, and 'its own station' follows; readiness names what is missing", async () => {
    await createCounty(db(), { code: '330329', name: '泰顺县' });
    await run('townships', [
      square(119.6, { code: '330329101', name: '罗阳镇' }),
      square(119.7, { code: '330329201', name: '竹里乡' }),
    ]);
    const station = (properties: Record<string, unknown>) => ({
      type: 'Feature',
      properties,
      geometry: { type: 'Point', coordinates: [119.65, 27.55] },
    });
    const wrong = await run('stations', [station({ code: 'PS1', name: '罗阳派出所', 辖区: '罗阳镇、百丈镇' })]);
    expect(wrong.problems).toEqual([
      expect.objectContaining({ index: 0, reason: expect.stringContaining('unknown township "百丈镇"') }),
    ]);
    expect(
      (await run('stations', [station({ code: 'PS1', name: '罗阳派出所', 辖区: '罗阳、330329201' })])).accepted,
    ).toBe(true);
    const links = await listJurisdictions(db(), '330329');
    expect(links.map((l) => [l.townshipCode, l.stationCode, l.source, l.confirmed])).toEqual([
      ['330329101', 'PS1', 'file', true],
      ['330329201', 'PS1', 'file', true],
    ]);
    const own = await sql<{ code: string; police_station_code: string }>`
      select code, police_station_code from townships order by code`.execute(db());
    expect(own.rows.map((r) => r.police_station_code)).toEqual(['PS1', 'PS1']);

    const readiness = await countyReadiness(db(), '330329');
    const noTrip = readiness.capabilities.find((c) => c.capability === 'noTrip')!;
    expect(noTrip.ready).toBe(false);
    expect(noTrip.problems).toEqual([
      '没有行政村（no villages imported）',
      '没有道路（no roads imported）',
      '没有公交站点（no bus stops: import them with --layer bus_stops）',
    ]);
    expect(readiness.layers.find((l) => l.layer === 'jurisdictions')!.count).toBe(2);
  });
});
