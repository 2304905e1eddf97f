import { html, nothing, type TemplateResult } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { ref } from 'lit-html/directives/ref.js';
import { currentPlan, type ExplainedShortfall, type HolidayDetail, type PlanDetail } from './state.js';
import {
  errorLine,
  numberText,
  percentText,
  shareBar,
  table,
  zoneChip,
  type HolidayView,
  type View,
} from './common.js';
import { dutyDayShift, stationCoverage, zoneCoverageTable, zoneSlotGrid } from './coverage-view.js';
import { roster } from './roster-view.js';

/** Explanations shown before "show all". */
const EXPLANATIONS_SHOWN = 6;

// ---- The solve form and its progress -----------------------------------------------------------

let clock: ReturnType<typeof setInterval> | null = null;

/** Seconds since a time in milliseconds, as shown by a counter. */
const secondsSince = (sinceMs: number) => String(Math.max(0, Math.floor((Date.now() - sinceMs) / 1000)));

/**
 * Keeps every `[data-since-ms]` counter in the page counting seconds; stops when none is left.
 * The counters have no content of lit's, so the clock may write their text.
 */
function runClock(counter: Element | undefined): void {
  if (counter instanceof HTMLElement && counter.textContent === '')
    counter.textContent = secondsSince(Number(counter.dataset.sinceMs));
  if (clock) return;
  clock = setInterval(() => {
    const counters = document.querySelectorAll<HTMLElement>('[data-since-ms]');
    if (counters.length === 0 && clock) {
      clearInterval(clock);
      clock = null;
    }
    for (const counter of counters) counter.textContent = secondsSince(Number(counter.dataset.sinceMs));
  }, 500);
}

function solveForm(view: HolidayView, detail: HolidayDetail): TemplateResult {
  const { t, state, commands, dispatch } = view;
  const running = state.solve.status === 'running';
  // The inputs start from the what-if in the state and are the form's own until it is sent.
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const text = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const poolSize = text('poolSize');
    const size = poolSize === '' ? null : Math.max(1, Math.round(Number(poolSize)));
    dispatch({
      type: 'holidays/setWhatIf',
      whatIf: { label: (form.elements.namedItem('label') as HTMLInputElement).value, poolSize: size },
    });
    for (const zone of detail.zones) {
      const cap = text(`cap-${zone.id}`);
      dispatch({ type: 'holidays/setZoneCap', warZoneId: zone.id, maxOfficers: cap === '' ? null : Number(cap) });
    }
    commands?.solve();
  };
  const status = state.solve;
  return html`<form class="solve-form card" data-testid="solve-form" @submit=${submit}>
    <h3>${t('holidays.solve.title')}</h3>
    <div class="fields">
      <label
        >${t('holidays.solve.label')}<input
          type="text"
          name="label"
          maxlength="60"
          value=${state.whatIf.label}
          placeholder=${t('holidays.solve.labelPlaceholder')}
      /></label>
      <label
        >${t('holidays.solve.poolSize')}<input
          type="number"
          name="poolSize"
          min="1"
          max=${String(detail.pool.officers)}
          step="1"
          value=${state.whatIf.poolSize === null ? '' : String(state.whatIf.poolSize)}
          placeholder=${t('holidays.solve.poolAll', { count: detail.pool.officers })}
          data-testid="solve-pool"
      /></label>
    </div>
    <div class="caps">
      <span class="muted small">${t('holidays.solve.caps')}</span>
      ${detail.zones.map((z) => {
        const cap = state.whatIf.zoneCaps[String(z.id)];
        return html`<label
          >${z.name}<input
            type="number"
            min="0"
            step="1"
            name=${`cap-${z.id}`}
            value=${cap === undefined ? '' : String(cap)}
            placeholder=${t('holidays.limits.none')}
            aria-label=${z.name}
        /></label>`;
      })}
    </div>
    <div class="row">
      <button type="submit" class="primary" ?disabled=${running} data-testid="solve-button">
        ${running ? t('holidays.solve.busy') : t('holidays.solve.submit')}
      </button>
      <span class="muted small">${t('holidays.solve.hint')}</span>
    </div>
    ${
      status.status === 'running'
        ? html`<div class="solving" data-testid="solve-status" role="status">
            <div class="progress"><span></span></div>
            <p>
              ${t('holidays.solve.running.before')}<span
                data-since-ms=${String(status.startedAtMs)}
                ${ref(runClock)}
              ></span
              >${t('holidays.solve.running.after')}
            </p>
          </div>`
        : status.status === 'error'
          ? html`<p class="error" data-testid="solve-error">
              ${t('holidays.solve.failed', { message: status.message })}
            </p>`
          : nothing
    }
  </form>`;
}

