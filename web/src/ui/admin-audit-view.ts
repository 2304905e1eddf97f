import type { AuditEntry, AuditPage } from '../../../server/auth/api-types.js';
import { translate, type Locale, type MessageKey } from '../i18n/index.js';
import { el } from './dom.js';

/** How many characters a value may take in the log's change column before it is cut. */
const VALUE_CHARS = 60;
/** How many changed fields the change column lists before '…'. */
const MAX_FIELDS = 6;

function valueText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return '∅';
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A change in one line: the fields that differ as `field: before → after` (objects), else the
 * whole values. Fields equal on both sides are left out; long values are cut.
 */
export function compactChange(before: unknown, after: unknown): string {
  const hasBefore = before !== null && before !== undefined;
  const hasAfter = after !== null && after !== undefined;
  if (!hasBefore && !hasAfter) return '';
  if (isObject(before) || isObject(after)) {
    const b = isObject(before) ? before : {};
    const a = isObject(after) ? after : {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
      (key) => JSON.stringify(b[key]) !== JSON.stringify(a[key]),
    );
    const parts = keys.slice(0, MAX_FIELDS).map((key) => {
      if (!(key in b) || !hasBefore) return `${key}: ${valueText(a[key])}`;
      if (!(key in a) || !hasAfter) return `${key}: ${valueText(b[key])} → ∅`;
      return `${key}: ${valueText(b[key])} → ${valueText(a[key])}`;
    });
    if (keys.length > MAX_FIELDS) parts.push('…');
    return parts.join('; ');
  }
  if (!hasBefore) return valueText(after);
  if (!hasAfter) return `${valueText(before)} → ∅`;
  return `${valueText(before)} → ${valueText(after)}`;
}

/** What the audit section is showing: a page, loading, or an error; and the filter used. */
export interface AuditViewState {
  page: AuditPage | null;
  loading: boolean;
  error: string | null;
  filter: { username: string; action: string };
  /** The `before` of the page shown (null: the newest). */
  before: number | null;
}

export interface AuditCommands {
  filter(username: string, action: string): void;
  /** Older entries (from `nextBefore`), or back to the newest (null). */
  page(before: number | null): void;
}

function entryRow(locale: Locale, entry: AuditEntry): HTMLElement {
  const change = compactChange(entry.before, entry.after);
  const full = JSON.stringify({ before: entry.before, after: entry.after, details: entry.details });
  return el(
    'tr',
    { 'data-audit-id': String(entry.id), class: entry.status >= 400 ? 'failed' : '' },
    el('td', { class: 'nowrap' }, new Date(entry.at).toLocaleString(locale)),
    el('td', {}, entry.username, entry.role ? el('span', { class: 'muted small' }, ` ${entry.role}`) : null),
    el('td', { class: 'action' }, entry.action),
    el('td', {}, entry.target ?? ''),
    el('td', { class: `number ${entry.status >= 400 ? 'bad-text' : ''}` }, String(entry.status)),
    el('td', { class: 'change', title: full.length > 2000 ? `${full.slice(0, 2000)}…` : full }, change),
  );
}

/** The audit log: filter by user and action, newest first, a page at a time. */
export function auditView(locale: Locale, state: AuditViewState, commands: AuditCommands): HTMLElement {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  const username = el('input', {
    type: 'search',
    name: 'username',
    value: state.filter.username,
    placeholder: t('admin.audit.filterUser'),
    'data-testid': 'audit-filter-username',
  });
  const action = el('input', {
    type: 'search',
    name: 'action',
    value: state.filter.action,
    placeholder: t('admin.audit.filterAction'),
    'data-testid': 'audit-filter-action',
  });
  const clear = el('button', { type: 'button' }, t('admin.audit.clear'));
  clear.addEventListener('click', () => commands.filter('', ''));
  const form = el(
    'form',
    { class: 'row audit-filter', 'data-testid': 'audit-filter' },
    el('label', {}, t('admin.audit.filterUser'), username),
    el('label', {}, t('admin.audit.filterAction'), action),
    el('button', { type: 'submit', class: 'primary' }, t('admin.audit.filter')),
    clear,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    commands.filter(username.value.trim(), action.value.trim());
  });
  const root = el(
    'section',
    { class: 'admin-audit', 'data-testid': 'admin-audit' },
    el('h2', {}, t('admin.audit.title')),
    form,
  );
  if (state.error)
    root.append(el('p', { class: 'bad-text', role: 'alert' }, t('admin.audit.error', { message: state.error })));
  if (!state.page) {
    if (state.loading) root.append(el('p', { class: 'muted' }, t('admin.audit.loading')));
    return root;
  }
  const entries = state.page.entries;
  if (entries.length === 0)
    root.append(el('p', { class: 'muted', 'data-testid': 'audit-none' }, t('admin.audit.none')));
  else
    root.append(
      el(
        'table',
        { class: 'admin-table', 'data-testid': 'audit-table' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...(
              [
                'admin.audit.at',
                'admin.audit.who',
                'admin.audit.action',
                'admin.audit.target',
                'admin.audit.status',
                'admin.audit.change',
              ] as const
            ).map((key) => el('th', {}, t(key))),
          ),
        ),
        el('tbody', {}, ...entries.map((entry) => entryRow(locale, entry))),
      ),
    );
  const newest = el(
    'button',
    { type: 'button', disabled: state.before === null || state.loading },
    t('admin.audit.newest'),
  );
  newest.addEventListener('click', () => commands.page(null));
  const more = el(
    'button',
    { type: 'button', disabled: state.page.nextBefore === null || state.loading, 'data-testid': 'audit-more' },
    t('admin.audit.more'),
  );
  more.addEventListener('click', () => commands.page(state.page!.nextBefore));
  root.append(el('div', { class: 'row' }, newest, more));
  return root;
}
