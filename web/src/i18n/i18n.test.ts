import { describe, expect, it } from 'vitest';
import { APP_WORKSPACES } from '../workspaces/registry.js';
import { en } from './en.js';
import { dictionary, initialLocale, translate } from './index.js';
import { zhCN } from './zh-CN.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** The frame's text and each workspace's, as separate dictionaries. */
const parts = [
  { owner: 'frame', zh: zhCN as Record<string, string>, en: en as Record<string, string> },
  ...APP_WORKSPACES.map((workspace) => ({
    owner: workspace.id,
    zh: workspace.messages['zh-CN'] as Record<string, string>,
    en: workspace.messages.en as Record<string, string>,
  })),
];

describe('UI dictionaries', () => {
  it('give every key a non-empty text in both languages, with the same placeholders', () => {
    for (const part of parts) {
      expect(Object.keys(part.en).sort(), part.owner).toEqual(Object.keys(part.zh).sort());
      for (const key of Object.keys(part.zh)) {
        expect(part.zh[key]!.trim(), key).not.toBe('');
        expect(part.en[key]!.trim(), key).not.toBe('');
        expect(placeholders(part.en[key]!), key).toEqual(placeholders(part.zh[key]!));
      }
    }
  });

  it('merge the frame and every workspace into one dictionary per language, no key twice', () => {
    const total = parts.reduce((sum, part) => sum + Object.keys(part.zh).length, 0);
    expect(Object.keys(dictionary('zh-CN'))).toHaveLength(total);
    expect(Object.keys(dictionary('en')).sort()).toEqual(Object.keys(dictionary('zh-CN')).sort());
    expect(translate('en', 'workspace.holidays')).toBe('Holiday policing');
  });

  it('write the Chinese dictionary in Chinese', () => {
    const latinOnly = Object.entries(dictionary('zh-CN')).filter(
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
