import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer } from '@deck.gl/core';

maplibregl.setWorkerUrl(workerUrl);

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
 * The map: one MapLibre instance with a deck.gl overlay for analytic layers. Lives outside the
 * DOM rendering of panels; workspaces hand it layers.
 */
export class MapView {
  readonly map: maplibregl.Map;
  private readonly overlay: MapboxOverlay;

  constructor(options: MapViewOptions) {
    this.map = new maplibregl.Map({
      container: options.container,
      style: options.styleUrl,
      localIdeographFontFamily: LOCAL_CJK_FONTS,
      attributionControl: false,
      locale: options.uiText,
      // Keeps the last frame readable by screenshots and printing.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    this.map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    this.overlay = new MapboxOverlay({ interleaved: false, layers: [] });
    this.map.addControl(this.overlay);
    this.map.once('load', () => {
      this.fitToData();
      options.onStatus({ kind: 'ready' });
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
    this.map.setStyle(styleUrl);
    this.map.once('styledata', () => this.fitToData());
  }

  /** Replace the deck.gl layers drawn over the basemap. */
  setOverlayLayers(layers: Layer[]): void {
    this.overlay.setProps({ layers });
  }

  resize(): void {
    this.map.resize();
  }

  destroy(): void {
    this.map.remove();
  }
}
