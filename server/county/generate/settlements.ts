import type { HouseholdRecord, LonLat } from '../model.js';
import type { Random } from './random.js';
import { cellOf, metresPerDegree, type GridSpec } from './raster.js';

/** A village as the settlement step needs it. */
export interface SettlementVillage {
  code: string;
  kind: 'village' | 'community';
  /** Index of the village in the label raster. */
  label: number;
  /** Hamlet centres (the first is the main one, at the village centre) and their shares of households. */
  hamlets: { point: LonLat; share: number }[];
  households: number;
  /** The village polygon's rings, to keep every household strictly inside it. */
  polygon: number[][][][];
}

/** Share of households with at least one member in each group, rural and urban (plausible rates). */
export const GROUP_RATES = {
  village: { aged70: 0.32, disabled: 0.05, leftBehind: 0.11, lowIncome: 0.045, needsAssistance: 0.016 },
  community: { aged70: 0.16, disabled: 0.03, leftBehind: 0.02, lowIncome: 0.015, needsAssistance: 0.01 },
} as const;

/** Household counts per village: lognormal around a median that depends on the kind and place. */
export function villageHouseholds(
  kind: 'village' | 'community',
  atCountySeat: boolean,
  isReserve: boolean,
  random: Random,
): number {
  if (isReserve) return 60 + random.int(0, 40);
  const median = kind === 'community' ? (atCountySeat ? 1100 : 520) : atCountySeat ? 350 : 280;
  const sigma = kind === 'community' ? 0.3 : 0.45;
  return Math.max(40, Math.round(median * Math.exp(random.normal(0, sigma))));
}

interface RoadPoint {
  lon: number;
  lat: number;
  /** Unit direction of the road at the point, in metres space (east, north). */
  dx: number;
  dy: number;
}

/** Points every ~`stepMetres` along every road, bucketed by the village label of their cell. */
function roadPointsByVillage(
  spec: GridSpec,
  villageLabels: Int32Array,
  roads: readonly { coordinates: readonly LonLat[] }[],
  stepMetres: number,
): Map<number, RoadPoint[]> {
  const m = metresPerDegree(spec.north - (spec.height * spec.dLat) / 2);
  const buckets = new Map<number, RoadPoint[]>();
  for (const road of roads) {
    const coords = road.coordinates;
    for (let i = 1; i < coords.length; i++) {
      const [x1, y1] = coords[i - 1]!;
      const [x2, y2] = coords[i]!;
      const ex = (x2 - x1) * m.lon;
      const ny = (y2 - y1) * m.lat;
      const length = Math.sqrt(ex * ex + ny * ny);
      if (length === 0) continue;
      const steps = Math.max(1, Math.round(length / stepMetres));
      for (let s = 0; s < steps; s++) {
        const t = (s + 0.5) / steps;
        const lon = x1 + (x2 - x1) * t;
        const lat = y1 + (y2 - y1) * t;
        const cell = cellOf(spec, lon, lat);
        if (!cell) continue;
        const label = villageLabels[cell.row * spec.width + cell.col]!;
        if (label < 0) continue;
        let bucket = buckets.get(label);
        if (!bucket) buckets.set(label, (bucket = []));
        bucket.push({ lon, lat, dx: ex / length, dy: ny / length });
      }
    }
  }
  return buckets;
}

/** Even–odd point-in-polygon over a MultiPolygon's rings. */
export function pointInPolygons(lon: number, lat: number, polygons: number[][][][]): boolean {
  let inside = false;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const xi = ring[i]![0]!;
        const yi = ring[i]![1]!;
        const xj = ring[j]![0]!;
        const yj = ring[j]![1]!;
        if (yi > lat !== yj > lat && lon < xi + ((lat - yi) / (yj - yi)) * (xj - xi)) inside = !inside;
      }
    }
  }
  return inside;
}

/** Coordinates to 1e-7° (about 1 cm), as stored. */
function roundLonLat(lon: number, lat: number): LonLat {
  return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}

function drawMembers(persons: number, rate: number, random: Random, maxShare = 1): number {
  if (!random.chance(rate)) return 0;
  return Math.min(Math.max(1, Math.floor(persons * maxShare)), 1 + (random.chance(0.3) ? 1 : 0));
}

/**
 * Households strung along the village's roads around its hamlets (strip-shaped settlements),
 * set back a few metres from the road, each strictly inside its village polygon.
 */
