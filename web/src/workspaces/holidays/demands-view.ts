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
import { el } from '../../ui/dom.js';
import { dayLabel, dutyShort, numberText, shiftLabel, type HolidayView } from './common.js';

/** The station whose editor was last brought into view (so a rebuild does not scroll again). */
let scrolledTo: string | null = null;

/** Zones and their stations (asked vs evidence, zone choice), the chosen station's editor, zone limits. */
export function demandsView(view: HolidayView, detail: HolidayDetail): HTMLElement {
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
  const table = el(
    'table',
    { class: 'stations', 'data-testid': 'holiday-stations' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, t('holidays.station.name')),
        el('th', {}, t('holidays.station.zone')),
        el('th', { class: 'number' }, t('holidays.station.requested')),
        el('th', { class: 'number' }, t('holidays.station.expected')),
        el('th', {}, t('holidays.station.check')),
      ),
    ),
    ...groups.map((group) => {
      const requested = group.stations.reduce((sum, s) => sum + s.requested, 0);
      const expected = group.stations.reduce((sum, s) => sum + s.expected, 0);
      const selected = group.id !== null && group.id === view.state.zoneId;
      const header = el(
        'tr',
        { class: `zone-row${selected ? ' selected' : ''}`, 'data-zone': String(group.id ?? '') },
        el(
          'th',
          { colspan: '2' },
          el('span', { class: 'swatch', style: `background:${zoneColour(zoneIds, group.id)}` }),
          `${group.name}（${t('holidays.zone.stations', { count: group.stations.length })}）`,
        ),
        el('th', { class: 'number' }, numberText(view, requested)),
        el('th', { class: 'number' }, numberText(view, expected, 1)),
        el('th', {}),
      );
      if (group.id !== null) {
        const id = group.id;
        header.addEventListener('click', () =>
          view.dispatch({ type: 'holidays/selectZone', zoneId: view.state.zoneId === id ? null : id }),
        );
      }
      const rows = group.stations.flatMap((s) => stationRows(view, detail, s));
      return el('tbody', {}, header, ...rows);
    }),
  );
  return el(
    'div',
    { class: 'demands' },
    el('p', { class: 'muted small' }, t('holidays.zones.hint')),
    el(
      'p',
      { class: 'muted small', 'data-testid': 'holiday-evidence-note' },
      evidenceNote,
      ' ',
      t('holidays.evidence.rule'),
    ),
    table,
    zoneLimitsForm(view, detail),
  );
}

/** A mark beside a request much above or below the evidence. */
function markBadge(view: HolidayView, mark: EvidenceMark, requested: number, expected: number): HTMLElement | null {
  if (mark === 'none') return null;
  return el(
    'span',
    {
      class: `mark ${mark}`,
      'data-testid': 'evidence-mark',
      'data-mark': mark,
      title: view.t('holidays.mark.title', {
        requested: numberText(view, requested),
        expected: numberText(view, expected, 1),
      }),
    },
    mark === 'over' ? `▲ ${view.t('holidays.mark.over')}` : `▼ ${view.t('holidays.mark.under')}`,
  );
}

