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

/** The import form and the last report, in the planners' panel. */
export function importPanel(locale: Locale, state: ImportState, dispatch: (action: Action) => void): HTMLElement {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  const select = (name: string, label: MessageKey, options: readonly string[], text: (o: string) => MessageKey) =>
    el('label', {}, t(label), el('select', { name }, ...options.map((o) => el('option', { value: o }, t(text(o))))));
  const fileInput = el('input', { type: 'file', name: 'file', accept: '.geojson,.json,.csv' });
  const submit = el('button', { type: 'submit', disabled: state.kind === 'uploading' }, t('import.submit'));
  const form = el(
    'form',
    { class: 'import-form', 'data-testid': 'import-form' },
    select('layer', 'import.layer', LAYERS, (o) => `import.layer.${o}` as MessageKey),
    select('crs', 'import.crs', CRS, (o) => `import.crs.${o || 'unspecified'}` as MessageKey),
    select('mode', 'import.mode', MODES, (o) => `import.mode.${o}` as MessageKey),
    el('label', {}, t('import.file'), fileInput),
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const file = fileInput.files?.[0];
    if (!file) {
      dispatch({ type: 'importChanged', state: { kind: 'rejected', message: t('import.noFile'), report: null } });
      return;
    }
    dispatch({ type: 'importChanged', state: { kind: 'uploading', fileName: file.name } });
    void uploadLayer(file, {
      layer: String(data.get('layer')),
      crs: String(data.get('crs')),
      mode: String(data.get('mode')),
    }).then((next) => dispatch({ type: 'importChanged', state: next }));
  });
  return el(
    'section',
    { class: 'import-panel' },
    el('h2', {}, t('import.title')),
    el('p', { class: 'hint' }, t('import.hint')),
    form,
    importResult(locale, state),
  );
}

function importResult(locale: Locale, state: ImportState): HTMLElement | null {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  if (state.kind === 'idle') return null;
  if (state.kind === 'uploading')
    return el(
      'p',
      { class: 'import-status', 'data-testid': 'import-status' },
      t('import.uploading', { file: state.fileName }),
    );
  if (state.kind === 'accepted') {
    return el(
      'p',
      { class: 'import-status ok', 'data-testid': 'import-status' },
      t('import.accepted', { ...state.report.counts }),
    );
  }
  const problems = state.report?.problems ?? [];
  return el(
    'div',
    { class: 'import-status bad', 'data-testid': 'import-status' },
    el('p', {}, t('import.rejected', { message: state.message })),
    problems.length > 0
      ? el(
          'table',
          { class: 'problems', 'data-testid': 'import-problems' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...(
                [
                  'import.problem.index',
                  'import.problem.code',
                  'import.problem.field',
                  'import.problem.reason',
                ] as const
              ).map((k) => el('th', {}, t(k))),
            ),
          ),
          el(
            'tbody',
            {},
            ...problems
              .slice(0, MAX_PROBLEMS_SHOWN)
              .map((p) =>
                el(
                  'tr',
                  { class: p.severity },
                  el('td', {}, p.index >= 0 ? String(p.index + 1) : '—'),
                  el('td', {}, p.code ?? ''),
                  el('td', {}, p.field ?? ''),
                  el('td', {}, p.reason),
                ),
              ),
          ),
        )
      : null,
  );
}

let importKept: { locale: Locale; state: ImportState; element: HTMLElement } | null = null;

/**
 * The import form, the same element while its state and language are the same: the panel it is
 * in is redrawn often, and a new form would drop the file chosen in the old one.
 */
export function keptImportPanel(locale: Locale, state: ImportState, dispatch: (action: Action) => void): HTMLElement {
  if (importKept?.locale !== locale || importKept.state !== state) {
    importKept = { locale, state, element: importPanel(locale, state, dispatch) };
  }
  return importKept.element;
}
