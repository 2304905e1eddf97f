import { translate, type MessageKey } from '../i18n/index.js';
import { WORKSPACES, type AppState, type Action, type WorkspaceId } from '../state.js';
import { el } from './dom.js';
import { importPanel } from './import-panel.js';
import { policingPanel } from './policing-panel.js';
import { renderRiskOverlay, riskPanel } from './risk-panel.js';
import type { PolicingCommands } from '../policing/controller.js';

const WORKSPACE_TITLE: Record<WorkspaceId, MessageKey> = {
  grids: 'workspace.grids',
  policing: 'workspace.policing',
  risk: 'workspace.risk',
};
const WORKSPACE_DESCRIPTION: Record<WorkspaceId, MessageKey> = {
  grids: 'workspace.grids.description',
  policing: 'workspace.policing.description',
  risk: 'workspace.risk.description',
};

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
      el('div', { class: 'map-status', 'data-testid': 'map-status' }),
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
): void {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(state.locale, key, values);
  document.documentElement.lang = state.locale;
  document.title = `${t('app.name')} · ${t('app.tagline')}`;

  const header = shell.root.querySelector('.topbar')!;
  const tabs = WORKSPACES.map((id) =>
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
    localeButton,
  );

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
    panel.childElementCount === 0;
  if (panelChanged) {
    panel.setAttribute('data-workspace', state.workspace);
    panel.replaceChildren(
      el('h1', {}, t(WORKSPACE_TITLE[state.workspace])),
      el('p', { class: 'description' }, t(WORKSPACE_DESCRIPTION[state.workspace])),
      el('p', { class: 'notice' }, t('app.syntheticNotice')),
      ...(state.workspace === 'grids' ? [importPanel(state.locale, state.import, dispatch)] : []),
      ...(state.workspace === 'policing' ? [policingPanel(state.locale, state.policing, policing, dispatch)] : []),
      ...(state.workspace === 'risk' ? [riskPanel(state.locale, state.risk, dispatch)] : []),
    );
  }
  // The time bar and legend over the map are updated in place (a rebuilt slider would drop a drag).
  const overlay = shell.root.querySelector<HTMLElement>('.map-overlay')!;
  renderRiskOverlay(overlay, state.locale, state.workspace === 'risk' ? state.risk : null, dispatch);

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
