import { requestJson as request } from '../../api.js';
import type { MapView } from '../../map/map-view.js';
import type { AppState, Store } from '../../state.js';
import { BandLegend, bandLegendContent } from './band-legend.js';
import { isochroneFeatures, POLICING_LAYERS, POLICING_SOURCES, routeFeatures, villageFeatures } from './map-layers.js';
import type {
  IsochroneCollection,
  NoTripReport,
  NoTripSettings,
  Remote,
  VisitPlanResult,
  VisitTotals,
} from './state.js';

/** What the commanders' panel can ask for. */
export interface PolicingCommands {
  tryRules(rules: NoTripSettings): void;
  /** Leave the what-if: the list under the saved rules again. */
  backToSaved(): void;
  saveRules(rules: NoTripSettings): void;
  designate(villageCode: string, reason: string): void;
  undesignate(villageCode: string): void;
  planVisits(options: { dayHours: number; officers: number }): void;
  exportUrl(format: 'csv' | 'xlsx'): string;
}

const rulesQuery = (rules: NoTripSettings | null) =>
  rules
    ? `?${new URLSearchParams({
        maxDriveMinutes: String(rules.maxDriveMinutes),
        maxBusWalkMetres: String(rules.maxBusWalkMetres),
      }).toString()}`
    : '';

/** The [west, south, east, north] box of a GeoJSON geometry's coordinates; null when it has none. */
export function boundsOf(geometry: unknown): [number, number, number, number] | null {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number' && typeof value[1] === 'number') {
      box[0] = Math.min(box[0], value[0]);
      box[1] = Math.min(box[1], value[1]);
      box[2] = Math.max(box[2], value[0]);
      box[3] = Math.max(box[3], value[1]);
      return;
    }
    for (const item of value) visit(item);
  };
  visit((geometry as { coordinates?: unknown } | null | undefined)?.coordinates);
  return Number.isFinite(box[0]) ? box : null;
}

/**
 * The commanders' workspace behind the panel: loads the report when the workspace opens, the
 * bands when a station is chosen, runs the panel's commands, and keeps the map's layers in step
 * with the state.
 */
export class PolicingController implements PolicingCommands {
  private readonly legend = new BandLegend();

  constructor(
    private readonly store: Store,
    private readonly mapView: MapView,
  ) {
    mapView.map.addControl(this.legend, 'top-left');
    store.subscribe((state, previous) => this.changed(state, previous));
    mapView.onFeatureClick(['policing-villages-circle'], (properties) => {
      if (typeof properties.code === 'string')
        this.store.dispatch({ type: 'policing/selectVillage', village: properties.code });
    });
    this.changed(store.current, null);
  }

  private changed(state: AppState, previous: AppState | null): void {
    const policing = state.policing;
    const active = state.workspace === 'policing';
    // The county is there (or nothing is being generated): 'idle' when the demo is not made here.
    const ready = state.county?.state === 'ready' || state.county?.state === 'idle';
    if (active && ready && policing.report.kind === 'idle') void this.loadReport(policing.whatIf);
    // A what-if is compared with the saved rules' list (the report itself when there is no what-if).
    if (active && ready && policing.whatIf && policing.saved.kind === 'idle') void this.loadSaved();
    if (active && ready && policing.summary.kind === 'idle') void this.loadSummary();
    if (active && policing.station && policing.isochrones.kind === 'idle') void this.loadIsochrones(policing.station);
    // A village chosen (in the list or on the map): bring it into view.
    if (policing.village && policing.village !== previous?.policing.village && policing.report.kind === 'ready') {
      const village = policing.report.data.villages.find((v) => v.code === policing.village);
      if (village) this.mapView.flyTo(village.lon, village.lat);
    }
    if (!previous || previous.policing !== policing || previous.workspace !== state.workspace) {
      const { isochrones, route, villages } = POLICING_SOURCES;
      this.mapView.setGeoJson(isochrones, active ? isochroneFeatures(policing) : null, POLICING_LAYERS.isochrones, 1);
      this.mapView.setGeoJson(route, active ? routeFeatures(policing) : null, POLICING_LAYERS.route, 2);
      this.mapView.setGeoJson(villages, active ? villageFeatures(policing) : null, POLICING_LAYERS.villages, 3);
    }
    if (
      !previous ||
      previous.policing.isochrones !== policing.isochrones ||
      previous.policing.report !== policing.report ||
      previous.workspace !== state.workspace ||
      previous.locale !== state.locale
    ) {
      this.legend.show(bandLegendContent(state.locale, policing, active));
    }
  }

