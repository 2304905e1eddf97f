import type { GridCommands } from './controller.js';
import { currentPlan, exportUrls, GRID_TABS, type GridsState, type PlanDetail, type PlanListItem } from './state.js';
import type { Locale } from '../../i18n/index.js';
import type { SessionUser } from '../../session.js';
import { mayEditTownship, permissionsOf, type Action } from '../../state.js';
import { el } from '../../ui/dom.js';
import {
  button,
  elapsedSeconds,
  errorLine,
  gridView,
  numberText,
  seedInput,
  seedOf,
  shareText,
  type GridView,
} from './common.js';
import { compareView, historyView } from './history-view.js';
import { gridListView } from './list-view.js';
import { townshipPrint } from './print.js';
import { toolsView } from './tools-view.js';
import { townshipView } from './township-view.js';
import { segmented } from '../../ui/segmented.js';

/**
 * The planners' grid panel: the plan chosen (or a new one) with undo and redo, the county's
 * figures, the townships, then the township's tools and grids, the plan's history or a
 * comparison; the downloads; and, folded, the county import below.
 */
export function gridPanel(
  locale: Locale,
  state: GridsState,
  commands: GridCommands | null,
  dispatch: (action: Action) => void,
  importForm: HTMLElement | null,
  importBusy: boolean,
  user: SessionUser | null = null,
): HTMLElement {
  const may = user ? permissionsOf(user) : null;
  const view = gridView(
    locale,
    state,
    commands,
    dispatch,
    may
      ? {
          plans: may.editGrids,
          township: mayEditTownship(user, state.townshipCode),
          households: may.editGrids,
        }
      : undefined,
  );
  const root = el('section', { class: 'grids kit', 'data-testid': 'grid-panel' });
  root.append(planningPart(view));
  // The county import is for those who may import (admins and planners).
  if (importForm) root.append(importPart(view, importForm, importBusy));
  return root;
}

function planningPart(view: GridView): HTMLElement {
  const { t, state, dispatch } = view;
  const part = el('div', { class: 'grid-planning' });
  const list = state.fetched.plans;
  const listError = errorLine(view, 'plans', list);
  if (!list.data) {
    part.append(listError ?? el('p', { class: 'muted', 'data-testid': 'grids-loading' }, t('grids.loading')));
    return part;
  }
  part.append(planBar(view, list.data));
  if (listError) part.append(listError);
  if (state.creating && view.access.plans) part.append(createForm(view, list.data));
  const status = statusLine(view);
  if (status) part.append(status);
  if (list.data.length === 0) {
    if (!state.creating) part.append(el('p', { class: 'notice', 'data-testid': 'grids-none' }, t('grids.none')));
    return part;
  }
  const planError = errorLine(view, 'plan', state.fetched.plan);
  const plan = currentPlan(state);
  if (!plan) {
    part.append(planError ?? el('p', { class: 'muted' }, t('grids.plan.loading')));
    return part;
  }
  if (planError) part.append(planError);
  if (state.renaming && view.access.plans) part.append(renameForm(view, plan));
  if (!view.access.plans) {
    part.append(el('p', { class: 'notice read-only', 'data-testid': 'grids-read-only' }, t('access.readOnly.grids')));
  }
  if (view.access.plans) part.append(undoBar(view, plan));
  part.append(figures(view, plan), townshipView(view, plan));
  part.append(
    el(
      'div',
      { class: 'tabs' },
      segmented(
        'grids-tab',
        GRID_TABS.map((tab) => ({ value: tab, label: t(`grids.tab.${tab}`) })),
        state.tab,
        (tab) => dispatch({ type: 'grids/setTab', tab }),
      ),
    ),
  );
  if (state.tab === 'grids') {
    if (state.townshipCode === null)
      part.append(el('p', { class: 'notice', 'data-testid': 'grids-pick-township' }, t('grids.township.pick')));
    else if (view.access.township) part.append(toolsView(view, plan), gridListView(view, plan));
    else {
      if (view.access.plans)
        part.append(
          el('p', { class: 'notice read-only', 'data-testid': 'grids-read-only' }, t('access.readOnly.township')),
        );
      part.append(gridListView(view, plan));
    }
  } else if (state.tab === 'history') part.append(historyView(view, plan));
  else part.append(compareView(view, plan));
  part.append(exportsView(view, plan));
  if (state.print) part.append(townshipPrint(view, plan, state.print));
  return part;
}

