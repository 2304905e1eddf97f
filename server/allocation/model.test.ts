import { describe, expect, it } from 'vitest';
import { canAlsoWork, indexProblem, obeysRestRules } from './indexed.js';
import { buildModel, modelToLpText } from './model.js';
import { loadSolver } from './solve.js';
import { HAND_SOLVED_SPEC, tiny } from './test-fixtures.js';

describe('buildModel', () => {
  it('has one w per available slot, n per (type, station, slot) in range, and no window rows for two slots', () => {
    const model = buildModel(indexProblem(tiny(HAND_SOLVED_SPEC)));
    // w: P1 2 + P2 1 + P3 2; types (A, traffic), (A, –), (B, –); n: 4 + 2 + 4; z: 2 × 2 × 3; u: 6; v: 2.
    expect(model.typeHome.length).toBe(3);
    expect(model.nFirst).toBe(5);
    expect(model.nCount).toBe(10);
    expect(model.numCols).toBe(35);
    // 0/1 columns: w 5, n 10 (one officer per type), z 6 (cells demanding one officer).
    expect(model.binaries).toBe(21);
    // Type balance 5, per station-slot balance + cap + qualification 4 × 3, unmet 6, station unmet 2.
    expect(model.numRows).toBe(25);
    expect(Array.from(model.stationDemand)).toEqual([3, 3]);
    expect(Math.max(...model.travelCost)).toBe(1200);
  });

  it('writes CPLEX LP text that HiGHS reads back to the same optimum', async () => {
    const model = buildModel(indexProblem(tiny(HAND_SOLVED_SPEC)));
    const text = modelToLpText(model);
    expect(text.startsWith('Minimize\n obj:')).toBe(true);
    const highs = await loadSolver();
    const solution = highs.solve(text, { output_flag: false });
    expect(solution.Status).toBe('Optimal');
    expect(solution.ObjectiveValue).toBeCloseTo(1, 9);
  });

  it('models rest with K + 1 windows, or with a path through rest states when gaps of 2+ are required', () => {
    const spec = {
      shiftsPerDay: 3,
      officers: [{ id: 'P1', home: 'A' }],
      demand: [0, 1, 2].map((shift): [string, number, number, string, number] => ['A', 0, shift, 'patrol', 1]),
    };
    // Shared rows: type balance 3, station balance + cap + qualification 3 × 3, unmet 3, v 1.
    const windows = buildModel(indexProblem(tiny(spec)));
    expect(windows.numRows).toBe(1 + 16); // one window (slots 0–2)
    // K = 1, R = 2: states worked / rested 1 / rested 2+; 2 + 3 + 4 arcs, one start row,
    // 2 + 3 conservation rows, 3 rows linking w to the arcs into "worked".
    const paths = buildModel(
      indexProblem(tiny({ ...spec, restRules: { maxConsecutiveShifts: 1, minRestShiftsBetweenBlocks: 2 } })),
    );
    expect(paths.numCols).toBe(windows.numCols + 9);
    expect(paths.numRows).toBe(9 + 16);
  });
});

describe('rest rules on a worked sequence', () => {
  const rules = { maxConsecutiveShifts: 2, minRestShiftsBetweenBlocks: 2 };
  it('limits blocks and the gap between them, counting the holiday start as rested', () => {
    expect(obeysRestRules([1, 1, 0, 0, 1, 1], rules)).toBe(true);
    expect(obeysRestRules([1, 1, 1, 0, 0, 0], rules)).toBe(false);
    expect(obeysRestRules([1, 0, 1, 0, 0, 0], rules)).toBe(false);
    expect(obeysRestRules([0, 1, 1, 0, 0, 1], rules)).toBe(true);
    const worked = Uint8Array.from([1, 1, 0, 0, 0, 0]);
    expect(canAlsoWork(worked, 2, rules)).toBe(false);
    expect(canAlsoWork(worked, 3, rules)).toBe(false);
    expect(canAlsoWork(worked, 4, rules)).toBe(true);
    expect(Array.from(worked)).toEqual([1, 1, 0, 0, 0, 0]);
  });
});
