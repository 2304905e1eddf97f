/**
 * Where to put households a file gives without coordinates (a village code or name, perhaps a
 * 门牌): the rule is deterministic, so importing the same file again puts every one in the same
 * place, and the positions are flagged as estimated.
 *
 * - The village's households are ordered by house number (门牌, compared piece by piece, numbers
 *   as numbers), those without one after them in file order.
 * - With roads inside the village: the road lines clipped to the village, in a stable order, are
 *   walked as one path; household i of n sits at arc length (i + ½)·L/n, `ROAD_OFFSET_METRES`
 *   off the line, alternately left and right (the other side, or on the line, when that side
 *   leaves the village).
 * - Without roads: a sunflower spiral around the village's centre (a point inside it), household
 *   i at `SPIRAL_SPACING_METRES`·√(i + ½) metres and i golden angles; a point that would leave
 *   the village sits on the centre.
 *
 * Pure: plain lon/lat arrays in, lon/lat out; distances in a local equirectangular frame.
 */
import { metresPerDegree } from '../generate/raster.js';
import type { LonLat } from './crs.js';

/** How far off the road line a placed household sits, metres (a house beside the road, not on it). */
export const ROAD_OFFSET_METRES = 5;
/** Spacing of the spiral around a village centre without roads, metres. */
export const SPIRAL_SPACING_METRES = 8;
const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

export interface UnplacedHousehold {
  /** The row's index in the file (file order). */
  idx: number;
  /** 门牌 or address, when the file gives one. */
  address: string | null;
}

export interface VillageForPlacing {
  /** A point inside the village (PostGIS ST_PointOnSurface). */
  centre: LonLat;
  /** The village's polygons: each a list of rings (outer first), each ring a closed list of lon/lat. */
  polygons: readonly (readonly (readonly LonLat[])[])[];
  /** The road lines inside the village, in a stable order. */
  roads: readonly (readonly LonLat[])[];
  households: readonly UnplacedHousehold[];
}

export interface PlacedHousehold {
  idx: number;
  lon: number;
  lat: number;
}

/** Split a text into digit runs (compared as numbers) and other runs (compared by code point). */
function pieces(text: string): (string | number)[] {
  return (text.match(/\d+|\D+/g) ?? []).map((piece) => (/^\d/.test(piece) ? Number(piece) : piece));
}

/** Compare two house numbers: 3号 < 12号, 东门1-2 < 东门1-10. */
export function compareAddresses(a: string, b: string): number {
  const pa = pieces(a);
  const pb = pieces(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** The households in placing order: by house number, then those without one, ties in file order. */
export function placingOrder(households: readonly UnplacedHousehold[]): UnplacedHousehold[] {
  return [...households].sort((a, b) => {
    if (a.address && b.address) return compareAddresses(a.address, b.address) || a.idx - b.idx;
    if (a.address) return -1;
    if (b.address) return 1;
    return a.idx - b.idx;
  });
}

function insideRing(x: number, y: number, ring: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a point lies inside the polygons (inside an outer ring and outside its holes). */
export function insidePolygons(point: LonLat, polygons: VillageForPlacing['polygons']): boolean {
  return polygons.some(
    (rings) =>
      rings.length > 0 &&
      insideRing(point[0], point[1], rings[0]!) &&
      !rings.slice(1).some((hole) => insideRing(point[0], point[1], hole)),
  );
}

/** Place one village's households by the rule above. */
export function placeVillageHouseholds(village: VillageForPlacing): PlacedHousehold[] {
  const order = placingOrder(village.households);
  const [lon0, lat0] = village.centre;
  const scale = metresPerDegree(lat0);
  const toLonLat = (x: number, y: number): LonLat => [lon0 + x / scale.lon, lat0 + y / scale.lat];
  const inside = (point: LonLat) => insidePolygons(point, village.polygons);

  // Each segment in metres, with the arc length where it starts.
  const segments: { x: number; y: number; dx: number; dy: number; length: number; from: number }[] = [];
  let total = 0;
  for (const line of village.roads) {
    for (let i = 1; i < line.length; i++) {
      const [ax, ay] = [(line[i - 1]![0] - lon0) * scale.lon, (line[i - 1]![1] - lat0) * scale.lat];
      const [bx, by] = [(line[i]![0] - lon0) * scale.lon, (line[i]![1] - lat0) * scale.lat];
      const length = Math.sqrt((bx - ax) ** 2 + (by - ay) ** 2);
      if (length === 0) continue;
      segments.push({ x: ax, y: ay, dx: (bx - ax) / length, dy: (by - ay) / length, length, from: total });
      total += length;
    }
  }

  if (segments.length === 0) {
    return order.map((household, i) => {
      const radius = SPIRAL_SPACING_METRES * Math.sqrt(i + 0.5);
      const angle = i * GOLDEN_ANGLE;
      const point = toLonLat(radius * Math.cos(angle), radius * Math.sin(angle));
      const [lon, lat] = inside(point) ? point : village.centre;
      return { idx: household.idx, lon, lat };
    });
  }

  let at = 0;
  return order.map((household, i) => {
    const s = ((i + 0.5) * total) / order.length;
    while (at < segments.length - 1 && segments[at]!.from + segments[at]!.length < s) at++;
    const seg = segments[at]!;
    const along = Math.min(s - seg.from, seg.length);
    const x = seg.x + seg.dx * along;
    const y = seg.y + seg.dy * along;
    const side = i % 2 === 0 ? 1 : -1;
    // The left normal of the direction (dx, dy) is (-dy, dx).
    const candidates = [side, -side].map((sign) =>
      toLonLat(x - seg.dy * ROAD_OFFSET_METRES * sign, y + seg.dx * ROAD_OFFSET_METRES * sign),
    );
    const [lon, lat] = candidates.find(inside) ?? toLonLat(x, y);
    return { idx: household.idx, lon, lat };
  });
}
