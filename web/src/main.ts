import './styles/index.css';
import { apiFetch, onUnauthenticated } from './api.js';
import { counties, COUNTY_KEY, keptCountyIsGone, shownCounty } from './frame/counties.js';
import { ResourceLayer } from './frame/resource.js';
import { initialLocale, translate, type Locale } from './i18n/index.js';
import { MapView } from './map/map-view.js';
import { checkSession, logOut, type SessionUser } from './session.js';
import {
  initialState,
  Store,
  workspaceFromHash,
  workspacesOf,
  type AppState,
  type CountyStatus,
  type Health,
  type WorkspaceId,
  wantedResources,
  type Action,
} from './state.js';
import { APP_WORKSPACES } from './workspaces/registry.js';
import { showConnecting, showLoginView, type LoginNotice } from './ui/login-view.js';
import { createShell, renderShell } from './ui/shell.js';

const LOCALE_KEY = 'shanwang.locale';
/** Why the page was reloaded to the login screen ('expired' or 'loggedOut'), said once there. */
const ENDED_KEY = 'shanwang.sessionEnded';

async function checkHealth(store: Store): Promise<void> {
  try {
    const response = await apiFetch('/api/health');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    store.dispatch({ type: 'serviceChecked', status: { kind: 'online', health: (await response.json()) as Health } });
  } catch (err) {
    store.dispatch({ type: 'serviceChecked', status: { kind: 'offline', message: (err as Error).message } });
  }
}