function stationRows(view: HolidayView, detail: HolidayDetail, s: StationDemandSummary): HTMLElement[] {
  const { t, state, dispatch, commands } = view;
  const open = state.station === s.code;
  const zoneSelect = el(
    'select',
    {
      name: 'warZone',
      'data-testid': 'station-zone',
      'data-focus-key': `zone-${s.code}`,
      disabled: state.writing === 'move' || !view.canEdit,
      'aria-label': t('holidays.station.zone'),
    },
    ...(s.warZoneId === null ? [el('option', { value: '' }, t('holidays.zone.unassigned'))] : []),
    ...detail.zones.map((z) => el('option', { value: String(z.id), selected: z.id === s.warZoneId }, z.name)),
  );
  zoneSelect.addEventListener('click', (event) => event.stopPropagation());
  zoneSelect.addEventListener('change', () => {
    if (zoneSelect.value) commands?.moveStation(s.code, Number(zoneSelect.value));
  });
  const row = el(
    'tr',
    {
      class: `station-row${open ? ' selected' : ''}`,
      'data-testid': 'station-row',
      'data-code': s.code,
      'data-mark': s.mark,
    },
    el(
      'td',
      {},
      s.name,
      s.edited > 0
        ? el('span', { class: 'edited', title: t('holidays.editor.unsaved', { count: s.edited }) }, ' ●')
        : null,
    ),
    el('td', {}, zoneSelect),
    el('td', { class: 'number' }, numberText(view, s.requested)),
    el('td', { class: 'number muted' }, numberText(view, s.expected, 1)),
    el('td', {}, markBadge(view, s.mark, s.requested, s.expected)),
  );
  row.addEventListener('click', () => dispatch({ type: 'holidays/selectStation', station: open ? null : s.code }));
  if (!open) return [row];
  const editor = demandEditor(view, detail, s);
  if (scrolledTo !== s.code) {
    scrolledTo = s.code;
    // After the shell has put the rebuilt panel in the page.
    setTimeout(() => editor.scrollIntoView({ block: 'nearest', behavior: 'smooth' }), 0);
  }
  return [row, el('tr', { class: 'editor-row' }, el('td', { colspan: '5' }, editor))];
}

/** One station's request per (day, shift, duty): officers asked, the evidence beside it, own officers on duty. */
function demandEditor(view: HolidayView, detail: HolidayDetail, s: StationDemandSummary): HTMLElement {
  const { t, state, dispatch, commands } = view;
  const draft = state.demandDraft;
  const { days, shiftsPerDay } = detail.holiday;
  const unsaved = Object.keys(draft).length;
  const cellInput = (day: number, shift: number, duty: DutyId, field: 'officers' | 'ownOnDuty') => {
    const key = cellKey(s.code, day, shift, duty);
    const value = currentDemand(detail, draft, key)[field];
    const input = el('input', {
      type: 'text',
      inputmode: 'numeric',
      class: `cell-input ${field}${draft[key] && value !== savedDemand(detail, key)[field] ? ' edited' : ''}`,
      value: String(value),
      'data-focus-key': `demand|${key}|${field}`,
      'aria-label': `${dayLabel(view, detail, day)} ${shiftLabel(detail, shift)} ${dutyShort(view, duty)} ${t(
        field === 'officers' ? 'holidays.editor.asked' : 'holidays.editor.ownOnDuty',
      )}`,
    });
    // Every keystroke goes to the store, so a button clicked next never waits on a pending change.
    input.addEventListener('input', () => {
      const text = input.value.trim();
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
    });
    return input;
  };
  const rows: HTMLElement[] = [];
  for (let day = 0; day < days; day++) {
    for (let shift = 0; shift < shiftsPerDay; shift++) {
      rows.push(
        el(
          'tr',
          { class: shift === 0 ? 'day-start' : '' },
          shift === 0 ? el('th', { rowspan: String(shiftsPerDay), class: 'day' }, dayLabel(view, detail, day)) : null,
          el('th', { class: 'shift' }, shiftLabel(detail, shift)),
          ...DUTIES.flatMap((duty) => {
            const key = cellKey(s.code, day, shift, duty);
            const expected = expectedOfficers(detail, key);
            const mark = evidenceMark(currentDemand(detail, draft, key).officers, expected);
            return [
              el('td', { class: `asked ${mark}` }, cellInput(day, shift, duty, 'officers')),
              el(
                'td',
                { class: `evidence ${mark}`, 'data-mark': mark },
                mark === 'over' ? '▲' : mark === 'under' ? '▼' : '',
                numberText(view, expected, 1),
              ),
              el('td', { class: 'own' }, cellInput(day, shift, duty, 'ownOnDuty')),
            ];
          }),
        ),
      );
    }
  }
  const fill = el('button', { type: 'button', 'data-testid': 'demand-fill' }, t('holidays.editor.fill'));
  fill.addEventListener('click', () => dispatch({ type: 'holidays/fillFromEvidence', stationCode: s.code }));
  const save = el(
    'button',
    {
      type: 'button',
      class: 'primary',
      'data-testid': 'demand-save',
      disabled: unsaved === 0 || state.writing !== null,
    },
    t('holidays.editor.save', { count: unsaved }),
  );
  save.addEventListener('click', () => commands?.saveDemands());
  const discard = el('button', { type: 'button', disabled: unsaved === 0 }, t('holidays.editor.discard'));
  discard.addEventListener('click', () => dispatch({ type: 'holidays/discardDemands' }));
  const station = detail.stations.find((x) => x.code === s.code);
  return el(
    'div',
    { class: 'demand-editor', 'data-testid': 'demand-editor' },
    el(
      'div',
      { class: 'row' },
      el('strong', {}, t('holidays.editor.title', { station: s.name })),
      el('span', { class: 'muted' }, t('holidays.editor.own', { count: station?.ownOfficers ?? 0 })),
    ),
    el(
      'div',
      { class: 'duty-marks' },
      ...DUTIES.map((duty) => {
        const d = s.byDuty[duty];
        return el(
          'span',
          {},
          `${dutyShort(view, duty)} ${numberText(view, d.requested)} / ${numberText(view, d.expected, 1)} `,
          markBadge(view, d.mark, d.requested, d.expected),
        );
      }),
    ),
    el(
      'div',
      { class: 'scroll', 'data-scroll-key': `editor-${s.code}` },
      el(
        'table',
        { class: 'demand-grid' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { rowspan: '2' }, t('holidays.editor.day')),
            el('th', { rowspan: '2' }, t('holidays.editor.shift')),
            ...DUTIES.map((duty) => el('th', { colspan: '3', class: 'duty' }, dutyShort(view, duty))),
          ),
          el(
            'tr',
            {},
            ...DUTIES.flatMap(() => [
              el('th', {}, t('holidays.editor.asked')),
              el('th', {}, t('holidays.editor.evidence')),
              el('th', {}, t('holidays.editor.ownOnDuty')),
            ]),
          ),
        ),
        el('tbody', {}, ...rows),
      ),
    ),
    el(
      'p',
      { class: 'muted small' },
      t('holidays.editor.legend', { over: EVIDENCE_OVER_RATIO, under: EVIDENCE_UNDER_RATIO }),
    ),
    view.canEdit ? el('div', { class: 'row' }, save, discard, fill) : null,
  );
}