function statusOption(view: GridView, p: PlanListItem, selected: boolean): HTMLElement {
  return el(
    'option',
    { value: String(p.id), selected },
    view.t('grids.plan.option', {
      name: p.name,
      status: view.t(`grids.status.${p.status}`),
      revision: p.revision,
      grids: numberText(view, p.grids),
    }),
  );
}

function planBar(view: GridView, plans: PlanListItem[]): HTMLElement {
  const { t, state, commands, dispatch } = view;
  const select = el(
    'select',
    { name: 'plan', 'data-testid': 'grid-plan-select', 'data-focus-key': 'grid-plan-select' },
    ...(state.planId === null ? [el('option', { value: '' }, t('grids.plan.choose'))] : []),
    ...plans.map((p) => statusOption(view, p, p.id === state.planId)),
  );
  select.addEventListener('change', () =>
    dispatch({ type: 'grids/selectPlan', planId: select.value ? Number(select.value) : null }),
  );
  const plan = currentPlan(state);
  const busy = state.busy !== null;
  if (!view.access.plans) {
    return el('div', { class: 'plan-bar' }, el('label', {}, t('grids.plan.label'), select), planMeta(view, plan));
  }
  const actions = el(
    'div',
    { class: 'row plan-actions' },
    button(
      t('grids.plan.new'),
      { 'data-testid': 'grid-plan-new', 'aria-expanded': state.creating ? 'true' : 'false' },
      () => dispatch({ type: 'grids/setCreating', open: !state.creating }),
    ),
  );
  if (plan) {
    actions.append(
      button(t('grids.plan.copy'), { 'data-testid': 'grid-plan-copy', disabled: busy }, () =>
        commands?.createPlan({ name: t('grids.plan.copyName', { name: plan.name }), copyOf: plan.id }),
      ),
      button(t('grids.plan.rename'), { 'data-testid': 'grid-plan-rename' }, () =>
        dispatch({ type: 'grids/setRenaming', open: !state.renaming }),
      ),
      plan.status === 'active'
        ? button(t('grids.plan.makeDraft'), { 'data-testid': 'grid-plan-draft', disabled: busy }, () =>
            commands?.setStatus('draft'),
          )
        : button(
            t('grids.plan.activate'),
            { 'data-testid': 'grid-plan-activate', class: 'primary', disabled: busy },
            () => {
              if (window.confirm(t('grids.plan.activateConfirm', { name: plan.name }))) commands?.setStatus('active');
            },
          ),
    );
    if (plan.status !== 'archived') {
      actions.append(
        button(t('grids.plan.archive'), { 'data-testid': 'grid-plan-archive', disabled: busy }, () =>
          commands?.setStatus('archived'),
        ),
      );
    }
  }
  return el(
    'div',
    { class: 'plan-bar' },
    el('label', {}, t('grids.plan.label'), select),
    planMeta(view, plan),
    actions,
  );
}

/** The plan's status, revision and last change. */
function planMeta(view: GridView, plan: PlanDetail | null): HTMLElement | null {
  const { t } = view;
  return plan
    ? el(
        'p',
        { class: 'plan-meta', 'data-testid': 'grid-plan-meta' },
        el('span', { class: `status ${plan.status}` }, t(`grids.status.${plan.status}`)),
        ' ',
        el('span', { 'data-testid': 'grid-revision' }, t('grids.plan.revision', { revision: plan.revision })),
        ' · ',
        t('grids.plan.updated', { by: plan.updatedBy, at: new Date(plan.updatedAt).toLocaleString(view.locale) }),
      )
    : null;
}

