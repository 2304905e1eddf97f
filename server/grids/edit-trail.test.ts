import { describe, expect, it } from 'vitest';
import type { GridInfo } from './api-types.js';
import { gridEditTrail } from './edit-trail.js';

const grid = (id: number, overrides: Partial<GridInfo> = {}): GridInfo =>
  Object.freeze<GridInfo>({
    id,
    townshipCode: '330329101',
    name: `网格${id}`,
    locked: false,
    workerName: '张三',
    workerPhone: '13800000000',
    dutyList: '',
    negativeList: '',
    exemptionList: '',
    score: 80,
    households: 300,
    targetHouseholds: 300,
    deviationRatio: 0,
    unitCount: 12,
    villageCodes: ['330329101001'],
    contiguous: true,
    maxDriveMinutes: 9,
    servicePoint: [119.7, 27.5],
    ...overrides,
  });

describe('gridEditTrail', () => {
  it('keeps the fields that changed, with the name, of a grid on both sides', () => {
    const trail = gridEditTrail(
      [grid(1), grid(2)],
      [
        grid(1, { name: '东山', workerName: '李四' }),
        grid(2, { households: 280, unitCount: 11, deviationRatio: -0.07 }),
      ],
    );
    expect(trail).toEqual({
      before: { 1: { name: '网格1', workerName: '张三' }, 2: { name: '网格2', households: 300, unitCount: 12 } },
      after: { 1: { name: '东山', workerName: '李四' }, 2: { name: '网格2', households: 280, unitCount: 11 } },
    });
  });

  it('keeps a removed grid whole before, and a new one whole after', () => {
    const trail = gridEditTrail([grid(3)], [grid(4, { workerName: null, score: null })]);
    const whole = {
      townshipCode: '330329101',
      locked: false,
      workerPhone: '13800000000',
      dutyList: '',
      negativeList: '',
      exemptionList: '',
      households: 300,
      unitCount: 12,
    };
    expect(trail.before).toEqual({ 3: { name: '网格3', workerName: '张三', score: 80, ...whole } });
    expect(trail.after).toEqual({ 4: { name: '网格4', workerName: null, score: null, ...whole } });
  });
});