/** Follow the county model's generation and loading until it is ready, then redraw the map. */
async function followCounty(store: Store, onReady: () => void): Promise<void> {
  let wasLoading = false;
  for (;;) {
    try {
      const response = await apiFetch('/api/county/status');
      if (response.status === 401) return;
      if (response.ok) {
        const status = (await response.json()) as CountyStatus;
        store.dispatch({ type: 'countyStatus', status });
        if (status.state === 'generating' || status.state === 'loading') wasLoading = true;
        else {
          if (wasLoading && status.state === 'ready') onReady();
          return;
        }
      }
    } catch {
      // The service is restarting: try again.
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
}

/** The session has ended (logged out here, or expired on the server): start again at the login screen. */
function endSession(reason: 'expired' | 'loggedOut'): void {
  sessionStorage.setItem(ENDED_KEY, reason);
  // A fresh page drops the map, the controllers and their polling with the old session.
  location.reload();
}

let checkingExpiry = false;

/**
 * An API call answered 401. Only when the server confirms that the session is gone does the app
 * go back to the login screen (a single odd 401 must not reload the page in a loop).
 */
async function sessionMayHaveEnded(): Promise<void> {
  if (checkingExpiry) return;
  checkingExpiry = true;
  try {
    const check = await checkSession();
    if (check.kind === 'anonymous') endSession('expired');
  } finally {
    checkingExpiry = false;
  }
}

/** The app itself, for a logged-in user: map, workspaces, status polling. */
function bootApp(host: HTMLElement, locale: Locale, user: SessionUser): void {
  onUnauthenticated(() => void sessionMayHaveEnded());
  // The county chosen on an earlier visit (dropped below if it is no longer loaded).
  const store = new Store(initialState(locale, location.hash, user, localStorage.getItem(COUNTY_KEY)));
  const shell = createShell(host);
  /** The controllers of the workspaces this user sees, started once the map is made. */
  const controllers = new Map<string, unknown>();
  const account = {
    controllers,
    logout: () => {
      onUnauthenticated(null);
      void logOut().finally(() => endSession('loggedOut'));
    },
  };
  const render = (previous?: AppState) =>
    renderShell(shell, store.current, (action) => store.dispatch(action), previous, account);
  const showWorkspaceInAddress = (workspace: WorkspaceId) => {
    if (location.hash !== `#/${workspace}`) history.replaceState(null, '', `#/${workspace}`);
  };

  const t = (key: Parameters<typeof translate>[1]) => translate(store.current.locale, key);
  const styleUrl = new URL('/api/map/style.json', location.href).href;
  const mapView = new MapView({
    container: shell.mapContainer,
    styleUrl,
    uiText: {
      'NavigationControl.ZoomIn': t('map.zoomIn'),
      'NavigationControl.ZoomOut': t('map.zoomOut'),
      'NavigationControl.ResetBearing': t('map.resetBearing'),
    },
    onStatus: (status) => {
      store.dispatch({ type: 'mapStatus', status });
      // Tiles refused (401) once the session has ended: MapLibre only says the map failed.
      if (status.kind === 'error') void sessionMayHaveEnded();
    },
  });

  const resources = new ResourceLayer<AppState, Action>(store, { wants: wantedResources });
  const context = { store, mapView, user, locale: store.current.locale, resources };
  const seen = workspacesOf(user);
  for (const workspace of APP_WORKSPACES) {
    if (seen.includes(workspace.id) && workspace.start) controllers.set(workspace.id, workspace.start(context));
  }
  store.subscribe((state, previous) => {
    if (state.locale !== previous.locale) localStorage.setItem(LOCALE_KEY, state.locale);
    if (state.workspace !== previous.workspace && workspaceFromHash(location.hash) !== state.workspace) {
      location.hash = `#/${state.workspace}`;
    }
    if (keptCountyIsGone(state)) {
      store.dispatch({ type: 'chooseCounty', countyCode: null });
      return;
    }
    if (state.countyCode !== previous.countyCode) {
      if (state.countyCode === null) localStorage.removeItem(COUNTY_KEY);
      else localStorage.setItem(COUNTY_KEY, state.countyCode);
    }
    // A county chosen (now, or on an earlier visit once the list is there): the map goes to it.
    const chosenNow = state.countyCode !== previous.countyCode;
    const listCame = counties.of(state).data !== counties.of(previous).data && counties.of(previous).data === null;
    const bbox = shownCounty(state)?.bbox;
    if (bbox && state.countyCode !== null && (chosenNow || listCame)) mapView.fitBounds(bbox);
    if (state.import !== previous.import && state.import.kind === 'accepted') {
      // The reducer has already had each workspace start again over the new data.
      mapView.reloadStyle(styleUrl);
    }
    render(previous);
  });
  window.addEventListener('hashchange', () => {
    store.dispatch({ type: 'openWorkspace', workspace: workspaceFromHash(location.hash) });
    // A workspace this user may not open stays closed: the address says where they are.
    showWorkspaceInAddress(store.current.workspace);
  });
  window.addEventListener('resize', () => mapView.resize());
  if (location.hash.replace(/^#\/?/, '') !== '') showWorkspaceInAddress(store.current.workspace);
  render();
  void checkHealth(store);
  void followCounty(store, () => mapView.reloadStyle(styleUrl));
  // Exposed for browser tests and for debugging in the console.
  // Each workspace's controller under its id (null for one this user does not see).
  const exposed = Object.fromEntries(
    APP_WORKSPACES.map((workspace) => [workspace.id, controllers.get(workspace.id) ?? null]),
  );
  Object.assign(window, { shanwang: { store, mapView, resources, ...exposed } });
}

/** Ask who is logged in; the app for them, or the login screen (nothing of the app before it). */
async function start(): Promise<void> {
  const host = document.getElementById('app');
  if (!host) throw new Error('#app is missing from index.html');
  let locale = initialLocale(localStorage.getItem(LOCALE_KEY));
  const ended = sessionStorage.getItem(ENDED_KEY);
  sessionStorage.removeItem(ENDED_KEY);
  showConnecting(host, locale);
  const check = await checkSession();
  if (check.kind === 'loggedIn') {
    bootApp(host, locale, check.session.user);
    return;
  }
  const notice: LoginNotice =
    check.kind === 'unreachable'
      ? { kind: 'unreachable', message: check.message }
      : ended === 'expired' || ended === 'loggedOut'
        ? { kind: ended }
        : null;
  showLoginView(host, {
    locale,
    notice,
    onLocale: (next) => {
      locale = next;
      localStorage.setItem(LOCALE_KEY, next);
    },
    onLoggedIn: (session) => bootApp(host, locale, session.user),
  });
}

void start();
