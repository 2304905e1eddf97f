import { describe, expect, it } from 'vitest';
import type { Explanation } from './explain.js';
import { explanationLabels, renderExplanation, renderExplanations } from './explain-text.js';
import { syntheticProblem } from './synthetic.js';
import { deepFreeze, tiny } from './test-fixtures.js';

const problem = deepFreeze(syntheticProblem({ seed: 'text', officers: 20 }));

const short: Explanation = deepFreeze({
  kind: 'short',
  zoneId: 'Z3',
  day: 1,
  shift: 2,
  officerShifts: 14,
  weightedUnmet: 20,
  reason: 'all_qualified_in_range_assigned',
  maxTravelSeconds: 3600,
  parts: [],
});

describe('renderExplanation', () => {
  it('writes a shortage in Chinese and English', () => {
    expect(renderExplanation(short, 'zh-CN', explanationLabels(problem, 'zh-CN'))).toBe(
      '第3战区 第2天 夜班 缺 14 人次：60 分钟车程内有资质的机关警力已全部安排',
    );
    expect(renderExplanation(short, 'en', explanationLabels(problem, 'en'))).toBe(
      'War zone 3, day 2, night shift: short by 14 officer-shifts — every qualified headquarters officer within a 60-minute drive is already on duty',
    );
  });

  it('writes every kind, using the names the problem gives', () => {
    const named = tiny({
      officers: [{ id: 'P1', home: 'A' }],
      demand: [],
    });
    const withNames = deepFreeze({
      ...named,
      zones: [
        { id: 'Z1', nameZh: '城区战区', nameEn: 'Town zone' },
        { id: 'Z2', nameZh: '南部战区', nameEn: 'South zone' },
      ],
      stations: [
        { code: 'A', zoneId: 'Z1', nameZh: '罗阳派出所', nameEn: 'Luoyang station' },
        { code: 'B', zoneId: 'Z2' },
      ],
    });
    const explanations: Explanation[] = [
      { ...short, zoneId: 'Z2', day: 0, shift: 0, officerShifts: 1, reason: 'rest_rules', maxTravelSeconds: 1800 },
      { kind: 'zone_minimum_short', zoneId: 'Z1', day: 0, shift: 1, required: 5, posted: 3, officerShifts: 2 },
      {
        kind: 'station_cover_short',
        stationCode: 'A',
        zoneId: 'Z1',
        day: 0,
        shift: 0,
        required: 2,
        posted: 1,
        officerShifts: 1,
      },
      {
        kind: 'extra_officer',
        zoneId: 'Z1',
        homeStation: 'A',
        officerShifts: 4,
        weightedUnmetReduction: 9,
        shifts: [],
      },
      { kind: 'all_met', demanded: 120 },
    ];
    expect(renderExplanations(explanations, withNames, 'zh-CN')).toEqual([
      '南部战区 第1天 白班 缺 1 人次：车程内尚有空闲警力，但再排班会违反连续上岗与休息规定',
      '城区战区 第1天 夜班 最低警力 5 人，只能安排 3 人，缺 2 人',
      '罗阳派出所（城区战区） 第1天 白班 最低在岗 2 人，只能安排 1 人，缺 1 人',
      '城区战区：再增加 1 名驻地在罗阳派出所、全勤且具备全部资质的机关警力，可多补 4 人次（加权缺口减少 9）',
      '全部 120 人次警力需求均已满足',
    ]);
    expect(renderExplanations(explanations, withNames, 'en')).toEqual([
      'South zone, day 1, day shift: short by 1 officer-shift — officers in range are free, but one more shift would break the rest rules',
      'Town zone, day 1, night shift: minimum 5 officers, only 3 can be posted (2 short)',
      'Luoyang station (Town zone), day 1, day shift: minimum cover 2 officers, only 1 can be posted (1 short)',
      'Town zone: one more headquarters officer based at Luoyang station, available every shift and holding every qualification, would fill 4 more officer-shifts (weighted shortfall −9)',
      'All 120 requested officer-shifts are covered',
    ]);
  });
});
