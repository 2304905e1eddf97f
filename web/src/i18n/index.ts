import type { WorkspaceMessageKey } from '../workspaces/registry.js';
import { en } from './en.js';
import { zhCN, type AppMessageKey } from './zh-CN.js';

export type Locale = 'zh-CN' | 'en';
/** A key of the frame's text (zh-CN.ts, en.ts) or of a registered workspace's (its messages.ts). */
export type MessageKey = AppMessageKey | WorkspaceMessageKey;

/** The app's dictionaries: the frame's text, and each workspace's as it registers. */
const dictionaries: Record<Locale, Record<string, string>> = { 'zh-CN': { ...zhCN }, en: { ...en } };

/** The dictionary of a language as it is now (the frame's keys and every registered workspace's). */
export function dictionary(locale: Locale): Readonly<Record<string, string>> {
  return dictionaries[locale];
}

/** Merge a workspace's text into the dictionaries; a key may belong to one owner only. */
export function addMessages(messages: Readonly<Record<Locale, Readonly<Record<string, string>>>>): void {
  for (const locale of ['zh-CN', 'en'] as const) {
    for (const key of Object.keys(messages[locale])) {
      if (key in dictionaries[locale]) throw new Error(`UI text key "${key}" is defined twice`);
    }
  }
  for (const locale of ['zh-CN', 'en'] as const) Object.assign(dictionaries[locale], messages[locale]);
}

/** Translate a key, filling `{name}` placeholders from `values`. */
export function translate(locale: Locale, key: MessageKey, values: Record<string, string | number> = {}): string {
  const template = dictionaries[locale][key];
  if (template === undefined) throw new Error(`No UI text for "${key}" (is its workspace registered?)`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The locale to start with: the one chosen before, else Chinese. */
export function initialLocale(stored: string | null): Locale {
  return stored === 'en' ? 'en' : 'zh-CN';
}
