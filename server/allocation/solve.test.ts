import { describe, expect, it } from 'vitest';
import { greedyAllocation } from './greedy.js';
import { indexProblem } from './indexed.js';
import { type AllocationProblem } from './problem.js';
import { planArraysOf, planViolations, scorePlan } from './score.js';
import { type AllocationResult, solveAllocation } from './solve.js';
import { syntheticProblem } from './synthetic.js';
import { HAND_SOLVED_SPEC, tiny, type TinySpec } from './test-fixtures.js';

const solve = (problem: AllocationProblem) => solveAllocation(problem, { timeLimitSeconds: 120 });
const posts = (result: AllocationResult) =>
  result.assignments.map((a) => `${a.day}/${a.shift} ${a.officerId}@${a.stationCode}:${a.dutyId}`);
const objectives = (result: AllocationResult) => result.stages.map((s) => s.objective);

/** Every plan the solver returns must keep every hard rule. */
function expectValid(problem: AllocationProblem, result: AllocationResult): void {
  const index = indexProblem(problem);
  expect(planViolations(index, planArraysOf(index, result.assignments))).toEqual([]);
}

describe('solveAllocation on the hand-solved instance', () => {
  it('finds the optimum of all three stages and the exact assignment', async () => {
    const problem = tiny(HAND_SOLVED_SPEC);
    const result = await solve(problem);
    expect(result.status).toBe('optimal');
    expect(result.stages.map((s) => s.name)).toEqual(['unmet', 'fairness', 'travel']);
    expect(objectives(result)).toEqual([1, 1 / 3, 1200]);
    expect(posts(result)).toEqual([
      '0/0 P2@A:incident',
      '0/0 P1@A:traffic',
      '0/0 P3@B:patrol',
      '0/1 P3@B:incident',
      '0/1 P1@B:traffic',
    ]);
    expect(result.assignments.map((a) => a.travelSeconds)).toEqual([0, 0, 0, 0, 1200]);
    expect(result.weightedUnmet).toBe(1);
    expect(result.maxUnmetShare).toBeCloseTo(1 / 3, 12);
    expect(result.travelSeconds).toBe(1200);
    expect(result.coverage.total).toEqual({
      demanded: 6,
      met: 5,
      unmet: 1,
      surplus: 0,
      weightedDemanded: 12,
      weightedUnmet: 1,
    });
    expect(result.coverage.byStation.map((s) => [s.stationCode, s.demanded, s.met, s.unmetShare])).toEqual([
      ['A', 3, 2, 1 / 3],
      ['B', 3, 3, 0],
    ]);
    expect(result.coverage.byDuty.map((d) => [d.dutyId, d.demanded, d.met])).toEqual([
      ['incident', 2, 2],
      ['traffic', 2, 2],
      ['patrol', 2, 1],
    ]);
    expect(result.variables).toBe(35);
    expect(result.constraints).toBe(26); // 25 model rows + the row that keeps objective 1
    expect(result.baseline.weightedUnmet).toBe(2);
  });

  it('lets fairness (stage 2) override travel (stage 3)', async () => {
    // One officer at A; A wants patrol in both shifts, B in the second. Leaving A short costs
    // A 1/2 of its demand, leaving B short costs B all of it: the officer drives to B.
    const problem = tiny({
      officers: [{ id: 'P1', home: 'A' }],
      demand: [
        ['A', 0, 0, 'patrol', 1],
        ['A', 0, 1, 'patrol', 1],
        ['B', 0, 1, 'patrol', 1],
      ],
    });
    const result = await solve(problem);
    expect(objectives(result)).toEqual([1, 0.5, 1200]);
    expect(posts(result)).toEqual(['0/0 P1@A:patrol', '0/1 P1@B:patrol']);
  });
});

