import './styles.css';
import { GridController } from './grids/controller.js';
import { HolidayController } from './holidays/controller.js';
import { initialLocale, translate } from './i18n/index.js';
import { MapView } from './map/map-view.js';
import { PolicingController } from './policing/controller.js';
import { RiskController } from './risk/controller.js';
import { initialState, Store, workspaceFromHash, type AppState, type CountyStatus, type Health } from './state.js';
import { createShell, renderShell } from './ui/shell.js';

const LOCALE_KEY = 'shanwang.locale';

async function checkHealth(store: Store): Promise<void> {
  try {
    const response = await fetch('/api/health');
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
      const response = await fetch('/api/county/status');
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

function boot(): void {
  const host = document.getElementById('app');
  if (!host) throw new Error('#app is missing from index.html');
  const store = new Store(initialState(initialLocale(localStorage.getItem(LOCALE_KEY)), location.hash));
  const shell = createShell(host);
  let policing: PolicingController | null = null;
  let holidays: HolidayController | null = null;
  let grids: GridController | null = null;
  const render = (previous?: AppState) =>
    renderShell(shell, store.current, (action) => store.dispatch(action), previous, policing, holidays, grids);

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
    onStatus: (status) => store.dispatch({ type: 'mapStatus', status }),
  });

  policing = new PolicingController(store, mapView);
  const risk = new RiskController(store, mapView);
  holidays = new HolidayController(store, mapView);
  grids = new GridController(store, mapView);
  store.subscribe((state, previous) => {
    if (state.locale !== previous.locale) localStorage.setItem(LOCALE_KEY, state.locale);
    if (state.workspace !== previous.workspace && workspaceFromHash(location.hash) !== state.workspace) {
      location.hash = `#/${state.workspace}`;
    }
    if (state.import !== previous.import && state.import.kind === 'accepted') {
      mapView.reloadStyle(styleUrl);
      store.dispatch({ type: 'policing/report', report: { kind: 'idle' } });
      store.dispatch({ type: 'risk/reset' });
      store.dispatch({ type: 'holidays/reset' });
      store.dispatch({ type: 'grids/reset' });
    }
    render(previous);
  });
  window.addEventListener('hashchange', () =>
    store.dispatch({ type: 'openWorkspace', workspace: workspaceFromHash(location.hash) }),
  );
  window.addEventListener('resize', () => mapView.resize());
  render();
  void checkHealth(store);
  void followCounty(store, () => mapView.reloadStyle(styleUrl));
  // Exposed for browser tests and for debugging in the console.
  Object.assign(window, { shanwang: { store, mapView, policing, risk, holidays, grids } });
}

boot();