function createForm(view: GridView, plans: PlanListItem[]): HTMLElement {
  const { t, state, commands, dispatch } = view;
  const name = el('input', {
    type: 'text',
    name: 'name',
    required: true,
    maxlength: '100',
    placeholder: t('grids.create.namePlaceholder'),
    'data-focus-key': 'grid-create-name',
  });
  const seed = seedInput(t('grids.create.seedPlaceholder'), 'grid-create-seed');
  const copyOf = el(
    'select',
    { name: 'copyOf', 'data-focus-key': 'grid-create-copy' },
    el('option', { value: '' }, t('grids.create.fresh')),
    ...plans.map((p) => el('option', { value: String(p.id) }, t('grids.create.copyOf', { name: p.name }))),
  );
  const cancel = button(t('grids.create.cancel'), {}, () => dispatch({ type: 'grids/setCreating', open: false }));
  const form = el(
    'form',
    { class: 'card create-form', 'data-testid': 'grid-create' },
    el('h3', {}, t('grids.create.title')),
    el('label', {}, t('grids.create.name'), name),
    el('label', {}, t('grids.create.from'), copyOf),
    el('label', {}, t('grids.create.seed'), seed),
    el('p', { class: 'small muted' }, t('grids.create.hint')),
    el(
      'div',
      { class: 'row' },
      el(
        'button',
        { type: 'submit', class: 'primary', disabled: state.busy !== null, 'data-testid': 'grid-create-submit' },
        t('grids.create.submit'),
      ),
      cancel,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    commands?.createPlan({
      name: name.value.trim(),
      ...seedOf(seed),
      ...(copyOf.value ? { copyOf: Number(copyOf.value) } : {}),
    });
  });
  return form;
}

function renameForm(view: GridView, plan: PlanDetail): HTMLElement {
  const { t, state, commands, dispatch } = view;
  const name = el('input', {
    type: 'text',
    name: 'name',
    required: true,
    maxlength: '100',
    value: plan.name,
    'data-focus-key': 'grid-rename',
  });
  const form = el(
    'form',
    { class: 'row rename-form', 'data-testid': 'grid-rename' },
    name,
    el('button', { type: 'submit', class: 'primary', disabled: state.busy !== null }, t('grids.rename.submit')),
    button(t('grids.create.cancel'), {}, () => dispatch({ type: 'grids/setRenaming', open: false })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (name.value.trim()) commands?.renamePlan(name.value.trim());
  });
  return form;
}

/** What the server is doing (with the seconds counting), or the outcome of the last change. */
function statusLine(view: GridView): HTMLElement | null {
  const { t, state, dispatch, locale } = view;
  const busy = state.busy;
  if (busy) {
    const what =
      busy.write === 'edit' && busy.action ? t(`grids.busy.edit.${busy.action}`) : t(`grids.busy.${busy.write}`);
    return el(
      'div',
      { class: 'notice-line busy', 'data-testid': 'grids-busy', role: 'status' },
      el('div', { class: 'progress' }, el('span', {})),
      el(
        'p',
        {},
        what,
        ' ',
        t('grids.busy.seconds.before'),
        elapsedSeconds(busy.startedAtMs),
        t('grids.busy.seconds.after'),
      ),
    );
  }
  const notice = state.notice;
  if (!notice) return null;
  const close = button('×', { class: 'link', 'aria-label': t('grids.notice.close') }, () =>
    dispatch({ type: 'grids/clearNotice' }),
  );
  if (notice.kind === 'edited') {
    return el(
      'div',
      {
        class: `notice-line ${notice.warnings.length > 0 ? 'warn' : 'ok'}`,
        'data-testid': 'grids-notice',
        'data-kind': 'edited',
      },
      el('p', {}, t('grids.edited', { summary: notice.summary }), ' ', close),
      notice.warnings.length > 0
        ? el(
            'ul',
            { class: 'warnings', 'data-testid': 'grid-warnings' },
            ...notice.warnings.map((w) => el('li', { 'data-kind': w.kind }, locale === 'en' ? w.en : w.zh)),
          )
        : null,
    );
  }
  const text =
    notice.kind === 'saved'
      ? t(`grids.saved.${notice.write}`)
      : notice.kind === 'stale'
        ? t('grids.stale', { message: notice.message })
        : t(`grids.failed.${notice.write}`, { message: notice.message });
  return el(
    'div',
    {
      class: `notice-line ${notice.kind === 'saved' ? 'ok' : 'error'}`,
      'data-testid': 'grids-notice',
      'data-kind': notice.kind,
    },
    el('p', {}, text, ' ', close),
  );
}

