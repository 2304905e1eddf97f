import { html, nothing, type TemplateResult } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import type { CountySummary, Readiness } from '../../../../contracts/county.js';
import type { ImportPreview, ImportProblem } from '../../../../contracts/imports.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import type { Action } from '../../state.js';
import type { OnboardingController } from './controller.js';
import {
  CRS_OPTIONS,
  ENCODING_OPTIONS,
  ONBOARDING_LAYERS,
  problemValue,
  type CommitReport,
  type DemPreview,
  type EncodingChoice,
  type OnboardingLayer,
  type OnboardingView,
  type Preview,
  type RoadClassMapping,
} from './state.js';
import { ACCEPTED_FILES, encodingApplies } from './upload.js';

type T = (key: MessageKey, values?: Record<string, string | number>) => string;
type Dispatch = (action: Action) => void;

interface ViewContext {
  t: T;
  locale: Locale;
  state: OnboardingView;
  controller: OnboardingController | null;
  dispatch: Dispatch;
}

/** At most this many problems listed (the count says how many there are). */
const MAX_PROBLEMS = 100;
const ROAD_CLASSES = ['county', 'township', 'village'] as const;
const ADMINISTRATIVE = ['G', 'S', 'X', 'Y', 'C', 'Z'] as const;
const GRADES = ['expressway', 'class1', 'class2', 'class3', 'class4', 'substandard'] as const;

const key = (text: string) => text as MessageKey;

/** The onboarding page: a new county, the counties, a layer's file to preview and import, the readiness. */
export function onboardingPanel(
  locale: Locale,
  state: OnboardingView,
  controller: OnboardingController | null,
  dispatch: Dispatch,
): TemplateResult {
  const context: ViewContext = { t: (k, v) => translate(locale, k, v), locale, state, controller, dispatch };
  return html`<div class="onboarding">
    ${createForm(context)} ${countyList(context)}
    ${state.county ? html`${importSection(context)} ${readinessSection(context)}` : nothing}
  </div>`;
}

function createForm({ t, state, controller }: ViewContext): TemplateResult {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const outline = (form.elements.namedItem('outline') as HTMLInputElement).files?.[0] ?? null;
    controller?.createCounty({
      code: String(data.get('code') ?? ''),
      name: String(data.get('name') ?? ''),
      outline,
      outlineCrs: String(data.get('outlineCrs') ?? ''),
    });
  };
  const create = state.create;
  return html`<section class="onboarding-create">
    <h2>${t('onboarding.create.title')}</h2>
    <form data-testid="onboarding-create" @submit=${submit}>
      <label
        >${t('onboarding.create.code')}<input
          name="code"
          required
          pattern="[0-9]{6}"
          inputmode="numeric"
          placeholder="330328"
      /></label>
      <label>${t('onboarding.create.name')}<input name="name" required maxlength="50" /></label>
      <label>${t('onboarding.create.outline')}<input name="outline" type="file" accept=".geojson,.json" /></label>
      <label>${t('onboarding.create.outlineCrs')}${crsSelect(t, 'outlineCrs', '')}</label>
      <button type="submit" ?disabled=${create.kind === 'sending'}>${t('onboarding.create.submit')}</button>
    </form>
    ${
      create.kind === 'error'
        ? html`<p class="error" data-testid="onboarding-create-status">${create.message}</p>`
        : create.kind === 'created'
          ? html`<p class="ok" data-testid="onboarding-create-status">
              ${t('onboarding.create.created', { code: create.code })}
            </p>`
          : nothing
    }
  </section>`;
}

function crsSelect(t: T, name: string, value: string, onChange?: (value: string) => void): TemplateResult {
  return html`<select name=${name} @change=${(e: Event) => onChange?.((e.target as HTMLSelectElement).value)}>
    <option value="" ?selected=${value === ''}>${t('onboarding.crs.detected')}</option>
    ${CRS_OPTIONS.map((crs) => html`<option value=${crs} ?selected=${value === crs}>${t(key(`onboarding.crs.${crs}`))}</option>`)}
    ${
      value !== '' && !(CRS_OPTIONS as readonly string[]).includes(value)
        ? html`<option value=${value} selected>${value}</option>`
        : nothing
    }
  </select>`;
}