export function placeHouseholds(
  spec: GridSpec,
  villageLabels: Int32Array,
  villages: readonly SettlementVillage[],
  roads: readonly { coordinates: readonly LonLat[] }[],
  random: Random,
): HouseholdRecord[] {
  const m = metresPerDegree(spec.north - (spec.height * spec.dLat) / 2);
  const byVillage = roadPointsByVillage(spec, villageLabels, roads, 15);
  // A point in a cell whose whole 3×3 neighbourhood belongs to its village is inside the village
  // polygon (the polygon's smoothed border stays within a cell of the cell border); only points
  // near a border need the exact polygon test.
  const insideVillage = (lon: number, lat: number, village: SettlementVillage) => {
    const cell = cellOf(spec, lon, lat);
    if (!cell) return false;
    let interior = true;
    for (let dr = -1; dr <= 1 && interior; dr++) {
      for (let dc = -1; dc <= 1 && interior; dc++) {
        const r = cell.row + dr;
        const c = cell.col + dc;
        if (
          r < 0 ||
          c < 0 ||
          r >= spec.height ||
          c >= spec.width ||
          villageLabels[r * spec.width + c] !== village.label
        ) {
          interior = false;
        }
      }
    }
    return interior || pointInPolygons(lon, lat, village.polygon);
  };
  const households: HouseholdRecord[] = [];
  for (const village of villages) {
    const rng = random.fork(village.code);
    const urban = village.kind === 'community';
    const sigmaMetres = urban ? 260 : 380;
    const points = byVillage.get(village.label) ?? [];
    // Per hamlet, a cumulative weight over the village's road points: near the hamlet first.
    const cumulative = village.hamlets.map((hamlet) => {
      const weights = new Float64Array(points.length);
      let total = 0;
      for (let i = 0; i < points.length; i++) {
        const ex = (points[i]!.lon - hamlet.point[0]) * m.lon;
        const ny = (points[i]!.lat - hamlet.point[1]) * m.lat;
        total += Math.exp(-(ex * ex + ny * ny) / (2 * sigmaMetres * sigmaMetres));
        weights[i] = total;
      }
      return { weights, total };
    });
    const rates = GROUP_RATES[village.kind];
    for (let n = 0; n < village.households; n++) {
      const hamletIndex = village.hamlets.indexOf(rng.weighted(village.hamlets, (h) => h.share));
      const hamlet = village.hamlets[hamletIndex]!;
      const { weights, total } = cumulative[hamletIndex]!;
      let point: LonLat = hamlet.point;
      for (let attempt = 0; attempt < 8; attempt++) {
        let candidate: LonLat;
        if (total > 1e-9) {
          const target = rng.next() * total;
          let lo = 0;
          let hi = weights.length - 1;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (weights[mid]! < target) lo = mid + 1;
            else hi = mid;
          }
          const road = points[lo]!;
          // Set back from the road on either side; a little spread along it.
          const side = rng.chance(0.5) ? 1 : -1;
          const back = urban ? 10 + rng.next() * 70 : 6 + Math.abs(rng.normal(0, 18));
          const along = rng.normal(0, 6);
          const east = -road.dy * back * side + road.dx * along;
          const north = road.dx * back * side + road.dy * along;
          candidate = roundLonLat(road.lon + east / m.lon, road.lat + north / m.lat);
        } else {
          // No road inside the village: a cluster around the hamlet.
          candidate = roundLonLat(
            hamlet.point[0] + rng.normal(0, 120) / m.lon,
            hamlet.point[1] + rng.normal(0, 120) / m.lat,
          );
        }
        if (insideVillage(candidate[0], candidate[1], village)) {
          point = candidate;
          break;
        }
      }
      if (!insideVillage(point[0], point[1], village)) continue;
      const persons = 1 + Math.min(7, rng.poisson(urban ? 1.6 : 1.8));
      households.push({
        code: `${village.code}${String(n + 1).padStart(4, '0')}`,
        villageCode: village.code,
        persons,
        aged70Plus: drawMembers(persons, rates.aged70, rng),
        disabled: drawMembers(persons, rates.disabled, rng, 0.5),
        leftBehind: rng.chance(rates.leftBehind) ? Math.min(persons, 1 + rng.int(0, 2)) : 0,
        lowIncome: rng.chance(rates.lowIncome) ? persons : 0,
        needsAssistance: drawMembers(persons, rates.needsAssistance, rng, 0.5),
        point,
      });
    }
  }
  return households;
}
