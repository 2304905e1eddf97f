import { html, nothing, type TemplateResult } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { live } from 'lit-html/directives/live.js';
import { ref } from 'lit-html/directives/ref.js';
import { zoneColour } from './map-layers.js';
import {
  cellKey,
  currentDemand,
  DUTIES,
  EVIDENCE_OVER_RATIO,
  EVIDENCE_UNDER_RATIO,
  evidenceMark,
  expectedOfficers,
  savedDemand,
  stationSummaries,
  type EvidenceMark,
  type StationDemandSummary,
} from './model.js';
import type { DutyId, HolidayDetail } from './state.js';
import {
  dayLabel,
  dutyShort,
  liveNumber,
  numberText,
  shiftLabel,
  swatch,
  type HolidayView,
  type View,
} from './common.js';

/** The station whose editor was last brought into view (so a later render does not scroll again). */
let scrolledTo: string | null = null;

/** Zones and their stations (asked vs evidence, zone choice), the chosen station's editor, zone limits. */
export function demandsView(view: HolidayView, detail: HolidayDetail): TemplateResult {
  const { t } = view;
  const summaries = stationSummaries(detail, view.state.demandDraft);
  const zoneIds = detail.zones.map((z) => z.id);
  const groups: { id: number | null; name: string; stations: StationDemandSummary[] }[] = [
    ...detail.zones.map((z) => ({ id: z.id, name: z.name, stations: summaries.filter((s) => s.warZoneId === z.id) })),
    { id: null, name: t('holidays.zone.unassigned'), stations: summaries.filter((s) => s.warZoneId === null) },
  ].filter((g) => g.id !== null || g.stations.length > 0);
  const evidenceNote =
    detail.evidenceFrom.length > 0
      ? t('holidays.evidence.from', { years: detail.evidenceFrom.map((d) => d.slice(0, 4)).join('、') })
      : t('holidays.evidence.none');
  const groupBody = (group: (typeof groups)[number]) => {
    const requested = group.stations.reduce((sum, s) => sum + s.requested, 0);
    const expected = group.stations.reduce((sum, s) => sum + s.expected, 0);
    const selected = group.id !== null && group.id === view.state.zoneId;
    const id = group.id;
    const choose =
      id === null
        ? nothing
        : () => view.dispatch({ type: 'holidays/selectZone', zoneId: view.state.zoneId === id ? null : id });
    return html`<tbody>
      <tr class=${`zone-row${selected ? ' selected' : ''}`} data-zone=${String(group.id ?? '')} @click=${choose}>
        <th colspan="2">
          ${swatch(zoneColour(zoneIds, group.id))}${`${group.name}（${t('holidays.zone.stations', {
            count: group.stations.length,
          })}）`}
        </th>
        <th class="number">${numberText(view, requested)}</th>
        <th class="number">${numberText(view, expected, 1)}</th>
        <th></th>
      </tr>
      ${group.stations.map((s) => stationRows(view, detail, s))}
    </tbody>`;
  };
  return html`<div class="demands">
    <p class="muted small">${t('holidays.zones.hint')}</p>
    <p class="muted small" data-testid="holiday-evidence-note">${evidenceNote} ${t('holidays.evidence.rule')}</p>
    <table class="stations" data-testid="holiday-stations">
      <thead>
        <tr>
          <th>${t('holidays.station.name')}</th>
          <th>${t('holidays.station.zone')}</th>
          <th class="number">${t('holidays.station.requested')}</th>
          <th class="number">${t('holidays.station.expected')}</th>
          <th>${t('holidays.station.check')}</th>
        </tr>
      </thead>
      ${groups.map(groupBody)}
    </table>
    ${
      // A form of its own per holiday: limits typed for one holiday are not offered for another.
      keyed(detail.holiday.id, zoneLimitsForm(view, detail))
    }
  </div>`;
}

/** A mark beside a request much above or below the evidence. */
function markBadge(view: HolidayView, mark: EvidenceMark, requested: number, expected: number): View {
  if (mark === 'none') return nothing;
  return html`<span
    class=${`mark ${mark}`}
    data-testid="evidence-mark"
    data-mark=${mark}
    title=${view.t('holidays.mark.title', {
      requested: numberText(view, requested),
      expected: numberText(view, expected, 1),
    })}
    >${mark === 'over' ? `▲ ${view.t('holidays.mark.over')}` : `▼ ${view.t('holidays.mark.under')}`}</span
  >`;
}

