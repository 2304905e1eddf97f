import { describe, expect, it } from 'vitest';
import { greedyAllocation } from './greedy.js';
import { solveAllocation } from './solve.js';
import { HAND_SOLVED_SPEC, tiny } from './test-fixtures.js';
import { compareSolutions } from './whatif.js';

describe('compareSolutions', () => {
  it('diffs the optimum against the greedy plan of the hand-solved instance', async () => {
    const problem = tiny(HAND_SOLVED_SPEC);
    const optimal = await solveAllocation(problem);
    const greedy = greedyAllocation(problem);
    const diff = compareSolutions(optimal, greedy);
    // The optimum leaves A's patrol unmet; the greedy plan leaves B's traffic unmet instead.
    expect(diff.total).toMatchObject({ demandedBefore: 6, demandedAfter: 6, metBefore: 5, metAfter: 5, metChange: 0 });
    expect(diff.total.weightedUnmetChange).toBe(1);
    expect(diff.byZone.map((z) => [z.zoneId, z.metBefore, z.metAfter, z.metChange])).toEqual([
      ['Z1', 2, 3, 1],
      ['Z2', 3, 2, -1],
    ]);
    expect(diff.byDuty.map((d) => [d.dutyId, d.unmetChange])).toEqual([
      ['incident', 0],
      ['traffic', 1],
      ['patrol', -1],
    ]);
    expect(diff.byStation.map((s) => [s.stationCode, s.zoneId, s.unmetBefore, s.unmetAfter])).toEqual([
      ['A', 'Z1', 1, 0],
      ['B', 'Z2', 0, 1],
    ]);
    expect(
      diff.byZoneSlot.filter((z) => z.metChange !== 0).map((z) => [z.zoneId, z.day, z.shift, z.metChange]),
    ).toEqual([
      ['Z1', 0, 1, 1],
      ['Z2', 0, 1, -1],
    ]);
    expect(diff.assignmentsChanged).toBe(2);
    expect([diff.travelSecondsBefore, diff.travelSecondsAfter]).toEqual([1200, 2400]);
  });

  it('keeps groups that exist on one side only, and counts nothing without assignments', () => {
    const problem = tiny(HAND_SOLVED_SPEC);
    const before = greedyAllocation(problem);
    const smaller = tiny({
      ...HAND_SOLVED_SPEC,
      demand: HAND_SOLVED_SPEC.demand.filter(([station]) => station === 'A'),
    });
    const after = greedyAllocation(smaller);
    const diff = compareSolutions({ coverage: before.coverage }, { coverage: after.coverage });
    expect(diff.assignmentsChanged).toBeNull();
    expect(diff.byStation.map((s) => [s.stationCode, s.demandedBefore, s.demandedAfter])).toEqual([
      ['A', 3, 3],
      ['B', 3, 0],
    ]);
  });
});