  private async loadReport(whatIf: NoTripSettings | null): Promise<void> {
    this.store.dispatch({ type: 'policing/report', report: { kind: 'loading' } });
    // An answer to rules no longer asked for (the commander tried others meanwhile) is dropped.
    const stillAsked = () => rulesQuery(this.store.current.policing.whatIf) === rulesQuery(whatIf);
    try {
      const data = await request<NoTripReport>(`/api/policing/no-trip${rulesQuery(whatIf)}`);
      if (stillAsked()) this.store.dispatch({ type: 'policing/report', report: { kind: 'ready', data } });
    } catch (err) {
      if (stillAsked()) {
        this.store.dispatch({ type: 'policing/report', report: { kind: 'error', message: (err as Error).message } });
      }
    }
  }

  private loadSaved(): Promise<void> {
    return this.load<NoTripReport>('/api/policing/no-trip', (saved) =>
      this.store.dispatch({ type: 'policing/saved', saved }),
    );
  }

  private loadSummary(): Promise<void> {
    return this.load<VisitTotals>('/api/policing/visits/summary', (summary) =>
      this.store.dispatch({ type: 'policing/summary', summary }),
    );
  }

  /** Fetch into one Remote of the state: loading, then its data or its error. */
  private async load<T>(url: string, put: (remote: Remote<T>) => void): Promise<void> {
    put({ kind: 'loading' });
    try {
      put({ kind: 'ready', data: await request<T>(url) });
    } catch (err) {
      put({ kind: 'error', message: (err as Error).message });
    }
  }

  private async loadIsochrones(station: string): Promise<void> {
    this.store.dispatch({ type: 'policing/isochrones', isochrones: { kind: 'loading' } });
    try {
      const data = await request<IsochroneCollection>(
        `/api/policing/stations/${encodeURIComponent(station)}/isochrones?minutes=30,60,90`,
      );
      if (this.store.current.policing.station !== station) return;
      this.store.dispatch({ type: 'policing/isochrones', isochrones: { kind: 'ready', data } });
      const bounds = boundsOf(data.features.at(-1)?.geometry);
      if (bounds) this.mapView.fitBounds(bounds);
    } catch (err) {
      this.store.dispatch({
        type: 'policing/isochrones',
        isochrones: { kind: 'error', message: (err as Error).message },
      });
    }
  }

  tryRules(rules: NoTripSettings): void {
    this.store.dispatch({ type: 'policing/report', report: { kind: 'idle' }, whatIf: rules });
    this.store.dispatch({ type: 'policing/message', message: null });
  }

  backToSaved(): void {
    this.store.dispatch({ type: 'policing/backToSaved' });
  }

  saveRules(rules: NoTripSettings): void {
    void (async () => {
      try {
        await request('/api/policing/settings', { method: 'PUT', json: rules });
        this.store.dispatch({ type: 'policing/message', message: 'saved' });
        this.store.dispatch({ type: 'policing/report', report: { kind: 'idle' }, whatIf: null });
      } catch (err) {
        this.store.dispatch({ type: 'policing/message', message: (err as Error).message });
      }
    })();
  }

  designate(villageCode: string, reason: string): void {
    void this.change(`/api/policing/villages/${villageCode}/designation`, { method: 'PUT', json: { reason } });
  }

  undesignate(villageCode: string): void {
    void this.change(`/api/policing/villages/${villageCode}/designation`, { method: 'DELETE' });
  }

  private async change(url: string, init: { method: string; json?: unknown }): Promise<void> {
    try {
      await request(url, init);
      this.store.dispatch({ type: 'policing/message', message: null });
      this.store.dispatch({ type: 'policing/report', report: { kind: 'idle' } });
    } catch (err) {
      this.store.dispatch({ type: 'policing/message', message: (err as Error).message });
    }
  }

  planVisits(options: { dayHours: number; officers: number }): void {
    const station = this.store.current.policing.station;
    if (!station) return;
    const whatIf = this.store.current.policing.whatIf;
    const report = this.store.current.policing.report;
    // Under a what-if, plan for the villages it shows; else the server takes the saved rules.
    const villageCodes =
      whatIf && report.kind === 'ready'
        ? report.data.villages.filter((v) => v.noTrip && v.stationCode === station).map((v) => v.code)
        : undefined;
    void (async () => {
      this.store.dispatch({ type: 'policing/plan', plan: { kind: 'loading' } });
      try {
        const data = await request<VisitPlanResult>('/api/policing/visit-plans', {
          method: 'POST',
          json: { stationCode: station, ...options, ...(villageCodes ? { villageCodes } : {}) },
        });
        this.store.dispatch({ type: 'policing/plan', plan: { kind: 'ready', data } });
      } catch (err) {
        this.store.dispatch({ type: 'policing/plan', plan: { kind: 'error', message: (err as Error).message } });
      }
    })();
  }

  exportUrl(format: 'csv' | 'xlsx'): string {
    return `/api/policing/no-trip.${format}${rulesQuery(this.store.current.policing.whatIf)}`;
  }
}
