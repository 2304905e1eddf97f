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
