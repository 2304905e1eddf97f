import type { IControl } from 'maplibre-gl';
import { translate, type Locale } from '../../i18n/index.js';
import { el } from '../../ui/dom.js';
import { BAND_COLOURS, BAND_FILL_OPACITY, drawnBands } from './map-layers.js';
import type { PolicingView } from './state.js';

/** A CSS colour with the bands' see-through fill: '#1b6ca8' → 'rgba(27, 108, 168, 0.28)'. */
function bandFill(hex: string): string {
  const value = Number.parseInt(hex.slice(1), 16);
  return `rgba(${value >> 16}, ${(value >> 8) & 255}, ${value & 255}, ${BAND_FILL_OPACITY})`;
}

/**
 * The swatch of band `index` of `count`: its fill over the fills of every larger band, as they
 * lie on top of each other on the map (a 30-minute place is also inside the 60 and the 90).
 */
export function bandSwatch(index: number, count: number): string {
  const layers = [];
  for (let i = index; i < count; i++) {
    const fill = bandFill(BAND_COLOURS[Math.min(i, BAND_COLOURS.length - 1)]!);
    layers.push(`linear-gradient(${fill}, ${fill})`);
  }
  return `background: ${layers.join(', ')}, #ffffff`;
}

/** The legend's rows for the drawn bands; null when no band is drawn (nothing to explain). */
export function bandLegendContent(locale: Locale, state: PolicingView, active: boolean): HTMLElement[] | null {
  const bands = drawnBands(state);
  if (!active || !bands || bands.features.length === 0) return null;
  const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) =>
    translate(locale, key, values);
  const features = bands.features;
  const station = state.report.data?.stations.find((s) => s.code === state.station);
  return [
    el('h3', {}, t('policing.bands.legend', { station: station?.name ?? '' })),
    el(
      'ul',
      {},
      ...features.map((feature, i) =>
        el(
          'li',
          { 'data-minutes': String(feature.properties.minutes) },
          el('span', { class: 'swatch', style: bandSwatch(i, features.length) }),
          el('span', {}, t('policing.bands.within', { minutes: feature.properties.minutes })),
        ),
      ),
    ),
    el('p', {}, t('policing.bands.note')),
  ];
}

/**
 * The legend of a station's drive bands, in a corner of the map (a MapLibre control): shown while
 * the commanders' workspace draws bands, hidden otherwise.
 */
export class BandLegend implements IControl {
  private readonly element = el('div', {
    class: 'maplibregl-ctrl band-legend map-legend',
    'data-testid': 'isochrone-legend',
    hidden: true,
  });

  onAdd(): HTMLElement {
    return this.element;
  }

  onRemove(): void {
    this.element.remove();
  }

  /** Show these rows, or hide the legend with null. */
  show(content: HTMLElement[] | null): void {
    this.element.hidden = content === null;
    this.element.replaceChildren(...(content ?? []));
  }
}