/** Per-shift minimum and maximum officers of each war zone (empty: no limit). */
function zoneLimitsForm(view: HolidayView, detail: HolidayDetail): HTMLElement {
  const { t, commands, state } = view;
  const limits = new Map(detail.zoneLimits.map((l) => [l.warZoneId, l]));
  const inputs = detail.zones.map((z) => {
    const limit = limits.get(z.id);
    const input = (field: 'min' | 'max', value: number | null | undefined) =>
      el('input', {
        type: 'number',
        min: '0',
        step: '1',
        name: `${field}-${z.id}`,
        value: value === null || value === undefined ? '' : String(value),
        placeholder: t('holidays.limits.none'),
        'data-focus-key': `limit-${field}-${z.id}`,
        'aria-label': `${z.name} ${t(field === 'min' ? 'holidays.limits.min' : 'holidays.limits.max')}`,
      });
    return { zone: z, min: input('min', limit?.minOfficers), max: input('max', limit?.maxOfficers) };
  });
  const value = (input: HTMLInputElement) =>
    input.value.trim() === '' ? null : Math.max(0, Math.round(Number(input.value)));
  const form = el(
    'form',
    { class: 'zone-limits', 'data-testid': 'zone-limits' },
    el('h3', {}, t('holidays.limits.title')),
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, t('holidays.station.zone')),
          el('th', {}, t('holidays.limits.min')),
          el('th', {}, t('holidays.limits.max')),
        ),
      ),
      el(
        'tbody',
        {},
        ...inputs.map((row) => el('tr', {}, el('td', {}, row.zone.name), el('td', {}, row.min), el('td', {}, row.max))),
      ),
    ),
    view.canEdit ? el('button', { type: 'submit', disabled: state.writing !== null }, t('holidays.limits.save')) : null,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    commands?.saveZoneLimits(
      inputs.map((row) => ({ warZoneId: row.zone.id, minOfficers: value(row.min), maxOfficers: value(row.max) })),
    );
  });
  return form;
}
