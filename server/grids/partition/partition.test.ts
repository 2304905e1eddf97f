import { describe, expect, it } from 'vitest';
import { Random } from '../../county/generate/random.js';
import { buildUnitGraph, isContiguous, type UnitGraph } from './graph.js';
import { chooseSeeds, growFromSeeds } from './grow.js';
import { improveByMoves, improveByRecombination, repairOffTarget } from './local-search.js';
import { partitionCounty, partitionTownship } from './partition.js';
import { PlanState } from './state.js';
import { gridStats } from './stats.js';
import {
  allLabellings,
  contextOf,
  deepFreeze,
  lattice,
  randomTownship,
  strip,
  type TownshipFixture,
  valleyTownship,
} from './test-fixtures.js';
import type { PartitionResult } from './types.js';

/** The objective with default weights, priced from the live figures (independent of the search). */
function planCost(assignment: ArrayLike<number>, fixture: TownshipFixture, graph: UnitGraph): number {
  const { grids, summary } = gridStats(assignment, fixture.units, graph);
  let cost = 10 * summary.villageSplits;
  for (const g of grids) {
    cost +=
      (100 * g.deviationRatio) ** 2 + (Math.abs(g.deviationRatio) > 0.1 + 1e-9 ? 100 : 0) + g.maxDriveSeconds / 60;
  }
  return cost;
}

/** Invariants every plan must hold: full cover, contiguous grids, figures equal to gridStats. */
function expectSoundPlan(result: PartitionResult, fixture: TownshipFixture, graph: UnitGraph): void {
  expect(result.summary.unassigned).toBe(0);
  expect(result.assignment.every((id) => id >= 0)).toBe(true);
  for (const grid of result.grids) {
    expect(grid.units.length).toBeGreaterThan(0);
    expect(isContiguous(grid.units, graph)).toBe(true);
    expect(grid.contiguous).toBe(true);
    for (const u of grid.units) expect(result.assignment[u]).toBe(grid.id);
  }
  expect(result.summary.nonContiguous).toBe(0);
  const live = gridStats(result.assignment, fixture.units, graph);
  expect(result.summary).toEqual(live.summary);
}

function loadOf(fixture: TownshipFixture): number {
  return fixture.units.reduce((sum, u) => sum + u.households / (u.kind === 'community' ? 300 : 200), 0);
}

