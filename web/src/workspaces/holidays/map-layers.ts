import type { LayerSpecification } from 'maplibre-gl';
import { coverageClass, coverageShare, zoneCoverage, type CoverageClass } from './model.js';
import { currentDetail, currentPlan, type HolidaysState } from './state.js';

/** Fonts of the map's labels: the computer's own, as the basemap's (nothing is downloaded). */
const LOCAL_LABEL_FONTS = ['Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'sans-serif'];

/** Source ids of the holiday layers on the map. */
export const HOLIDAY_SOURCES = {
  zones: 'holidays-zones',
  labels: 'holidays-zone-labels',
  stations: 'holidays-stations',
} as const;

/** Coverage colours: green ≥ 95 % of demand met, amber ≥ 80 %, red below, grey without demand. */
export const COVERAGE_COLOURS: Record<CoverageClass, string> = {
  good: '#2e8540',
  warn: '#e0a100',
  bad: '#c0392b',
  none: '#9aa5ab',
};
/** Each war zone's own colour (by its place among the zones), none of them a coverage colour. */
export const ZONE_COLOURS = ['#2f6fa8', '#7d4e9e', '#9c6b30', '#1f8a8a', '#5a6b2f', '#a0456e'] as const;

/** A zone's own colour from its id's place among the zone ids. */
export function zoneColour(zoneIds: readonly number[], zoneId: number | null): string {
  const index = zoneId === null ? -1 : [...zoneIds].sort((a, b) => a - b).indexOf(zoneId);
  return index < 0 ? COVERAGE_COLOURS.none : ZONE_COLOURS[index % ZONE_COLOURS.length]!;
}

/** Whether the map shows coverage (a plan is open) rather than the zones' own colours. */
export function showsCoverage(state: HolidaysState): boolean {
  return (state.tab === 'plan' || state.tab === 'compare') && currentPlan(state) !== null;
}

/** Layer styles (their source is set by the map view). */
export const HOLIDAY_LAYERS: Record<keyof typeof HOLIDAY_SOURCES, LayerSpecification[]> = {
  zones: [
    {
      id: 'holidays-zones-fill',
      type: 'fill',
      source: '',
      paint: {
        'fill-color': ['get', 'colour'],
        'fill-opacity': ['case', ['get', 'selected'], 0.55, 0.38],
      },
    },
    {
      id: 'holidays-zones-line',
      type: 'line',
      source: '',
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['case', ['get', 'selected'], '#10201b', ['get', 'zoneColour']],
        'line-width': ['case', ['get', 'selected'], 3.5, 2],
      },
    },
  ],
  labels: [
    {
      id: 'holidays-zones-label',
      type: 'symbol',
      source: '',
      layout: {
        'text-field': ['get', 'label'],
        'text-font': LOCAL_LABEL_FONTS,
        'text-size': 16,
        'text-allow-overlap': true,
      },
      paint: { 'text-color': '#10201b', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    },
  ],
  stations: [
    {
      id: 'holidays-stations-circle',
      type: 'circle',
      source: '',
      paint: {
        'circle-color': ['get', 'colour'],
        'circle-radius': ['case', ['get', 'selected'], 10, 7],
        'circle-stroke-color': ['case', ['get', 'selected'], '#10201b', ['get', 'zoneColour']],
        'circle-stroke-width': ['case', ['get', 'selected'], 3, 2.5],
      },
    },
    {
      id: 'holidays-stations-label',
      type: 'symbol',
      source: '',
      layout: {
        'text-field': ['get', 'name'],
        'text-font': LOCAL_LABEL_FONTS,
        'text-size': 12,
        'text-offset': [0, 1.2],
        'text-anchor': 'top',
      },
      paint: { 'text-color': '#1f2a30', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
    },
  ],
};

/** The layer a click chooses a station from. */
export const HOLIDAY_STATION_LAYERS = ['holidays-stations-circle'];
/** The layer a click chooses a war zone from. */
export const HOLIDAY_ZONE_LAYERS = ['holidays-zones-fill'];

type Collection = GeoJSON.FeatureCollection;

/** Whether a point lies inside a multipolygon (even-odd rule over every ring). */
export function insideMultiPolygon(point: readonly [number, number], coordinates: number[][][][]): boolean {
  const [x, y] = point;
  let inside = false;
  for (const polygon of coordinates) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi = 0, yi = 0] = ring[i]!;
        const [xj = 0, yj = 0] = ring[j]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** Distance from a point to a segment, in the same units (x already scaled). */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

const labelPoints = new WeakMap<object, [number, number] | null>();

/**
 * Where a zone's name goes: of a grid of points over the area, the inside one farthest from its
 * edges (a coarse pole of inaccessibility), so the name sits well inside even a bent zone. One
 * point per zone: a polygon's own label would repeat on every piece and every tile.
 */
export function zoneLabelPoint(coordinates: number[][][][], samples = 24): [number, number] | null {
  const cached = labelPoints.get(coordinates);
  if (cached !== undefined) return cached;
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of coordinates) {
    for (const ring of polygon) {
      for (const [x = 0, y = 0] of ring) {
        west = Math.min(west, x);
        east = Math.max(east, x);
        south = Math.min(south, y);
        north = Math.max(north, y);
      }
    }
  }
  let best: [number, number] | null = null;
  if (Number.isFinite(west)) {
    // Degrees of longitude are shorter than degrees of latitude away from the equator.
    const cos = Math.cos((((south + north) / 2) * Math.PI) / 180);
    let bestDistance = -1;
    for (let i = 0; i < samples; i++) {
      for (let j = 0; j < samples; j++) {
        const x = west + ((i + 0.5) * (east - west)) / samples;
        const y = south + ((j + 0.5) * (north - south)) / samples;
        if (!insideMultiPolygon([x, y], coordinates)) continue;
        let distance = Infinity;
        for (const polygon of coordinates) {
          for (const ring of polygon) {
            for (let k = 1; k < ring.length; k++) {
              const [ax = 0, ay = 0] = ring[k - 1]!;
              const [bx = 0, by = 0] = ring[k]!;
              distance = Math.min(distance, segmentDistance(x * cos, y, ax * cos, ay, bx * cos, by));
            }
          }
        }
        if (distance > bestDistance) {
          bestDistance = distance;
          best = [x, y];
        }
      }
    }
  }
  labelPoints.set(coordinates, best);
  return best;
}

/** One label per war zone: its name, and with a plan open the share of its demand met. */
export function zoneLabelFeatures(state: HolidaysState): Collection | null {
  const zones = zoneFeatures(state);
  if (!zones) return null;
  const features: GeoJSON.Feature[] = [];
  for (const zone of zones.features) {
    const point = zoneLabelPoint((zone.geometry as GeoJSON.MultiPolygon).coordinates);
    if (point)
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: zone.properties });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * Each war zone's area: its own colour, or with a plan open its coverage colour (met ÷ demanded
 * officer-shifts over the holiday); null before the areas are there.
 */
