import type { HolidayCommands } from './controller.js';
import { dayDate, stationSummaries } from './model.js';
import { currentDetail, currentPlan, HOLIDAY_TABS, type HolidaySummary, type HolidaysState } from './state.js';
import type { Locale } from '../../i18n/index.js';
import type { Action } from '../../state.js';
import { el } from '../../ui/dom.js';
import { errorLine, holidayView, numberText, segmented, type HolidayView } from './common.js';
import { demandsView } from './demands-view.js';
import { compareView } from './compare-view.js';
import { planView } from './plan-view.js';
import { poolView } from './pool-view.js';
import { zonePrint } from './print.js';

/**
 * The commanders' holiday panel: the holiday chosen (or a new one), its figures, and one of four
 * sections: zones and demands, the officer pool, the plan, two plans compared. The one-page plan
 * of the chosen war zone is drawn too, for printing only.
 */
export function holidayPanel(
  locale: Locale,
  state: HolidaysState,
  commands: HolidayCommands | null,
  dispatch: (action: Action) => void,
  canEdit = true,
): HTMLElement {
  const view = holidayView(locale, state, commands, dispatch, canEdit);
  const { t } = view;
  const root = el('section', { class: 'holidays kit', 'data-testid': 'holiday-panel' });
  const list = state.fetched.list;
  const listError = errorLine(view, 'list', list);
  if (!list.data) {
    root.append(listError ?? el('p', { class: 'muted', 'data-testid': 'holidays-loading' }, t('holidays.loading')));
    return root;
  }
  root.append(holidayBar(view, list.data));
  if (!canEdit) {
    root.append(
      el('p', { class: 'notice read-only', 'data-testid': 'holidays-read-only' }, t('access.readOnly.holidays')),
    );
  }
  if (listError) root.append(listError);
  if (state.creating && canEdit) root.append(createForm(view));
  if (list.data.length === 0) {
    if (!state.creating) root.append(el('p', { class: 'notice', 'data-testid': 'holidays-none' }, t('holidays.none')));
    return root;
  }
  const detailError = errorLine(view, 'detail', state.fetched.detail);
  const detail = currentDetail(state);
  if (!detail) {
    root.append(detailError ?? el('p', { class: 'muted' }, t('holidays.detail.loading')));
    return root;
  }
  root.append(figures(view));
  if (detailError) root.append(detailError);
  const notice = noticeLine(view);
  if (notice) root.append(notice);
  root.append(
    el(
      'div',
      { class: 'tabs' },
      segmented(
        'holidays-tab',
        // The officer pool (names, availability) is for commanders only.
        HOLIDAY_TABS.filter((tab) => canEdit || tab !== 'pool').map((tab) => ({
          value: tab,
          label: t(`holidays.tab.${tab}`),
        })),
        state.tab,
        (tab) => dispatch({ type: 'holidays/setTab', tab }),
      ),
    ),
  );
  const section =
    state.tab === 'demands'
      ? demandsView(view, detail)
      : state.tab === 'pool' && canEdit
        ? poolView(view, detail)
        : state.tab === 'plan'
          ? planView(view, detail)
          : compareView(view, detail);
  root.append(section);
  const plan = currentPlan(state);
  if (plan && state.zoneId !== null) root.append(zonePrint(view, detail, plan, state.zoneId));
  return root;
}

function holidayBar(view: HolidayView, holidays: HolidaySummary[]): HTMLElement {
  const { t, state, dispatch } = view;
  const select = el(
    'select',
    { name: 'holiday', 'data-testid': 'holiday-select', 'data-focus-key': 'holiday-select' },
    ...(state.holidayId === null ? [el('option', { value: '' }, t('holidays.choose'))] : []),
    ...[...holidays]
      .sort((a, b) => a.firstDay.localeCompare(b.firstDay) || a.id - b.id)
      .map((h) =>
        el(
          'option',
          { value: String(h.id), selected: h.id === state.holidayId },
          `${h.name}（${h.firstDay}，${t(`holidays.status.${h.status}`)}）`,
        ),
      ),
  );
  select.addEventListener('change', () => {
    const unsaved = Object.keys(state.demandDraft).length > 0;
    if (unsaved && !window.confirm(t('holidays.editor.discardConfirm'))) {
      select.value = String(state.holidayId ?? '');
      return;
    }
    dispatch({ type: 'holidays/select', holidayId: select.value ? Number(select.value) : null });
  });
  const create = el(
    'button',
    { type: 'button', 'data-testid': 'holiday-new', 'aria-expanded': state.creating ? 'true' : 'false' },
    t('holidays.new'),
  );
  create.addEventListener('click', () => dispatch({ type: 'holidays/setCreating', open: !state.creating }));
  return el(
    'div',
    { class: 'holiday-bar' },
    el('label', {}, t('holidays.holiday'), select),
    view.canEdit ? create : null,
  );
}

