import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import type { PolicingCommands } from './controller.js';
import { REASON_COLOURS } from './map-layers.js';
import {
  listedVillages,
  whatIfChanges,
  type NoTripReport,
  type NoTripVillage,
  type PolicingState,
  type VisitPlanResult,
} from './state.js';
import type { Action } from '../../state.js';
import { el } from '../../ui/dom.js';

const GROUPS = ['aged70Plus', 'disabled', 'leftBehind', 'lowIncome', 'needsAssistance'] as const;
type T = (key: MessageKey, values?: Record<string, string | number>) => string;

/** The commanders' panel: rules, totals, station, list, village details, bands and the visit plan. */
export function policingPanel(
  locale: Locale,
  state: PolicingState,
  commands: PolicingCommands | null,
  dispatch: (action: Action) => void,
  canEdit = true,
): HTMLElement {
  const t: T = (key, values) => translate(locale, key, values);
  const root = el('section', { class: 'policing', 'data-testid': 'policing-panel' });
  // Leaders read; only commanders (and admins) change rules, designations and visit plans.
  const editor = canEdit ? commands : null;
  if (state.report.kind === 'error') {
    root.append(el('p', { class: 'error' }, t('policing.error', { message: state.report.message })));
    return root;
  }
  if (state.report.kind !== 'ready') {
    root.append(el('p', { class: 'muted', 'data-testid': 'policing-loading' }, t('policing.loading')));
    return root;
  }
  const report = state.report.data;
  if (!canEdit) {
    root.append(
      el('p', { class: 'notice read-only', 'data-testid': 'policing-read-only' }, t('access.readOnly.policing')),
    );
  }
  root.append(rulesForm(t, state, report, commands, canEdit));
  if (state.whatIf) root.append(whatIfBlock(t, state, report, commands, dispatch));
  root.append(totalsBlock(t, state, report));
  if (state.summary.kind === 'ready') {
    const s = state.summary.data;
    root.append(
      el(
        'p',
        { class: 'visits', 'data-testid': 'visit-totals' },
        el('strong', {}, t('policing.visits')),
        el('br'),
        t('policing.visits.totals', {
          visits: s.visits,
          business: s.businessHandled,
          help: s.helpRequests,
          unregistered: s.unregisteredResolved,
        }),
      ),
    );
  }

  const stationSelect = el(
    'select',
    { name: 'station', 'data-testid': 'station-select' },
    el('option', { value: '' }, t('policing.station.all')),
    ...report.stations.map((s) =>
      el('option', { value: s.code, selected: s.code === state.station }, `${s.name}（${s.noTripVillages}）`),
    ),
  );
  stationSelect.addEventListener('change', () =>
    dispatch({ type: 'policing/selectStation', station: stationSelect.value || null }),
  );
  root.append(
    el(
      'div',
      { class: 'row' },
      el('label', {}, t('policing.station'), stationSelect),
      el('a', { href: commands?.exportUrl('csv') ?? '#', download: true }, t('policing.export.csv')),
      el('a', { href: commands?.exportUrl('xlsx') ?? '#', download: true }, t('policing.export.xlsx')),
    ),
  );

  const village = state.village ? report.villages.find((v) => v.code === state.village) : undefined;
  if (village) root.append(villageDetails(t, village, editor, dispatch));
  if (state.station) root.append(stationBlock(t, state, report, editor));
  root.append(villageList(t, state, dispatch));
  return root;
}

function rulesForm(
  t: T,
  state: PolicingState,
  report: NoTripReport,
  commands: PolicingCommands | null,
  canEdit: boolean,
): HTMLElement {
  // Any whole number: a step counts from `min`, so a step of 5 from 1 allowed only 1, 6, 11, … 46.
  const drive = el('input', {
    type: 'number',
    name: 'maxDriveMinutes',
    min: '1',
    max: '600',
    step: '1',
    value: String(report.settings.maxDriveMinutes),
  });
  const bus = el('input', {
    type: 'number',
    name: 'maxBusWalkMetres',
    min: '0',
    max: '20000',
    step: '1',
    value: String(report.settings.maxBusWalkMetres),
  });
  const rules = () => ({ maxDriveMinutes: Number(drive.value), maxBusWalkMetres: Number(bus.value) });
  const tryButton = el('button', { type: 'submit', 'data-testid': 'rules-try' }, t('policing.rules.try'));
  const saveButton = el('button', { type: 'button', 'data-testid': 'rules-save' }, t('policing.rules.save'));
  const form = el(
    'form',
    { class: 'rules' },
    el('h2', {}, t('policing.rules')),
    el('label', {}, t('policing.rules.drive'), drive),
    el('label', {}, t('policing.rules.bus'), bus),
    el('div', { class: 'row' }, tryButton, canEdit ? saveButton : null),
    state.message
      ? el(
          'p',
          { class: state.message === 'saved' ? 'ok' : 'error' },
          state.message === 'saved' ? t('policing.rules.saved') : state.message,
        )
      : null,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    commands?.tryRules(rules());
  });
  saveButton.addEventListener('click', () => commands?.saveRules(rules()));
  return form;
}