describe('partitionTownship: hand-built cases', () => {
  it('splits a 3×3 lattice of hamlets into its optimal three grids', () => {
    // 64 54 94       grid 0: the left column 64+43+89 = 196 (−4)
    // 43 51 87       grid 1: 54+94+51 = 199 (−1), an L at the top right
    // 89 77 43       grid 2: 87+77+43 = 207 (+7), an L at the bottom right
    // Rows would be 212/181/209 and columns 196/182/224: both worse.
    const fixture = deepFreeze(lattice(3, 3, [64, 54, 94, 43, 51, 87, 89, 77, 43]));
    const graph = buildUnitGraph(9, fixture.edges);
    const result = partitionTownship(fixture.units, graph);
    expect([...result.assignment]).toEqual([0, 1, 1, 0, 1, 2, 0, 2, 2]);
    expect(result.grids.map((g) => g.deviation)).toEqual([-4, -1, 7]);
    expect(result.summary).toMatchObject({ grids: 3, maxAbsDeviation: 7, within10: 3, villageSplits: 2 });

    // Brute force over every contiguous labelling: the plan above is the unique optimum.
    const costs = allLabellings(9, 3)
      .filter((labels) => gridStats(labels, fixture.units, graph).summary.nonContiguous === 0)
      .map((labels) => ({ labels: [...labels], cost: planCost(labels, fixture, graph) }))
      .sort((a, b) => a.cost - b.cost);
    expect(costs[0]!.labels).toEqual([...result.assignment]);
    expect(costs[1]!.cost).toBeGreaterThan(costs[0]!.cost + 1);
    expect(result.cost).toBeCloseTo(costs[0]!.cost, 9);
  });

  it('groups hamlets by drive time over the ridge road, not by being next to each other', () => {
    // Hamlets 0 and 3 touch across a ridge (straight line ~300 m) but their only direct road
    // over the ridge takes 30 minutes; along the valley 0–1–2–3 each link takes 1 minute.
    const fixture = deepFreeze({
      units: [0, 1, 2, 3].map(() => ({ households: 100, villageIndex: 0, kind: 'village' as const })),
      edges: [
        { a: 0, b: 1, driveSeconds: 60 },
        { a: 1, b: 2, driveSeconds: 60 },
        { a: 2, b: 3, driveSeconds: 60 },
        { a: 3, b: 0, driveSeconds: 1800 },
      ],
    });
    const graph = buildUnitGraph(4, fixture.edges);
    const result = partitionTownship(fixture.units, graph);
    // {0, 3} would drive 180 s (round by the valley); {0, 1} and {2, 3} drive 60 s each.
    expect([...result.assignment]).toEqual([0, 0, 1, 1]);
    expect(result.grids.map((g) => g.maxDriveSeconds)).toEqual([60, 60]);
  });

  it('splits a strip valley exactly by dynamic programming', () => {
    const fixture = deepFreeze(strip([120, 80, 100, 100, 150, 50], [60, 60, 60, 60, 60]));
    const graph = buildUnitGraph(6, fixture.edges);
    const result = partitionTownship(fixture.units, graph);
    expect([...result.assignment]).toEqual([0, 0, 1, 1, 2, 2]);
    expect(result.explanations).toEqual([{ kind: 'balanced', grids: 3, toleranceRatio: 0.1 }]);
  });

  it('counts grids by the weighted target when a township mixes communities and villages', () => {
    // 4 × 150 community households (2 grids of 300) + 4 × 100 village households (2 grids of 200).
    const fixture = deepFreeze({
      units: [
        ...[0, 1, 2, 3].map(() => ({ households: 150, villageIndex: 9, kind: 'community' as const })),
        ...[0, 1, 2, 3].map(() => ({ households: 100, villageIndex: 1, kind: 'village' as const })),
      ],
      edges: [...Array(7).keys()].map((i) => ({ a: i, b: i + 1, driveSeconds: 60 })),
    });
    const graph = buildUnitGraph(8, fixture.edges);
    const result = partitionTownship(fixture.units, graph);
    expect(result.grids.map((g) => [g.households, g.targetHouseholds, g.deviation])).toEqual([
      [300, 300, 0],
      [300, 300, 0],
      [200, 200, 0],
      [200, 200, 0],
    ]);
  });
});

describe('repairOffTarget', () => {
  it('re-splits a dead-end branch, its junction grid and the trunk together into the best plan', () => {
    // D1 80 – D2 80 – J 20 – T1 20 – T2 100 – T3 100, and J – E1 90 – E2 90; links of 1 minute.
    // From D 160 (−20 %) | J E 200 | T 220 (+10 %), where D cannot take J (the only way to E):
    // best is D J T1 = 200 | T2 T3 = 200 | E = 180 (−10 %), found by the exact tree split.
    const fixture = deepFreeze({
      units: [80, 80, 20, 20, 100, 100, 90, 90].map((households) => ({
        households,
        villageIndex: 0,
        kind: 'village' as const,
      })),
      edges: [
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 4],
        [4, 5],
        [2, 6],
        [6, 7],
      ].map(([a, b]) => ({ a: a!, b: b!, driveSeconds: 60 })),
    });
    const state = new PlanState(contextOf(fixture), 3);
    state.open.fill(1);
    state.movable.fill(1);
    [0, 0, 1, 2, 2, 2, 1, 1].forEach((g, u) => state.add(u, g));
    const random = new Random('repair');
    const tried = new Set<string>();
    let repairs = 0;
    for (let round = 0; round < 4; round++) repairs += repairOffTarget(state, [0, 1, 2], random, tried);
    expect(repairs).toBeGreaterThan(0);
    expect([...state.assign]).toEqual([0, 0, 0, 0, 2, 2, 1, 1]);
    expect(gridStats(state.assign, fixture.units, state.context.graph).summary.within10).toBe(3);
    expect(state.totalCost()).toBeCloseTo(planCost(state.assign, fixture, state.context.graph), 9);
  });
});

