import { translate, type Locale, type MessageKey } from '../i18n/index.js';
import { permissionsOf, sliceOf, workspacesOf, type Action, type AppState } from '../state.js';
import type { SessionUser } from '../session.js';
import { html, nothing, render } from 'lit-html';
import { registeredWorkspaces, workspaceById, type AnyWorkspace, type PanelContext } from '../workspaces/workspace.js';
import { countyPicker } from './county-picker.js';
import { el } from './dom.js';
import { userMenu } from './user-menu.js';

/** What the shell needs of the logged-in user: each started workspace's controller, and how to log out. */
export interface ShellAccount {
  controllers: ReadonlyMap<string, unknown>;
  logout: () => void;
}

/** The fixed frame of the page: header with workspace tabs, side panel, map, status bar. */
export interface ShellElements {
  root: HTMLElement;
  mapContainer: HTMLElement;
}

/** The box of a workspace's overlay over the map. */
const overlaySelector = (workspace: AnyWorkspace) => `[data-testid="${workspace.overlay!.testId}"]`;
/** The box of a workspace's screen over the map area. */
const coverSelector = (workspace: AnyWorkspace) => `[data-cover="${workspace.id}"]`;

/**
 * Build the frame once. The map container is never re-created; `renderShell` refreshes the
 * text and panels from the state. Each registered workspace with an overlay or a covering
 * screen gets its box over the map.
 */
export function createShell(host: HTMLElement): ShellElements {
  const mapContainer = el('div', { class: 'map', id: 'map', 'data-testid': 'map' });
  const workspaces = registeredWorkspaces();
  const root = el(
    'div',
    { class: 'shell' },
    el('header', { class: 'topbar' }),
    el('aside', { class: 'panel', 'data-testid': 'panel' }),
    el(
      'main',
      { class: 'map-area' },
      mapContainer,
      ...workspaces
        .filter((workspace) => workspace.overlay)
        .map((workspace) =>
          el('div', {
            class: `map-overlay ${workspace.overlay!.className}`.trim(),
            'data-testid': workspace.overlay!.testId,
          }),
        ),
      el('div', { class: 'map-status', 'data-testid': 'map-status' }),
      ...workspaces
        .filter((workspace) => workspace.coverView)
        .map((workspace) =>
          el('div', {
            class: `cover-area ${workspace.id}-area`,
            'data-cover': workspace.id,
            'data-testid': `${workspace.id}-area`,
            hidden: true,
          }),
        ),
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
  account: ShellAccount | null = null,
): void {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(state.locale, key, values);
  document.documentElement.lang = state.locale;
  document.title = `${t('app.name')} · ${t('app.tagline')}`;
  const open = workspaceById(state.workspace)!;

  const header = shell.root.querySelector<HTMLElement>('.topbar')!;
  // Rendered with lit: an open county picker or account menu stays open across changes.
  render(
    html`<div class="brand"><strong>${t('app.name')}</strong><span>${t('app.tagline')}</span></div>
      <nav aria-label=${t('nav.label')}>
        ${workspacesOf(state.user).map(
          (id) =>
            html`<a
              href="#/${id}"
              class=${id === state.workspace ? 'tab active' : 'tab'}
              aria-current=${id === state.workspace ? 'page' : nothing}
              data-workspace=${id}
              >${t(workspaceById(id)!.titleKey)}</a
            >`,
        )}
      </nav>
      ${countyPicker(state.locale, state, dispatch)}
      ${state.user && account ? keptUserMenu(state.locale, state.user, account.logout) : nothing}
      <button
        type="button"
        class="locale"
        title=${t('locale.switch.title')}
        @click=${() => dispatch({ type: 'setLocale', locale: state.locale === 'zh-CN' ? 'en' : 'zh-CN' })}
      >
        ${t('locale.switch')}
      </button>`,
    header,
  );
  const may = permissionsOf(state.user);

  // Each workspace's panel is a lit-html template rendered into a body kept across changes
  // (lit updates only what differs), so focus, caret, scroll and a chosen file stay by themselves.
  renderViewPanel(shell.root.querySelector('.panel')!, state, open, {
    locale: state.locale,
    state: sliceOf(state, open.id),
    app: state,
    controller: account?.controllers.get(open.id) ?? null,
    dispatch,
    may,
  });
  for (const workspace of registeredWorkspaces()) {
    // A covering screen drawn with lit-html: rendered while its workspace is open, kept (hidden) otherwise.
    if (workspace.coverView) {
      const area = shell.root.querySelector<HTMLElement>(coverSelector(workspace))!;
      area.hidden = workspace !== open;
      if (workspace === open) {
        render(
          workspace.coverView({
            locale: state.locale,
            state: sliceOf(state, workspace.id),
            app: state,
            controller: account?.controllers.get(workspace.id) ?? null,
            dispatch,
            may,
          }),
          area,
        );
      }
    }
    // Overlays over the map are updated in place (a rebuilt slider would drop a drag).
    if (workspace.overlay) {
      const host = shell.root.querySelector<HTMLElement>(overlaySelector(workspace))!;
      workspace.overlay.render(
        host,
        state.locale,
        workspace === open ? sliceOf(state, workspace.id) : null,
        dispatch,
        state,
      );
    }
  }

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

let menuKept: { locale: Locale; user: SessionUser; element: HTMLElement } | null = null;

/** The account menu, the same element while the language and user are the same (it may be open). */
function keptUserMenu(locale: Locale, user: SessionUser, logout: () => void): HTMLElement {
  if (menuKept?.locale !== locale || menuKept.user !== user) {
    menuKept = { locale, user, element: userMenu(locale, user, logout) };
  }
  return menuKept.element;
}

/** The panel of a workspace drawn with lit-html: title and description, then its template in a body kept across renders. */
function renderViewPanel(
  panel: Element,
  state: AppState,
  open: AnyWorkspace,
  context: PanelContext<unknown, unknown>,
): void {
  const t = (key: MessageKey) => translate(state.locale, key);
  let body = panel.querySelector<HTMLElement>(':scope > .panel-body');
  if (
    panel.getAttribute('data-workspace') !== state.workspace ||
    panel.getAttribute('data-locale') !== state.locale ||
    !body
  ) {
    panel.setAttribute('data-workspace', state.workspace);
    panel.setAttribute('data-locale', state.locale);
    body = el('div', { class: 'panel-body' });
    panel.replaceChildren(
      el('h1', {}, t(open.titleKey)),
      el('p', { class: 'description' }, t(open.descriptionKey)),
      el('p', { class: 'notice' }, t('app.syntheticNotice')),
      body,
    );
  }
  render(open.view ? open.view(context) : nothing, body);
}
