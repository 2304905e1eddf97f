import { describe, expect, it } from 'vitest';
import { buildUnitGraph } from './graph.js';
import { gridStats, moveUnitsCheck } from './stats.js';
import { deepFreeze, lattice } from './test-fixtures.js';

// 64 54 94
// 43 51 87      hamlets 0..8 row-major, 60 s between road neighbours
// 89 77 43
const HOUSEHOLDS = [64, 54, 94, 43, 51, 87, 89, 77, 43];
const byColumn = deepFreeze(lattice(3, 3, HOUSEHOLDS, 60, (u) => u % 3));
const byRow = deepFreeze(lattice(3, 3, HOUSEHOLDS, 60, (u) => Math.floor(u / 3)));
const graph = buildUnitGraph(9, byColumn.edges);
const ROWS = deepFreeze([0, 0, 0, 1, 1, 1, 2, 2, 2]);

describe('gridStats', () => {
  it('gives live counts, deviations, service points and drives of a hand plan', () => {
    const { grids, summary } = gridStats(ROWS, byColumn.units, graph);
    expect(grids.map((g) => [g.id, g.households, g.deviation])).toEqual([
      [0, 212, 12],
      [1, 181, -19],
      [2, 209, 9],
    ]);
    expect(grids.map((g) => g.deviationRatio)).toEqual([0.06, -0.095, 0.045]);
    // Row 0: weighted drives 14,520 / 9,480 / 10,920 household-seconds → the middle hamlet.
    expect(grids.map((g) => g.servicePointUnit)).toEqual([1, 4, 7]);
    expect(grids.map((g) => g.maxDriveSeconds)).toEqual([60, 60, 60]);
    expect(grids[0]).toMatchObject({ units: [0, 1, 2], villages: [0, 1, 2], contiguous: true, locked: false });
    expect(summary).toEqual({
      grids: 3,
      households: 602,
      maxAbsDeviation: 19,
      maxAbsDeviationRatio: 0.095,
      within10: 3,
      within25: 3,
      nonContiguous: 0,
      unassigned: 0,
      unassignedHouseholds: 0,
      // Columns are villages: each is spread over 3 grids.
      villageSplits: 6,
      maxGridDriveSeconds: 60,
    });
  });

  it('reports a broken grid and unassigned units', () => {
    const plan = deepFreeze([5, 5, -1, 7, -1, 5, 7, 7, 7]);
    const { grids, summary } = gridStats(plan, byColumn.units, graph, { lockedGrids: [7] });
    // Grid 5 = {0, 1, 5}: 5 is no road neighbour of 0 or 1. Drives from 1: 60 and 120 s.
    expect(grids[0]).toMatchObject({
      id: 5,
      households: 205,
      contiguous: false,
      servicePointUnit: 1,
      maxDriveSeconds: 120,
    });
    expect(grids[1]).toMatchObject({ id: 7, households: 252, contiguous: true, locked: true });
    expect(summary).toMatchObject({
      grids: 2,
      nonContiguous: 1,
      unassigned: 2,
      unassignedHouseholds: 145,
      within10: 1,
    });
  });

  it('weights a grid mixing community and village households by their own targets', () => {
    // 150 community households are half a grid of 300, 100 village households half a grid of 200.
    const units = deepFreeze([
      { households: 150, villageIndex: 10, kind: 'community' as const },
      { households: 100, villageIndex: 3, kind: 'village' as const },
      { households: 120, villageIndex: 4, kind: 'village' as const },
    ]);
    const mixed = buildUnitGraph(3, [
      { a: 0, b: 1, driveSeconds: 30 },
      { a: 1, b: 2, driveSeconds: 30 },
    ]);
    const { grids } = gridStats([0, 0, 1], units, mixed, { targetByVillage: { 4: 150 } });
    expect(grids.map((g) => [g.targetHouseholds, g.deviation])).toEqual([
      [250, 0],
      [150, -30],
    ]);
    expect(grids[1]!.deviationRatio).toBe(-0.2);
  });

  it('rejects an assignment of the wrong length', () => {
    expect(() => gridStats([0, 0], byColumn.units, graph)).toThrow(RangeError);
  });
});

describe('moveUnitsCheck', () => {
  it('warns of a broken donor, both deviations and a village split — and does not move anything', () => {
    const before = ROWS.slice();
    const warnings = moveUnitsCheck(ROWS, [4], 0, byRow.units, graph);
    expect(warnings).toEqual([
      {
        kind: 'deviation',
        grid: 0,
        householdsBefore: 212,
        householdsAfter: 263,
        targetHouseholds: 200,
        deviationRatio: 0.315,
        toleranceRatio: 0.1,
      },
      { kind: 'donor_split', grid: 1, piecesBefore: 1, piecesAfter: 2 },
      {
        kind: 'deviation',
        grid: 1,
        householdsBefore: 181,
        householdsAfter: 130,
        targetHouseholds: 200,
        deviationRatio: -0.35,
        toleranceRatio: 0.1,
      },
      { kind: 'village_split', villageIndex: 1, gridsBefore: 1, gridsAfter: 2 },
    ]);
    expect(ROWS).toEqual(before);
  });

  it('warns of a locked grid, a receiver in pieces and an emptied donor', () => {
    expect(moveUnitsCheck(ROWS, [8], 0, byRow.units, graph, { lockedGrids: [0], toleranceRatio: 0.3 })).toEqual([
      { kind: 'locked_grid', grid: 0 },
      { kind: 'receiver_not_contiguous', grid: 0, pieces: 2 },
      { kind: 'village_split', villageIndex: 2, gridsBefore: 1, gridsAfter: 2 },
    ]);
    const emptied = moveUnitsCheck(ROWS, [6, 7, 8], 1, byRow.units, graph, { toleranceRatio: 1 });
    expect(emptied).toEqual([{ kind: 'donor_emptied', grid: 2 }]);
  });

  it('says nothing about a move that changes nothing', () => {
    expect(moveUnitsCheck(ROWS, [0, 1], 0, byRow.units, graph)).toEqual([]);
  });
});
