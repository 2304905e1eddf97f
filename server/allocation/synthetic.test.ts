import { describe, expect, it } from 'vitest';
import { indexProblem } from './indexed.js';
import { validateProblem } from './problem.js';
import { syntheticProblem, syntheticTravelSeconds } from './synthetic.js';
import { tiny } from './test-fixtures.js';

describe('syntheticProblem', () => {
  it('is the same for the same seed and different for another', () => {
    expect(syntheticProblem({ seed: 7 })).toEqual(syntheticProblem({ seed: 7 }));
    expect(syntheticProblem({ seed: 7 }).demand).not.toEqual(syntheticProblem({ seed: 8 }).demand);
  });

  it('builds a valid Taishun-sized holiday: 13 stations in 4 zones, 300 officers, ~25% traffic-qualified', () => {
    const problem = syntheticProblem({ seed: 'shape' });
    expect(() => validateProblem(problem)).not.toThrow();
    expect(problem.stations).toHaveLength(13);
    expect(new Set(problem.stations.map((s) => s.zoneId)).size).toBe(4);
    expect(problem.officers).toHaveLength(300);
    const traffic = problem.officers.filter((o) => o.qualifications.includes('traffic')).length / 300;
    expect(traffic).toBeGreaterThan(0.18);
    expect(traffic).toBeLessThan(0.32);
    // Everyone has a day or two off.
    for (const officer of problem.officers) {
      const daysOff = [0, 1, 2, 3, 4, 5, 6].filter((d) => officer.available.slice(d * 3, d * 3 + 3).every((a) => !a));
      expect(daysOff.length).toBeGreaterThanOrEqual(1);
    }
    // Holiday peak: the first day asks for more than a mid-holiday day.
    const dayTotal = (day: number) => problem.demand.filter((e) => e.day === day).reduce((s, e) => s + e.officers, 0);
    expect(dayTotal(0)).toBeGreaterThan(dayTotal(3));
    // Travel: zero at home, symmetric.
    problem.travelSeconds.forEach((row, i) => {
      expect(row[i]).toBe(0);
      row.forEach((seconds, j) => expect(seconds).toBe(problem.travelSeconds[j]![i]));
    });
  });

  it('times roads as 1.6 × the straight line at 40 km/h', () => {
    expect(syntheticTravelSeconds(10_000)).toBe(1440);
    expect(syntheticTravelSeconds(0)).toBe(0);
  });
});

describe('validateProblem', () => {
  const good = tiny({ officers: [{ id: 'P1', home: 'A' }], demand: [['A', 0, 0, 'patrol', 1]] });
  it('names the first inconsistency', () => {
    expect(() => validateProblem({ ...good, officers: [{ ...good.officers[0]!, homeStation: 'X' }] })).toThrow(
      'officer P1 has unknown home station',
    );
    expect(() => validateProblem({ ...good, demand: [{ ...good.demand[0]!, shift: 2 }] })).toThrow(
      'shift 2 out of range',
    );
    expect(() => validateProblem({ ...good, travelSeconds: [[0]] })).toThrow('travelSeconds must be 2 × 2');
    expect(() => indexProblem({ ...good, officers: [{ ...good.officers[0]!, available: [true] }] })).toThrow(
      'needs 2 availability flags',
    );
  });
});
