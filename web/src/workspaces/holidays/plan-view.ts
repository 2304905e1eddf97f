import { currentPlan, type ExplainedShortfall, type HolidayDetail, type PlanDetail } from './state.js';
import { el } from '../../ui/dom.js';
import { errorLine, numberText, percentText, shareBar, table, zoneChip, type HolidayView } from './common.js';
import { dutyDayShift, stationCoverage, zoneCoverageTable, zoneSlotGrid } from './coverage-view.js';
import { roster } from './roster-view.js';

/** Explanations shown before "show all". */
const EXPLANATIONS_SHOWN = 6;

// ---- The solve form and its progress -----------------------------------------------------------

let clock: ReturnType<typeof setInterval> | null = null;

/** Keeps every `[data-since-ms]` counter in the page counting seconds; stops when none is left. */
function runClock(): void {
  if (clock) return;
  clock = setInterval(() => {
    const counters = document.querySelectorAll<HTMLElement>('[data-since-ms]');
    if (counters.length === 0 && clock) {
      clearInterval(clock);
      clock = null;
    }
    for (const counter of counters) {
      counter.textContent = String(Math.max(0, Math.floor((Date.now() - Number(counter.dataset.sinceMs)) / 1000)));
    }
  }, 500);
}

function solveForm(view: HolidayView, detail: HolidayDetail): HTMLElement {
  const { t, state, commands, dispatch } = view;
  const running = state.solve.status === 'running';
  const label = el('input', {
    type: 'text',
    name: 'label',
    maxlength: '60',
    value: state.whatIf.label,
    placeholder: t('holidays.solve.labelPlaceholder'),
    'data-focus-key': 'solve-label',
  });
  const poolSize = el('input', {
    type: 'number',
    name: 'poolSize',
    min: '1',
    max: String(detail.pool.officers),
    step: '1',
    value: state.whatIf.poolSize === null ? '' : String(state.whatIf.poolSize),
    placeholder: t('holidays.solve.poolAll', { count: detail.pool.officers }),
    'data-focus-key': 'solve-pool',
    'data-testid': 'solve-pool',
  });
  const caps = detail.zones.map((z) => {
    const cap = state.whatIf.zoneCaps[String(z.id)];
    return {
      zone: z,
      input: el('input', {
        type: 'number',
        min: '0',
        step: '1',
        name: `cap-${z.id}`,
        value: cap === undefined ? '' : String(cap),
        placeholder: t('holidays.limits.none'),
        'data-focus-key': `solve-cap-${z.id}`,
        'aria-label': z.name,
      }),
    };
  });
  const submit = el(
    'button',
    { type: 'submit', class: 'primary', disabled: running, 'data-testid': 'solve-button' },
    running ? t('holidays.solve.busy') : t('holidays.solve.submit'),
  );
  const form = el(
    'form',
    { class: 'solve-form card', 'data-testid': 'solve-form' },
    el('h3', {}, t('holidays.solve.title')),
    el(
      'div',
      { class: 'fields' },
      el('label', {}, t('holidays.solve.label'), label),
      el('label', {}, t('holidays.solve.poolSize'), poolSize),
    ),
    el(
      'div',
      { class: 'caps' },
      el('span', { class: 'muted small' }, t('holidays.solve.caps')),
      ...caps.map((c) => el('label', {}, c.zone.name, c.input)),
    ),
    el('div', { class: 'row' }, submit, el('span', { class: 'muted small' }, t('holidays.solve.hint'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const size = poolSize.value.trim() === '' ? null : Math.max(1, Math.round(Number(poolSize.value)));
    dispatch({ type: 'holidays/setWhatIf', whatIf: { label: label.value, poolSize: size } });
    for (const c of caps) {
      const text = c.input.value.trim();
      dispatch({ type: 'holidays/setZoneCap', warZoneId: c.zone.id, maxOfficers: text === '' ? null : Number(text) });
    }
    commands?.solve();
  });
  const status = state.solve;
  if (status.status === 'running') {
    const seconds = Math.floor((Date.now() - status.startedAtMs) / 1000);
    runClock();
    form.append(
      el(
        'div',
        { class: 'solving', 'data-testid': 'solve-status', role: 'status' },
        el('div', { class: 'progress' }, el('span', {})),
        el(
          'p',
          {},
          t('holidays.solve.running.before'),
          el('span', { 'data-since-ms': String(status.startedAtMs) }, String(seconds)),
          t('holidays.solve.running.after'),
        ),
      ),
    );
  } else if (status.status === 'error') {
    form.append(
      el(
        'p',
        { class: 'error', 'data-testid': 'solve-error' },
        t('holidays.solve.failed', { message: status.message }),
      ),
    );
  }
  return form;
}

// ---- Plans ------------------------------------------------------------------------------------

function plansList(view: HolidayView): HTMLElement | null {
  const { t, state, dispatch } = view;
  const plans = state.fetched.plans.data;
  if (!plans) return errorLine(view, 'plans', state.fetched.plans);
  if (plans.length === 0) return el('p', { class: 'notice', 'data-testid': 'plans-none' }, t('holidays.plans.none'));
  const rows = [...plans]
    .sort((a, b) => b.id - a.id)
    .map((p) => {
      const row = el(
        'tr',
        { class: p.id === state.planId ? 'selected' : '', 'data-testid': 'plan-row', 'data-id': String(p.id) },
        el(
          'td',
          {},
          `#${p.id} ${p.label}`,
          p.published ? el('span', { class: 'badge published' }, t('holidays.status.published')) : null,
        ),
        el('td', { class: 'number' }, numberText(view, p.poolSize)),
        el('td', { class: 'number' }, numberText(view, p.unmet)),
        el('td', { class: 'muted small' }, p.createdAt.slice(5, 16).replace('T', ' ')),
      );
      row.addEventListener('click', () => dispatch({ type: 'holidays/selectPlan', planId: p.id }));
      return row;
    });
  return el(
    'div',
    { class: 'plans' },
    el('h3', {}, t('holidays.plans.title')),
    el(
      'div',
      { class: 'scroll short', 'data-scroll-key': 'plans' },
      table(
        { 'data-testid': 'plan-list', class: 'clickable' },
        [t('holidays.plans.label'), t('holidays.plans.pool'), t('holidays.plans.unmet'), t('holidays.plans.created')],
        rows,
      ),
    ),
  );
}

/** The plan section: the what-if form, the plans solved, and the plan chosen read out. */
export function planView(view: HolidayView, detail: HolidayDetail): HTMLElement {
  const { t, state } = view;
  const root = el('div', { class: 'plan-view' }, view.canEdit ? solveForm(view, detail) : null);
  const list = plansList(view);
  if (list) root.append(list);
  const plan = currentPlan(state);
  const error = errorLine(view, 'plan', state.fetched.plan);
  if (error) root.append(error);
  if (!plan) {
    if (state.planId !== null && !error) root.append(el('p', { class: 'muted' }, t('holidays.plan.loading')));
    return root;
  }
  root.append(
    headline(view, plan),
    explanations(view, detail, plan),
    zoneCoverageTable(view, detail, plan),
    zoneSlotGrid(view, detail, plan),
    dutyDayShift(view, detail, plan),
    stationCoverage(view, detail, plan),
    roster(view, detail, plan),
  );
  return root;
}

function headline(view: HolidayView, plan: PlanDetail): HTMLElement {
  const { t, commands, state } = view;
  const total = plan.coverage.total;
  const publish = el(
    'button',
    {
      type: 'button',
      class: 'primary',
      'data-testid': 'plan-publish',
      disabled: plan.published || state.writing !== null,
    },
    plan.published ? t('holidays.status.published') : t('holidays.plan.publish'),
  );
  publish.addEventListener('click', () => {
    if (window.confirm(t('holidays.plan.publishConfirm', { label: plan.label }))) commands?.publish(plan.id);
  });
  const caps = plan.whatIf.zoneCaps.length;
  const hours = (seconds: number) => numberText(view, seconds / 3600, 1);
  const line = (label: string, mine: string, greedy: string) =>
    el('tr', {}, el('th', {}, label), el('td', { class: 'number' }, mine), el('td', { class: 'number muted' }, greedy));
  return el(
    'div',
    { class: 'plan-headline card', 'data-testid': 'plan-headline' },
    el(
      'div',
      { class: 'row' },
      el('h3', {}, `#${plan.id} ${plan.label}`),
      plan.published ? el('span', { class: 'badge published' }, t('holidays.status.published')) : null,
      el('span', { class: 'spacer' }),
      // The roster names officers: commanders only, as the server says.
      ...(view.canEdit
        ? [
            el(
              'a',
              { href: commands?.rosterUrl(plan.id, 'csv') ?? '#', download: true, 'data-testid': 'roster-csv' },
              t('holidays.plan.export.csv'),
            ),
            el(
              'a',
              { href: commands?.rosterUrl(plan.id, 'xlsx') ?? '#', download: true, 'data-testid': 'roster-xlsx' },
              t('holidays.plan.export.xlsx'),
            ),
            publish,
          ]
        : []),
    ),
    el(
      'p',
      { class: 'big' },
      t('holidays.plan.met', { met: numberText(view, total.met), demanded: numberText(view, total.demanded) }),
      ' ',
      shareBar(total),
    ),
    el(
      'p',
      { class: 'muted small', 'data-testid': 'plan-solver' },
      t('holidays.plan.solver', {
        status: t(`holidays.plan.status.${plan.status}`),
        gap: `${numberText(view, plan.mipGap * 100, 2)}%`,
        seconds: numberText(view, plan.seconds, 1),
        variables: numberText(view, plan.variables),
        constraints: numberText(view, plan.constraints),
      }),
      ' ',
      t('holidays.plan.pool', { count: plan.poolSize }),
      caps > 0
        ? ` ${t('holidays.plan.caps', { caps: plan.whatIf.zoneCaps.map((c) => c.maxOfficers).join(' / ') })}`
        : '',
    ),
    el(
      'table',
      { class: 'baseline', 'data-testid': 'plan-baseline' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, t('holidays.plan.baseline')),
          el('th', { class: 'number' }, t('holidays.plan.thisPlan')),
          el('th', { class: 'number' }, t('holidays.plan.greedy')),
        ),
      ),
      el(
        'tbody',
        {},
        line(t('holidays.plan.unmet'), numberText(view, plan.unmet), numberText(view, plan.baseline.unmet)),
        line(
          t('holidays.plan.weightedUnmet'),
          numberText(view, plan.weightedUnmet, 1),
          numberText(view, plan.baseline.weightedUnmet, 1),
        ),
        line(
          t('holidays.plan.maxUnmetShare'),
          percentText(plan.maxUnmetShare),
          percentText(plan.baseline.maxUnmetShare),
        ),
        line(t('holidays.plan.travel'), numberText(view, plan.travelHours, 1), hours(plan.baseline.travelSeconds)),
      ),
    ),
  );
}