// ---- Plans ------------------------------------------------------------------------------------

function plansList(view: HolidayView): View {
  const { t, state, dispatch } = view;
  const plans = state.fetched.plans.data;
  if (!plans) return errorLine(view, 'plans', state.fetched.plans);
  if (plans.length === 0) return html`<p class="notice" data-testid="plans-none">${t('holidays.plans.none')}</p>`;
  const rows = [...plans]
    .sort((a, b) => b.id - a.id)
    .map(
      (p) =>
        html`<tr
          class=${p.id === state.planId ? 'selected' : ''}
          data-testid="plan-row"
          data-id=${String(p.id)}
          @click=${() => dispatch({ type: 'holidays/selectPlan', planId: p.id })}
        >
          <td>
            ${`#${p.id} ${p.label}`}${
              p.published ? html`<span class="badge published">${t('holidays.status.published')}</span>` : nothing
            }
          </td>
          <td class="number">${numberText(view, p.poolSize)}</td>
          <td class="number">${numberText(view, p.unmet)}</td>
          <td class="muted small">${p.createdAt.slice(5, 16).replace('T', ' ')}</td>
        </tr>`,
    );
  return html`<div class="plans">
    <h3>${t('holidays.plans.title')}</h3>
    <div class="scroll short">
      ${table(
        [t('holidays.plans.label'), t('holidays.plans.pool'), t('holidays.plans.unmet'), t('holidays.plans.created')],
        rows,
        { testId: 'plan-list', className: 'clickable' },
      )}
    </div>
  </div>`;
}

/** The plan section: the what-if form (its own per holiday), the plans solved, and the plan chosen read out. */
export function planView(view: HolidayView, detail: HolidayDetail): TemplateResult {
  const { t, state } = view;
  const plan = currentPlan(state);
  const error = errorLine(view, 'plan', state.fetched.plan);
  return html`<div class="plan-view">
    ${view.canEdit ? keyed(detail.holiday.id, solveForm(view, detail)) : nothing} ${plansList(view)} ${error}
    ${
      plan
        ? html`${headline(view, plan)} ${explanations(view, detail, plan)} ${zoneCoverageTable(view, detail, plan)}
          ${zoneSlotGrid(view, detail, plan)} ${dutyDayShift(view, detail, plan)} ${stationCoverage(view, detail, plan)}
          ${roster(view, detail, plan)}`
        : state.planId !== null && error === nothing
          ? html`<p class="muted">${t('holidays.plan.loading')}</p>`
          : nothing
    }
  </div>`;
}

function headline(view: HolidayView, plan: PlanDetail): TemplateResult {
  const { t, commands, state } = view;
  const total = plan.coverage.total;
  const publish = () => {
    if (window.confirm(t('holidays.plan.publishConfirm', { label: plan.label }))) commands?.publish(plan.id);
  };
  const caps = plan.whatIf.zoneCaps.length;
  const hours = (seconds: number) => numberText(view, seconds / 3600, 1);
  const line = (label: string, mine: string, greedy: string) =>
    html`<tr>
      <th>${label}</th>
      <td class="number">${mine}</td>
      <td class="number muted">${greedy}</td>
    </tr>`;
  return html`<div class="plan-headline card" data-testid="plan-headline">
    <div class="row">
      <h3>${`#${plan.id} ${plan.label}`}</h3>
      ${plan.published ? html`<span class="badge published">${t('holidays.status.published')}</span>` : nothing}
      <span class="spacer"></span>
      ${
        // The roster names officers: commanders only, as the server says.
        view.canEdit
          ? html`<a href=${commands?.rosterUrl(plan.id, 'csv') ?? '#'} download data-testid="roster-csv"
                >${t('holidays.plan.export.csv')}</a
              ><a href=${commands?.rosterUrl(plan.id, 'xlsx') ?? '#'} download data-testid="roster-xlsx"
                >${t('holidays.plan.export.xlsx')}</a
              ><button
                type="button"
                class="primary"
                data-testid="plan-publish"
                ?disabled=${plan.published || state.writing !== null}
                @click=${publish}
              >
                ${plan.published ? t('holidays.status.published') : t('holidays.plan.publish')}
              </button>`
          : nothing
      }
    </div>
    <p class="big">
      ${t('holidays.plan.met', { met: numberText(view, total.met), demanded: numberText(view, total.demanded) })}
      ${shareBar(total)}
    </p>
    <p class="muted small" data-testid="plan-solver">
      ${t('holidays.plan.solver', {
        status: t(`holidays.plan.status.${plan.status}`),
        gap: `${numberText(view, plan.mipGap * 100, 2)}%`,
        seconds: numberText(view, plan.seconds, 1),
        variables: numberText(view, plan.variables),
        constraints: numberText(view, plan.constraints),
      })}
      ${t('holidays.plan.pool', { count: plan.poolSize })}${
        caps > 0
          ? ` ${t('holidays.plan.caps', { caps: plan.whatIf.zoneCaps.map((c) => c.maxOfficers).join(' / ') })}`
          : ''
      }
    </p>
    <table class="baseline" data-testid="plan-baseline">
      <thead>
        <tr>
          <th>${t('holidays.plan.baseline')}</th>
          <th class="number">${t('holidays.plan.thisPlan')}</th>
          <th class="number">${t('holidays.plan.greedy')}</th>
        </tr>
      </thead>
      <tbody>
        ${line(t('holidays.plan.unmet'), numberText(view, plan.unmet), numberText(view, plan.baseline.unmet))}
        ${line(
          t('holidays.plan.weightedUnmet'),
          numberText(view, plan.weightedUnmet, 1),
          numberText(view, plan.baseline.weightedUnmet, 1),
        )}
        ${line(
          t('holidays.plan.maxUnmetShare'),
          percentText(plan.maxUnmetShare),
          percentText(plan.baseline.maxUnmetShare),
        )}
        ${line(t('holidays.plan.travel'), numberText(view, plan.travelHours, 1), hours(plan.baseline.travelSeconds))}
      </tbody>
    </table>
  </div>`;
}

/** What the explanation is about, for its order: "all met" first, then what one more officer buys, then shortfalls. */
const KIND_ORDER: Record<ExplainedShortfall['kind'], number> = {
  all_met: 0,
  extra_officer: 1,
  zone_minimum_short: 2,
  station_cover_short: 3,
  short: 4,
};

function explanations(view: HolidayView, detail: HolidayDetail, plan: PlanDetail): TemplateResult {
  const { t, state, dispatch, locale } = view;
  const zone = state.zoneId === null ? null : String(state.zoneId);
  const all = plan.explanations
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => zone === null || !('zoneId' in e) || e.zoneId === zone)
    .sort((a, b) => KIND_ORDER[a.e.kind] - KIND_ORDER[b.e.kind] || a.i - b.i)
    .map(({ e }) => e);
  const shown = state.showAllExplanations ? all : all.slice(0, EXPLANATIONS_SHOWN);
  return html`<div class="explanations" data-testid="plan-explanations">
    <h3>${t('holidays.explanations.title')} ${zoneChip(view, detail)}</h3>
    <ul>
      ${shown.map(
        (e) =>
          html`<li
            class=${`kind-${e.kind}`}
            data-kind=${e.kind}
            data-testid="explanation"
            .textContent=${locale === 'en' ? e.textEn : e.textZh}
          ></li>`,
      )}
    </ul>
    ${all.length === 0 ? html`<p class="muted">${t('holidays.explanations.none')}</p>` : nothing}
    ${
      all.length > EXPLANATIONS_SHOWN
        ? html`<button type="button" class="link" @click=${() => dispatch({ type: 'holidays/toggleExplanations' })}>
            ${
              state.showAllExplanations
                ? t('holidays.explanations.less')
                : t('holidays.explanations.more', { count: all.length })
            }
          </button>`
        : nothing
    }
  </div>`;
}
