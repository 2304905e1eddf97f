import { describe, expect, it } from 'vitest';
import { greedyAllocation, largestRemainder } from './greedy.js';
import { indexProblem } from './indexed.js';
import { planArraysOf, planViolations } from './score.js';
import { HAND_SOLVED_SPEC, tiny } from './test-fixtures.js';

describe('largestRemainder', () => {
  it('shares seats by Hamilton’s method, never above a claim', () => {
    // Quotas 3.5, 2.1, 1.4 → floors 3, 2, 1 and the last seat to the largest remainder (.5).
    expect(largestRemainder([5, 3, 2], 7)).toEqual([4, 2, 1]);
    // Remainders tie at .5: the larger claim wins.
    expect(largestRemainder([1, 3], 2)).toEqual([0, 2]);
    expect(largestRemainder([2, 2, 1], 9)).toEqual([2, 2, 1]);
    expect(largestRemainder([4, 4], 0)).toEqual([0, 0]);
    expect(largestRemainder([0, 0], 3)).toEqual([0, 0]);
  });
});

describe('greedyAllocation', () => {
  it('shares shift 2 by demand and so strands the traffic seat the optimum fills', () => {
    const problem = tiny(HAND_SOLVED_SPEC);
    const result = greedyAllocation(problem);
    // Shift 2: two officers for demands A 1, B 2 → quotas 2/3 and 4/3 → A 1, B 1 by largest
    // remainder; A's patrol takes P3 (unqualified first), B's incident then P1: B's traffic stays
    // unmet (weight 2), where the optimum leaves only A's patrol (weight 1).
    expect(result.assignments.map((a) => `${a.day}/${a.shift} ${a.officerId}@${a.stationCode}:${a.dutyId}`)).toEqual([
      '0/0 P2@A:incident',
      '0/0 P1@A:traffic',
      '0/0 P3@B:patrol',
      '0/1 P3@A:patrol',
      '0/1 P1@B:incident',
    ]);
    expect(result.weightedUnmet).toBe(2);
    expect(result.travelSeconds).toBe(2400);
    const index = indexProblem(problem);
    expect(planViolations(index, planArraysOf(index, result.assignments))).toEqual([]);
  });

  it('respects the rest rules and zone caps', () => {
    const problem = tiny({
      shiftsPerDay: 3,
      officers: [
        { id: 'P1', home: 'A' },
        { id: 'P2', home: 'A' },
      ],
      demand: [0, 1, 2].map((shift): [string, number, number, string, number] => ['A', 0, shift, 'patrol', 2]),
      zoneLimits: [{ zoneId: 'Z1', shift: 1, maxOfficers: 1 }],
    });
    const result = greedyAllocation(problem);
    // Shift 1: both; shift 2: capped at one (P1); shift 3: P1 would work a third shift in a row, so P2 only.
    expect(result.assignments.map((a) => `${a.shift}:${a.officerId}`)).toEqual(['0:P1', '0:P2', '1:P1', '2:P2']);
    expect(result.coverage.total.unmet).toBe(2);
  });
});