/** What the what-if changes against the saved rules: how many villages, which ones, and the way back. */
function whatIfBlock(
  t: T,
  state: PolicingState,
  report: NoTripReport,
  commands: PolicingCommands | null,
  dispatch: (action: Action) => void,
): HTMLElement {
  const back = el('button', { type: 'button', 'data-testid': 'rules-back' }, t('policing.whatIf.back'));
  back.addEventListener('click', () => commands?.backToSaved());
  const changes = whatIfChanges(state);
  const block = el(
    'div',
    { class: 'what-if notice', 'data-testid': 'what-if' },
    el('p', {}, el('strong', {}, t('policing.rules.whatIf'))),
  );
  if (state.saved.kind === 'error') block.append(el('p', { class: 'error' }, state.saved.message));
  else if (!changes) block.append(el('p', { class: 'muted' }, t('policing.whatIf.comparing')));
  else {
    const station = state.station ? report.stations.find((s) => s.code === state.station) : undefined;
    const villageItems = (villages: NoTripVillage[]) =>
      el(
        'ul',
        {},
        ...villages.map((v) => {
          const open = el(
            'button',
            { type: 'button', class: 'link' },
            t('policing.whatIf.village', {
              name: v.name,
              township: v.townshipName,
              drive: minutesText(t, v.driveMinutes),
            }),
          );
          open.addEventListener('click', () => dispatch({ type: 'policing/selectVillage', village: v.code }));
          return el('li', { 'data-code': v.code }, open);
        }),
      );
    block.append(
      el(
        'p',
        { 'data-testid': 'what-if-delta' },
        el(
          'strong',
          {},
          t('policing.whatIf.delta', {
            scope: station?.name ?? t('policing.whatIf.scope.county'),
            added: changes.added.length,
            removed: changes.removed.length,
          }),
        ),
        el('br'),
        t('policing.whatIf.against', {
          drive: changes.savedSettings.maxDriveMinutes,
          bus: changes.savedSettings.maxBusWalkMetres,
        }),
      ),
    );
    if (changes.added.length === 0 && changes.removed.length === 0) {
      block.append(el('p', { class: 'muted' }, t('policing.whatIf.same')));
    }
    const changed = (testId: string, title: string, villages: NoTripVillage[]) =>
      villages.length > 0 ? el('div', { 'data-testid': testId }, el('h3', {}, title), villageItems(villages)) : null;
    block.append(
      ...[
        changed('what-if-added', t('policing.whatIf.added', { count: changes.added.length }), changes.added),
        changed('what-if-removed', t('policing.whatIf.removed', { count: changes.removed.length }), changes.removed),
      ].filter((item) => item !== null),
    );
  }
  block.append(back);
  return block;
}