describe('partitionTownship: seeded random townships', () => {
  const seeds = [1, 2, 3, 4, 5, 6];

  it('keeps every grid contiguous and covers every household, with round(Σ h / t) grids', () => {
    for (const seed of seeds) {
      const fixture = deepFreeze(randomTownship(seed, 120, { communityShare: 0.2 }));
      const graph = buildUnitGraph(fixture.units.length, fixture.edges);
      const result = partitionTownship(fixture.units, graph, { seed });
      expectSoundPlan(result, fixture, graph);
      expect(result.grids.length).toBe(Math.round(loadOf(fixture)));
      expect(result.summary.households).toBe(fixture.units.reduce((sum, u) => sum + u.households, 0));
    }
  });

  it('is deterministic for a seed, with either initial plan', () => {
    const fixture = deepFreeze(randomTownship('same', 150));
    const graph = buildUnitGraph(fixture.units.length, fixture.edges);
    for (const initialPlan of ['tree-split', 'seeded-growth'] as const) {
      const options = deepFreeze({ seed: 42, initialPlan });
      const first = partitionTownship(fixture.units, graph, options);
      const second = partitionTownship(fixture.units, graph, options);
      expect([...second.assignment]).toEqual([...first.assignment]);
      expect(second.explanations).toEqual(first.explanations);
      expect(second.cost).toBe(first.cost);
    }
  });

  it('improves balance over the initial seeded growth', () => {
    for (const seed of seeds) {
      const fixture = deepFreeze(randomTownship(`growth-${seed}`, 150));
      const context = contextOf(fixture);
      const part = [...Array(fixture.units.length).keys()];
      const k = Math.round(loadOf(fixture));
      const state = new PlanState(context, k);
      state.open.fill(1);
      state.movable.fill(1);
      const grids = [...Array(k).keys()];
      const random = new Random(seed);
      growFromSeeds(state, part, grids, chooseSeeds(context, part, k, random));
      const grown = gridStats(state.assign, fixture.units, context.graph).summary;
      const grownCost = state.totalCost();
      const tried = new Set<string>();
      for (let round = 0; round < 6; round++) {
        improveByMoves(state, part, random);
        if (improveByRecombination(state, grids, random) + repairOffTarget(state, grids, random, tried) === 0) break;
      }
      const improved = gridStats(state.assign, fixture.units, context.graph).summary;
      expect(improved.nonContiguous).toBe(0);
      expect(state.totalCost()).toBeLessThan(grownCost);
      expect(improved.maxAbsDeviation).toBeLessThan(grown.maxAbsDeviation);
      expect(improved.within10).toBeGreaterThanOrEqual(grown.within10);
      // The cached cost equals the one priced from scratch.
      expect(state.totalCost()).toBeCloseTo(planCost(state.assign, fixture, context.graph), 6);
    }
  });

  it('keeps locked grids untouched and re-partitions only the rest', () => {
    for (const seed of seeds) {
      const fixture = deepFreeze(randomTownship(`locked-${seed}`, 120));
      const graph = buildUnitGraph(fixture.units.length, fixture.edges);
      const first = partitionTownship(fixture.units, graph, { seed });
      const locked = [first.grids[0]!.id, first.grids[2]!.id];
      const options = deepFreeze({ seed: seed + 100, assignment: [...first.assignment], lockedGrids: locked });
      const rerun = partitionTownship(fixture.units, graph, options);
      for (const id of locked) {
        const before = first.grids.find((g) => g.id === id)!;
        const after = rerun.grids.find((g) => g.id === id)!;
        expect(after.units).toEqual(before.units);
        expect(after.locked).toBe(true);
      }
      for (const grid of rerun.grids) if (!locked.includes(grid.id)) expect(grid.locked).toBe(false);
      expectSoundPlan(rerun, fixture, graph);
    }
  });

  it("'complete' mode gives unassigned units to neighbouring grids and moves no assigned unit", () => {
    for (const seed of seeds) {
      const fixture = deepFreeze(randomTownship(`complete-${seed}`, 120));
      const graph = buildUnitGraph(fixture.units.length, fixture.edges);
      const plan = partitionTownship(fixture.units, graph, { seed });
      const random = new Random(seed);
      const partial = Array.from(plan.assignment, (id) => (random.chance(0.2) ? -1 : id));
      const ids = new Set(partial.filter((id) => id >= 0));
      const result = partitionTownship(
        fixture.units,
        graph,
        deepFreeze({ mode: 'complete' as const, assignment: partial }),
      );
      expect(result.summary.unassigned).toBe(0);
      partial.forEach((id, u) => {
        if (id >= 0) expect(result.assignment[u]).toBe(id);
        // A filled unit joins a grid that existed before.
        else expect(ids.has(result.assignment[u]!)).toBe(true);
      });
      expect(result.grids.every((g) => !g.locked)).toBe(true);
    }
  });
});