describe('each rule binds', () => {
  const base: TinySpec = {
    officers: [{ id: 'P1', home: 'A' }],
    demand: [],
  };

  it('availability: an officer off duty in shift 2 cannot cover it', async () => {
    const spec: TinySpec = {
      ...base,
      officers: [{ id: 'P1', home: 'A', available: [true, false] }],
      demand: [
        ['A', 0, 0, 'incident', 1],
        ['A', 0, 1, 'incident', 1],
      ],
    };
    const result = await solve(tiny(spec));
    expect(posts(result)).toEqual(['0/0 P1@A:incident']);
    expect(result.weightedUnmet).toBe(3);
    const free = await solve(tiny({ ...spec, officers: [{ id: 'P1', home: 'A' }] }));
    expect(free.weightedUnmet).toBe(0);
  });

  it('one post per shift: one officer covers one of two incidents, the one at home', async () => {
    const problem = tiny({
      ...base,
      shiftsPerDay: 1,
      demand: [
        ['A', 0, 0, 'incident', 1],
        ['B', 0, 0, 'incident', 1],
      ],
    });
    const result = await solve(problem);
    expect(posts(result)).toEqual(['0/0 P1@A:incident']);
    expect(objectives(result)).toEqual([3, 1, 0]);
  });

  it('rest, longest block: two shifts in a row at most', async () => {
    const spec: TinySpec = {
      ...base,
      shiftsPerDay: 3,
      demand: [
        ['A', 0, 0, 'patrol', 1],
        ['A', 0, 1, 'patrol', 1],
        ['A', 0, 2, 'incident', 1],
      ],
    };
    const result = await solve(tiny(spec));
    // The incident (weight 3) is kept; one patrol goes unmet.
    expect(result.weightedUnmet).toBe(1);
    expect(result.assignments).toHaveLength(2);
    expect(result.assignments.some((a) => a.dutyId === 'incident')).toBe(true);
    expectValid(tiny(spec), result);
    const longer = await solve(
      tiny({ ...spec, restRules: { maxConsecutiveShifts: 3, minRestShiftsBetweenBlocks: 1 } }),
    );
    expect(longer.weightedUnmet).toBe(0);
  });

  it('rest, gap between blocks: with two free shifts required, shifts 1, 3, 5 cannot all be worked', async () => {
    const spec: TinySpec = {
      ...base,
      days: 2,
      shiftsPerDay: 3,
      demand: [
        ['A', 0, 0, 'patrol', 1],
        ['A', 0, 2, 'incident', 1],
        ['A', 1, 1, 'patrol', 1],
      ],
      restRules: { maxConsecutiveShifts: 1, minRestShiftsBetweenBlocks: 2 },
    };
    const result = await solve(tiny(spec));
    // Slot 2 (incident) leaves room for nothing else: slots 0 and 4 are each one free shift away.
    expect(posts(result)).toEqual(['0/2 P1@A:incident']);
    expect(result.weightedUnmet).toBe(2);
    const oneGap = await solve(
      tiny({ ...spec, restRules: { maxConsecutiveShifts: 1, minRestShiftsBetweenBlocks: 1 } }),
    );
    expect(oneGap.weightedUnmet).toBe(0);
  });

  it('qualification: traffic needs the traffic qualification, and the matching gives it to the qualified officer', async () => {
    const spec: TinySpec = {
      ...base,
      shiftsPerDay: 1,
      officers: [
        { id: 'P1', home: 'A' },
        { id: 'P2', home: 'A' },
      ],
      demand: [
        ['A', 0, 0, 'incident', 1],
        ['A', 0, 0, 'traffic', 1],
      ],
    };
    const unqualified = await solve(tiny(spec));
    expect(unqualified.weightedUnmet).toBe(2);
    expect(posts(unqualified)).toHaveLength(1);
    expect(unqualified.assignments[0]!.dutyId).toBe('incident');
    const qualified = await solve(
      tiny({
        ...spec,
        officers: [
          { id: 'P1', home: 'A' },
          { id: 'P2', home: 'A', quals: ['traffic'] },
        ],
      }),
    );
    expect(posts(qualified)).toEqual(['0/0 P1@A:incident', '0/0 P2@A:traffic']);
    expect(qualified.weightedUnmet).toBe(0);
  });

  it('drive limit: a post 50 min away is out of a 30-min range', async () => {
    const spec: TinySpec = {
      ...base,
      shiftsPerDay: 1,
      travel: [
        [0, 3000],
        [3000, 0],
      ],
      demand: [['B', 0, 0, 'incident', 1]],
    };
    const result = await solve(tiny(spec));
    expect(result.assignments).toEqual([]);
    expect(result.weightedUnmet).toBe(3);
    const wider = await solve(tiny({ ...spec, maxTravelSeconds: 3600 }));
    expect(posts(wider)).toEqual(['0/0 P1@B:incident']);
    expect(wider.travelSeconds).toBe(3000);
  });

  it('zone cap: at most one officer in zone Z1 per shift', async () => {
    const spec: TinySpec = {
      ...base,
      shiftsPerDay: 1,
      officers: [
        { id: 'P1', home: 'A' },
        { id: 'P2', home: 'A' },
      ],
      demand: [
        ['A', 0, 0, 'incident', 1],
        ['A', 0, 0, 'patrol', 1],
      ],
      zoneLimits: [{ zoneId: 'Z1', maxOfficers: 1 }],
    };
    const result = await solve(tiny(spec));
    expect(posts(result)).toEqual(['0/0 P1@A:incident']);
    expect(result.weightedUnmet).toBe(1);
    expect(result.explanations[0]).toMatchObject({ kind: 'short', zoneId: 'Z1', officerShifts: 1, reason: 'zone_cap' });
    const uncapped = await solve(tiny({ ...spec, zoneLimits: [] }));
    expect(uncapped.weightedUnmet).toBe(0);
  });

  it('zone minimum: zone Z2 must have one officer, even at the cost of an incident at A', async () => {
    const spec: TinySpec = {
      ...base,
      shiftsPerDay: 1,
      demand: [
        ['A', 0, 0, 'incident', 1],
        ['B', 0, 0, 'patrol', 1],
      ],
      zoneLimits: [{ zoneId: 'Z2', minOfficers: 1 }],
    };
    const result = await solve(tiny(spec));
    expect(posts(result)).toEqual(['0/0 P1@B:patrol']);
    expect(result.weightedUnmet).toBe(3);
    expect(result.zoneMinimumShortfall).toBe(0);
    const free = await solve(tiny({ ...spec, zoneLimits: [] }));
    expect(posts(free)).toEqual(['0/0 P1@A:incident']);
  });

  it('station minimum cover: B keeps one officer on post though it asked for none', async () => {
    const spec: TinySpec = {
      ...base,
      shiftsPerDay: 1,
      demand: [['A', 0, 0, 'patrol', 1]],
      stationCovers: [{ stationCode: 'B', minOfficers: 1 }],
    };
    const result = await solve(tiny(spec));
    expect(result.assignments).toHaveLength(1);
    expect(result.assignments[0]).toMatchObject({ officerId: 'P1', stationCode: 'B', travelSeconds: 1200 });
    expect(result.weightedUnmet).toBe(1);
    expect(result.stationCoverShortfall).toBe(0);
    expect(result.coverage.total.surplus).toBe(1);
    const free = await solve(tiny({ ...spec, stationCovers: [] }));
    expect(posts(free)).toEqual(['0/0 P1@A:patrol']);
  });
});

