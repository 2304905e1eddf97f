import { html, nothing, type TemplateResult } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { live } from 'lit-html/directives/live.js';
import type { GridCommands } from './controller.js';
import { currentPlan, exportUrls, GRID_TABS, type GridsState, type PlanDetail, type PlanListItem } from './state.js';
import type { Locale } from '../../i18n/index.js';
import type { SessionUser } from '../../session.js';
import { mayEditTownship, permissionsOf, type Action } from '../../state.js';
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
  type View,
} from './common.js';
import { compareView, historyView } from './history-view.js';
import { gridListView } from './list-view.js';
import { townshipPrint } from './print.js';
import { toolsView } from './tools-view.js';
import { townshipView } from './township-view.js';
import { segmentedView } from './view-parts.js';

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
): TemplateResult {
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
  // The county import is for those who may import (admins and planners).
  return html`<section class="grids kit" data-testid="grid-panel">
    <div class="grid-planning">${planningPart(view)}</div>
    ${importForm ? importPart(view, importForm, importBusy) : nothing}
  </section>`;
}

function planningPart(view: GridView): View {
  const { t, state, dispatch } = view;
  const list = state.fetched.plans;
  const listError = errorLine(view, 'plans', list);
  if (!list.data) {
    return listError !== nothing
      ? listError
      : html`<p class="muted" data-testid="grids-loading">${t('grids.loading')}</p>`;
  }
  const top = html`${planBar(view, list.data)} ${listError}
  ${state.creating && view.access.plans ? createForm(view, list.data) : nothing} ${statusLine(view)}`;
  if (list.data.length === 0) {
    return html`${top}
    ${state.creating ? nothing : html`<p class="notice" data-testid="grids-none">${t('grids.none')}</p>`}`;
  }
  const planError = errorLine(view, 'plan', state.fetched.plan);
  const plan = currentPlan(state);
  if (!plan) {
    return html`${top} ${planError !== nothing ? planError : html`<p class="muted">${t('grids.plan.loading')}</p>`}`;
  }
  const readOnly = (key: 'access.readOnly.grids' | 'access.readOnly.township') =>
    html`<p class="notice read-only" data-testid="grids-read-only">${t(key)}</p>`;
  const tab =
    state.tab === 'grids'
      ? state.townshipCode === null
        ? html`<p class="notice" data-testid="grids-pick-township">${t('grids.township.pick')}</p>`
        : view.access.township
          ? html`${toolsView(view, plan)} ${gridListView(view, plan)}`
          : html`${view.access.plans ? readOnly('access.readOnly.township') : nothing} ${gridListView(view, plan)}`
      : state.tab === 'history'
        ? historyView(view, plan)
        : compareView(view, plan);
  return html`${top} ${planError} ${state.renaming && view.access.plans ? renameForm(view, plan) : nothing}
    ${view.access.plans ? undoBar(view, plan) : readOnly('access.readOnly.grids')} ${figures(view, plan)}
    ${townshipView(view, plan)}
    <div class="tabs">
      ${segmentedView(
        'grids-tab',
        GRID_TABS.map((value) => ({ value, label: t(`grids.tab.${value}`) })),
        state.tab,
        (value) => dispatch({ type: 'grids/setTab', tab: value }),
      )}
    </div>
    ${tab} ${exportsView(view, plan)} ${state.print ? townshipPrint(view, plan, state.print) : nothing}`;
}

function statusOption(view: GridView, p: PlanListItem, selected: boolean): TemplateResult {
  return html`<option value=${String(p.id)} .selected=${live(selected)}>
    ${view.t('grids.plan.option', {
      name: p.name,
      status: view.t(`grids.status.${p.status}`),
      revision: p.revision,
      grids: numberText(view, p.grids),
    })}
  </option>`;
}

function planBar(view: GridView, plans: PlanListItem[]): TemplateResult {
  const { t, state, commands, dispatch } = view;
  const chosen = (event: Event) => {
    const value = (event.target as HTMLSelectElement).value;
    dispatch({ type: 'grids/selectPlan', planId: value ? Number(value) : null });
  };
  const select = html`<label
    >${t('grids.plan.label')}<select name="plan" data-testid="grid-plan-select" @change=${chosen}>
      ${state.planId === null ? html`<option value="" .selected=${live(true)}>${t('grids.plan.choose')}</option>` : nothing}
      ${plans.map((p) => statusOption(view, p, p.id === state.planId))}
    </select></label
  >`;
  const plan = currentPlan(state);
  const busy = state.busy !== null;
  if (!view.access.plans) {
    return html`<div class="plan-bar">${select} ${planMeta(view, plan)}</div>`;
  }
  const planActions = plan
    ? html`${button(t('grids.plan.copy'), { testId: 'grid-plan-copy', disabled: busy }, () =>
        commands?.createPlan({ name: t('grids.plan.copyName', { name: plan.name }), copyOf: plan.id }),
      )}
      ${button(t('grids.plan.rename'), { testId: 'grid-plan-rename' }, () =>
        dispatch({ type: 'grids/setRenaming', open: !state.renaming }),
      )}
      ${
        plan.status === 'active'
          ? button(t('grids.plan.makeDraft'), { testId: 'grid-plan-draft', disabled: busy }, () =>
              commands?.setStatus('draft'),
            )
          : button(
              t('grids.plan.activate'),
              { testId: 'grid-plan-activate', className: 'primary', disabled: busy },
              () => {
                if (window.confirm(t('grids.plan.activateConfirm', { name: plan.name }))) commands?.setStatus('active');
              },
            )
      }
      ${
        plan.status !== 'archived'
          ? button(t('grids.plan.archive'), { testId: 'grid-plan-archive', disabled: busy }, () =>
              commands?.setStatus('archived'),
            )
          : nothing
      }`
    : nothing;
  return html`<div class="plan-bar">
    ${select} ${planMeta(view, plan)}
    <div class="row plan-actions">
      ${button(t('grids.plan.new'), { testId: 'grid-plan-new', expanded: state.creating }, () =>
        dispatch({ type: 'grids/setCreating', open: !state.creating }),
      )}
      ${planActions}
    </div>
  </div>`;
}