function countyList({ t, locale, state, dispatch }: ViewContext): TemplateResult {
  const counties = state.counties;
  const list = counties.data?.counties ?? null;
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);
  const row = (c: CountySummary) =>
    html`<tr
      class=${c.code === state.county ? 'chosen' : ''}
      data-county=${c.code}
      @click=${() => dispatch({ type: 'onboarding/selectCounty', county: c.code })}
    >
      <td><input type="radio" name="county" .checked=${c.code === state.county} aria-label=${c.name} /></td>
      <td>${c.code}</td>
      <td>
        ${c.name}${c.synthetic ? html` <span class="muted">${t('onboarding.counties.synthetic')}</span>` : nothing}
      </td>
      <td>${t(key(`onboarding.outline.${c.outline}`))}</td>
      <td class="number">${number(c.townships)}</td>
      <td class="number">${number(c.villages)}</td>
      <td class="number">${number(c.households)}</td>
    </tr>`;
  return html`<section>
    <h2>${t('onboarding.counties.title')}</h2>
    ${
      counties.status === 'error'
        ? html`<p class="error">${counties.message}</p>`
        : list === null
          ? html`<p class="muted">${t('onboarding.loading')}</p>`
          : list.length === 0
            ? html`<p class="muted">${t('onboarding.counties.none')}</p>`
            : html`<table class="onboarding-counties" data-testid="onboarding-counties">
                <thead>
                  <tr>
                    <th></th>
                    <th>${t('onboarding.counties.code')}</th>
                    <th>${t('onboarding.counties.name')}</th>
                    <th>${t('onboarding.counties.outline')}</th>
                    <th>${t('onboarding.counties.townships')}</th>
                    <th>${t('onboarding.counties.villages')}</th>
                    <th>${t('onboarding.counties.households')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.map(row)}
                </tbody>
              </table>`
    }
  </section>`;
}

function importSection(context: ViewContext): TemplateResult {
  const { t, state, controller, dispatch } = context;
  const chooseLayer = (e: Event) =>
    dispatch({ type: 'onboarding/chooseLayer', layer: (e.target as HTMLSelectElement).value as OnboardingLayer });
  const chooseFiles = (e: Event) => {
    const input = e.target as HTMLInputElement;
    controller?.chooseFiles([...(input.files ?? [])]);
  };
  // A new layer or county empties the file input (its value can only be cleared): keyed by both.
  return html`<section class="onboarding-import" data-testid="onboarding-import">
    <h2>${t('onboarding.import.title', { county: state.county ?? '' })}</h2>
    <label
      >${t('onboarding.import.layer')}
      <select name="layer" data-testid="onboarding-layer" @change=${chooseLayer}>
        ${ONBOARDING_LAYERS.map(
          (layer) =>
            html`<option value=${layer} ?selected=${layer === state.layer}>
              ${t(key(`onboarding.layer.${layer}`))}
            </option>`,
        )}
      </select></label
    >
    <p class="muted small">${t(key(`onboarding.hint.${state.layer}`))}</p>
    <label
      >${t('onboarding.import.files')}
      ${keyed(
        `${state.county}/${state.layer}`,
        html`<input
          type="file"
          multiple
          name="files"
          data-testid="onboarding-files"
          accept=${ACCEPTED_FILES}
          @change=${chooseFiles}
        />`,
      )}</label
    >
    ${state.files.length > 0 ? html`<p class="small">${state.files.join('、')}</p>` : nothing}
    ${previewSection(context)}
  </section>`;
}

function previewSection(context: ViewContext): TemplateResult | typeof nothing {
  const { t, state } = context;
  const preview = state.preview;
  if (state.files.length === 0) return nothing;
  if (preview.kind === 'idle' || preview.kind === 'loading') {
    return html`<p class="muted" data-testid="onboarding-preview-status">${t('onboarding.preview.reading')}</p>`;
  }
  if (preview.kind === 'error') {
    return html`<div data-testid="onboarding-preview">
      ${readOptions(context, null)}
      <p class="error" data-testid="onboarding-preview-status">
        ${t('onboarding.preview.failed', { message: preview.message })}
      </p>
    </div>`;
  }
  const data = preview.data;
  return html`<div data-testid="onboarding-preview">
    ${data.layer === 'terrain' ? demDescription(context, data) : featuresDescription(context, data)}
    ${data.layer === 'roads' ? roadClassSection(context) : nothing}
    ${problemTable(context, t('onboarding.preview.problems'), data.problems, data)} ${commitSection(context)}
  </div>`;
}

