import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { initialLocale, translate } from './index.js';
import { zhCN } from './zh-CN.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('UI dictionaries', () => {
  it('give every key a non-empty text in both languages, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(zhCN[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
    }
  });

  it('write the Chinese dictionary in Chinese', () => {
    const latinOnly = Object.entries(zhCN).filter(
      ([key, text]) => !/[\u4e00-\u9fff]/.test(text) && key !== 'locale.switch',
    );
    expect(latinOnly).toEqual([]);
  });

  it('fills placeholders and keeps unknown ones visible', () => {
    expect(translate('zh-CN', 'map.error', { message: 'WebGL' })).toBe('地图无法显示：WebGL');
    expect(translate('en', 'map.error')).toBe('The map cannot be shown: {message}');
  });

  it('starts in Chinese unless English was chosen', () => {
    expect(initialLocale(null)).toBe('zh-CN');
    expect(initialLocale('fr')).toBe('zh-CN');
    expect(initialLocale('en')).toBe('en');
  });
});