/** The plan's status, revision and last change. */
function planMeta(view: GridView, plan: PlanDetail | null): View {
  const { t } = view;
  return plan
    ? html`<p class="plan-meta" data-testid="grid-plan-meta">
        <span class=${`status ${plan.status}`}>${t(`grids.status.${plan.status}`)}</span>
        <span data-testid="grid-revision">${t('grids.plan.revision', { revision: plan.revision })}</span> ·
        ${t('grids.plan.updated', { by: plan.updatedBy, at: new Date(plan.updatedAt).toLocaleString(view.locale) })}
      </p>`
    : nothing;
}

function createForm(view: GridView, plans: PlanListItem[]): TemplateResult {
  const { t, state, commands, dispatch } = view;
  // The inputs are the form's own (lit keeps them across renders): read when it is sent.
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
    const copyOf = (form.elements.namedItem('copyOf') as HTMLSelectElement).value;
    commands?.createPlan({ name, ...seedOf(form), ...(copyOf ? { copyOf: Number(copyOf) } : {}) });
  };
  return html`<form class="card create-form" data-testid="grid-create" @submit=${submit}>
    <h3>${t('grids.create.title')}</h3>
    <label
      >${t('grids.create.name')}<input
        type="text"
        name="name"
        required
        maxlength="100"
        placeholder=${t('grids.create.namePlaceholder')}
    /></label>
    <label
      >${t('grids.create.from')}<select name="copyOf">
        <option value="">${t('grids.create.fresh')}</option>
        ${plans.map((p) => html`<option value=${String(p.id)}>${t('grids.create.copyOf', { name: p.name })}</option>`)}
      </select></label
    >
    <label>${t('grids.create.seed')}${seedInput(t('grids.create.seedPlaceholder'))}</label>
    <p class="small muted">${t('grids.create.hint')}</p>
    <div class="row">
      <button type="submit" class="primary" ?disabled=${state.busy !== null} data-testid="grid-create-submit">
        ${t('grids.create.submit')}
      </button>
      ${button(t('grids.create.cancel'), {}, () => dispatch({ type: 'grids/setCreating', open: false }))}
    </div>
  </form>`;
}

function renameForm(view: GridView, plan: PlanDetail): TemplateResult {
  const { t, state, commands, dispatch } = view;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const name = ((event.currentTarget as HTMLFormElement).elements.namedItem('name') as HTMLInputElement).value.trim();
    if (name) commands?.renamePlan(name);
  };
  // A form of its own per plan: a name typed for one plan is not offered for another.
  return html`${keyed(
    plan.id,
    html`<form class="row rename-form" data-testid="grid-rename" @submit=${submit}>
      <input type="text" name="name" required maxlength="100" value=${plan.name} /><button
        type="submit"
        class="primary"
        ?disabled=${state.busy !== null}
      >
        ${t('grids.rename.submit')}
      </button>
      ${button(t('grids.create.cancel'), {}, () => dispatch({ type: 'grids/setRenaming', open: false }))}
    </form>`,
  )}`;
}