function stationRows(view: HolidayView, detail: HolidayDetail, s: StationDemandSummary): TemplateResult {
  const { t, state, dispatch, commands } = view;
  const open = state.station === s.code;
  const moved = (event: Event) => {
    const select = event.target as HTMLSelectElement;
    if (select.value) commands?.moveStation(s.code, Number(select.value));
  };
  const row = html`<tr
    class=${`station-row${open ? ' selected' : ''}`}
    data-testid="station-row"
    data-code=${s.code}
    data-mark=${s.mark}
    @click=${() => dispatch({ type: 'holidays/selectStation', station: open ? null : s.code })}
  >
    <td>
      ${s.name}${
        s.edited > 0
          ? html`<span class="edited" title=${t('holidays.editor.unsaved', { count: s.edited })}> ●</span>`
          : nothing
      }
    </td>
    <td>
      <select
        name="warZone"
        data-testid="station-zone"
        ?disabled=${state.writing === 'move' || !view.canEdit}
        aria-label=${t('holidays.station.zone')}
        @click=${(event: Event) => event.stopPropagation()}
        @change=${moved}
      >
        ${
          s.warZoneId === null
            ? html`<option value="" .selected=${live(true)}>${t('holidays.zone.unassigned')}</option>`
            : nothing
        }
        ${detail.zones.map(
          (z) => html`<option value=${String(z.id)} .selected=${live(z.id === s.warZoneId)}>${z.name}</option>`,
        )}
      </select>
    </td>
    <td class="number">${numberText(view, s.requested)}</td>
    <td class="number muted">${numberText(view, s.expected, 1)}</td>
    <td>${markBadge(view, s.mark, s.requested, s.expected)}</td>
  </tr>`;
  if (!open) return row;
  // Brought into view once when it opens (after lit has put it in the page).
  const bringIntoView = (element: Element | undefined) => {
    if (!element || scrolledTo === s.code) return;
    scrolledTo = s.code;
    setTimeout(() => element.scrollIntoView({ block: 'nearest', behavior: 'smooth' }), 0);
  };
  return html`${row}
    <tr class="editor-row">
      <td colspan="5" ${ref(bringIntoView)}>${demandEditor(view, detail, s)}</td>
    </tr>`;
}

