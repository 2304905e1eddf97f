import { translate, type Locale, type MessageKey } from '../i18n/index.js';
import {
  permissionsOf,
  workspacesOf,
  type AppState,
  type Action,
  type ImportState,
  type WorkspaceId,
} from '../state.js';
import type { SessionUser } from '../session.js';
import type { AdminScreen } from '../workspaces/admin/screen.js';
import { el } from './dom.js';
import { gridPanel } from '../workspaces/grids/panel.js';
import { renderGridOverlay } from '../workspaces/grids/print.js';
import { holidayPanel } from '../workspaces/holidays/panel.js';
import { renderHolidayOverlay } from '../workspaces/holidays/print.js';
import { importPanel } from './import-panel.js';
import { policingPanel } from '../workspaces/policing/panel.js';
import { renderRiskOverlay, riskPanel } from '../workspaces/risk/panel.js';
import type { PolicingCommands } from '../workspaces/policing/controller.js';
import type { HolidayCommands } from '../workspaces/holidays/controller.js';
import type { GridCommands } from '../workspaces/grids/controller.js';
import { userMenu } from './user-menu.js';

const WORKSPACE_TITLE: Record<WorkspaceId, MessageKey> = {
  grids: 'workspace.grids',
  policing: 'workspace.policing',
  risk: 'workspace.risk',
  holidays: 'workspace.holidays',
  admin: 'workspace.admin',
};
const WORKSPACE_DESCRIPTION: Record<WorkspaceId, MessageKey> = {
  grids: 'workspace.grids.description',
  policing: 'workspace.policing.description',
  risk: 'workspace.risk.description',
  holidays: 'workspace.holidays.description',
  admin: 'workspace.admin.description',
};

/** What the shell needs of the logged-in user: the admin screen (admins only) and how to log out. */
export interface ShellAccount {
  admin: AdminScreen | null;
  logout: () => void;
}

/** The fixed frame of the page: header with workspace tabs, side panel, map, status bar. */
export interface ShellElements {
  root: HTMLElement;
  mapContainer: HTMLElement;
}

/**
 * Build the frame once. The map container is never re-created; `renderShell` refreshes the
 * text and panels from the state.
 */
export function createShell(host: HTMLElement): ShellElements {
  const mapContainer = el('div', { class: 'map', id: 'map', 'data-testid': 'map' });
  const root = el(
    'div',
    { class: 'shell' },
    el('header', { class: 'topbar' }),
    el('aside', { class: 'panel', 'data-testid': 'panel' }),
    el(
      'main',
      { class: 'map-area' },
      mapContainer,
      el('div', { class: 'map-overlay', 'data-testid': 'map-overlay' }),
      el('div', { class: 'map-overlay holiday-overlay', 'data-testid': 'holiday-overlay' }),
      el('div', { class: 'map-overlay grid-overlay', 'data-testid': 'grid-overlay' }),
      el('div', { class: 'map-status', 'data-testid': 'map-status' }),
      el('div', { class: 'admin-area', 'data-testid': 'admin-area', hidden: true }),
    ),
    el('footer', { class: 'statusbar', 'data-testid': 'statusbar' }),
  );
  host.replaceChildren(root);
  return { root, mapContainer };
}

