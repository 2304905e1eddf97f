import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { LayerSpecification } from 'maplibre-gl';

maplibregl.setWorkerUrl(workerUrl);

/** Corners of a georeferenced image: top-left, top-right, bottom-right, bottom-left [lon, lat]. */
export type ImageCorners = [[number, number], [number, number], [number, number], [number, number]];

const imageLayerId = (sourceId: string) => `${sourceId}-raster`;

/** CJK labels are drawn by MapLibre from fonts on the computer: nothing is downloaded. */
export const LOCAL_CJK_FONTS =
  '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';

export interface MapViewOptions {
  container: HTMLElement;
  styleUrl: string;
  /** MapLibre's own control texts, already translated. */
  uiText: Record<string, string>;
  onStatus: (status: { kind: 'ready' } | { kind: 'error'; message: string }) => void;
}

/**
 * The map: one MapLibre instance drawing the basemap and every workspace's analytic layers
 * (GeoJSON with data-driven styles, georeferenced images). Lives outside the DOM rendering of
 * panels; workspaces hand it layers.
 */
export class MapView {
  readonly map: maplibregl.Map;
  /** GeoJSON layers of the workspaces, kept here so that a style reload draws them again. */
  /** Whether sources can be added (MapLibre's isStyleLoaded() is false while any tile loads). */
  private styleReady = false;
  private readonly geojson = new Map<
    string,
    { data: GeoJSON.FeatureCollection | null; layers: LayerSpecification[]; zIndex: number }
  >();
  /** Georeferenced images of the workspaces (a density surface), redrawn after a style reload too. */
  private readonly images = new Map<
    string,
    { image: { url: string; coordinates: ImageCorners } | null; opacity: number; zIndex: number }
  >();

  constructor(options: MapViewOptions) {
    this.map = new maplibregl.Map({
      container: options.container,
      style: options.styleUrl,
      // The style's tile URLs are relative to this server (never built from a Host header): resolve them here.
      transformRequest: (url) => ({ url: new URL(url, location.href).href }),
      localIdeographFontFamily: LOCAL_CJK_FONTS,
      attributionControl: false,
      locale: options.uiText,
      // Keeps the last frame readable by screenshots and printing.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    this.map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    this.map.once('load', () => {
      this.fitToData();
      options.onStatus({ kind: 'ready' });
    });
    this.map.on('style.load', () => {
      this.styleReady = true;
      for (const id of this.geojson.keys()) this.applyGeoJson(id);
      for (const id of this.images.keys()) this.applyImage(id);
    });
    this.map.on('error', (event) => {
      options.onStatus({ kind: 'error', message: event.error?.message ?? 'unknown error' });
    });
  }

  /** Fit the view to the loaded counties (the style's `shanwang:bounds`), if any. */
  fitToData(): void {
    const metadata = this.map.getStyle().metadata as
      { 'shanwang:bounds'?: [number, number, number, number] | null } | undefined;
    const bounds = metadata?.['shanwang:bounds'];
    if (bounds) this.map.fitBounds(bounds, { padding: 24, duration: 0 });
  }

  /** Reload the style (new data: a county loaded or imported). */
  reloadStyle(styleUrl: string): void {
    this.styleReady = false;
    this.map.setStyle(styleUrl);
    this.map.once('styledata', () => this.fitToData());
  }

  /**
   * Draw (or update, or with null remove) a workspace's GeoJSON source and its layers, above the
   * basemap, stacked by `zIndex` (higher on top). Layer ids must be unique; their `source` is set
   * to `sourceId`.
   */
  setGeoJson(
    sourceId: string,
    data: GeoJSON.FeatureCollection | null,
    layers: LayerSpecification[] = this.geojson.get(sourceId)?.layers ?? [],
    zIndex = 0,
  ): void {
    this.geojson.set(sourceId, { data, layers, zIndex });
    this.applyGeoJson(sourceId);
  }