/** One station's request per (day, shift, duty): officers asked, the evidence beside it, own officers on duty. */
function demandEditor(view: HolidayView, detail: HolidayDetail, s: StationDemandSummary): TemplateResult {
  const { t, state, dispatch, commands } = view;
  const draft = state.demandDraft;
  const { days, shiftsPerDay } = detail.holiday;
  const unsaved = Object.keys(draft).length;
  const cellInput = (day: number, shift: number, duty: DutyId, field: 'officers' | 'ownOnDuty') => {
    const key = cellKey(s.code, day, shift, duty);
    const value = currentDemand(detail, draft, key)[field];
    // Every keystroke goes to the store, so a button clicked next never waits on a pending change.
    const typed = (event: Event) => {
      const text = (event.target as HTMLInputElement).value.trim();
      if (text !== '' && !/^\d+$/.test(text)) return;
      dispatch({
        type: 'holidays/editDemand',
        stationCode: s.code,
        day,
        shift,
        duty,
        field,
        value: text === '' ? 0 : Number(text),
      });
    };
    return html`<input
      type="text"
      inputmode="numeric"
      class=${`cell-input ${field}${draft[key] && value !== savedDemand(detail, key)[field] ? ' edited' : ''}`}
      .value=${liveNumber(value)}
      aria-label=${`${dayLabel(view, detail, day)} ${shiftLabel(detail, shift)} ${dutyShort(view, duty)} ${t(
        field === 'officers' ? 'holidays.editor.asked' : 'holidays.editor.ownOnDuty',
      )}`}
      @input=${typed}
    />`;
  };
  const rows: TemplateResult[] = [];
  for (let day = 0; day < days; day++) {
    for (let shift = 0; shift < shiftsPerDay; shift++) {
      rows.push(
        html`<tr class=${shift === 0 ? 'day-start' : ''}>
          ${
            shift === 0
              ? html`<th rowspan=${String(shiftsPerDay)} class="day">${dayLabel(view, detail, day)}</th>`
              : nothing
          }
          <th class="shift">${shiftLabel(detail, shift)}</th>
          ${DUTIES.map((duty) => {
            const key = cellKey(s.code, day, shift, duty);
            const expected = expectedOfficers(detail, key);
            const mark = evidenceMark(currentDemand(detail, draft, key).officers, expected);
            return html`<td class=${`asked ${mark}`}>${cellInput(day, shift, duty, 'officers')}</td>
              <td class=${`evidence ${mark}`} data-mark=${mark}>
                ${mark === 'over' ? '▲' : mark === 'under' ? '▼' : ''}${numberText(view, expected, 1)}
              </td>
              <td class="own">${cellInput(day, shift, duty, 'ownOnDuty')}</td>`;
          })}
        </tr>`,
      );
    }
  }
  const station = detail.stations.find((x) => x.code === s.code);
  return html`<div class="demand-editor" data-testid="demand-editor">
    <div class="row">
      <strong>${t('holidays.editor.title', { station: s.name })}</strong>
      <span class="muted">${t('holidays.editor.own', { count: station?.ownOfficers ?? 0 })}</span>
    </div>
    <div class="duty-marks">
      ${DUTIES.map((duty) => {
        const d = s.byDuty[duty];
        return html`<span
          >${`${dutyShort(view, duty)} ${numberText(view, d.requested)} / ${numberText(view, d.expected, 1)} `}${markBadge(
            view,
            d.mark,
            d.requested,
            d.expected,
          )}</span
        >`;
      })}
    </div>
    <div class="scroll">
      <table class="demand-grid">
        <thead>
          <tr>
            <th rowspan="2">${t('holidays.editor.day')}</th>
            <th rowspan="2">${t('holidays.editor.shift')}</th>
            ${DUTIES.map((duty) => html`<th colspan="3" class="duty">${dutyShort(view, duty)}</th>`)}
          </tr>
          <tr>
            ${DUTIES.map(
              () =>
                html`<th>${t('holidays.editor.asked')}</th>
                  <th>${t('holidays.editor.evidence')}</th>
                  <th>${t('holidays.editor.ownOnDuty')}</th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>
    <p class="muted small">
      ${t('holidays.editor.legend', { over: EVIDENCE_OVER_RATIO, under: EVIDENCE_UNDER_RATIO })}
    </p>
    ${
      view.canEdit
        ? html`<div class="row">
            <button
              type="button"
              class="primary"
              data-testid="demand-save"
              ?disabled=${unsaved === 0 || state.writing !== null}
              @click=${() => commands?.saveDemands()}
            >
              ${t('holidays.editor.save', { count: unsaved })}
            </button>
            <button
              type="button"
              ?disabled=${unsaved === 0}
              @click=${() => dispatch({ type: 'holidays/discardDemands' })}
            >
              ${t('holidays.editor.discard')}
            </button>
            <button
              type="button"
              data-testid="demand-fill"
              @click=${() => dispatch({ type: 'holidays/fillFromEvidence', stationCode: s.code })}
            >
              ${t('holidays.editor.fill')}
            </button>
          </div>`
        : nothing
    }
  </div>`;
}

/** Per-shift minimum and maximum officers of each war zone (empty: no limit). */
function zoneLimitsForm(view: HolidayView, detail: HolidayDetail): TemplateResult {
  const { t, commands, state } = view;
  const limits = new Map(detail.zoneLimits.map((l) => [l.warZoneId, l]));
  // The saved limit is the inputs' default: a limit typed but not yet saved stays as typed.
  const input = (zone: { id: number; name: string }, field: 'min' | 'max', value: number | null | undefined) =>
    html`<input
      type="number"
      min="0"
      step="1"
      name=${`${field}-${zone.id}`}
      value=${value === null || value === undefined ? '' : String(value)}
      placeholder=${t('holidays.limits.none')}
      aria-label=${`${zone.name} ${t(field === 'min' ? 'holidays.limits.min' : 'holidays.limits.max')}`}
    />`;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string) => {
      const text = (form.elements.namedItem(name) as HTMLInputElement).value.trim();
      return text === '' ? null : Math.max(0, Math.round(Number(text)));
    };
    commands?.saveZoneLimits(
      detail.zones.map((z) => ({
        warZoneId: z.id,
        minOfficers: value(`min-${z.id}`),
        maxOfficers: value(`max-${z.id}`),
      })),
    );
  };
  return html`<form class="zone-limits" data-testid="zone-limits" @submit=${submit}>
    <h3>${t('holidays.limits.title')}</h3>
    <table>
      <thead>
        <tr>
          <th>${t('holidays.station.zone')}</th>
          <th>${t('holidays.limits.min')}</th>
          <th>${t('holidays.limits.max')}</th>
        </tr>
      </thead>
      <tbody>
        ${detail.zones.map((z) => {
          const limit = limits.get(z.id);
          return html`<tr>
            <td>${z.name}</td>
            <td>${input(z, 'min', limit?.minOfficers)}</td>
            <td>${input(z, 'max', limit?.maxOfficers)}</td>
          </tr>`;
        })}
      </tbody>
    </table>
    ${
      view.canEdit
        ? html`<button type="submit" ?disabled=${state.writing !== null}>${t('holidays.limits.save')}</button>`
        : nothing
    }
  </form>`;
}
