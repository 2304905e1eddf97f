import { html, nothing, render, type TemplateResult } from 'lit-html';
import { apiFetch } from '../api.js';
import { translate, type Locale, type MessageKey } from '../i18n/index.js';
import type { Action, ImportReport, ImportState } from '../state.js';
import { el } from './dom.js';

const LAYERS = ['townships', 'villages', 'households', 'roads', 'stations', 'events'] as const;
const CRS = ['', 'wgs84', 'cgcs2000', 'gcj02'] as const;
const MODES = ['append', 'replace'] as const;
const MAX_PROBLEMS_SHOWN = 50;

/** Send a file to POST /api/imports; resolves to the panel's next state. */
export async function uploadLayer(
  file: File,
  options: { layer: string; crs: string; mode: string },
): Promise<ImportState> {
  const query = new URLSearchParams({ layer: options.layer, mode: options.mode, fileName: file.name });
  if (options.crs) query.set('crs', options.crs);
  const contentType = /\.csv$/i.test(file.name) ? 'text/csv' : 'application/geo+json';
  try {
    const response = await apiFetch(`/api/imports?${query.toString()}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: file,
    });
    const body = (await response.json().catch(() => ({ error: { message: `HTTP ${response.status}` } }))) as
      ImportReport | { error: { message: string; details?: unknown } };
    if (response.ok) return { kind: 'accepted', report: body as ImportReport };
    const error = (body as { error: { message: string; details?: unknown } }).error;
    const details = error.details as Partial<ImportReport> | undefined;
    return {
      kind: 'rejected',
      message: error.message,
      report: details && Array.isArray(details.problems) ? (details as ImportReport) : null,
    };
  } catch (err) {
    return { kind: 'rejected', message: (err as Error).message, report: null };
  }
}

/** Send the form's file and report each step to the store (an accepted import has every resource fetched again). */
function submitImport(form: HTMLFormElement, locale: Locale, dispatch: (action: Action) => void): void {
  const data = new FormData(form);
  const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
  if (!file) {
    dispatch({
      type: 'importChanged',
      state: { kind: 'rejected', message: translate(locale, 'import.noFile'), report: null },
    });
    return;
  }
  dispatch({ type: 'importChanged', state: { kind: 'uploading', fileName: file.name } });
  void uploadLayer(file, {
    layer: String(data.get('layer')),
    crs: String(data.get('crs')),
    mode: String(data.get('mode')),
  }).then((next) => dispatch({ type: 'importChanged', state: next }));
}

/** The import form and the last report, as a lit-html template (the chosen file stays while it updates). */
export function importView(locale: Locale, state: ImportState, dispatch: (action: Action) => void): TemplateResult {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  const select = (name: string, label: MessageKey, options: readonly string[], text: (o: string) => MessageKey) =>
    html`<label
      >${t(label)}<select name=${name}>
        ${options.map((o) => html`<option value=${o}>${t(text(o))}</option>`)}
      </select></label
    >`;
  return html`<section class="import-panel">
    <h2>${t('import.title')}</h2>
    <p class="hint">${t('import.hint')}</p>
    <form
      class="import-form"
      data-testid="import-form"
      @submit=${(event: SubmitEvent) => {
        event.preventDefault();
        submitImport(event.currentTarget as HTMLFormElement, locale, dispatch);
      }}
    >
      ${select('layer', 'import.layer', LAYERS, (o) => `import.layer.${o}` as MessageKey)}
      ${select('crs', 'import.crs', CRS, (o) => `import.crs.${o || 'unspecified'}` as MessageKey)}
      ${select('mode', 'import.mode', MODES, (o) => `import.mode.${o}` as MessageKey)}
      <label>${t('import.file')}<input type="file" name="file" accept=".geojson,.json,.csv" /></label>
      <button type="submit" ?disabled=${state.kind === 'uploading'}>${t('import.submit')}</button>
    </form>
    ${importResult(t, state)}
  </section>`;
}

function importResult(
  t: (key: MessageKey, values?: Record<string, string | number>) => string,
  state: ImportState,
): TemplateResult | typeof nothing {
  if (state.kind === 'idle') return nothing;
  if (state.kind === 'uploading')
    return html`<p class="import-status" data-testid="import-status">
      ${t('import.uploading', { file: state.fileName })}
    </p>`;
  if (state.kind === 'accepted')
    return html`<p class="import-status ok" data-testid="import-status">
      ${t('import.accepted', { ...state.report.counts })}
    </p>`;
  const problems = state.report?.problems ?? [];
  return html`<div class="import-status bad" data-testid="import-status">
    <p>${t('import.rejected', { message: state.message })}</p>
    ${
      problems.length > 0
        ? html`<table class="problems" data-testid="import-problems">
            <thead>
              <tr>
                ${(
                  [
                    'import.problem.index',
                    'import.problem.code',
                    'import.problem.field',
                    'import.problem.reason',
                  ] as const
                ).map((k) => html`<th>${t(k)}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${problems.slice(0, MAX_PROBLEMS_SHOWN).map(
                (p) =>
                  html`<tr class=${p.severity}>
                    <td>${p.index >= 0 ? String(p.index + 1) : '—'}</td>
                    <td>${p.code ?? ''}</td>
                    <td>${p.field ?? ''}</td>
                    <td>${p.reason}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : nothing
    }
  </div>`;
}

/** The host the import form is rendered into: one element, kept, so lit updates it in place. */
let importHost: HTMLElement | null = null;

/**
 * The import form as an element for a panel that places elements (grids): the same host each
 * time, with the template rendered into it, so a chosen file stays while the state changes.
 * A panel drawn with lit can use `importView` directly.
 */
export function keptImportPanel(locale: Locale, state: ImportState, dispatch: (action: Action) => void): HTMLElement {
  importHost ??= el('div', { class: 'import-host' });
  render(importView(locale, state, dispatch), importHost);
  return importHost;
}