/** What the explanation is about, for its order: "all met" first, then what one more officer buys, then shortfalls. */
const KIND_ORDER: Record<ExplainedShortfall['kind'], number> = {
  all_met: 0,
  extra_officer: 1,
  zone_minimum_short: 2,
  station_cover_short: 3,
  short: 4,
};

function explanations(view: HolidayView, detail: HolidayDetail, plan: PlanDetail): HTMLElement {
  const { t, state, dispatch, locale } = view;
  const zone = state.zoneId === null ? null : String(state.zoneId);
  const all = plan.explanations
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => zone === null || !('zoneId' in e) || e.zoneId === zone)
    .sort((a, b) => KIND_ORDER[a.e.kind] - KIND_ORDER[b.e.kind] || a.i - b.i)
    .map(({ e }) => e);
  const shown = state.showAllExplanations ? all : all.slice(0, EXPLANATIONS_SHOWN);
  const block = el(
    'div',
    { class: 'explanations', 'data-testid': 'plan-explanations' },
    el('h3', {}, t('holidays.explanations.title'), ' ', zoneChip(view, detail)),
    el(
      'ul',
      {},
      ...shown.map((e) =>
        el(
          'li',
          { class: `kind-${e.kind}`, 'data-kind': e.kind, 'data-testid': 'explanation' },
          locale === 'en' ? e.textEn : e.textZh,
        ),
      ),
    ),
  );
  if (all.length === 0) block.append(el('p', { class: 'muted' }, t('holidays.explanations.none')));
  if (all.length > EXPLANATIONS_SHOWN) {
    const more = el(
      'button',
      { type: 'button', class: 'link' },
      state.showAllExplanations
        ? t('holidays.explanations.less')
        : t('holidays.explanations.more', { count: all.length }),
    );
    more.addEventListener('click', () => dispatch({ type: 'holidays/toggleExplanations' }));
    block.append(more);
  }
  return block;
}
