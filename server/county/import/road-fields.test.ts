import { describe, expect, it } from 'vitest';
import { normaliseFeatures } from './layers.js';
import { ProblemList } from './report.js';

const line = {
  type: 'LineString',
  coordinates: [
    [119.7, 27.5],
    [119.71, 27.5],
  ],
};

/** The road rows read from features with these properties, and the problems as [index, field, severity]. */
function read(properties: Record<string, unknown>[]) {
  const problems = new ProblemList();
  const rows = normaliseFeatures(
    'roads',
    properties.map((p, index) => ({ index, properties: p, geometry: line })),
    'wgs84',
    problems,
  ).map(({ row }) => [
    row.road_class,
    row.speed_kmh,
    row.one_way,
    row.technical_grade,
    row.administrative_class,
    row.structure,
    row.level,
  ]);
  return { rows, problems: problems.items.map((p) => [p.index, p.field, p.severity]) };
}

describe('road fields of a transport bureau file', () => {
  it('reads classes from 行政等级, the route code or 技术等级, with design speeds', () => {
    expect(
      read([
        { XZDJ: '国道', JSDJ: '二级公路' },
        { LXBM: 'S221' },
        { LXBM: 'X101', JSDJ: '四级' },
        { LXBM: 'C330329001' },
        { 行政等级: '专用公路' },
        { 技术等级: '三级' },
        { 技术等级: '等外公路' },
        { 等级: '四级' },
        { class: 'township', XZDJ: '县道', speed: 45 },
      ]).rows,
    ).toEqual([
      ['county', 60, null, 'class2', 'G', null, 0],
      ['county', 60, null, null, 'S', null, 0],
      ['county', 30, null, 'class4', 'X', null, 0],
      ['village', 30, null, null, 'C', null, 0],
      ['village', 30, null, null, 'Z', null, 0],
      ['township', 40, null, 'class3', null, null, 0],
      ['village', 20, null, 'substandard', null, null, 0],
      ['village', 25, null, null, null, null, 0],
      ['township', 45, null, null, 'X', null, 0],
    ]);
  });

  it('reads one-way, bridges, tunnels and levels in Chinese and English', () => {
    const result = read([
      { class: '村道', ONEWAY: 'yes' },
      { class: '村道', 单行: '反向' },
      { class: '村道', DIRECTION: '-1' },
      { class: '村道', 单行: '双向', SFQL: '是' },
      { class: '村道', SD: '1', 层级: '-1' },
      { class: '村道', 结构物: '大桥' },
      { class: '村道', QL: '否', LEVEL: 1 },
      { class: '村道', ONEWAY: 'sometimes' },
    ]);
    expect(result.rows.map((r) => r.slice(2))).toEqual([
      ['forward', null, null, null, 0],
      ['backward', null, null, null, 0],
      ['backward', null, null, null, 0],
      [null, null, null, 'bridge', null],
      [null, null, null, 'tunnel', -1],
      [null, null, null, 'bridge', null],
      [null, null, null, null, 1],
      [null, null, null, null, 0],
    ]);
    expect(result.problems).toEqual([[7, 'one_way', 'error']]);
  });

  it('refuses a road with no class from any field, and warns of unknown grade words', () => {
    expect(read([{ name: '无名路' }, { XZDJ: '9', class: '村道' }]).problems).toEqual([
      [0, 'road_class', 'error'],
      [1, 'administrative_class', 'warning'],
    ]);
  });
});