function totalsBlock(t: T, state: PolicingState, report: NoTripReport): HTMLElement {
  const totals = (state.station && report.stations.find((s) => s.code === state.station)) || report.county;
  return el(
    'div',
    { class: 'totals', 'data-testid': 'no-trip-totals' },
    el(
      'p',
      {},
      el(
        'strong',
        {},
        t('policing.totals', {
          noTrip: totals.noTripVillages,
          villages: totals.villages,
          households: totals.noTripHouseholds,
        }),
      ),
    ),
    el(
      'p',
      { class: 'muted' },
      t('policing.byReason', {
        drive: totals.byReason.drive,
        noBus: totals.byReason.no_bus,
        designated: totals.byReason.designated,
      }),
    ),
    el(
      'p',
      { class: 'muted', 'data-testid': 'borderline-totals' },
      t('policing.borderline.totals', { borderline: totals.borderlineVillages }),
      ' ',
      t('policing.constants', {
        constants:
          report.constants.calibrationId === null
            ? t('policing.constants.default')
            : t('policing.constants.calibrated', {
                id: report.constants.calibrationId,
                date: (report.constants.calibratedAt ?? '').slice(0, 10),
              }),
        low: Math.round((1 - report.constants.ratioLow) * 100),
        high: Math.round((report.constants.ratioHigh - 1) * 100),
      }),
    ),
    el(
      'dl',
      { class: 'groups' },
      ...GROUPS.flatMap((g) => [el('dt', {}, t(`policing.group.${g}`)), el('dd', {}, String(totals.noTripGroups[g]))]),
    ),
  );
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
function borderlineBadge(t: T, village: NoTripVillage): HTMLElement[] {
  return village.borderline
    ? [el('span', { class: 'badge borderline', 'data-testid': 'borderline-badge' }, t('policing.borderline'))]
    : [];
}

function reasonBadges(t: T, village: NoTripVillage): HTMLElement[] {
  return village.reasons.map((reason) =>
    el('span', { class: 'badge', style: `background:${REASON_COLOURS[reason]}` }, t(`policing.reason.${reason}`)),
  );
}

function villageList(t: T, state: PolicingState, dispatch: (action: Action) => void): HTMLElement {
  const villages = listedVillages(state);
  const rows = villages.map((v) => {
    const row = el(
      'tr',
      { 'data-testid': 'no-trip-row', 'data-code': v.code, class: v.code === state.village ? 'selected' : '' },
      el('td', {}, v.name),
      el('td', {}, v.townshipName),
      el('td', { class: 'number', title: minutesText(t, v.driveMinutes) }, driveRangeText(t, v)),
      el('td', {}, ...reasonBadges(t, v), ...borderlineBadge(t, v)),
    );
    row.addEventListener('click', () => dispatch({ type: 'policing/selectVillage', village: v.code }));
    return row;
  });
  return el(
    'div',
    { class: 'list' },
    el('h2', {}, `${t('policing.list')}（${villages.length}）`),
    el(
      'table',
      { 'data-testid': 'no-trip-list' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, t('policing.list.village')),
          el('th', {}, t('policing.list.township')),
          el('th', {}, t('policing.list.drive')),
          el('th', {}, t('policing.list.reasons')),
        ),
      ),
      el('tbody', {}, ...rows),
    ),
  );
}

function villageDetails(
  t: T,
  village: NoTripVillage,
  commands: PolicingCommands | null,
  dispatch: (action: Action) => void,
): HTMLElement {
  const close = el('button', { type: 'button', class: 'link' }, t('policing.village.close'));
  close.addEventListener('click', () => dispatch({ type: 'policing/selectVillage', village: null }));
  const designation = !commands
    ? null
    : village.designation
      ? (() => {
          const remove = el(
            'button',
            { type: 'button', 'data-testid': 'undesignate' },
            t('policing.designation.remove'),
          );
          remove.addEventListener('click', () => commands?.undesignate(village.code));
          return el(
            'div',
            {},
            el(
              'p',
              {},
              t('policing.designation.by', {
                by: village.designation.designatedBy,
                at: village.designation.designatedAt.slice(0, 16).replace('T', ' '),
                reason: village.designation.reason,
              }),
            ),
            remove,
          );
        })()
      : (() => {
          const reason = el('input', { type: 'text', name: 'reason', maxlength: '500', required: true });
          const form = el(
            'form',
            { 'data-testid': 'designate-form' },
            el('label', {}, t('policing.designation.reason'), reason),
            el('button', { type: 'submit' }, t('policing.designation.save')),
          );
          form.addEventListener('submit', (event) => {
            event.preventDefault();
            if (reason.value.trim()) commands?.designate(village.code, reason.value.trim());
          });
          return el('div', {}, el('h3', {}, t('policing.designation')), form);
        })();
  return el(
    'div',
    { class: 'village-card', 'data-testid': 'village-card' },
    el('div', { class: 'row' }, el('h2', {}, `${village.name} · ${village.townshipName}`), close),
    el('div', {}, ...reasonBadges(t, village), ...borderlineBadge(t, village)),
    el(
      'dl',
      {},
      el('dt', {}, t('policing.village.drive')),
      el(
        'dd',
        {},
        `${village.stationName ?? ''} ${minutesText(t, village.driveMinutes)}`,
        village.driveRangeMinutes && village.driveMinutes !== null
          ? ` (${t('policing.village.range', { range: driveRangeText(t, village) })})`
          : '',
      ),
      el('dt', {}, t('policing.village.farthest')),
      el('dd', {}, minutesText(t, village.farthestHouseholdMinutes)),
      el('dt', {}, t('policing.village.bus')),
      el(
        'dd',
        {},
        village.busWalkMetres === null
          ? t('policing.unreachable')
          : t('policing.metres', { metres: village.busWalkMetres }),
      ),
      el('dt', {}, t('policing.village.households')),
      el('dd', {}, String(village.households)),
      ...GROUPS.flatMap((g) => [el('dt', {}, t(`policing.group.${g}`)), el('dd', {}, String(village.groups[g]))]),
    ),
    designation,
  );
}

