import { html, nothing, type TemplateResult } from 'lit-html';
import { styleMap } from 'lit-html/directives/style-map.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import type { Action } from '../../state.js';
import type { PolicingCommands } from './controller.js';
import { drawnBands, REASON_COLOURS } from './map-layers.js';
import {
  listedVillages,
  whatIfChanges,
  type NoTripReport,
  type NoTripSettings,
  type NoTripVillage,
  type PolicingView,
  type VisitPlanResult,
} from './state.js';

const GROUPS = ['aged70Plus', 'disabled', 'leftBehind', 'lowIncome', 'needsAssistance'] as const;
type T = (key: MessageKey, values?: Record<string, string | number>) => string;
type Dispatch = (action: Action) => void;

/**
 * The commanders' panel as a lit-html template: rules, totals, station, list, village details,
 * bands and the visit plan. lit keeps the elements across changes, so typed rules, a half-written
 * reason and the plan's figures stay as they are while answers come in.
 */
export function policingPanel(
  locale: Locale,
  state: PolicingView,
  commands: PolicingCommands | null,
  dispatch: Dispatch,
  canEdit = true,
): TemplateResult {
  const t: T = (key, values) => translate(locale, key, values);
  // Leaders read; only commanders (and admins) change rules, designations and visit plans.
  const editor = canEdit ? commands : null;
  const report = state.report.data;
  if (!report) {
    return html`<section class="policing" data-testid="policing-panel">
      ${
        state.report.status === 'error'
          ? html`<p class="error">${t('policing.error', { message: state.report.message ?? '' })}</p>`
          : html`<p class="muted" data-testid="policing-loading">${t('policing.loading')}</p>`
      }
    </section>`;
  }
  const village = state.village ? report.villages.find((v) => v.code === state.village) : undefined;
  const summary = state.summary.data;
  return html`<section class="policing" data-testid="policing-panel">
    ${
      state.report.status === 'error'
        ? html`<p class="error">${t('policing.error', { message: state.report.message ?? '' })}</p>`
        : nothing
    }
    ${
      canEdit
        ? nothing
        : html`<p class="notice read-only" data-testid="policing-read-only">${t('access.readOnly.policing')}</p>`
    }
    ${rulesForm(t, state, report, commands, canEdit)}
    ${state.whatIf ? whatIfBlock(t, state, report, commands, dispatch) : nothing} ${totalsBlock(t, state, report)}
    ${
      summary
        ? html`<p class="visits" data-testid="visit-totals">
            <strong>${t('policing.visits')}</strong><br />${t('policing.visits.totals', {
              visits: summary.visits,
              business: summary.businessHandled,
              help: summary.helpRequests,
              unregistered: summary.unregisteredResolved,
            })}
          </p>`
        : nothing
    }
    <div class="row">
      <label
        >${t('policing.station')}<select
          name="station"
          data-testid="station-select"
          @change=${(event: Event) =>
            dispatch({ type: 'policing/selectStation', station: (event.target as HTMLSelectElement).value || null })}
        >
          <option value="" .selected=${state.station === null}>${t('policing.station.all')}</option>
          ${report.stations.map(
            (s) =>
              html`<option value=${s.code} .selected=${s.code === state.station}>
                ${s.name}（${s.noTripVillages}）
              </option>`,
          )}
        </select></label
      >
      <a href=${commands?.exportUrl('csv') ?? '#'} download>${t('policing.export.csv')}</a>
      <a href=${commands?.exportUrl('xlsx') ?? '#'} download>${t('policing.export.xlsx')}</a>
    </div>
    ${village ? villageDetails(t, village, editor, dispatch) : nothing}
    ${state.station ? stationBlock(t, state, report, editor) : nothing} ${villageList(t, state, dispatch)}
  </section>`;
}

/** The rules typed into the form. */
function rulesOf(form: HTMLFormElement): NoTripSettings {
  const value = (name: string) => Number((form.elements.namedItem(name) as HTMLInputElement).value);
  return { maxDriveMinutes: value('maxDriveMinutes'), maxBusWalkMetres: value('maxBusWalkMetres') };
}

