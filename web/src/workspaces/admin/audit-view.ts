import type { AuditEntry, AuditPage } from '../../../../server/auth/api-types.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import { el } from '../../ui/dom.js';

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

/** How deep the change column follows objects on both sides (`grids.12.name: A → B`). */
const MAX_DEPTH = 3;

/** `path: before → after` for each differing field, descending into objects present on both sides. */
function fieldChanges(b: Record<string, unknown>, a: Record<string, unknown>, prefix: string, depth: number): string[] {
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (key) => JSON.stringify(b[key]) !== JSON.stringify(a[key]),
  );
  return keys.flatMap((key) => {
    const path = `${prefix}${key}`;
    if (!Object.hasOwn(b, key)) return [`${path}: ${valueText(a[key])}`];
    if (!Object.hasOwn(a, key)) return [`${path}: ${valueText(b[key])} → ∅`];
    const [bv, av] = [b[key], a[key]];
    if (isObject(bv) && isObject(av) && depth < MAX_DEPTH) return fieldChanges(bv, av, `${path}.`, depth + 1);
    return [`${path}: ${valueText(bv)} → ${valueText(av)}`];
  });
}

/**
 * A change in one line: the fields that differ as `field: before → after` (objects, followed into
 * nested objects as `a.b: before → after`), else the whole values. Fields equal on both sides are
 * left out; long values are cut.
 */
export function compactChange(before: unknown, after: unknown): string {
  const hasBefore = before !== null && before !== undefined;
  const hasAfter = after !== null && after !== undefined;
  if (!hasBefore && !hasAfter) return '';
  if (isObject(before) || isObject(after)) {
    const parts = fieldChanges(isObject(before) ? before : {}, isObject(after) ? after : {}, '', 1);
    return [...parts.slice(0, MAX_FIELDS), ...(parts.length > MAX_FIELDS ? ['…'] : [])].join('; ');
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
  // A refusal has no before and after: its code and message (or a summary's count) say what happened.
  const change = compactChange(entry.before, entry.after) || compactChange(null, entry.details);
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
