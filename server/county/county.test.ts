import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import type { Database } from '../db/database.js';
import { loadCountyModel } from './load.js';
import type { CountyModel } from './model.js';
import { countyStats } from './stats.js';
import { validateCounty } from './validate.js';

describe.each(BACKENDS)('the demo county on %s', (kind) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('has the counts of Taishun', async () => {
    const stats = await countyStats(database.db, '330329');
    expect(stats).toMatchObject({
      counties: 1,
      townships: 19,
      specialUnits: 1,
      villages: 290,
      communities: 17,
      warZones: 4,
    });
    expect(stats.households).toBeGreaterThanOrEqual(90_000);
    expect(stats.households).toBeLessThanOrEqual(130_000);
    expect(stats.stations).toBeGreaterThanOrEqual(12);
    expect(stats.events).toBeGreaterThanOrEqual(50_000);
    expect(stats.roadKm).toBeGreaterThan(500);
    expect(stats.busStops).toBeGreaterThan(50);
    expect(stats.mediationRooms).toBe(19);
    expect(stats.sageRooms).toBe(16);
    expect(stats.officers).toBe(300);
  });

  it('validates with no errors: one village per household, exact tiling, every village reachable', async () => {
    const report = await validateCounty(database.db, '330329');
    expect(report.errors).toEqual([]);
  });

  it('puts every station in a war zone and gives every township a station', async () => {
    const unzoned = await database.db
      .selectFrom('police_stations')
      .select('code')
      .where('war_zone_id', 'is', null)
      .execute();
    expect(unzoned).toEqual([]);
    const withoutStation = await database.db
      .selectFrom('townships')
      .select('code')
      .where('police_station_code', 'is', null)
      .execute();
    expect(withoutStation).toEqual([]);
  });

  it('loads all or nothing: a model with a bad row leaves the database as it was', async () => {
    const before = await countyStats(database.db);
    const broken: CountyModel = {
      county: {
        code: '339099',
        name: '测试县',
        synthetic: true,
        seed: null,
        geometry: {
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 1],
                [0, 0],
              ],
            ],
          ],
        },
      },
      terrain: null,
      warZones: [],
      stations: [],
      townships: [
        {
          code: '339099100',
          name: '甲镇',
          kind: 'town',
          stationCode: null,
          seat: [0.5, 0.5],
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [0, 0],
                  [1, 0],
                  [1, 1],
                  [0, 1],
                  [0, 0],
                ],
              ],
            ],
          },
        },
      ],
      villages: [],
      // A household in a village that does not exist: the foreign key refuses it.
      households: [
        {
          code: 'X1',
          villageCode: '339099100999',
          persons: 2,
          aged70Plus: 0,
          disabled: 0,
          leftBehind: 0,
          lowIncome: 0,
          needsAssistance: 0,
          point: [0.5, 0.5],
        },
      ],
      roadNodes: [],
      roadEdges: [],
      rivers: [],
      busLines: [],
      busStops: [],
      mediationRooms: [],
      sageRooms: [],
      events: [],
      officers: [],
    };
    await expect(loadCountyModel(database.db, broken)).rejects.toThrow(/foreign key/);
    expect(await countyStats(database.db)).toEqual(before);
  });

  it("loads a second county beside the first, numbering its zones, roads and rivers after the first one's", async () => {
    const square = {
      type: 'MultiPolygon' as const,
      coordinates: [
        [
          [
            [121, 27],
            [121.1, 27],
            [121.1, 27.1],
            [121, 27.1],
            [121, 27],
          ],
        ],
      ],
    };
    const before = await countyStats(database.db);
    await loadCountyModel(database.db, {
      county: { code: '339098', name: '第二县', synthetic: true, seed: null, geometry: square },
      terrain: null,
      warZones: [{ id: 1, name: '中心战区' }],
      stations: [{ code: '339098-PS01', name: '甲派出所', warZoneId: 1, officers: 10, point: [121.05, 27.05] }],
      townships: [
        {
          code: '339098100',
          name: '甲镇',
          kind: 'town',
          stationCode: '339098-PS01',
          seat: [121.05, 27.05],
          geometry: square,
        },
      ],
      villages: [
        {
          code: '339098100001',
          townshipCode: '339098100',
          name: '甲村',
          kind: 'village',
          centre: [121.05, 27.05],
          geometry: square,
        },
      ],
      households: [],
      roadNodes: [
        { id: 1, elevationMetres: 300, point: [121.01, 27.05] },
        { id: 2, elevationMetres: 320, point: [121.09, 27.05] },
      ],
      roadEdges: [
        {
          id: 1,
          source: 1,
          target: 2,
          roadClass: 'county',
          name: null,
          speedKmh: 50,
          lengthMetres: 7900,
          climbMetres: 20,
          descentMetres: 0,
          sinuosity: 1,
          turningDegreesPerKm: 0,
          coordinates: [
            [121.01, 27.05],
            [121.09, 27.05],
          ],
        },
      ],
      rivers: [
        {
          id: 1,
          name: null,
          strahler: 2,
          coordinates: [
            [121.02, 27.0],
            [121.02, 27.1],
          ],
        },
      ],
      busLines: [],
      busStops: [],
      mediationRooms: [],
      sageRooms: [],
      events: [],
      officers: [],
    });
    const after = await countyStats(database.db);
    expect(after.counties).toBe(before.counties + 1);
    expect(after.roadEdges).toBe(before.roadEdges + 1);
    const edge = await database.db
      .selectFrom('road_edges')
      .selectAll()
      .where('county_code', '=', '339098')
      .executeTakeFirstOrThrow();
    const station = await database.db
      .selectFrom('police_stations')
      .selectAll()
      .where('code', '=', '339098-PS01')
      .executeTakeFirstOrThrow();
    const zone = await database.db
      .selectFrom('war_zones')
      .selectAll()
      .where('id', '=', station.war_zone_id!)
      .executeTakeFirstOrThrow();
    expect(zone.county_code).toBe('339098');
    const nodes = await database.db
      .selectFrom('road_nodes')
      .select(['id'])
      .where('county_code', '=', '339098')
      .orderBy('id')
      .execute();
    expect([edge.source, edge.target]).toEqual(nodes.map((n) => n.id));
    expect(edge.id).toBeGreaterThan(before.roadEdges);
    await database.db.deleteFrom('counties').where('code', '=', '339098').execute();
    expect(await countyStats(database.db)).toEqual(before);
  });

  it('refuses to load a county that is already there unless asked to replace it', async () => {
    const county = await database.db.selectFrom('counties').selectAll().executeTakeFirstOrThrow();
    await expect(
      loadCountyModel(database.db, {
        county: {
          code: county.code,
          name: county.name,
          synthetic: true,
          seed: null,
          geometry: { type: 'MultiPolygon', coordinates: [] },
        },
      } as unknown as CountyModel),
    ).rejects.toThrow(/County 330329 is already loaded/);
  });
});