describe('a pool far too small', () => {
  it('still returns a plan, and says what binds and what one more officer buys', async () => {
    // A (zone Z1) wants 10 incident officers per shift and has 2; C (zone Z2) is 2 h away from everyone.
    const problem = tiny({
      stations: [
        { code: 'A', zoneId: 'Z1' },
        { code: 'C', zoneId: 'Z2' },
      ],
      travel: [
        [0, 7200],
        [7200, 0],
      ],
      officers: [
        { id: 'P1', home: 'A' },
        { id: 'P2', home: 'A' },
      ],
      demand: [
        ['A', 0, 0, 'incident', 10],
        ['A', 0, 1, 'incident', 10],
        ['C', 0, 0, 'patrol', 5],
        ['C', 0, 1, 'patrol', 5],
      ],
    });
    const result = await solve(problem);
    expect(result.status).toBe('optimal');
    expect(result.assignments).toHaveLength(4);
    expect(result.coverage.total.unmet).toBe(26);
    expect(result.weightedUnmet).toBe(16 * 3 + 10);
    expect(result.explanations).toEqual([
      {
        kind: 'short',
        zoneId: 'Z1',
        day: 0,
        shift: 0,
        officerShifts: 8,
        weightedUnmet: 24,
        reason: 'all_qualified_in_range_assigned',
        maxTravelSeconds: 1800,
        parts: [
          {
            stationCode: 'A',
            dutyId: 'incident',
            officerShifts: 8,
            reason: 'all_qualified_in_range_assigned',
            candidates: 2,
            candidatesFree: 0,
          },
        ],
      },
      expect.objectContaining({ kind: 'short', zoneId: 'Z1', shift: 1, officerShifts: 8 }),
      expect.objectContaining({ kind: 'short', zoneId: 'Z2', shift: 0, officerShifts: 5, reason: 'no_one_in_range' }),
      expect.objectContaining({ kind: 'short', zoneId: 'Z2', shift: 1, officerShifts: 5, reason: 'no_one_in_range' }),
      {
        kind: 'extra_officer',
        zoneId: 'Z1',
        homeStation: 'A',
        officerShifts: 2,
        weightedUnmetReduction: 6,
        shifts: [
          { day: 0, shift: 0, stationCode: 'A', dutyId: 'incident' },
          { day: 0, shift: 1, stationCode: 'A', dutyId: 'incident' },
        ],
      },
      {
        kind: 'extra_officer',
        zoneId: 'Z2',
        homeStation: 'C',
        officerShifts: 2,
        weightedUnmetReduction: 2,
        shifts: [
          { day: 0, shift: 0, stationCode: 'C', dutyId: 'patrol' },
          { day: 0, shift: 1, stationCode: 'C', dutyId: 'patrol' },
        ],
      },
    ]);
  });

  it('names the rest rules when free officers may not work another shift', async () => {
    // One officer, three shifts of demand at home: the third shift is blocked by the two-in-a-row rule.
    const problem = tiny({
      shiftsPerDay: 3,
      officers: [{ id: 'P1', home: 'A' }],
      demand: [
        ['A', 0, 0, 'incident', 1],
        ['A', 0, 1, 'incident', 1],
        ['A', 0, 2, 'patrol', 1],
      ],
    });
    const result = await solve(problem);
    expect(result.explanations[0]).toMatchObject({
      kind: 'short',
      zoneId: 'Z1',
      day: 0,
      shift: 2,
      officerShifts: 1,
      reason: 'rest_rules',
    });
  });
});