/** Today's date as 'YYYY-MM-DD' in the computer's time zone (the form's first suggestion). */
function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function createForm(view: HolidayView): HTMLElement {
  const { t, state, commands, dispatch } = view;
  const input = (name: string, attributes: Record<string, string>) =>
    el('input', { name, 'data-focus-key': `create-${name}`, ...attributes });
  const name = input('name', {
    type: 'text',
    required: 'true',
    maxlength: '60',
    placeholder: t('holidays.create.namePlaceholder'),
  });
  const firstDay = input('firstDay', { type: 'date', required: 'true', value: today() });
  const days = input('days', { type: 'number', min: '1', max: '31', step: '1', value: '7', required: 'true' });
  const shifts = el(
    'select',
    { name: 'shiftsPerDay', 'data-focus-key': 'create-shifts' },
    ...[1, 2, 3, 4].map((n) => el('option', { value: String(n), selected: n === 3 }, String(n))),
  );
  const travel = input('maxTravelMinutes', { type: 'number', min: '10', max: '240', step: '5', value: '60' });
  const cancel = el('button', { type: 'button' }, t('holidays.create.cancel'));
  cancel.addEventListener('click', () => dispatch({ type: 'holidays/setCreating', open: false }));
  const form = el(
    'form',
    { class: 'create-form card', 'data-testid': 'holiday-create' },
    el('h2', {}, t('holidays.create.title')),
    el('label', {}, t('holidays.create.name'), name),
    el('label', {}, t('holidays.create.firstDay'), firstDay),
    el('label', {}, t('holidays.create.days'), days),
    el('label', {}, t('holidays.create.shifts'), shifts),
    el('label', {}, t('holidays.create.travel'), travel),
    el(
      'div',
      { class: 'row' },
      el(
        'button',
        { type: 'submit', class: 'primary', disabled: state.writing === 'create' },
        t('holidays.create.submit'),
      ),
      cancel,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    commands?.createHoliday({
      name: name.value.trim(),
      firstDay: firstDay.value,
      days: Number(days.value),
      shiftsPerDay: Number(shifts.value),
      maxTravelMinutes: Number(travel.value),
    });
  });
  return form;
}

/** The holiday's dates and the headline figures: stations, zones, officer-shifts asked, the pool. */
function figures(view: HolidayView): HTMLElement {
  const { t, state } = view;
  const detail = currentDetail(state)!;
  const h = detail.holiday;
  const requested = stationSummaries(detail, state.demandDraft).reduce((sum, s) => sum + s.requested, 0);
  const figure = (value: number, label: string, testId: string) =>
    el(
      'div',
      { class: 'figure', 'data-testid': testId },
      el('strong', {}, numberText(view, value)),
      el('span', {}, label),
    );
  return el(
    'div',
    { class: 'holiday-summary', 'data-testid': 'holiday-summary' },
    el(
      'p',
      {},
      el('span', { class: `status ${h.status}` }, t(`holidays.status.${h.status}`)),
      ' ',
      t('holidays.summary', {
        from: h.firstDay,
        to: dayDate(h.firstDay, h.days - 1),
        days: h.days,
        shifts: h.shiftsPerDay,
        minutes: h.maxTravelMinutes,
      }),
    ),
    el(
      'div',
      { class: 'figures' },
      figure(detail.stations.length, t('holidays.stats.stations'), 'holiday-stations'),
      figure(detail.zones.length, t('holidays.stats.zones'), 'holiday-zones'),
      figure(requested, t('holidays.stats.requested'), 'holiday-requested'),
      figure(detail.pool.officers, t('holidays.stats.pool'), 'holiday-pool'),
      figure(detail.pool.trafficQualified, t('holidays.stats.traffic'), 'holiday-traffic'),
    ),
  );
}

function noticeLine(view: HolidayView): HTMLElement | null {
  const { t, state, dispatch } = view;
  if (state.writing) return el('p', { class: 'muted notice-line' }, t('holidays.writing'));
  const notice = state.notice;
  if (!notice) return null;
  const close = el('button', { type: 'button', class: 'link', 'aria-label': t('holidays.notice.close') }, '×');
  close.addEventListener('click', () => dispatch({ type: 'holidays/clearNotice' }));
  return el(
    'p',
    { class: `notice-line ${notice.kind === 'ok' ? 'ok' : 'error'}`, 'data-testid': 'holidays-notice' },
    notice.kind === 'ok'
      ? t(`holidays.saved.${notice.write}`)
      : t(`holidays.failed.${notice.write}`, { message: notice.message }),
    ' ',
    close,
  );
}