function stationBlock(
  t: T,
  state: PolicingState,
  report: NoTripReport,
  commands: PolicingCommands | null,
): HTMLElement {
  const station = report.stations.find((s) => s.code === state.station);
  const hours = el('input', { type: 'number', name: 'dayHours', min: '1', max: '16', step: '0.5', value: '8' });
  const officers = el('input', { type: 'number', name: 'officers', min: '1', max: '10', step: '1', value: '2' });
  const form = el(
    'form',
    { class: 'plan-form', 'data-testid': 'plan-form' },
    el('h2', {}, t('policing.plan')),
    el('label', {}, t('policing.plan.hours'), hours),
    el('label', {}, t('policing.plan.officers'), officers),
    el('button', { type: 'submit', disabled: state.plan.kind === 'loading' }, t('policing.plan.submit')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    commands?.planVisits({ dayHours: Number(hours.value), officers: Number(officers.value) });
  });
  // Says which bands are drawn, never more than the map shows.
  const drawn =
    state.isochrones.kind === 'ready' ? state.isochrones.data.features.map((f) => f.properties.minutes) : [];
  const bands =
    state.isochrones.kind === 'loading'
      ? t('policing.isochrones.loading')
      : state.isochrones.kind === 'error'
        ? state.isochrones.message
        : state.isochrones.kind === 'ready' && drawn.length === 0
          ? t('policing.isochrones.none')
          : state.isochrones.kind === 'ready'
            ? t('policing.isochrones', { minutes: drawn.join(' / ') })
            : '';
  const block = el(
    'div',
    { class: 'station-block' },
    el('p', { class: 'muted', 'data-testid': 'isochrone-status' }, bands),
    commands ? form : null,
  );
  if (state.plan.kind === 'loading') block.append(el('p', { class: 'muted' }, t('policing.plan.loading')));
  if (state.plan.kind === 'error') block.append(el('p', { class: 'error' }, state.plan.message));
  if (state.plan.kind === 'ready' && station) block.append(itinerary(t, state.plan.data, station.name));
  return block;
}

function itinerary(t: T, plan: VisitPlanResult, stationName: string): HTMLElement {
  const print = el('button', { type: 'button', class: 'no-print' }, t('policing.plan.print'));
  print.addEventListener('click', () => window.print());
  return el(
    'div',
    { class: 'itinerary', 'data-testid': 'itinerary' },
    el('h3', {}, t('policing.plan.title', { station: stationName, hours: plan.dayHours, officers: plan.officers })),
    el(
      'p',
      { 'data-testid': 'plan-summary' },
      t('policing.plan.summary', {
        days: plan.days.length,
        drive: plan.totalDriveMinutes.toFixed(0),
        baselineDays: plan.baseline.days,
        baselineDrive: plan.baseline.totalDriveMinutes.toFixed(0),
      }),
    ),
    ...plan.days.map((day) =>
      el(
        'div',
        { class: 'day' },
        el(
          'h4',
          {},
          t('policing.plan.day', {
            day: day.day,
            drive: day.driveMinutes.toFixed(0),
            service: day.serviceMinutes.toFixed(0),
            back: day.returnMinutes.toFixed(0),
          }),
        ),
        el(
          'ol',
          {},
          ...day.stops.map((stop) =>
            el(
              'li',
              {},
              t('policing.plan.stop', {
                arrive: stop.arriveMinutes.toFixed(0),
                village: stop.villageName,
                service: stop.serviceMinutes.toFixed(0),
              }),
            ),
          ),
        ),
      ),
    ),
    ...plan.unplaced.map((u) =>
      el(
        'p',
        { class: 'error' },
        t('policing.plan.unplaced', { village: u.villageName, reason: t(`policing.plan.unplaced.${u.reason}`) }),
      ),
    ),
    print,
  );
}
