import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../../test/backends.js';
import type { Database } from '../../db/database.js';
import { buildRoadNetwork, type RoadNetwork } from '../../routing/network.js';
import { loadRoadEdges } from '../../routing/repository.js';
import { buildUnitGraph, isContiguous, partitionTownship } from '../partition/index.js';
import { checkUnitTiling } from './polygons.js';
import { loadTownshipUnits, type TownshipUnits } from './repository.js';

// 南浦溪镇: 13 villages along valley roads, a mid-size township of the demo county.
const TOWNSHIP = '330329111';

describe.each(BACKENDS)('grid units of a demo township on %s', (kind) => {
  let database: Database;
  let network: RoadNetwork;
  let township: TownshipUnits;

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    network = buildRoadNetwork(await loadRoadEdges(database.db));
    township = await loadTownshipUnits(database.db, TOWNSHIP, network, { polygons: true });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('puts every household of the township in exactly one unit of its own village, at most 30 each', async () => {
    const stored = await sql<{ code: string; village_code: string }>`
      select h.code, h.village_code from households h join villages v on v.code = h.village_code
      where v.township_code = ${TOWNSHIP}`.execute(database.db);
    const villageOf = new Map(stored.rows.map((h) => [h.code, h.village_code]));
    const placed = township.units.flatMap((u) => u.householdCodes);
    expect(placed).toHaveLength(stored.rows.length);
    expect(new Set(placed).size).toBe(stored.rows.length);
    for (const unit of township.units) {
      expect(unit.households).toBe(unit.householdCodes.length);
      expect(unit.households).toBeGreaterThan(0);
      expect(unit.households).toBeLessThanOrEqual(30);
      expect(township.villages[unit.villageIndex]!.code).toBe(unit.villageCode);
      for (const code of unit.householdCodes) expect(villageOf.get(code)).toBe(unit.villageCode);
    }
    expect(new Set(township.units.map((u) => u.villageCode)).size).toBe(township.villages.length);
  });

  it('divides each village among its units with no gap and no overlap', async () => {
    const features = township.polygons!.features;
    expect(features.map((f) => f.properties.unit)).toEqual(township.units.map((_, u) => u));
    const tiling = await checkUnitTiling(
      database.db,
      features.map((f) => ({
        unit: f.properties.unit,
        villageCode: f.properties.villageCode,
        geometry: f.geometry,
        areaSquareMetres: f.properties.areaSquareMetres,
      })),
    );
    expect(tiling.map((t) => t.villageCode)).toEqual(township.villages.map((v) => v.code));
    for (const village of tiling) {
      expect(Math.abs(village.unitsSquareMetres / village.villageSquareMetres - 1)).toBeLessThan(0.001);
      expect(village.maxOverlapSquareMetres).toBeLessThan(1);
    }
  });

  it('links all units along the roads, and the partition of them makes contiguous grids', () => {
    expect(township.parts).toHaveLength(1);
    expect(township.edges.every((e) => e.a < e.b && e.driveSeconds > 0)).toBe(true);
    const graph = buildUnitGraph(township.units.length, township.edges);
    const plan = partitionTownship(township.units, graph);
    expect(plan.summary.unassigned).toBe(0);
    expect(plan.summary.nonContiguous).toBe(0);
    for (const grid of plan.grids) expect(isContiguous(grid.units, graph)).toBe(true);
    expect(plan.grids.reduce((sum, g) => sum + g.households, 0)).toBe(
      township.units.reduce((sum, u) => sum + u.households, 0),
    );
  });

  it('answers not found for an unknown township', async () => {
    await expect(loadTownshipUnits(database.db, '330329999', network)).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });
});