describe('partitionTownship: explanations of targets that cannot be met', () => {
  it('a unit larger than one grid may hold, and the best split of its strip', () => {
    const fixture = deepFreeze(strip([260, 40, 40, 40, 40], [60, 60, 60, 60]));
    fixture.units.forEach((u) => expect(Object.isFrozen(u)).toBe(true));
    const graph = buildUnitGraph(5, fixture.edges);
    const result = partitionTownship(fixture.units, graph);
    expect(result.grids.map((g) => g.households)).toEqual([260, 160]);
    expect(result.explanations).toEqual([
      {
        kind: 'unit_too_large',
        unit: 0,
        unitName: '#0',
        households: 260,
        targetHouseholds: 200,
        maxHouseholds: 220,
        grid: 0,
      },
      {
        kind: 'strip_best_split',
        unitCount: 5,
        fromUnitName: '#0',
        toUnitName: '#4',
        households: 420,
        targetHouseholds: 200,
        grids: 2,
        gridHouseholds: [260, 160],
        maxDeviationRatio: 0.3,
        units: [0, 1, 2, 3, 4],
      },
    ]);
  });

  it('a dead-end valley of 620 households: 3 grids, best split 214/205/201', () => {
    const households = [30, 30, 30, 30, 30, 34, 30, 30, 30, 30, 30, 30, 25, 30, 30, 30, 30, 30, 30, 21, 30];
    const fixture = deepFreeze(strip(households, Array(20).fill(90)));
    const units = fixture.units.map((u, i) => ({ ...u, name: `H${i}` }));
    const result = partitionTownship(units, buildUnitGraph(21, fixture.edges), { toleranceRatio: 0.05 });
    expect(result.explanations).toEqual([
      {
        kind: 'strip_best_split',
        unitCount: 21,
        fromUnitName: 'H0',
        toUnitName: 'H20',
        households: 620,
        targetHouseholds: 200,
        grids: 3,
        gridHouseholds: [214, 205, 201],
        maxDeviationRatio: 0.07,
        units: [...Array(21).keys()],
      },
    ]);
  });

  it('too few households for a whole number of grids', () => {
    const fixture = deepFreeze(lattice(2, 2, [70, 80, 60, 80]));
    const result = partitionTownship(fixture.units, buildUnitGraph(4, fixture.edges));
    expect(result.explanations).toEqual([
      {
        kind: 'grid_count_rounding',
        households: 290,
        targetHouseholds: 200,
        exactGrids: 1.45,
        grids: 1,
        averageHouseholds: 290,
        deviationRatio: 0.45,
        lockedGrids: 0,
        units: [0, 1, 2, 3],
      },
    ]);
  });

  it('a part with no road to the rest, also when fewer grids are asked for than parts', () => {
    const valley = strip([100, 100, 100, 100, 100, 100], [60, 60, 60, 60, 60]);
    const fixture = deepFreeze({
      units: [...valley.units, { households: 60, villageIndex: 1, kind: 'village' as const, name: '下垟' }],
      edges: valley.edges,
    });
    const graph = buildUnitGraph(7, fixture.edges);
    const cutOff = {
      kind: 'disconnected_part',
      enclosedByLockedGrids: false,
      unitCount: 1,
      firstUnitName: '下垟',
      households: 60,
      targetHouseholds: 200,
      grids: 1,
      gridHouseholds: [60],
      maxDeviationRatio: -0.7,
      units: [6],
    };
    const result = partitionTownship(fixture.units, graph);
    expect(result.grids.map((g) => g.households)).toEqual([200, 200, 200, 60]);
    expect(result.explanations).toEqual([cutOff]);

    const asked = partitionTownship(fixture.units, graph, { gridCount: 1 });
    expect(asked.grids.map((g) => g.households)).toEqual([600, 60]);
    expect(asked.explanations[0]).toEqual({ kind: 'grid_count_raised', requested: 1, grids: 2, parts: 2 });
  });

  it('a locked grid off target, and new grids for unassigned units that touch no grid', () => {
    const valley = strip([100, 100, 100, 100, 100, 100], [60, 60, 60, 60, 60]);
    const fixture = deepFreeze({
      units: [...valley.units, { households: 200, villageIndex: 1, kind: 'village' as const }],
      edges: valley.edges,
    });
    const graph = buildUnitGraph(7, fixture.edges);
    const locked = partitionTownship(fixture.units, graph, { assignment: [4, 4, 4, 1, 1, 1, -1], lockedGrids: [4] });
    expect([...locked.assignment]).toEqual([4, 4, 4, 0, 1, 1, 2]);
    expect(locked.explanations).toContainEqual({
      kind: 'locked_grid_off_target',
      grid: 4,
      households: 300,
      targetHouseholds: 200,
      deviationRatio: 0.5,
    });

    const completed = partitionTownship(fixture.units, graph, {
      mode: 'complete',
      assignment: [4, 4, 4, 1, 1, -1, -1],
    });
    expect([...completed.assignment]).toEqual([4, 4, 4, 1, 1, 1, 0]);
    expect(completed.explanations[0]).toEqual({
      kind: 'new_grids_for_isolated_units',
      unitCount: 1,
      households: 200,
      grids: 1,
      units: [6],
    });
  });
});