function rulesForm(
  t: T,
  state: PolicingView,
  report: NoTripReport,
  commands: PolicingCommands | null,
  canEdit: boolean,
): TemplateResult {
  // Any whole number: a step counts from `min`, so a step of 5 from 1 allowed only 1, 6, 11, … 46.
  // `.value` is set when the rules in force change, not on every change: what is typed stays.
  return html`<form
    class="rules"
    @submit=${(event: SubmitEvent) => {
      event.preventDefault();
      commands?.tryRules(rulesOf(event.currentTarget as HTMLFormElement));
    }}
  >
    <h2>${t('policing.rules')}</h2>
    <label
      >${t('policing.rules.drive')}<input
        type="number"
        name="maxDriveMinutes"
        min="1"
        max="600"
        step="1"
        .value=${String(report.settings.maxDriveMinutes)}
    /></label>
    <label
      >${t('policing.rules.bus')}<input
        type="number"
        name="maxBusWalkMetres"
        min="0"
        max="20000"
        step="1"
        .value=${String(report.settings.maxBusWalkMetres)}
    /></label>
    <div class="row">
      <button type="submit" data-testid="rules-try">${t('policing.rules.try')}</button>
      ${
        canEdit
          ? html`<button
              type="button"
              data-testid="rules-save"
              @click=${(event: Event) =>
                commands?.saveRules(rulesOf((event.currentTarget as HTMLElement).closest('form')!))}
            >
              ${t('policing.rules.save')}
            </button>`
          : nothing
      }
    </div>
    ${
      state.message
        ? html`<p class=${state.message === 'saved' ? 'ok' : 'error'}>
            ${state.message === 'saved' ? t('policing.rules.saved') : state.message}
          </p>`
        : nothing
    }
  </form>`;
}

/** What the what-if changes against the saved rules: how many villages, which ones, and the way back. */
function whatIfBlock(
  t: T,
  state: PolicingView,
  report: NoTripReport,
  commands: PolicingCommands | null,
  dispatch: Dispatch,
): TemplateResult {
  const changes = whatIfChanges(state);
  const villageItems = (villages: NoTripVillage[]) =>
    html`<ul>
      ${villages.map(
        (v) =>
          html`<li data-code=${v.code}>
            <button
              type="button"
              class="link"
              @click=${() => dispatch({ type: 'policing/selectVillage', village: v.code })}
            >
              ${t('policing.whatIf.village', {
                name: v.name,
                township: v.townshipName,
                drive: minutesText(t, v.driveMinutes),
              })}
            </button>
          </li>`,
      )}
    </ul>`;
  const changed = (testId: string, title: string, villages: NoTripVillage[]) =>
    villages.length > 0
      ? html`<div data-testid=${testId}>
          <h3>${title}</h3>
          ${villageItems(villages)}
        </div>`
      : nothing;
  const station = state.station ? report.stations.find((s) => s.code === state.station) : undefined;
  return html`<div class="what-if notice" data-testid="what-if">
    <p><strong>${t('policing.rules.whatIf')}</strong></p>
    ${
      state.saved.status === 'error'
        ? html`<p class="error">${state.saved.message}</p>`
        : !changes
          ? html`<p class="muted">${t('policing.whatIf.comparing')}</p>`
          : html`<p data-testid="what-if-delta">
                <strong
                  >${t('policing.whatIf.delta', {
                    scope: station?.name ?? t('policing.whatIf.scope.county'),
                    added: changes.added.length,
                    removed: changes.removed.length,
                  })}</strong
                ><br />${t('policing.whatIf.against', {
                  drive: changes.savedSettings.maxDriveMinutes,
                  bus: changes.savedSettings.maxBusWalkMetres,
                })}
              </p>
              ${
                changes.added.length === 0 && changes.removed.length === 0
                  ? html`<p class="muted">${t('policing.whatIf.same')}</p>`
                  : nothing
              }
              ${changed('what-if-added', t('policing.whatIf.added', { count: changes.added.length }), changes.added)}
              ${changed(
                'what-if-removed',
                t('policing.whatIf.removed', { count: changes.removed.length }),
                changes.removed,
              )}`
    }
    <button type="button" data-testid="rules-back" @click=${() => commands?.backToSaved()}>
      ${t('policing.whatIf.back')}
    </button>
  </div>`;
}

function totalsBlock(t: T, state: PolicingView, report: NoTripReport): TemplateResult {
  const totals = (state.station && report.stations.find((s) => s.code === state.station)) || report.county;
  const constants = report.constants;
  return html`<div class="totals" data-testid="no-trip-totals">
    <p>
      <strong
        >${t('policing.totals', {
          noTrip: totals.noTripVillages,
          villages: totals.villages,
          households: totals.noTripHouseholds,
        })}</strong
      >
    </p>
    <p class="muted">
      ${t('policing.byReason', {
        drive: totals.byReason.drive,
        noBus: totals.byReason.no_bus,
        designated: totals.byReason.designated,
      })}
    </p>
    <p class="muted" data-testid="borderline-totals">
      ${t('policing.borderline.totals', { borderline: totals.borderlineVillages })}
      ${t('policing.constants', {
        constants:
          constants.calibrationId === null
            ? t('policing.constants.default')
            : t('policing.constants.calibrated', {
                id: constants.calibrationId,
                date: (constants.calibratedAt ?? '').slice(0, 10),
              }),
        low: Math.round((1 - constants.ratioLow) * 100),
        high: Math.round((constants.ratioHigh - 1) * 100),
      })}
    </p>
    <dl class="groups">
      ${GROUPS.map(
        (g) =>
          html`<dt>${t(`policing.group.${g}`)}</dt>
            <dd>${totals.noTripGroups[g]}</dd>`,
      )}
    </dl>
  </div>`;
}