/** Refresh header, panel and status bar from the state (the panel only when what it shows changed). */
export function renderShell(
  shell: ShellElements,
  state: AppState,
  dispatch: (action: Action) => void,
  previous?: AppState,
  policing: PolicingCommands | null = null,
  holidays: HolidayCommands | null = null,
  grids: GridCommands | null = null,
  account: ShellAccount | null = null,
): void {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(state.locale, key, values);
  document.documentElement.lang = state.locale;
  document.title = `${t('app.name')} · ${t('app.tagline')}`;

  const header = shell.root.querySelector('.topbar')!;
  const tabs = workspacesOf(state.user).map((id) =>
    el(
      'a',
      {
        href: `#/${id}`,
        class: id === state.workspace ? 'tab active' : 'tab',
        'aria-current': id === state.workspace ? 'page' : undefined,
        'data-workspace': id,
      },
      t(WORKSPACE_TITLE[id]),
    ),
  );
  const localeButton = el(
    'button',
    { type: 'button', class: 'locale', title: t('locale.switch.title') },
    t('locale.switch'),
  );
  localeButton.addEventListener('click', () =>
    dispatch({ type: 'setLocale', locale: state.locale === 'zh-CN' ? 'en' : 'zh-CN' }),
  );
  header.replaceChildren(
    el('div', { class: 'brand' }, el('strong', {}, t('app.name')), el('span', {}, t('app.tagline'))),
    el('nav', { 'aria-label': t('nav.label') }, ...tabs),
    ...(state.user && account ? [keptUserMenu(state.locale, state.user, account.logout)] : []),
    localeButton,
  );
  const may = permissionsOf(state.user);

  const panel = shell.root.querySelector('.panel')!;
  // Re-building the panel would drop a file the user has chosen: only when its content changed.
  const panelChanged =
    !previous ||
    previous.workspace !== state.workspace ||
    previous.locale !== state.locale ||
    previous.import !== state.import ||
    (state.workspace === 'policing' && previous.policing !== state.policing) ||
    (state.workspace === 'policing' && previous.county?.state !== state.county?.state) ||
    (state.workspace === 'risk' && previous.risk !== state.risk) ||
    (state.workspace === 'holidays' && previous.holidays !== state.holidays) ||
    (state.workspace === 'holidays' && previous.county?.state !== state.county?.state) ||
    (state.workspace === 'grids' && previous.grids !== state.grids) ||
    panel.childElementCount === 0;
  if (panelChanged) {
    panel.setAttribute('data-workspace', state.workspace);
    const restore = keepPanelInputs(panel);
    panel.replaceChildren(
      el('h1', {}, t(WORKSPACE_TITLE[state.workspace])),
      el('p', { class: 'description' }, t(WORKSPACE_DESCRIPTION[state.workspace])),
      el('p', { class: 'notice' }, t('app.syntheticNotice')),
      ...(state.workspace === 'grids'
        ? [
            gridPanel(
              state.locale,
              state.grids,
              grids,
              dispatch,
              may.importLayers ? keptImportPanel(state.locale, state.import, dispatch) : null,
              state.import.kind !== 'idle',
              state.user,
            ),
          ]
        : []),
      ...(state.workspace === 'policing'
        ? [policingPanel(state.locale, state.policing, policing, dispatch, may.editPolicing)]
        : []),
      ...(state.workspace === 'risk' ? [riskPanel(state.locale, state.risk, dispatch)] : []),
      ...(state.workspace === 'holidays'
        ? [holidayPanel(state.locale, state.holidays, holidays, dispatch, may.editPolicing)]
        : []),
    );
    restore();
  }
  // The admin screen covers the map area; it reads the server afresh each time it is opened.
  const adminArea = shell.root.querySelector<HTMLElement>('.admin-area')!;
  const admin = state.workspace === 'admin' ? (account?.admin ?? null) : null;
  adminArea.hidden = admin === null;
  if (admin && (previous?.workspace !== 'admin' || previous.locale !== state.locale || !adminArea.firstChild)) {
    if (adminArea.firstChild !== admin.element) adminArea.replaceChildren(admin.element);
    admin.show(state.locale);
  }
  // The time bar and legend over the map are updated in place (a rebuilt slider would drop a drag).
  const overlay = shell.root.querySelector<HTMLElement>('.map-overlay')!;
  renderRiskOverlay(overlay, state.locale, state.workspace === 'risk' ? state.risk : null, dispatch);
  renderHolidayOverlay(
    shell.root.querySelector<HTMLElement>('.holiday-overlay')!,
    state.locale,
    state.workspace === 'holidays' ? state.holidays : null,
  );
  renderGridOverlay(
    shell.root.querySelector<HTMLElement>('.grid-overlay')!,
    state.locale,
    state.workspace === 'grids' ? state.grids : null,
  );

  const mapStatus = shell.root.querySelector('.map-status')!;
  mapStatus.textContent =
    state.map.kind === 'loading'
      ? t('map.loading')
      : state.map.kind === 'error'
        ? t('map.error', { message: state.map.message })
        : '';
  mapStatus.classList.toggle('visible', state.map.kind !== 'ready');

  const county = state.county;
  let countyText = '';
  if (county?.state === 'generating') {
    const stepKey = `county.step.${county.step ?? 'terrain'}` as MessageKey;
    countyText = t('county.generating', { step: t(stepKey), percent: county.percent });
  } else if (county?.state === 'loading') {
    countyText = t('county.loading', { layer: county.layer ?? '', percent: county.percent });
  } else if (county?.state === 'failed') {
    countyText = t('county.failed', { message: county.message ?? '' });
  }

  const statusbar = shell.root.querySelector('.statusbar')!;
  const service = state.service;
  if (service.kind === 'online') {
    const { health } = service;
    statusbar.replaceChildren(
      el('span', { class: 'ok' }, t('status.online')),
      el(
        'span',
        {},
        `${t('status.database')}: ${t(health.db === 'pglite' ? 'status.database.pglite' : 'status.database.postgres')}`,
      ),
      el('span', {}, `${t('status.postgis')} ${health.postgis}`),
      el('span', {}, `${t('status.migration')} ${health.migration}`),
      ...(countyText ? [el('span', { class: 'county-progress', 'data-testid': 'county-progress' }, countyText)] : []),
      el('span', { class: 'version' }, `v${health.version}`),
    );
  } else {
    statusbar.replaceChildren(
      el(
        'span',
        { class: service.kind === 'offline' ? 'bad' : '' },
        t(service.kind === 'offline' ? 'status.offline' : 'status.connecting'),
      ),
    );
  }
}