/** What the server is doing (with the seconds counting), or the outcome of the last change. */
function statusLine(view: GridView): View {
  const { t, state, dispatch, locale } = view;
  const busy = state.busy;
  if (busy) {
    const what =
      busy.write === 'edit' && busy.action ? t(`grids.busy.edit.${busy.action}`) : t(`grids.busy.${busy.write}`);
    return html`<div class="notice-line busy" data-testid="grids-busy" role="status">
      <div class="progress"><span></span></div>
      <p>
        ${what} ${t('grids.busy.seconds.before')}${elapsedSeconds(busy.startedAtMs)}${t('grids.busy.seconds.after')}
      </p>
    </div>`;
  }
  const notice = state.notice;
  if (!notice) return nothing;
  const close = button('×', { className: 'link', ariaLabel: t('grids.notice.close') }, () =>
    dispatch({ type: 'grids/clearNotice' }),
  );
  if (notice.kind === 'edited') {
    return html`<div
      class=${`notice-line ${notice.warnings.length > 0 ? 'warn' : 'ok'}`}
      data-testid="grids-notice"
      data-kind="edited"
    >
      <p>${t('grids.edited', { summary: notice.summary })} ${close}</p>
      ${
        notice.warnings.length > 0
          ? html`<ul class="warnings" data-testid="grid-warnings">
              ${notice.warnings.map((w) => html`<li data-kind=${w.kind}>${locale === 'en' ? w.en : w.zh}</li>`)}
            </ul>`
          : nothing
      }
    </div>`;
  }
  const text =
    notice.kind === 'saved'
      ? t(`grids.saved.${notice.write}`)
      : notice.kind === 'stale'
        ? t('grids.stale', { message: notice.message })
        : t(`grids.failed.${notice.write}`, { message: notice.message });
  return html`<div
    class=${`notice-line ${notice.kind === 'saved' ? 'ok' : 'error'}`}
    data-testid="grids-notice"
    data-kind=${notice.kind}
  >
    <p>${text} ${close}</p>
  </div>`;
}

/** Undo and redo, with what they would undo or redo (also Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y). */
function undoBar(view: GridView, plan: PlanDetail): TemplateResult {
  const { t, state, commands } = view;
  const step = (action: 'undo' | 'redo') => {
    const next = plan[action];
    return {
      button: button(
        t(`grids.${action}`),
        {
          testId: `grid-${action}`,
          disabled: state.busy !== null || !next,
          title: next ? t(`grids.${action}.title`, { summary: next.summary }) : t(`grids.${action}.none`),
        },
        () => commands?.edit({ action }),
      ),
      what: next
        ? html`<p class="small" data-testid=${`grid-${action}-what`}>
            ${t(`grids.${action}.what`, { summary: next.summary })}
          </p>`
        : nothing,
    };
  };
  const undo = step('undo');
  const redo = step('redo');
  return html`<div class="undo-bar">
    <div class="row">${undo.button} ${redo.button} <span class="small muted">${t('grids.undo.keys')}</span></div>
    ${undo.what} ${redo.what}
  </div>`;
}

/** The county's figures in the plan. */
function figures(view: GridView, plan: PlanDetail): TemplateResult {
  const { t } = view;
  const s = plan.summary;
  const figure = (value: string, label: string, testId: string, bad = false) =>
    html`<div class=${`figure${bad ? ' bad' : ''}`} data-testid=${testId}>
      <strong>${value}</strong><span>${label}</span>
    </div>`;
  return html`<div class="figures" data-testid="grid-figures">
    ${figure(numberText(view, s.households), t('grids.stats.households'), 'grid-stat-households')}
    ${figure(numberText(view, s.grids), t('grids.stats.grids'), 'grid-stat-grids')}
    ${figure(shareText(view, s.within10), t('grids.stats.within10'), 'grid-stat-within10', s.within10 < 0.95)}
    ${figure(
      numberText(view, s.nonContiguous),
      t('grids.stats.nonContiguous'),
      'grid-stat-noncontiguous',
      s.nonContiguous > 0,
    )}
    ${figure(
      numberText(view, s.unassignedHouseholds),
      t('grids.stats.unassigned'),
      'grid-stat-unassigned',
      s.unassignedUnits > 0,
    )}
  </div>`;
}

/** The plan's downloads and the printable map of the township open. */
function exportsView(view: GridView, plan: PlanDetail): TemplateResult {
  const { t, state, commands } = view;
  const urls = exportUrls(plan.id);
  const link = (href: string, label: string, testId: string) =>
    html`<a href=${href} download data-testid=${testId} class="download">${label}</a>`;
  const townshipCode = state.townshipCode;
  return html`<div class="exports">
    <h3>${t('grids.export.title')}</h3>
    <div class="row">
      ${link(urls.geojson, t('grids.export.geojson'), 'grid-export-geojson')}
      ${link(urls.csv, t('grids.export.csv'), 'grid-export-csv')}
      ${link(urls.xlsx, t('grids.export.xlsx'), 'grid-export-xlsx')}
      ${
        view.access.households ? link(urls.households, t('grids.export.households'), 'grid-export-households') : nothing
      }
      ${
        townshipCode === null
          ? nothing
          : button(t('grids.print'), { testId: 'grid-print' }, () => commands?.printTownship(townshipCode))
      }
    </div>
  </div>`;
}

/** The county import form, folded below the planning (open while an import or its report is shown). */
function importPart(view: GridView, importForm: HTMLElement, importBusy: boolean): TemplateResult {
  const { t, state, dispatch } = view;
  const open = state.importOpen || importBusy;
  return html`<div class="grid-import">
    ${button(
      `${open ? '▾' : '▸'} ${t('grids.import.toggle')}`,
      { className: 'fold', expanded: open, testId: 'grid-import-toggle' },
      () => dispatch({ type: 'grids/toggleImport' }),
    )}
    ${open ? importForm : nothing}
  </div>`;
}
