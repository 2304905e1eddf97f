import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import type { HolidayCommands } from './controller.js';
import { dayDate, stationSummaries } from './model.js';
import { currentDetail, currentPlan, HOLIDAY_TABS, type HolidaySummary, type HolidaysState } from './state.js';
import type { Locale } from '../../i18n/index.js';
import type { Action } from '../../state.js';
import { errorLine, holidayView, numberText, segmentedView, type HolidayView, type View } from './common.js';
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
): TemplateResult {
  const view = holidayView(locale, state, commands, dispatch, canEdit);
  return html`<section class="holidays kit" data-testid="holiday-panel">${panelContent(view)}</section>`;
}

function panelContent(view: HolidayView): View {
  const { t, state, dispatch, canEdit } = view;
  const list = state.fetched.list;
  const listError = errorLine(view, 'list', list);
  if (!list.data) {
    return listError !== nothing
      ? listError
      : html`<p class="muted" data-testid="holidays-loading">${t('holidays.loading')}</p>`;
  }
  const top = html`${holidayBar(view, list.data)}
  ${
    canEdit
      ? nothing
      : html`<p class="notice read-only" data-testid="holidays-read-only">${t('access.readOnly.holidays')}</p>`
  }
  ${listError} ${state.creating && canEdit ? createForm(view) : nothing}`;
  if (list.data.length === 0) {
    return html`${top}
    ${state.creating ? nothing : html`<p class="notice" data-testid="holidays-none">${t('holidays.none')}</p>`}`;
  }
  const detailError = errorLine(view, 'detail', state.fetched.detail);
  const detail = currentDetail(state);
  if (!detail) {
    return html`${top}
    ${detailError !== nothing ? detailError : html`<p class="muted">${t('holidays.detail.loading')}</p>`}`;
  }
  const section =
    state.tab === 'demands'
      ? demandsView(view, detail)
      : state.tab === 'pool' && canEdit
        ? poolView(view, detail)
        : state.tab === 'plan'
          ? planView(view, detail)
          : compareView(view, detail);
  const plan = currentPlan(state);
  return html`${top} ${figures(view)} ${detailError} ${noticeLine(view)}
    <div class="tabs">
      ${segmentedView(
        'holidays-tab',
        // The officer pool (names, availability) is for commanders only.
        HOLIDAY_TABS.filter((tab) => canEdit || tab !== 'pool').map((tab) => ({
          value: tab,
          label: t(`holidays.tab.${tab}`),
        })),
        state.tab,
        (tab) => dispatch({ type: 'holidays/setTab', tab }),
      )}
    </div>
    ${section} ${plan && state.zoneId !== null ? zonePrint(view, detail, plan, state.zoneId) : nothing}`;
}

function holidayBar(view: HolidayView, holidays: HolidaySummary[]): TemplateResult {
  const { t, state, dispatch } = view;
  const changed = (event: Event) => {
    const select = event.target as HTMLSelectElement;
    const unsaved = Object.keys(state.demandDraft).length > 0;
    if (unsaved && !window.confirm(t('holidays.editor.discardConfirm'))) {
      select.value = String(state.holidayId ?? '');
      return;
    }
    dispatch({ type: 'holidays/select', holidayId: select.value ? Number(select.value) : null });
  };
  return html`<div class="holiday-bar">
    <label
      >${t('holidays.holiday')}<select name="holiday" data-testid="holiday-select" @change=${changed}>
        ${state.holidayId === null ? html`<option value="" .selected=${live(true)}>${t('holidays.choose')}</option>` : nothing}
        ${[...holidays]
          .sort((a, b) => a.firstDay.localeCompare(b.firstDay) || a.id - b.id)
          .map(
            (h) =>
              html`<option value=${String(h.id)} .selected=${live(h.id === state.holidayId)}>
                ${`${h.name}（${h.firstDay}，${t(`holidays.status.${h.status}`)}）`}
              </option>`,
          )}
      </select></label
    >
    ${
      view.canEdit
        ? html`<button
            type="button"
            data-testid="holiday-new"
            aria-expanded=${state.creating ? 'true' : 'false'}
            @click=${() => dispatch({ type: 'holidays/setCreating', open: !state.creating })}
          >
            ${t('holidays.new')}
          </button>`
        : nothing
    }
  </div>`;
}

