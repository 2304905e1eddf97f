import { describe, expect, it } from 'vitest';
import { auditDiff, MASK, maskPersonal } from './audit-diff.js';

/** Deep-freeze a fixture, so that a diff that mutates its input fails. */
function frozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) frozen(item);
    Object.freeze(value);
  }
  return value;
}

const grid = frozen({
  code: 'G-330329101-01',
  name: '东门一网格',
  households: 212,
  workerName: '陈建国',
  workerPhone: '13800000000',
  hamlets: ['H1', 'H2', 'H3'],
  lists: { duty: ['巡查'], negative: [] as string[] },
  score: { positive: 10, negative: 2 },
});

describe('auditDiff', () => {
  it('gives [] for equal states, even with keys in another order', () => {
    expect(auditDiff(grid, { ...grid })).toEqual([]);
    expect(auditDiff({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toEqual([]);
    expect(auditDiff(null, null)).toEqual([]);
    expect(auditDiff(7, 7)).toEqual([]);
  });

  it('reports changed, added and removed keys in sorted order', () => {
    const { workerName: _removed, ...rest } = grid;
    const after = { ...rest, name: '东门第一网格', households: 198, note: '新建', score: { positive: 10 } };
    expect(auditDiff(grid, after)).toEqual([
      { op: 'changed', path: ['households'], before: 212, after: 198 },
      { op: 'changed', path: ['name'], before: '东门一网格', after: '东门第一网格' },
      { op: 'added', path: ['note'], after: '新建' },
      { op: 'removed', path: ['score', 'negative'], before: 2 },
      { op: 'removed', path: ['workerName'], before: '陈建国' },
    ]);
  });

  it('compares arrays by value and reports a differing array whole', () => {
    expect(auditDiff(grid, { ...grid, hamlets: ['H1', 'H2', 'H3'] })).toEqual([]);
    expect(auditDiff(grid, { ...grid, hamlets: ['H1', 'H3', 'H2'] })).toEqual([
      { op: 'changed', path: ['hamlets'], before: ['H1', 'H2', 'H3'], after: ['H1', 'H3', 'H2'] },
    ]);
    expect(auditDiff({ l: [{ a: 1 }] }, { l: [{ a: 1, b: 2 }] })).toEqual([
      { op: 'changed', path: ['l'], before: [{ a: 1 }], after: [{ a: 1, b: 2 }] },
    ]);
    expect(auditDiff({ l: [1] }, { l: [1, 1] })).toHaveLength(1);
  });

  it('reports a change of type whole, and tells null from a missing key', () => {
    expect(auditDiff({ v: { a: 1 } }, { v: [1] })).toEqual([
      { op: 'changed', path: ['v'], before: { a: 1 }, after: [1] },
    ]);
    expect(auditDiff({ v: '1' }, { v: 1 })).toEqual([{ op: 'changed', path: ['v'], before: '1', after: 1 }]);
    expect(auditDiff({ v: null }, {})).toEqual([{ op: 'removed', path: ['v'], before: null }]);
    expect(auditDiff({}, { v: null })).toEqual([{ op: 'added', path: ['v'], after: null }]);
    expect(auditDiff({ v: 0 }, { v: false })).toEqual([{ op: 'changed', path: ['v'], before: 0, after: false }]);
  });

  it('treats an undefined root as absent: creation and deletion', () => {
    expect(auditDiff(undefined, { name: 'x', phone: '1' })).toEqual([
      { op: 'added', path: [], after: { name: 'x', phone: MASK } },
    ]);
    expect(auditDiff({ name: 'x' }, undefined)).toEqual([{ op: 'removed', path: [], before: { name: 'x' } }]);
    expect(auditDiff(null, 3)).toEqual([{ op: 'changed', path: [], before: null, after: 3 }]);
  });

  it('masks personal fields but keeps that they changed', () => {
    expect(auditDiff(grid, { ...grid, workerPhone: '13900000000' })).toEqual([
      { op: 'changed', path: ['workerPhone'], before: MASK, after: MASK },
    ]);
    expect(auditDiff({ worker_phone: null }, { worker_phone: '139' })).toEqual([
      { op: 'changed', path: ['worker_phone'], before: MASK, after: MASK },
    ]);
    expect(auditDiff({}, { idNumber: '330329199001010011', ID_NUMBER: 'x', password: 'p', sessionToken: 't' })).toEqual(
      [
        { op: 'added', path: ['ID_NUMBER'], after: MASK },
        { op: 'added', path: ['idNumber'], after: MASK },
        { op: 'added', path: ['password'], after: MASK },
        { op: 'added', path: ['sessionToken'], after: MASK },
      ],
    );
  });

  it('masks personal fields inside reported values and does not descend into them', () => {
    const before = { people: [{ name: '甲', idNumber: '1' }] };
    const after = { people: [{ name: '甲', idNumber: '2' }] };
    expect(auditDiff(before, after)).toEqual([
      {
        op: 'changed',
        path: ['people'],
        before: [{ name: '甲', idNumber: MASK }],
        after: [{ name: '甲', idNumber: MASK }],
      },
    ]);
    expect(auditDiff({ phone: { home: '1', work: '2' } }, { phone: { home: '1', work: '3' } })).toEqual([
      { op: 'changed', path: ['phone'], before: MASK, after: MASK },
    ]);
    expect(JSON.stringify(auditDiff(undefined, { contact: { mobile: '13800000000' } }))).not.toContain('138');
  });

  it('accepts another set of personal fields', () => {
    const personalFields = new Set(['name']);
    expect(auditDiff({ name: 'a', phone: '1' }, { name: 'b', phone: '2' }, { personalFields })).toEqual([
      { op: 'changed', path: ['name'], before: MASK, after: MASK },
      { op: 'changed', path: ['phone'], before: '1', after: '2' },
    ]);
  });

  it('stops descending at maxDepth and reports the object there whole', () => {
    const before = { a: { b: { c: { d: 1 } } } };
    const after = { a: { b: { c: { d: 2 } } } };
    expect(auditDiff(before, after)).toEqual([{ op: 'changed', path: ['a', 'b', 'c', 'd'], before: 1, after: 2 }]);
    expect(auditDiff(before, after, { maxDepth: 2 })).toEqual([
      { op: 'changed', path: ['a', 'b'], before: { c: { d: 1 } }, after: { c: { d: 2 } } },
    ]);
    expect(auditDiff(before, after, { maxDepth: 0 })).toEqual([{ op: 'changed', path: [], before, after }]);
  });

  it('brings values to JSON as JSON.stringify would', () => {
    const at = new Date('2025-01-06T08:00:00.000Z');
    expect(auditDiff({ at }, { at: new Date('2025-01-06T09:00:00.000Z') })).toEqual([
      { op: 'changed', path: ['at'], before: '2025-01-06T08:00:00.000Z', after: '2025-01-06T09:00:00.000Z' },
    ]);
    expect(auditDiff({ at }, { at: '2025-01-06T08:00:00.000Z' })).toEqual([]);
    expect(auditDiff({ a: undefined, f: () => 1 }, {})).toEqual([]);
    expect(auditDiff({ n: NaN }, { n: null })).toEqual([]);
    expect(auditDiff({ big: 10n }, { big: 11n })).toEqual([
      { op: 'changed', path: ['big'], before: '10', after: '11' },
    ]);
    expect(auditDiff({ l: [undefined] }, { l: [null] })).toEqual([]);
  });

  it('keeps hostile keys as plain data', () => {
    const before = JSON.parse('{"__proto__": {"polluted": 1}, "x": 1}') as unknown;
    const after = JSON.parse('{"__proto__": {"polluted": 2}, "x": 1, "constructor": 5}') as unknown;
    expect(auditDiff(before, after)).toEqual([
      { op: 'changed', path: ['__proto__', 'polluted'], before: 1, after: 2 },
      { op: 'added', path: ['constructor'], after: 5 },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(auditDiff({}, { toString: 'x' })).toEqual([{ op: 'added', path: ['toString'], after: 'x' }]);
  });

  it('cuts values nested beyond 32 levels, and survives cycles', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const changes = auditDiff(undefined, deep);
    expect(JSON.stringify(changes)).toContain('"[…]"');
    expect(JSON.stringify(changes)).not.toContain('bottom');
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(auditDiff(cyclic, cyclic)).toEqual([]);
  });

  it('does not change its inputs', () => {
    const after = frozen({ ...grid, workerPhone: '1', lists: { duty: [], negative: ['x'] } });
    expect(() => auditDiff(grid, after)).not.toThrow();
    expect(grid.workerPhone).toBe('13800000000');
  });
});

describe('maskPersonal', () => {
  it('masks personal fields at any depth and leaves the rest', () => {
    expect(maskPersonal(grid)).toEqual({ ...grid, workerPhone: MASK });
    expect(maskPersonal({ list: [{ phone: '1', n: 1 }], at: new Date(0) })).toEqual({
      list: [{ phone: MASK, n: 1 }],
      at: '1970-01-01T00:00:00.000Z',
    });
    expect(maskPersonal(undefined)).toBeNull();
  });
});