  private applyGeoJson(sourceId: string): void {
    const entry = this.geojson.get(sourceId);
    if (!entry || !this.styleReady) return;
    const source = this.map.getSource(sourceId) as maplibregl.GeoJSONSource | undefined;
    if (!entry.data) {
      for (const layer of entry.layers) if (this.map.getLayer(layer.id)) this.map.removeLayer(layer.id);
      if (source) this.map.removeSource(sourceId);
      return;
    }
    if (source) source.setData(entry.data);
    else this.map.addSource(sourceId, { type: 'geojson', data: entry.data });
    let added = false;
    for (const layer of entry.layers) {
      if (this.map.getLayer(layer.id)) continue;
      this.map.addLayer({ ...layer, source: sourceId } as LayerSpecification);
      added = true;
    }
    if (added) this.restack();
  }

  /** Restack every workspace layer (GeoJSON and image) by z-index, each moved to the top in turn. */
  private restack(): void {
    const stack = [
      ...[...this.geojson.values()].map((entry) => ({ zIndex: entry.zIndex, ids: entry.layers.map((l) => l.id) })),
      ...[...this.images.keys()].map((id) => ({ zIndex: this.images.get(id)!.zIndex, ids: [imageLayerId(id)] })),
    ].sort((a, b) => a.zIndex - b.zIndex);
    for (const entry of stack) for (const id of entry.ids) if (this.map.getLayer(id)) this.map.moveLayer(id);
  }

  /**
   * Draw (or move, or with null remove) a georeferenced image, e.g. a density surface, as a raster
   * layer stacked with the GeoJSON layers by `zIndex`. Kept like them across style reloads.
   */
  setImage(sourceId: string, image: { url: string; coordinates: ImageCorners } | null, opacity = 1, zIndex = 0): void {
    this.images.set(sourceId, { image, opacity, zIndex });
    this.applyImage(sourceId);
  }

  private applyImage(sourceId: string): void {
    const entry = this.images.get(sourceId);
    if (!entry || !this.styleReady) return;
    const layerId = imageLayerId(sourceId);
    const source = this.map.getSource(sourceId) as maplibregl.ImageSource | undefined;
    if (!entry.image) {
      if (this.map.getLayer(layerId)) this.map.removeLayer(layerId);
      if (source) this.map.removeSource(sourceId);
      return;
    }
    if (source) source.updateImage({ url: entry.image.url, coordinates: entry.image.coordinates });
    else this.map.addSource(sourceId, { type: 'image', url: entry.image.url, coordinates: entry.image.coordinates });
    if (this.map.getLayer(layerId)) {
      this.map.setPaintProperty(layerId, 'raster-opacity', entry.opacity);
      return;
    }
    this.map.addLayer({
      id: layerId,
      type: 'raster',
      source: sourceId,
      // No cross-fade: the image of the next month replaces the last one at once.
      paint: { 'raster-opacity': entry.opacity, 'raster-fade-duration': 0, 'raster-resampling': 'linear' },
    });
    this.restack();
  }

  /** Call `handler` with the zoom level after every zoom (and once now). */
  onZoom(handler: (zoom: number) => void): void {
    this.map.on('zoomend', () => handler(this.map.getZoom()));
    handler(this.map.getZoom());
  }

  /** Call `handler` with the properties of the top feature clicked on one of the layers. */
  onFeatureClick(layerIds: string[], handler: (properties: Record<string, unknown>) => void): void {
    this.map.on('click', (event) => {
      const present = layerIds.filter((id) => this.map.getLayer(id));
      if (present.length === 0) return;
      const [feature] = this.map.queryRenderedFeatures(event.point, { layers: present });
      if (feature) handler(feature.properties as Record<string, unknown>);
    });
    for (const id of layerIds) {
      this.map.on('mouseenter', id, () => (this.map.getCanvas().style.cursor = 'pointer'));
      this.map.on('mouseleave', id, () => (this.map.getCanvas().style.cursor = ''));
    }
  }

  /** Show a [west, south, east, north] box. */
  fitBounds(bounds: [number, number, number, number]): void {
    this.map.fitBounds(bounds, { padding: 32, duration: 600 });
  }

  /** Fly to a place (a village chosen in a list). */
  flyTo(lon: number, lat: number, zoom = 12): void {
    this.map.flyTo({ center: [lon, lat], zoom: Math.max(zoom, this.map.getZoom()), duration: 600 });
  }

  resize(): void {
    this.map.resize();
  }

  destroy(): void {
    this.map.remove();
  }
}