describe('partitionTownship: inputs', () => {
  it('never changes its (deep-frozen) inputs or the graph', () => {
    const fixture = deepFreeze(randomTownship('frozen', 90));
    const graph = buildUnitGraph(fixture.units.length, fixture.edges);
    const copy = { start: graph.adjStart.slice(), target: graph.adjTarget.slice(), seconds: graph.adjSeconds.slice() };
    const assignment = deepFreeze(Array.from({ length: 90 }, (_, u) => (u < 30 ? 0 : -1)));
    const options = deepFreeze({ seed: 3, assignment, lockedGrids: [0], weights: { villageSplit: 5 } });
    expect(() => partitionTownship(fixture.units, graph, options)).not.toThrow();
    expect(() => partitionTownship(fixture.units, graph, { mode: 'complete', assignment })).not.toThrow();
    expect(graph.adjStart).toEqual(copy.start);
    expect(graph.adjTarget).toEqual(copy.target);
    expect(graph.adjSeconds).toEqual(copy.seconds);
  });

  it('rejects mismatched lengths and bad figures', () => {
    const fixture = strip([10, 10], [60]);
    const graph = buildUnitGraph(2, fixture.edges);
    expect(() => partitionTownship([fixture.units[0]!], graph)).toThrow(RangeError);
    expect(() => partitionTownship(fixture.units, graph, { assignment: [0] })).toThrow(RangeError);
    expect(() => partitionTownship([{ ...fixture.units[0]!, households: -1 }, fixture.units[1]!], graph)).toThrow(
      RangeError,
    );
    expect(() => partitionTownship(fixture.units, graph, { villageTargetHouseholds: 0 })).toThrow(RangeError);
    expect(() => partitionTownship(fixture.units, graph, { gridCount: 0 })).toThrow(RangeError);
  });
});

describe('partitionCounty: a county-sized synthetic case', () => {
  it('partitions 19 valley townships (~3,900 units) into sound, mostly balanced grids', () => {
    const townships = Array.from({ length: 19 }, (_, i) =>
      deepFreeze(valleyTownship(`county-${i}`, i === 0 ? 500 : 190, i === 0 ? 120 : 0)),
    );
    const graphs = townships.map((t) => buildUnitGraph(t.units.length, t.edges));
    const results = partitionCounty(
      townships.map((t, i) => ({ units: t.units, graph: graphs[i]!, options: { seed: 1 } })),
    );
    let grids = 0;
    let within25 = 0;
    results.forEach((result, i) => {
      expectSoundPlan(result, townships[i]!, graphs[i]!);
      expect(result.grids.length).toBe(Math.round(loadOf(townships[i]!)));
      grids += result.summary.grids;
      within25 += result.summary.within25;
    });
    expect(within25 / grids).toBeGreaterThan(0.95);
  });
});
