import { describe, expect, it } from 'vitest';
import { compactChange } from './audit-view.js';

describe('compactChange', () => {
  it('lists only the fields that differ, before → after', () => {
    expect(
      compactChange({ role: 'planner', disabled: false, name: 'A' }, { role: 'leader', disabled: true, name: 'A' }),
    ).toBe('role: planner → leader; disabled: false → true');
  });

  it('shows what was made, and what was removed', () => {
    expect(compactChange(null, { username: 'li', role: 'planner' })).toBe('username: li; role: planner');
    expect(compactChange({ reason: 'far' }, null)).toBe('reason: far → ∅');
    expect(compactChange(null, null)).toBe('');
    expect(compactChange(3, 4)).toBe('3 → 4');
  });

  it('follows nested objects: what a grid edit changed, grid by grid', () => {
    expect(
      compactChange(
        { revision: 7, grids: { 12: { name: '东山', workerName: '张三' }, 13: { name: '西山', households: 300 } } },
        { revision: 8, grids: { 12: { name: '东山', workerName: '李四' }, 14: { name: '南山', households: 120 } } },
      ),
    ).toBe(
      'revision: 7 → 8; grids.12.workerName: 张三 → 李四; grids.13: {"name":"西山","households":300} → ∅; grids.14: {"name":"南山","households":120}',
    );
  });

  it('cuts long values and long lists', () => {
    const text = compactChange(null, { note: 'x'.repeat(200) });
    expect(text.length).toBeLessThan(80);
    expect(text.endsWith('…')).toBe(true);
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, i]));
    expect(compactChange({}, many).split('; ')).toHaveLength(7);
  });
});