function minutesText(t: T, minutes: number | null): string {
  return minutes === null ? t('policing.unreachable') : t('policing.minutes', { minutes: minutes.toFixed(0) });
}

/** A village's drive as the range the speed model's error allows (52–71 分钟), or its minutes when it has none. */
function driveRangeText(t: T, village: NoTripVillage): string {
  const range = village.driveRangeMinutes;
  if (village.driveMinutes === null || !range) return minutesText(t, village.driveMinutes);
  return t('policing.minutesRange', { low: range.low.toFixed(0), high: range.high.toFixed(0) });
}

/** 临界: the village is no-trip at one end of its drive range and not at the other. */
function borderlineBadge(t: T, village: NoTripVillage): TemplateResult | typeof nothing {
  return village.borderline
    ? html`<span class="badge borderline" data-testid="borderline-badge">${t('policing.borderline')}</span>`
    : nothing;
}

/** The reasons' badges, coloured through the CSSOM (styleMap): the CSP allows no style attribute. */
function reasonBadges(t: T, village: NoTripVillage): TemplateResult[] {
  return village.reasons.map(
    (reason) =>
      html`<span class="badge" style=${styleMap({ background: REASON_COLOURS[reason] })}
        >${t(`policing.reason.${reason}`)}</span
      >`,
  );
}

