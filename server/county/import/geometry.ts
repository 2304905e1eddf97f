import type { LineString, MultiLineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { LonLat } from './crs.js';

/** The geometry a layer takes: points, areas or lines. */
export type GeometryFamily = 'point' | 'polygon' | 'line';

/** A geometry that passed the structural checks: 2-D, in range, converted to WGS84. */
export type CheckedGeometry = Point | Polygon | MultiPolygon | LineString | MultiLineString;

const FAMILY_TYPES: Record<GeometryFamily, readonly string[]> = {
  point: ['Point'],
  polygon: ['Polygon', 'MultiPolygon'],
  line: ['LineString', 'MultiLineString'],
};

// How deep the position arrays are nested in `coordinates`, by geometry type.
const POSITION_DEPTH: Record<string, number> = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  MultiLineString: 2,
  Polygon: 2,
  MultiPolygon: 3,
};

/** The geometry types a family takes, for messages: "Polygon or MultiPolygon". */
export function expectedTypes(family: GeometryFamily): string {
  return FAMILY_TYPES[family].join(' or ');
}

/** Why a longitude/latitude pair is out of range, or null when it is fine. */
export function coordinateRangeProblem(lon: number, lat: number): string | null {
  if (Number.isNaN(lon) || Number.isNaN(lat)) return 'coordinates are not numbers';
  if (!(Math.abs(lon) <= 180)) return `coordinates out of range: longitude ${lon} is not between -180 and 180`;
  if (!(Math.abs(lat) <= 90)) return `coordinates out of range: latitude ${lat} is not between -90 and 90`;
  return null;
}

function isPosition(value: unknown): value is Position {
  return Array.isArray(value) && value.length >= 2 && value.every((n) => typeof n === 'number' && !Number.isNaN(n));
}

/** Walk nested coordinate arrays; false when the nesting or a position is malformed. */
function walkPositions(value: unknown, depth: number, visit: (position: Position) => void): boolean {
  if (depth === 0) {
    if (!isPosition(value)) return false;
    visit(value);
    return true;
  }
  if (!Array.isArray(value)) return false;
  return value.every((child) => walkPositions(child, depth - 1, visit));
}

function samePosition(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function ringProblem(ring: Position[]): string | null {
  if (ring.length < 4) return 'a polygon ring has fewer than 4 positions';
  if (!samePosition(ring[0]!, ring[ring.length - 1]!))
    return 'a polygon ring is not closed (its first and last positions differ)';
  return null;
}

function lineProblem(line: Position[]): string | null {
  const first = line[0];
  if (!first || line.every((p) => samePosition(p, first))) return 'a line has fewer than 2 distinct positions';
  return null;
}

/** Shape problems of a well-typed geometry: empty parts, short or open rings, zero-length lines. */
function structureProblem(type: string, coordinates: unknown): string | null {
  const polygons =
    type === 'Polygon'
      ? [coordinates as Position[][]]
      : type === 'MultiPolygon'
        ? (coordinates as Position[][][])
        : null;
  if (polygons) {
    if (polygons.length === 0 || polygons.some((rings) => rings.length === 0)) return 'the geometry is empty';
    for (const rings of polygons) {
      for (const ring of rings) {
        const problem = ringProblem(ring);
        if (problem) return problem;
      }
    }
    return null;
  }
  const lines =
    type === 'LineString'
      ? [coordinates as Position[]]
      : type === 'MultiLineString'
        ? (coordinates as Position[][])
        : null;
  if (lines) {
    if (lines.length === 0) return 'the geometry is empty';
    for (const line of lines) {
      const problem = lineProblem(line);
      if (problem) return problem;
    }
  }
  return null;
}

function convertPositions(value: unknown, depth: number, convert: (p: LonLat) => LonLat): unknown {
  if (depth === 0) {
    const position = value as Position;
    return convert([position[0]!, position[1]!]);
  }
  return (value as unknown[]).map((child) => convertPositions(child, depth - 1, convert));
}

/**
 * Check a GeoJSON geometry for a layer: present, well-formed, coordinates in range, of the
 * layer's type, rings closed, lines not of zero length. Returns every problem found, or the
 * geometry in 2-D converted by `convert` (to WGS84).
 */
export function checkGeometry(
  raw: unknown,
  family: GeometryFamily,
  convert: (point: LonLat) => LonLat,
): { geometry: CheckedGeometry; problems: [] } | { geometry: null; problems: string[] } {
  if (raw === null || raw === undefined) {
    return { geometry: null, problems: [`missing geometry; expected ${expectedTypes(family)}`] };
  }
  const type = (raw as { type?: unknown }).type;
  if (typeof raw !== 'object' || typeof type !== 'string') {
    return { geometry: null, problems: ['not a GeoJSON geometry'] };
  }
  const problems: string[] = [];
  const depth = POSITION_DEPTH[type];
  const coordinates = (raw as { coordinates?: unknown }).coordinates;
  if (depth === undefined && type !== 'GeometryCollection') {
    return { geometry: null, problems: [`unknown geometry type "${type}"`] };
  }
  if (depth !== undefined) {
    let rangeProblem: string | null = null;
    const wellFormed = walkPositions(coordinates, depth, ([lon, lat]) => {
      rangeProblem ??= coordinateRangeProblem(lon!, lat!);
    });
    if (!wellFormed) problems.push('malformed coordinates: each position must be [longitude, latitude] in numbers');
    else if (rangeProblem) problems.push(rangeProblem);
  }
  if (!FAMILY_TYPES[family].includes(type)) {
    problems.push(`wrong geometry type: expected ${expectedTypes(family)}, got ${type}`);
  }
  if (problems.length > 0) return { geometry: null, problems };
  const shape = structureProblem(type, coordinates);
  if (shape) return { geometry: null, problems: [shape] };
  return {
    geometry: { type, coordinates: convertPositions(coordinates, depth!, convert) } as CheckedGeometry,
    problems: [],
  };
}