export function zoneFeatures(state: HolidaysState): Collection | null {
  const zones = state.fetched.zones.data;
  if (!zones || state.holidayId === null) return null;
  const plan = showsCoverage(state) ? currentPlan(state) : null;
  const ids = zones.features.map((f) => f.properties.zoneId);
  return {
    type: 'FeatureCollection',
    features: zones.features.map((f) => {
      const { zoneId, name } = f.properties;
      const totals = plan ? zoneCoverage(plan, zoneId) : null;
      const share = totals ? coverageShare(totals) : null;
      const cls = coverageClass(share);
      const own = zoneColour(ids, zoneId);
      return {
        type: 'Feature',
        geometry: f.geometry,
        properties: {
          zoneId,
          name,
          zoneColour: own,
          colour: plan ? COVERAGE_COLOURS[cls] : own,
          coverageClass: cls,
          coverageShare: share,
          label: share === null ? name : `${name} ${Math.floor(share * 100)}%`,
          selected: zoneId === state.zoneId,
        },
      };
    }),
  };
}

/** The stations as points: the zone's colour, or with a plan open the station's coverage colour. */
export function stationFeatures(state: HolidaysState): Collection | null {
  const detail = currentDetail(state);
  if (!detail) return null;
  const plan = showsCoverage(state) ? currentPlan(state) : null;
  const ids = detail.zones.map((z) => z.id);
  const byStation = new Map(plan?.coverage.byStation.map((s) => [s.stationCode, s]));
  return {
    type: 'FeatureCollection',
    features: detail.stations.map((s) => {
      const own = zoneColour(ids, s.warZoneId);
      const totals = byStation.get(s.code);
      const cls = coverageClass(totals ? coverageShare(totals) : null);
      return {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
        properties: {
          code: s.code,
          name: s.name,
          warZoneId: s.warZoneId ?? -1,
          zoneColour: own,
          colour: plan ? COVERAGE_COLOURS[cls] : '#ffffff',
          coverageClass: cls,
          selected: s.code === state.station,
        },
      };
    }),
  };
}