/** Today's date as 'YYYY-MM-DD' in the computer's time zone (the form's first suggestion). */
function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function createForm(view: HolidayView): TemplateResult {
  const { t, state, commands, dispatch } = view;
  // The inputs are the form's own (lit keeps them across renders): read when it is sent.
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    commands?.createHoliday({
      name: value('name').trim(),
      firstDay: value('firstDay'),
      days: Number(value('days')),
      shiftsPerDay: Number(value('shiftsPerDay')),
      maxTravelMinutes: Number(value('maxTravelMinutes')),
    });
  };
  return html`<form class="create-form card" data-testid="holiday-create" @submit=${submit}>
    <h2>${t('holidays.create.title')}</h2>
    <label
      >${t('holidays.create.name')}<input
        name="name"
        type="text"
        required
        maxlength="60"
        placeholder=${t('holidays.create.namePlaceholder')}
    /></label>
    <label>${t('holidays.create.firstDay')}<input name="firstDay" type="date" required value=${today()} /></label>
    <label
      >${t('holidays.create.days')}<input name="days" type="number" min="1" max="31" step="1" value="7" required
    /></label>
    <label
      >${t('holidays.create.shifts')}<select name="shiftsPerDay">
        ${[1, 2, 3, 4].map((n) => html`<option value=${String(n)} ?selected=${n === 3}>${n}</option>`)}
      </select></label
    >
    <label
      >${t('holidays.create.travel')}<input
        name="maxTravelMinutes"
        type="number"
        min="10"
        max="240"
        step="5"
        value="60"
    /></label>
    <div class="row">
      <button type="submit" class="primary" ?disabled=${state.writing === 'create'}>
        ${t('holidays.create.submit')}
      </button>
      <button type="button" @click=${() => dispatch({ type: 'holidays/setCreating', open: false })}>
        ${t('holidays.create.cancel')}
      </button>
    </div>
  </form>`;
}

/** The holiday's dates and the headline figures: stations, zones, officer-shifts asked, the pool. */
function figures(view: HolidayView): TemplateResult {
  const { t, state } = view;
  const detail = currentDetail(state)!;
  const h = detail.holiday;
  const requested = stationSummaries(detail, state.demandDraft).reduce((sum, s) => sum + s.requested, 0);
  const figure = (value: number, label: string, testId: string) =>
    html`<div class="figure" data-testid=${testId}>
      <strong>${numberText(view, value)}</strong><span>${label}</span>
    </div>`;
  return html`<div class="holiday-summary" data-testid="holiday-summary">
    <p>
      <span class=${`status ${h.status}`}>${t(`holidays.status.${h.status}`)}</span>
      ${t('holidays.summary', {
        from: h.firstDay,
        to: dayDate(h.firstDay, h.days - 1),
        days: h.days,
        shifts: h.shiftsPerDay,
        minutes: h.maxTravelMinutes,
      })}
    </p>
    <div class="figures">
      ${figure(detail.stations.length, t('holidays.stats.stations'), 'holiday-stations')}
      ${figure(detail.zones.length, t('holidays.stats.zones'), 'holiday-zones')}
      ${figure(requested, t('holidays.stats.requested'), 'holiday-requested')}
      ${figure(detail.pool.officers, t('holidays.stats.pool'), 'holiday-pool')}
      ${figure(detail.pool.trafficQualified, t('holidays.stats.traffic'), 'holiday-traffic')}
    </div>
  </div>`;
}

function noticeLine(view: HolidayView): View {
  const { t, state, dispatch } = view;
  if (state.writing) return html`<p class="muted notice-line">${t('holidays.writing')}</p>`;
  const notice = state.notice;
  if (!notice) return nothing;
  return html`<p class=${`notice-line ${notice.kind === 'ok' ? 'ok' : 'error'}`} data-testid="holidays-notice">
    ${
      notice.kind === 'ok'
        ? t(`holidays.saved.${notice.write}`)
        : t(`holidays.failed.${notice.write}`, { message: notice.message })
    }
    <button
      type="button"
      class="link"
      aria-label=${t('holidays.notice.close')}
      @click=${() => dispatch({ type: 'holidays/clearNotice' })}
    >
      ×
    </button>
  </p>`;
}
