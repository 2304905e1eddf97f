import { describe, expect, it } from 'vitest';
import { explanationText, moveWarningText, type MoveWarning, type PartitionExplanation } from './explain.js';

describe('explanationText', () => {
  it('renders a strip split in Chinese and English with its numbers', () => {
    const e: PartitionExplanation = {
      kind: 'strip_best_split',
      unitCount: 21,
      fromUnitName: '上垟',
      toUnitName: '岭头',
      households: 620,
      targetHouseholds: 200,
      grids: 3,
      gridHouseholds: [214, 205, 201],
      maxDeviationRatio: 0.07,
      units: [],
    };
    expect(explanationText(e, 'zh-CN')).toBe(
      '「上垟」至「岭头」沿路带状分布的 21 个单元共 620 户，需要 3 个网格；最优的连续划分为 214/205/201 户（目标 200 户，最大偏差 +7%）。',
    );
    expect(explanationText(e, 'en')).toBe(
      'The strip of 21 units along the road from “上垟” to “岭头” (620 households) needs 3 grids; the best split into consecutive stretches is 214/205/201 (target 200, largest deviation +7%).',
    );
  });

  it('renders a unit too large, a cut-off part and the rounding of the grid count', () => {
    const large: PartitionExplanation = {
      kind: 'unit_too_large',
      unit: 4,
      unitName: '罗阳一区',
      households: 340,
      targetHouseholds: 300,
      maxHouseholds: 330,
      grid: 2,
    };
    expect(explanationText(large, 'zh-CN')).toBe(
      '单元「罗阳一区」有 340 户，超过一个网格的上限 330 户（目标 300 户）；单元不拆分，所以网格 2 必然超标。可在数据中把它拆成更小的单元。',
    );
    const cutOff: PartitionExplanation = {
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
    expect(explanationText(cutOff, 'en')).toBe(
      'The unit “下垟” (60 households) with no road to the rest of the township must form 1 grid of its own: 60 households (target 200, largest deviation -70%).',
    );
    expect(explanationText(cutOff, 'zh-CN')).toBe(
      '从「下垟」起的 1 个单元共 60 户，与乡镇其他部分没有道路相连，只能单独划为 1 个网格：60 户（目标 200 户，最大偏差 -70%）。',
    );
    const rounding: PartitionExplanation = {
      kind: 'grid_count_rounding',
      households: 290,
      targetHouseholds: 200,
      exactGrids: 1.45,
      grids: 1,
      averageHouseholds: 290,
      deviationRatio: 0.45,
      lockedGrids: 0,
      units: [],
    };
    expect(explanationText(rounding, 'zh-CN')).toBe(
      '本乡镇共 290 户，按每格 200 户相当于 1.45 个网格，取整为 1 个，平均每格 290 户（+45%），无法每格都达标。',
    );
    expect(explanationText(rounding, 'en')).toBe(
      'The township has 290 households, 1.45 grids of 200; rounded to 1 grid that is 290 households per grid (+45%), so not every grid can be on target.',
    );
  });
});

describe('moveWarningText', () => {
  it('renders warnings, with the village name when known', () => {
    const deviation: MoveWarning = {
      kind: 'deviation',
      grid: 0,
      householdsBefore: 212,
      householdsAfter: 263,
      targetHouseholds: 200,
      deviationRatio: 0.315,
      toleranceRatio: 0.1,
    };
    expect(moveWarningText(deviation, 'zh-CN')).toBe(
      '网格 0 将由 212 户变为 263 户，偏离目标 200 户 +32%，超出 ±10%。',
    );
    expect(moveWarningText(deviation, 'en')).toBe(
      'Grid 0 would go from 212 to 263 households, +32% from its target of 200, outside ±10%.',
    );
    const split: MoveWarning = { kind: 'village_split', villageIndex: 7, gridsBefore: 1, gridsAfter: 2 };
    expect(moveWarningText(split, 'zh-CN', (v) => (v === 7 ? '竹里村' : undefined))).toBe(
      '「竹里村」将分属 2 个网格（原为 1 个）。',
    );
    expect(moveWarningText(split, 'en')).toBe('“village #7” would be spread over 2 grids (was 1).');
  });

  it("names grids by the planners' names when they are known", () => {
    const names = new Map([
      [3, '下洋村网格'],
      [4, '竹里村网格'],
    ]);
    const gridName = (id: number) => names.get(id);
    const stuck: PartitionExplanation = {
      kind: 'no_better_split_found',
      grid: 3,
      households: 240,
      targetHouseholds: 200,
      deviationRatio: 0.2,
      neighbourGrids: [4],
    };
    expect(explanationText(stuck, 'zh-CN', gridName)).toBe(
      '「下洋村网格」为 240 户（目标 200 户，+20%）：在网格保持连片的前提下，与相邻「竹里村网格」之间未找到更均衡的划分。',
    );
    expect(explanationText(stuck, 'en', gridName)).toBe(
      '“下洋村网格” holds 240 households (target 200, +20%): no more balanced split with its neighbours (“竹里村网格”) was found that keeps every grid in one piece.',
    );
    expect(explanationText(stuck, 'en')).toContain('Grid 3 holds 240 households');
    expect(explanationText(stuck, 'en')).toContain('(grids 4)');
    expect(moveWarningText({ kind: 'locked_grid', grid: 4 }, 'en', undefined, gridName)).toBe(
      '“竹里村网格” is locked.',
    );
  });

  it('says a dead-end valley is one, with its one road to the rest', () => {
    const valley: PartitionExplanation = {
      kind: 'dead_end_valley',
      grid: 2,
      households: 147,
      targetHouseholds: 200,
      deviationRatio: -0.265,
      neighbourGrids: [5],
    };
    expect(explanationText(valley, 'zh-CN', (id) => (id === 2 ? '岭头村网格' : undefined))).toBe(
      '「岭头村网格」是一条 147 户的尽头山谷，只有一条路与本乡镇其他部分相连（目标 200 户，-26%）：网格须沿道路连片，这条山谷只能单独成格，或连同路口外的单元一起划分，与相邻网格 5 之间未找到更均衡的划分。',
    );
    expect(explanationText(valley, 'en')).toBe(
      'Grid 2 is a dead-end valley of 147 households joined to the rest of the township by a single road (target 200, -26%): a grid must be contiguous along the roads, so the valley is a grid of its own or takes in the road beyond its junction, and no more balanced split with its neighbours (grids 5) was found.',
    );
  });
});