describe('greedy baseline against the optimum', () => {
  it('is never better on seeded random instances, and both plans keep every rule', async () => {
    let optimalTotal = 0;
    let greedyTotal = 0;
    for (const seed of [1, 2, 3, 4]) {
      const problem = syntheticProblem({ seed, officers: 40, stations: 5, zones: 2, days: 3, maxTravelSeconds: 2400 });
      const index = indexProblem(problem);
      const greedy = greedyAllocation(problem, index);
      const optimal = await solve(problem);
      expect(optimal.status).toBe('optimal');
      expect(optimal.weightedUnmet).toBeLessThanOrEqual(greedy.weightedUnmet);
      expect(planViolations(index, planArraysOf(index, greedy.assignments))).toEqual([]);
      expectValid(problem, optimal);
      // The reported objectives are those of the returned plan.
      const rescored = scorePlan(index, planArraysOf(index, optimal.assignments));
      expect(rescored.weightedUnmet).toBe(optimal.stages[0]!.objective);
      expect(rescored.maxUnmetShare).toBe(optimal.stages[1]!.objective);
      expect(rescored.travelSeconds).toBe(optimal.stages[2]!.objective);
      expect(optimal.baseline.weightedUnmet).toBe(greedy.weightedUnmet);
      optimalTotal += optimal.weightedUnmet;
      greedyTotal += greedy.weightedUnmet;
    }
    // These pools are short, so the comparison has teeth.
    expect(optimalTotal).toBeGreaterThan(0);
    expect(optimalTotal).toBeLessThan(greedyTotal);
  });
});