function villageList(t: T, state: PolicingView, dispatch: Dispatch): TemplateResult {
  const villages = listedVillages(state);
  return html`<div class="list">
    <h2>${t('policing.list')}（${villages.length}）</h2>
    <table data-testid="no-trip-list">
      <thead>
        <tr>
          <th>${t('policing.list.village')}</th>
          <th>${t('policing.list.township')}</th>
          <th>${t('policing.list.drive')}</th>
          <th>${t('policing.list.reasons')}</th>
        </tr>
      </thead>
      <tbody>
        ${villages.map(
          (v) =>
            html`<tr
              data-testid="no-trip-row"
              data-code=${v.code}
              class=${v.code === state.village ? 'selected' : ''}
              @click=${() => dispatch({ type: 'policing/selectVillage', village: v.code })}
            >
              <td>${v.name}</td>
              <td>${v.townshipName}</td>
              <td class="number" title=${minutesText(t, v.driveMinutes)}>${driveRangeText(t, v)}</td>
              <td>${reasonBadges(t, v)}${borderlineBadge(t, v)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function designationBlock(
  t: T,
  village: NoTripVillage,
  commands: PolicingCommands | null,
): TemplateResult | typeof nothing {
  if (!commands) return nothing;
  if (village.designation) {
    return html`<div>
      <p>
        ${t('policing.designation.by', {
          by: village.designation.designatedBy,
          at: village.designation.designatedAt.slice(0, 16).replace('T', ' '),
          reason: village.designation.reason,
        })}
      </p>
      <button type="button" data-testid="undesignate" @click=${() => commands.undesignate(village.code)}>
        ${t('policing.designation.remove')}
      </button>
    </div>`;
  }
  return html`<div>
    <h3>${t('policing.designation')}</h3>
    <form
      data-testid="designate-form"
      @submit=${(event: SubmitEvent) => {
        event.preventDefault();
        const reason = ((event.currentTarget as HTMLFormElement).elements.namedItem('reason') as HTMLInputElement)
          .value;
        if (reason.trim()) commands.designate(village.code, reason.trim());
      }}
    >
      <label>${t('policing.designation.reason')}<input type="text" name="reason" maxlength="500" required /></label>
      <button type="submit">${t('policing.designation.save')}</button>
    </form>
  </div>`;
}

function villageDetails(
  t: T,
  village: NoTripVillage,
  commands: PolicingCommands | null,
  dispatch: Dispatch,
): TemplateResult {
  return html`<div class="village-card" data-testid="village-card">
    <div class="row">
      <h2>${village.name} · ${village.townshipName}</h2>
      <button type="button" class="link" @click=${() => dispatch({ type: 'policing/selectVillage', village: null })}>
        ${t('policing.village.close')}
      </button>
    </div>
    <div>${reasonBadges(t, village)}${borderlineBadge(t, village)}</div>
    <dl>
      <dt>${t('policing.village.drive')}</dt>
      <dd>
        ${village.stationName ?? ''}
        ${minutesText(t, village.driveMinutes)}${
          village.driveRangeMinutes && village.driveMinutes !== null
            ? ` (${t('policing.village.range', { range: driveRangeText(t, village) })})`
            : ''
        }
      </dd>
      <dt>${t('policing.village.farthest')}</dt>
      <dd>${minutesText(t, village.farthestHouseholdMinutes)}</dd>
      <dt>${t('policing.village.bus')}</dt>
      <dd>
        ${
          village.busWalkMetres === null
            ? t('policing.unreachable')
            : t('policing.metres', { metres: village.busWalkMetres })
        }
      </dd>
      <dt>${t('policing.village.households')}</dt>
      <dd>${village.households}</dd>
      ${GROUPS.map(
        (g) =>
          html`<dt>${t(`policing.group.${g}`)}</dt>
            <dd>${village.groups[g]}</dd>`,
      )}
    </dl>
    ${designationBlock(t, village, commands)}
  </div>`;
}

function stationBlock(
  t: T,
  state: PolicingView,
  report: NoTripReport,
  commands: PolicingCommands | null,
): TemplateResult {
  const station = report.stations.find((s) => s.code === state.station);
  // Says which bands are drawn, never more than the map shows.
  const bands = drawnBands(state);
  const drawn = bands ? bands.features.map((f) => f.properties.minutes) : [];
  const status =
    state.isochrones.status === 'error'
      ? (state.isochrones.message ?? '')
      : !bands
        ? t('policing.isochrones.loading')
        : drawn.length === 0
          ? t('policing.isochrones.none')
          : t('policing.isochrones', { minutes: drawn.join(' / ') });
  return html`<div class="station-block">
    <p class="muted" data-testid="isochrone-status">${status}</p>
    ${
      commands
        ? html`<form
            class="plan-form"
            data-testid="plan-form"
            @submit=${(event: SubmitEvent) => {
              event.preventDefault();
              const form = event.currentTarget as HTMLFormElement;
              const value = (name: string) => Number((form.elements.namedItem(name) as HTMLInputElement).value);
              commands.planVisits({ dayHours: value('dayHours'), officers: value('officers') });
            }}
          >
            <h2>${t('policing.plan')}</h2>
            <label
              >${t('policing.plan.hours')}<input type="number" name="dayHours" min="1" max="16" step="0.5" value="8"
            /></label>
            <label
              >${t('policing.plan.officers')}<input type="number" name="officers" min="1" max="10" step="1" value="2"
            /></label>
            <button type="submit" ?disabled=${state.plan.kind === 'loading'}>${t('policing.plan.submit')}</button>
          </form>`
        : nothing
    }
    ${state.plan.kind === 'loading' ? html`<p class="muted">${t('policing.plan.loading')}</p>` : nothing}
    ${state.plan.kind === 'error' ? html`<p class="error">${state.plan.message}</p>` : nothing}
    ${state.plan.kind === 'ready' && station ? itinerary(t, state.plan.data, station.name) : nothing}
  </div>`;
}

function itinerary(t: T, plan: VisitPlanResult, stationName: string): TemplateResult {
  return html`<div class="itinerary" data-testid="itinerary">
    <h3>${t('policing.plan.title', { station: stationName, hours: plan.dayHours, officers: plan.officers })}</h3>
    <p data-testid="plan-summary">
      ${t('policing.plan.summary', {
        days: plan.days.length,
        drive: plan.totalDriveMinutes.toFixed(0),
        baselineDays: plan.baseline.days,
        baselineDrive: plan.baseline.totalDriveMinutes.toFixed(0),
      })}
    </p>
    ${plan.days.map(
      (day) =>
        html`<div class="day">
          <h4>
            ${t('policing.plan.day', {
              day: day.day,
              drive: day.driveMinutes.toFixed(0),
              service: day.serviceMinutes.toFixed(0),
              back: day.returnMinutes.toFixed(0),
            })}
          </h4>
          <ol>
            ${day.stops.map(
              (stop) =>
                html`<li>
                  ${t('policing.plan.stop', {
                    arrive: stop.arriveMinutes.toFixed(0),
                    village: stop.villageName,
                    service: stop.serviceMinutes.toFixed(0),
                  })}
                </li>`,
            )}
          </ol>
        </div>`,
    )}
    ${plan.unplaced.map(
      (u) =>
        html`<p class="error">
          ${t('policing.plan.unplaced', { village: u.villageName, reason: t(`policing.plan.unplaced.${u.reason}`) })}
        </p>`,
    )}
    <button type="button" class="no-print" @click=${() => window.print()}>${t('policing.plan.print')}</button>
  </div>`;
}