/** The encoding and CRS read from the file, and the choices that override them. */
function readOptions(context: ViewContext, data: ImportPreview | DemPreview | null): TemplateResult {
  const { t, state, dispatch } = context;
  const setCrs = (crs: string) => dispatch({ type: 'onboarding/setOptions', options: { crs } });
  const epsg = (e: Event) => {
    const text = (e.target as HTMLInputElement).value.trim();
    if (text === '') return;
    setCrs(/^\d+$/.test(text) ? `EPSG:${text}` : text);
  };
  const detectedCrs = data === null ? null : data.layer === 'terrain' ? (data.source?.crs ?? null) : data.crs;
  const crsSource = data === null ? null : data.layer === 'terrain' ? (data.source?.crsSource ?? null) : data.crsSource;
  const encoding = data !== null && data.layer !== 'terrain' ? data.encoding : null;
  const encodingSource = data !== null && data.layer !== 'terrain' ? data.encodingSource : null;
  const showEncoding = state.layer !== 'terrain' && encodingApplies(state.files);
  return html`<dl class="onboarding-read" data-testid="onboarding-read">
    ${
      state.layer !== 'terrain'
        ? html`<dt>${t('onboarding.preview.encoding')}</dt>
            <dd data-testid="onboarding-encoding">
              ${encoding ?? '—'}${
                encodingSource
                  ? html` <span class="muted">(${t(key(`onboarding.source.${encodingSource}`))})</span>`
                  : nothing
              }
              ${
                showEncoding
                  ? html`<select
                      name="encoding"
                      data-testid="onboarding-encoding-choice"
                      @change=${(e: Event) =>
                        dispatch({
                          type: 'onboarding/setOptions',
                          options: { encoding: (e.target as HTMLSelectElement).value as EncodingChoice },
                        })}
                    >
                      <option value="" ?selected=${state.options.encoding === ''}>
                        ${t('onboarding.encoding.detected')}
                      </option>
                      ${ENCODING_OPTIONS.map(
                        (e) =>
                          html`<option value=${e} ?selected=${state.options.encoding === e}>
                            ${e.toUpperCase()}
                          </option>`,
                      )}
                    </select>`
                  : nothing
              }
            </dd>`
        : nothing
    }
    <dt>${t('onboarding.preview.crs')}</dt>
    <dd data-testid="onboarding-crs">
      ${detectedCrs ?? t('onboarding.preview.crsUnknown')}${
        crsSource ? html` <span class="muted">(${crsSource})</span>` : nothing
      }
      ${crsSelect(t, 'crs', state.options.crs, setCrs)}
      <input name="epsg" class="epsg" placeholder=${t('onboarding.crs.other')} @change=${epsg} />
    </dd>
  </dl>`;
}

