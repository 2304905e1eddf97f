import { withCounty, type ResourceLayer } from '../../frame/resource.js';
import { boundsOf } from '../../map/bounds.js';
import type { MapView } from '../../map/map-view.js';
import type { Action, AppState, Store } from '../../state.js';
import { BandLegend, bandLegendContent } from './band-legend.js';
import {
  drawnBands,
  isochroneFeatures,
  POLICING_LAYERS,
  POLICING_SOURCES,
  routeFeatures,
  villageFeatures,
} from './map-layers.js';
import { policingView, rulesQuery, type NoTripSettings, type VisitPlanResult } from './state.js';

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

/** What a change of the rules or of a designation touches: the no-trip reports (not the bands or the visits). */
const NO_TRIP_CHANGED = ['/api/policing/no-trip'];

/**
 * The commanders' workspace behind the panel: sends the panel's commands (the resource layer
 * fetches what the state asks for), brings a chosen village or station into view, and keeps the
 * map's layers and the bands' legend in step with the state.
 */
export class PolicingController implements PolicingCommands {
  private readonly legend = new BandLegend();

  constructor(
    private readonly store: Store,
    private readonly mapView: MapView,
    private readonly resources: ResourceLayer<AppState, Action>,
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
    const policing = policingView(state.policing, state);
    const before = previous ? policingView(previous.policing, previous) : null;
    const active = state.workspace === 'policing';
    // A village chosen (in the list or on the map): bring it into view.
    if (policing.village && policing.village !== before?.village && policing.report.data) {
      const village = policing.report.data.villages.find((v) => v.code === policing.village);
      if (village) this.mapView.flyTo(village.lon, village.lat);
    }
    // A station's bands come in: the map shows the largest.
    const bands = drawnBands(policing);
    if (active && bands && (!before || drawnBands(before) !== bands)) {
      const bounds = boundsOf(bands.features.at(-1)?.geometry);
      if (bounds) this.mapView.fitBounds(bounds);
    }
    const changedData =
      !before ||
      before.report !== policing.report ||
      before.isochrones !== policing.isochrones ||
      previous?.policing !== state.policing ||
      previous.workspace !== state.workspace;
    if (changedData) {
      const { isochrones, route, villages } = POLICING_SOURCES;
      this.mapView.setGeoJson(isochrones, active ? isochroneFeatures(policing) : null, POLICING_LAYERS.isochrones, 1);
      this.mapView.setGeoJson(route, active ? routeFeatures(policing) : null, POLICING_LAYERS.route, 2);
      this.mapView.setGeoJson(villages, active ? villageFeatures(policing) : null, POLICING_LAYERS.villages, 3);
    }
    if (changedData || previous?.locale !== state.locale) {
      this.legend.show(bandLegendContent(state.locale, policing, active));
    }
  }

  tryRules(rules: NoTripSettings): void {
    this.store.dispatch({ type: 'policing/tryRules', whatIf: rules });
  }

  backToSaved(): void {
    this.store.dispatch({ type: 'policing/tryRules', whatIf: null });
  }

  saveRules(rules: NoTripSettings): void {
    void (async () => {
      try {
        await this.resources.write('/api/policing/settings', { method: 'PUT', json: rules }, NO_TRIP_CHANGED);
        this.store.dispatch({ type: 'policing/tryRules', whatIf: null });
        this.store.dispatch({ type: 'policing/message', message: 'saved' });
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
      await this.resources.write(url, init, NO_TRIP_CHANGED);
      this.store.dispatch({ type: 'policing/message', message: null });
    } catch (err) {
      this.store.dispatch({ type: 'policing/message', message: (err as Error).message });
    }
  }

  planVisits(options: { dayHours: number; officers: number }): void {
    const station = this.store.current.policing.station;
    if (!station) return;
    const whatIf = this.store.current.policing.whatIf;
    const report = policingView(this.store.current.policing, this.store.current).report.data;
    // Under a what-if, plan for the villages it shows; else the server takes the saved rules.
    const villageCodes =
      whatIf && report
        ? report.villages.filter((v) => v.noTrip && v.stationCode === station).map((v) => v.code)
        : undefined;
    void (async () => {
      this.store.dispatch({ type: 'policing/plan', plan: { kind: 'loading' } });
      try {
        const data = await this.resources.write<VisitPlanResult>('/api/policing/visit-plans', {
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
    return withCounty(
      `/api/policing/no-trip.${format}${rulesQuery(this.store.current.policing.whatIf)}`,
      this.store.current.countyCode,
    );
  }
}