/** Undo and redo, with what they would undo or redo (also Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y). */
function undoBar(view: GridView, plan: PlanDetail): HTMLElement {
  const { t, state, commands } = view;
  const step = (action: 'undo' | 'redo') => {
    const next = plan[action];
    return {
      button: button(
        t(`grids.${action}`),
        {
          'data-testid': `grid-${action}`,
          disabled: state.busy !== null || !next,
          title: next ? t(`grids.${action}.title`, { summary: next.summary }) : t(`grids.${action}.none`),
        },
        () => commands?.edit({ action }),
      ),
      what: next
        ? el(
            'p',
            { class: 'small', 'data-testid': `grid-${action}-what` },
            t(`grids.${action}.what`, { summary: next.summary }),
          )
        : null,
    };
  };
  const undo = step('undo');
  const redo = step('redo');
  return el(
    'div',
    { class: 'undo-bar' },
    el('div', { class: 'row' }, undo.button, redo.button, el('span', { class: 'small muted' }, t('grids.undo.keys'))),
    undo.what,
    redo.what,
  );
}

/** The county's figures in the plan. */
function figures(view: GridView, plan: PlanDetail): HTMLElement {
  const { t } = view;
  const s = plan.summary;
  const figure = (value: string, label: string, testId: string, bad = false) =>
    el(
      'div',
      { class: `figure${bad ? ' bad' : ''}`, 'data-testid': testId },
      el('strong', {}, value),
      el('span', {}, label),
    );
  return el(
    'div',
    { class: 'figures', 'data-testid': 'grid-figures' },
    figure(numberText(view, s.households), t('grids.stats.households'), 'grid-stat-households'),
    figure(numberText(view, s.grids), t('grids.stats.grids'), 'grid-stat-grids'),
    figure(shareText(view, s.within10), t('grids.stats.within10'), 'grid-stat-within10', s.within10 < 0.95),
    figure(
      numberText(view, s.nonContiguous),
      t('grids.stats.nonContiguous'),
      'grid-stat-noncontiguous',
      s.nonContiguous > 0,
    ),
    figure(
      numberText(view, s.unassignedHouseholds),
      t('grids.stats.unassigned'),
      'grid-stat-unassigned',
      s.unassignedUnits > 0,
    ),
  );
}

/** The plan's downloads and the printable map of the township open. */
function exportsView(view: GridView, plan: PlanDetail): HTMLElement {
  const { t, state, commands } = view;
  const urls = exportUrls(plan.id);
  const link = (href: string, label: string, testId: string) =>
    el('a', { href, download: true, 'data-testid': testId, class: 'download' }, label);
  return el(
    'div',
    { class: 'exports' },
    el('h3', {}, t('grids.export.title')),
    el(
      'div',
      { class: 'row' },
      link(urls.geojson, t('grids.export.geojson'), 'grid-export-geojson'),
      link(urls.csv, t('grids.export.csv'), 'grid-export-csv'),
      link(urls.xlsx, t('grids.export.xlsx'), 'grid-export-xlsx'),
      view.access.households ? link(urls.households, t('grids.export.households'), 'grid-export-households') : null,
      state.townshipCode === null
        ? null
        : button(t('grids.print'), { 'data-testid': 'grid-print' }, () => commands?.printTownship(state.townshipCode!)),
    ),
  );
}

/** The county import form, folded below the planning (open while an import or its report is shown). */
function importPart(view: GridView, importForm: HTMLElement, importBusy: boolean): HTMLElement {
  const { t, state, dispatch } = view;
  const open = state.importOpen || importBusy;
  const toggle = button(
    `${open ? '▾' : '▸'} ${t('grids.import.toggle')}`,
    { class: 'fold', 'aria-expanded': open ? 'true' : 'false', 'data-testid': 'grid-import-toggle' },
    () => dispatch({ type: 'grids/toggleImport' }),
  );
  return el('div', { class: 'grid-import' }, toggle, open ? importForm : null);
}