function featuresDescription(context: ViewContext, data: ImportPreview): TemplateResult {
  const { t, state, dispatch } = context;
  const fieldNames = data.fieldMapping.fields.map((f) => f.field);
  const mapped = state.options.fields;
  return html`${readOptions(context, data)}
    <p data-testid="onboarding-preview-summary">
      ${t('onboarding.preview.summary', {
        format: data.format ?? '—',
        features: data.featureCount,
        shown: data.sample.features.length,
      })}${data.table ? html` · ${t('onboarding.preview.table', { table: data.table })}` : nothing}
    </p>
    <h3>${t('onboarding.fields.title')}</h3>
    <table class="onboarding-fields" data-testid="onboarding-fields">
      <thead>
        <tr>
          <th>${t('onboarding.fields.field')}</th>
          <th>${t('onboarding.fields.column')}</th>
          <th>${t('onboarding.fields.expected')}</th>
        </tr>
      </thead>
      <tbody>
        ${data.fieldMapping.fields.map(
          (f) =>
            html`<tr class=${f.column ? 'found' : 'missing'} data-field=${f.field}>
              <td title=${f.aliases.join(', ')}>${f.field}</td>
              <td>${f.column ?? '—'}</td>
              <td class="muted">${f.expected}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      data.fieldMapping.unrecognised.length + Object.keys(mapped).length > 0
        ? html`<h3>${t('onboarding.fields.unrecognised')}</h3>
            <table class="onboarding-unrecognised" data-testid="onboarding-unrecognised">
              <tbody>
                ${[...new Set([...data.fieldMapping.unrecognised, ...Object.keys(mapped)])].map(
                  (column) =>
                    html`<tr data-column=${column}>
                      <td>${column}</td>
                      <td>
                        <select
                          name=${`map-${column}`}
                          @change=${(e: Event) =>
                            dispatch({
                              type: 'onboarding/mapField',
                              column,
                              field: (e.target as HTMLSelectElement).value,
                            })}
                        >
                          <option value="" ?selected=${!mapped[column]}>${t('onboarding.fields.ignore')}</option>
                          ${fieldNames.map((field) => html`<option value=${field} ?selected=${mapped[column] === field}>${field}</option>`)}
                        </select>
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : nothing
    }`;
}

function demDescription(context: ViewContext, data: DemPreview): TemplateResult {
  const { t } = context;
  const s = data.source;
  return html`${readOptions(context, data)}
  ${
    s
      ? html`<p data-testid="onboarding-preview-summary">
          ${t('onboarding.dem.summary', {
            format: s.format,
            width: s.width,
            height: s.height,
            resolution: s.resolutionMetres === null ? '—' : s.resolutionMetres.toFixed(1),
            min: s.minMetres ?? '—',
            max: s.maxMetres ?? '—',
          })}
        </p>`
      : nothing
  }`;
}

function roadClassSection({ t, state, controller, dispatch }: ViewContext): TemplateResult {
  const remote = state.roadClasses;
  const read = remote.data;
  if (read === null) {
    return html`<p class=${remote.status === 'error' ? 'error' : 'muted'}>
      ${remote.status === 'error' ? remote.message : t('onboarding.loading')}
    </p>`;
  }
  const mapping: RoadClassMapping = state.roadClassDraft ?? read.mapping;
  const edit = (table: 'administrative' | 'technical', k: string, change: Record<string, string | number>) =>
    dispatch({ type: 'onboarding/editRoadClass', saved: read.mapping, table, key: k, change });
  const classSelect = (value: string, onChange: (v: string) => void) =>
    html`<select @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
      ${ROAD_CLASSES.map((c) => html`<option value=${c} ?selected=${c === value}>${t(key(`onboarding.roadClass.${c}`))}</option>`)}
    </select>`;
  const save = state.roadClassSave;
  return html`<section class="onboarding-road-classes" data-testid="onboarding-road-classes">
    <h3>
      ${t('onboarding.roads.title')}
      ${read.own ? nothing : html`<span class="muted">${t('onboarding.roads.builtIn')}</span>`}
    </h3>
    <table>
      <thead>
        <tr>
          <th>${t('onboarding.roads.administrative')}</th>
          <th>${t('onboarding.roads.roadClass')}</th>
          <th>${t('onboarding.roads.usualGrade')}</th>
        </tr>
      </thead>
      <tbody>
        ${ADMINISTRATIVE.map((a) => {
          const row = mapping.administrative[a];
          if (!row) return nothing;
          return html`<tr data-administrative=${a}>
            <td>${a} ${t(key(`onboarding.admin.${a}`))}</td>
            <td>${classSelect(row.roadClass, (v) => edit('administrative', a, { roadClass: v }))}</td>
            <td>
              <select
                @change=${(e: Event) => edit('administrative', a, { grade: (e.target as HTMLSelectElement).value })}
              >
                ${GRADES.map((g) => html`<option value=${g} ?selected=${g === row.grade}>${t(key(`onboarding.grade.${g}`))}</option>`)}
              </select>
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
    <table>
      <thead>
        <tr>
          <th>${t('onboarding.roads.grade')}</th>
          <th>${t('onboarding.roads.roadClass')}</th>
          <th>${t('onboarding.roads.speed')}</th>
        </tr>
      </thead>
      <tbody>
        ${GRADES.map((g) => {
          const row = mapping.technical[g];
          if (!row) return nothing;
          return html`<tr data-grade=${g}>
            <td>${t(key(`onboarding.grade.${g}`))}</td>
            <td>${classSelect(row.roadClass, (v) => edit('technical', g, { roadClass: v }))}</td>
            <td>
              <input
                type="number"
                min="5"
                max="120"
                step="5"
                .value=${String(row.designSpeedKmh)}
                @change=${(e: Event) => edit('technical', g, { designSpeedKmh: Number((e.target as HTMLInputElement).value) })}
              />
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
    <button
      type="button"
      ?disabled=${state.roadClassDraft === null || save.kind === 'saving'}
      @click=${() => controller?.saveRoadClasses()}
    >
      ${t('onboarding.roads.save')}
    </button>
    ${
      save.kind === 'saved'
        ? html`<span class="ok">${t('onboarding.roads.saved', { edges: save.edges })}</span>`
        : save.kind === 'error'
          ? html`<span class="error">${save.message}</span>`
          : nothing
    }
  </section>`;
}

function commitSection(context: ViewContext): TemplateResult {
  const { t, state, controller, dispatch } = context;
  const commit = state.commit;
  const sending = commit.kind === 'sending';
  return html`<div class="onboarding-commit">
    ${
      state.layer !== 'terrain'
        ? html`<label
            >${t('onboarding.commit.mode')}
            <select
              name="mode"
              @change=${(e: Event) =>
                dispatch({
                  type: 'onboarding/setOptions',
                  options: { mode: (e.target as HTMLSelectElement).value as 'append' | 'replace' },
                })}
            >
              <option value="append" ?selected=${state.options.mode === 'append'}>
                ${t('onboarding.mode.append')}
              </option>
              <option value="replace" ?selected=${state.options.mode === 'replace'}>
                ${t('onboarding.mode.replace')}
              </option>
            </select></label
          >`
        : nothing
    }
    <button type="button" data-testid="onboarding-commit" ?disabled=${sending} @click=${() => controller?.commit()}>
      ${t('onboarding.commit.submit')}
    </button>
    ${
      sending
        ? html`<p data-testid="onboarding-commit-status">
            ${
              commit.percent === null
                ? t('onboarding.commit.checking')
                : html`${t('onboarding.commit.sending', { percent: commit.percent })}
                    <progress max="100" .value=${commit.percent}></progress>`
            }
          </p>`
        : commit.kind === 'accepted'
          ? html`<p class="ok" data-testid="onboarding-commit-status">${acceptedText(t, commit.report)}</p>
              ${problemTable(context, t('onboarding.commit.warnings'), commit.report.problems, previewOf(state))}`
          : commit.kind === 'rejected'
            ? html`<p class="error" data-testid="onboarding-commit-status">
                  ${t('onboarding.commit.rejected', { message: commit.message })}
                </p>
                ${commit.report ? problemTable(context, t('onboarding.commit.problems'), commit.report.problems, previewOf(state)) : nothing}`
            : nothing
    }
  </div>`;
}

const previewOf = (state: OnboardingView): Preview | null =>
  state.preview.kind === 'ready' ? state.preview.data : null;

function acceptedText(t: T, report: CommitReport): string {
  if ('counts' in report)
    return t('onboarding.commit.accepted', { ...report.counts, estimated: report.counts.estimated ?? 0 });
  return t('onboarding.commit.demAccepted', {
    width: report.grid?.width ?? 0,
    height: report.grid?.height ?? 0,
    edges: report.roads?.edges ?? 0,
  });
}

/** Each problem where it is: file, layer, feature, field, value, and why (the server writes why in both languages). */
function problemTable(
  { t, state }: ViewContext,
  title: string,
  problems: readonly ImportProblem[],
  preview: Preview | null,
): TemplateResult | typeof nothing {
  if (problems.length === 0) return nothing;
  const fileName = state.files.length === 1 ? state.files[0]! : (state.files.find((f) => /\.shp$/i.test(f)) ?? '');
  return html`<h3>${title} (${problems.length})</h3>
    <div class="onboarding-problems-box">
      <table class="onboarding-problems" data-testid="onboarding-problems">
        <thead>
          <tr>
            <th>${t('onboarding.problem.file')}</th>
            <th>${t('onboarding.problem.layer')}</th>
            <th>${t('onboarding.problem.feature')}</th>
            <th>${t('onboarding.problem.field')}</th>
            <th>${t('onboarding.problem.value')}</th>
            <th>${t('onboarding.problem.reason')}</th>
          </tr>
        </thead>
        <tbody>
          ${problems.slice(0, MAX_PROBLEMS).map(
            (p) =>
              html`<tr class=${p.severity}>
                <td>${fileName}</td>
                <td>${t(key(`onboarding.layer.${state.layer}`))}</td>
                <td>
                  ${p.index >= 0 ? `#${p.index + 1}` : t('onboarding.problem.wholeFile')}${p.code ? html` ${p.code}` : nothing}
                </td>
                <td>${p.field ?? ''}</td>
                <td>${problemValue(preview, p) ?? ''}</td>
                <td>
                  ${p.severity === 'warning' ? html`<span class="muted">${t('onboarding.problem.warning')}</span> ` : nothing}${p.reason}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

function readinessSection({ t, state }: ViewContext): TemplateResult {
  const remote = state.readiness;
  const readiness: Readiness | null = remote.data;
  if (readiness === null) {
    return html`<section>
      <h2>${t('onboarding.readiness.title')}</h2>
      <p class=${remote.status === 'error' ? 'error' : 'muted'}>
        ${remote.status === 'error' ? remote.message : t('onboarding.loading')}
      </p>
    </section>`;
  }
  return html`<section class="onboarding-readiness" data-testid="onboarding-readiness">
    <h2>${t('onboarding.readiness.title')}</h2>
    <table>
      <thead>
        <tr>
          <th>${t('onboarding.readiness.layer')}</th>
          <th>${t('onboarding.readiness.state')}</th>
          <th>${t('onboarding.readiness.unlocks')}</th>
        </tr>
      </thead>
      <tbody>
        ${readiness.layers.map(
          (l) =>
            html`<tr data-layer=${l.layer} class=${l.count > 0 ? 'present' : 'absent'}>
              <td>${t(key(`onboarding.readiness.layer.${l.layer}`))}</td>
              <td data-testid=${`readiness-${l.layer}`}>
                ${l.count > 0 ? t('onboarding.readiness.count', { count: l.count }) : t('onboarding.readiness.missing')}
                ${l.synthetic ? html` · ${t('onboarding.readiness.synthetic')}` : nothing}
                ${l.importedAt ? html` · ${t('onboarding.readiness.importedAt', { at: l.importedAt.slice(0, 16).replace('T', ' ') })}` : nothing}
                ${
                  l.estimatedShare
                    ? html` · ${t('onboarding.readiness.estimated', { percent: Math.round(l.estimatedShare * 100) })}`
                    : nothing
                }
              </td>
              <td>${l.unlocks.map((c) => t(key(`onboarding.capability.${c}`))).join('、')}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <ul class="onboarding-capabilities">
      ${readiness.capabilities.map(
        (c) =>
          html`<li class=${c.ready ? 'ready' : 'blocked'} data-capability=${c.capability}>
            <strong>${c.ready ? '✓' : '✗'} ${t(key(`onboarding.capability.${c.capability}`))}</strong>
            <span class="muted"
              >${t('onboarding.readiness.needs', {
                layers: c.needs.map((l) => t(key(`onboarding.readiness.layer.${l}`))).join('、'),
              })}</span
            >
            ${
              c.problems.length > 0
                ? html`<ul>
                    ${c.problems.map((p) => html`<li>${p}</li>`)}
                  </ul>`
                : nothing
            }
          </li>`,
      )}
    </ul>
  </section>`;
}
