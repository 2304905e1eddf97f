import { describe, expect, it } from 'vitest';
import { boundedDate, idText, wholeNumberText } from './params.js';

describe('ids and dates in requests', () => {
  it('takes decimal ids only', () => {
    const id = idText();
    expect(id.parse('1')).toBe(1);
    expect(id.parse('2147483647')).toBe(2 ** 31 - 1);
    for (const bad of ['0x1', '1e3', '0', '-1', '+7', ' 7', '7 ', '1.0', '01', '', '2147483648', '99999999999']) {
      expect(id.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('takes whole numbers in range', () => {
    const limit = wholeNumberText(1, 500);
    expect(limit.parse('30')).toBe(30);
    for (const bad of ['0', '501', '3e1', '0x1e', '1.5']) expect(limit.safeParse(bad).success, bad).toBe(false);
  });

  it('bounds dates to 2000–2100', () => {
    const date = boundedDate();
    expect(date.parse('2027-02-06')).toBe('2027-02-06');
    for (const bad of ['9999-12-31', '1999-12-31', '2101-01-01', '2027-02-30', '2027-2-6']) {
      expect(date.safeParse(bad).success, bad).toBe(false);
    }
  });
});