let importKept: { locale: Locale; state: ImportState; element: HTMLElement } | null = null;
let menuKept: { locale: Locale; user: SessionUser; element: HTMLElement } | null = null;

/** The account menu, the same element while the language and user are the same (it may be open). */
function keptUserMenu(locale: Locale, user: SessionUser, logout: () => void): HTMLElement {
  if (menuKept?.locale !== locale || menuKept.user !== user) {
    menuKept = { locale, user, element: userMenu(locale, user, logout) };
  }
  return menuKept.element;
}

/**
 * The import form, the same element while its state and language are the same: the grid panel
 * is redrawn often, and a new form would drop the file chosen in the old one.
 */
function keptImportPanel(locale: Locale, state: ImportState, dispatch: (action: Action) => void): HTMLElement {
  if (importKept?.locale !== locale || importKept.state !== state) {
    importKept = { locale, state, element: importPanel(locale, state, dispatch) };
  }
  return importKept.element;
}

/**
 * What a rebuilt panel must not lose (it is redrawn from the state on every change): the scroll
 * positions, the focused control with its caret, and values typed into a form but not yet
 * submitted. Controls are matched by `data-focus-key`, scroll boxes by `data-scroll-key`.
 * Returns the function that puts them back into the new content.
 */
function keepPanelInputs(panel: Element): () => void {
  const scrollTop = panel.scrollTop;
  const scrolls = [...panel.querySelectorAll<HTMLElement>('[data-scroll-key]')].map(
    (box) => [box.dataset.scrollKey!, box.scrollTop, box.scrollLeft] as const,
  );
  const active =
    document.activeElement instanceof HTMLElement && panel.contains(document.activeElement)
      ? document.activeElement
      : null;
  const focusKey = active?.dataset.focusKey ?? null;
  const caret =
    (active instanceof HTMLInputElement && ['text', 'search'].includes(active.type)) ||
    active instanceof HTMLTextAreaElement
      ? { start: active.selectionStart, end: active.selectionEnd }
      : null;
  // Typed but not yet sent: a value that differs from the one the panel was drawn with, in a form
  // (sent on submit) or in the input being typed in. Other controls send each change at once.
  const typed = [
    ...panel.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
      'input[data-focus-key], select[data-focus-key], textarea[data-focus-key]',
    ),
  ]
    .filter(
      (control) => control.closest('form') !== null || (control === active && !(control instanceof HTMLSelectElement)),
    )
    .filter((control) =>
      control instanceof HTMLSelectElement
        ? [...control.options].some((option) => option.selected !== option.defaultSelected)
        : control.value !== control.defaultValue,
    )
    .map((control) => [control.dataset.focusKey!, control.value] as const);
  return () => {
    const find = (selector: string) => panel.querySelector<HTMLElement>(selector);
    for (const [key, value] of typed) {
      const control = find(`[data-focus-key="${CSS.escape(key)}"]`);
      if (
        control instanceof HTMLInputElement ||
        control instanceof HTMLSelectElement ||
        control instanceof HTMLTextAreaElement
      )
        control.value = value;
    }
    panel.scrollTop = scrollTop;
    for (const [key, top, left] of scrolls) {
      const box = find(`[data-scroll-key="${CSS.escape(key)}"]`);
      if (box) {
        box.scrollTop = top;
        box.scrollLeft = left;
      }
    }
    if (focusKey === null) return;
    const next = find(`[data-focus-key="${CSS.escape(focusKey)}"]`);
    if (!next) return;
    next.focus({ preventScroll: true });
    if (
      caret &&
      (next instanceof HTMLInputElement || next instanceof HTMLTextAreaElement) &&
      caret.start !== null &&
      caret.end !== null
    ) {
      next.setSelectionRange(caret.start, caret.end);
    }
  };
}
