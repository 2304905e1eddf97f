import { requestJson } from '../../api.js';
import { countyReady, withCounty } from '../../frame/resource.js';
import type { MapView } from '../../map/map-view.js';
import type { AppState, Store } from '../../state.js';
import {
  DENSITY_OPACITY,
  layerFeatures,
  RISK_CLICKABLE,
  RISK_LAYERS,
  RISK_SOURCES,
  selectedFeatures,
} from './map-layers.js';
import { layerResource, riskViewOf, type RiskHexes, type RiskMeta, type RiskView } from './state.js';

/** How long the player shows each month. */
export const PLAY_STEP_MS = 1500;
/** From this zoom on, the finer hexagons: a township fills the screen. */
export const FINE_HEXAGONS_FROM_ZOOM = 11.5;

/** Fetch JSON from our API, cancellable. */
function request<T>(url: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(url, signal ? { signal } : {});
}

/**
 * The leaders' workspace behind the panel: loads the meta (the resource layer fetches the rest, from
 * the URLs `riskResources` wants, cancelling a request the slider has moved past), runs the player,
 * and keeps the map's layers and the legend in step with the state.
 */
export class RiskController {
  /** The hexes answer the legend was taken from last. */
  private legendFrom: RiskHexes | null = null;
  private player: ReturnType<typeof setInterval> | null = null;
  /** What each map source shows now, so an unchanged layer is not sent to MapLibre again. */
  private readonly drawn = new Map<string, unknown>();

  constructor(
    private readonly store: Store,
    private readonly mapView: MapView,
  ) {
    store.subscribe((state, previous) => this.changed(state, previous));
    mapView.onFeatureClick(RISK_CLICKABLE, (properties) => {
      if (this.store.current.workspace === 'risk' && typeof properties.h3 === 'string')
        this.store.dispatch({ type: 'risk/selectCell', h3: properties.h3 });
    });
    mapView.onZoom((zoom) =>
      this.store.dispatch({ type: 'risk/setZoomedIn', zoomedIn: zoom >= FINE_HEXAGONS_FROM_ZOOM }),
    );
    this.changed(store.current, null);
  }

  private changed(state: AppState, previous: AppState | null): void {
    const active = state.workspace === 'risk';
    const view = riskViewOf(state.risk, state);
    this.drawMap(view, active);
    this.runPlayer(active && state.risk.playing);
    // A new hexes answer on the map: its legend (the same object while only the window moves).
    const hexes = view.fetched.hexes;
    if (hexes.data && hexes.dataKey && (hexes.data !== this.legendFrom || state.risk.legend === null)) {
      this.legendFrom = hexes.data;
      this.store.dispatch({ type: 'risk/hexesShown', key: hexes.dataKey, data: hexes.data });
    }
    // Another county: its own months, townships and categories (the layer asks its maps again).
    if (previous && previous.countyCode !== state.countyCode) this.store.dispatch({ type: 'risk/reset' });
    if (!active) return;
    // Asked again when the workspace is reopened after a failure.
    const retry = state.risk.meta.kind === 'error' && previous !== null && previous.workspace !== 'risk';
    if (countyReady(state) && (state.risk.meta.kind === 'idle' || retry)) void this.loadMeta();
  }

  private async loadMeta(): Promise<void> {
    const county = this.store.current.countyCode;
    this.store.dispatch({ type: 'risk/meta', meta: { kind: 'loading' } });
    try {
      const data = await request<RiskMeta>(withCounty('/api/risk/meta', county));
      // An answer for a county no longer chosen: dropped (the reset asks for the new county's).
      if (this.store.current.countyCode !== county) return;
      this.store.dispatch({ type: 'risk/meta', meta: { kind: 'ready', data } });
    } catch (err) {
      if (this.store.current.countyCode !== county) return;
      this.store.dispatch({ type: 'risk/meta', meta: { kind: 'error', message: (err as Error).message } });
    }
  }

  /** Start or stop the player's beat; a beat waits while the map's layer is still loading. */
  private runPlayer(on: boolean): void {
    if (on && !this.player) {
      this.player = setInterval(() => {
        const risk = riskViewOf(this.store.current.risk, this.store.current);
        const shown = risk.fetched[layerResource(risk.layer)];
        if (shown.status === 'loading' || risk.fetched.hexes.status === 'loading') return;
        this.store.dispatch({ type: 'risk/step' });
      }, PLAY_STEP_MS);
    } else if (!on && this.player) {
      clearInterval(this.player);
      this.player = null;
    }
  }

  private drawMap(risk: RiskView, active: boolean): void {
    const show = (source: string, data: GeoJSON.FeatureCollection | null, zIndex: number) => {
      if (this.drawn.has(source) && this.drawn.get(source) === data) return;
      this.drawn.set(source, data);
      const layers = RISK_LAYERS[source.replace('risk-', '') as keyof typeof RISK_LAYERS];
      this.mapView.setGeoJson(source, data, layers, zIndex);
    };
    show(RISK_SOURCES.hexes, active ? layerFeatures(risk, 'hexes') : null, 11);
    show(RISK_SOURCES.hotspots, active ? layerFeatures(risk, 'hotspots') : null, 12);
    show(RISK_SOURCES.emerging, active ? layerFeatures(risk, 'emerging') : null, 13);
    // The outline is rebuilt only when the cell or the collection it comes from changed.
    const outlineOf = active ? [risk.cell, risk.layer, risk.fetched.hexes.data, risk.fetched[risk.layer].data] : [];
    const lastOutline = this.drawn.get('outline-inputs') as unknown[] | undefined;
    if (
      !lastOutline ||
      lastOutline.some((value, i) => value !== outlineOf[i]) ||
      lastOutline.length !== outlineOf.length
    ) {
      this.drawn.set('outline-inputs', outlineOf);
      this.mapView.setGeoJson(RISK_SOURCES.selected, active ? selectedFeatures(risk) : null, RISK_LAYERS.selected, 14);
    }
    const density = active && risk.layer === 'density' ? risk.fetched.density.data : null;
    if (!this.drawn.has(RISK_SOURCES.density) || this.drawn.get(RISK_SOURCES.density) !== density) {
      this.drawn.set(RISK_SOURCES.density, density);
      this.mapView.setImage(
        RISK_SOURCES.density,
        density ? { url: new URL(density.url, location.href).href, coordinates: density.coordinates } : null,
        DENSITY_OPACITY,
        10,
      );
    }
  }
}
