import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import type { AuditEntry, AuditPage } from '../../../../contracts/auth.js';
import type { Resource } from '../../frame/resource.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import type { Action } from '../../state.js';
import type { AdminState } from './state.js';

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

function entryRow(locale: Locale, entry: AuditEntry): TemplateResult {
  // A refusal has no before and after: its code and message (or a summary's count) say what happened.
  const change = compactChange(entry.before, entry.after) || compactChange(null, entry.details);
  const full = JSON.stringify({ before: entry.before, after: entry.after, details: entry.details });
  return html`<tr data-audit-id=${entry.id} class=${entry.status >= 400 ? 'failed' : ''}>
    <td class="nowrap">${new Date(entry.at).toLocaleString(locale)}</td>
    <td>${entry.username}${entry.role ? html`<span class="muted small"> ${entry.role}</span>` : nothing}</td>
    <td class="action">${entry.action}</td>
    <td>${entry.target ?? ''}</td>
    <td class="number ${entry.status >= 400 ? 'bad-text' : ''}">${entry.status}</td>
    <td class="change" title=${full.length > 2000 ? `${full.slice(0, 2000)}…` : full}>${change}</td>
  </tr>`;
}

/** The audit log: filter by user and action, newest first, a page at a time. */
export function auditView(
  locale: Locale,
  audit: Resource<AuditPage>,
  state: AdminState,
  dispatch: (action: Action) => void,
): TemplateResult {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  const loading = audit.status === 'loading';
  const page = audit.data;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    dispatch({ type: 'admin/auditFilter', username: value('username'), action: value('action') });
  };
  // `live`: a cleared filter empties the boxes even when what was typed was never sent.
  return html`<section class="admin-audit" data-testid="admin-audit">
    <h2>${t('admin.audit.title')}</h2>
    <form class="row audit-filter" data-testid="audit-filter" @submit=${submit}>
      <label
        >${t('admin.audit.filterUser')}<input
          type="search"
          name="username"
          .value=${live(state.auditFilter.username)}
          placeholder=${t('admin.audit.filterUser')}
          data-testid="audit-filter-username"
      /></label>
      <label
        >${t('admin.audit.filterAction')}<input
          type="search"
          name="action"
          .value=${live(state.auditFilter.action)}
          placeholder=${t('admin.audit.filterAction')}
          data-testid="audit-filter-action"
      /></label>
      <button type="submit" class="primary">${t('admin.audit.filter')}</button>
      <button type="button" @click=${() => dispatch({ type: 'admin/auditFilter', username: '', action: '' })}>
        ${t('admin.audit.clear')}
      </button>
    </form>
    ${
      audit.status === 'error'
        ? html`<p class="bad-text" role="alert">${t('admin.audit.error', { message: audit.message ?? '' })}</p>`
        : nothing
    }
    ${
      !page
        ? loading
          ? html`<p class="muted">${t('admin.audit.loading')}</p>`
          : nothing
        : html`${
              page.entries.length === 0
                ? html`<p class="muted" data-testid="audit-none">${t('admin.audit.none')}</p>`
                : html`<table class="admin-table" data-testid="audit-table">
                    <thead>
                      <tr>
                        ${(
                          [
                            'admin.audit.at',
                            'admin.audit.who',
                            'admin.audit.action',
                            'admin.audit.target',
                            'admin.audit.status',
                            'admin.audit.change',
                          ] as const
                        ).map((key) => html`<th>${t(key)}</th>`)}
                      </tr>
                    </thead>
                    <tbody>
                      ${page.entries.map((entry) => entryRow(locale, entry))}
                    </tbody>
                  </table>`
            }
            <div class="row">
              <button
                type="button"
                ?disabled=${state.auditBefore === null || loading}
                @click=${() => dispatch({ type: 'admin/auditPage', before: null })}
              >
                ${t('admin.audit.newest')}
              </button>
              <button
                type="button"
                ?disabled=${page.nextBefore === null || loading}
                data-testid="audit-more"
                @click=${() => dispatch({ type: 'admin/auditPage', before: page.nextBefore })}
              >
                ${t('admin.audit.more')}
              </button>
            </div>`
    }
  </section>`;
}
