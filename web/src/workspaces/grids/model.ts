import { booleanPointInPolygon, centroid } from '@turf/turf';
import type {
  EditResult,
  GridFeatureProperties,
  GridInfo,
  PlanDetail,
  PlanSummary,
  TownshipSummary,
  UnitFeatureProperties,
} from '../../../../contracts/grids.js';

/** A unit's or a grid's area as the server sends it. */
export type AreaGeometry = GeoJSON.Polygon | GeoJSON.MultiPolygon;
/** `GET /api/grids/plans/{id}/units.geojson?township=`: a township's units. */
export type UnitCollection = GeoJSON.FeatureCollection<AreaGeometry, UnitFeatureProperties>;
/** `GET /api/grids/plans/{id}/grids.geojson`: grid shapes. */
export type GridCollection = GeoJSON.FeatureCollection<AreaGeometry, GridFeatureProperties>;
/** A [west, south, east, north] box in degrees. */
export type Bounds = [number, number, number, number];

/** How far a grid is from its target: within ±10 % good, within ±25 % warn, else bad. */
export type DeviationClass = 'good' | 'warn' | 'bad';

/** The class of a deviation ratio ((households − target) / target). */
export function deviationClass(ratio: number): DeviationClass {
  const size = Math.abs(ratio);
  // A hair of rounding (0.1000001) must not turn a grid the server counts as within ±10 % amber.
  if (size <= 0.10000001) return 'good';
  if (size <= 0.25000001) return 'warn';
  return 'bad';
}

// ---- Geometry of a township's units ----------------------------------------------------------

/** What the map tools need of the units' shapes, worked out once per township loaded. */
export interface UnitIndex {
  /** The units answer (its URL) this was built from. */
  key: string;
  /** Each unit's centroid, [lon, lat], by unit id. */
  centroids: Record<number, [number, number]>;
  /** Units whose areas touch, by unit id (both ways, ascending). */
  neighbours: Record<number, number[]>;
  bounds: Bounds | null;
}

/** Every ring of an area. */
function ringsOf(geometry: AreaGeometry): GeoJSON.Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

/** The box around positions, or null when there are none. */
export function boundsOfRings(rings: readonly (readonly GeoJSON.Position[])[]): Bounds | null {
  const box: Bounds = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) {
    for (const [x = 0, y = 0] of ring) {
      if (x < box[0]) box[0] = x;
      if (y < box[1]) box[1] = y;
      if (x > box[2]) box[2] = x;
      if (y > box[3]) box[3] = y;
    }
  }
  return Number.isFinite(box[0]) ? box : null;
}

/** Two areas closer than this (degrees, about 0.5 m) touch. */
const TOUCH_DEGREES = 5e-6;

/** Squared distance from a point to a segment. */
function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  const ex = px - ax - t * dx;
  const ey = py - ay - t * dy;
  return ex * ex + ey * ey;
}

/** Side of the cells segments are hashed into (degrees, about 200 m). */
const CELL_DEGREES = 0.002;

/**
 * Pairs of areas that share a border or a corner (index pairs, i < j, ascending). Unit polygons
 * tile their village and villages tile the township, so neighbours share vertices or have a vertex
 * on the other's edge: every edge is hashed into the cells it passes near, and every vertex is
 * checked against the edges of other areas in its cell only.
 */
export function touchingPairs(geometries: readonly AreaGeometry[]): [number, number][] {
  const cells = new Map<string, { area: number; ax: number; ay: number; bx: number; by: number }[]>();
  const cellOf = (x: number, y: number) => `${Math.floor(x / CELL_DEGREES)},${Math.floor(y / CELL_DEGREES)}`;
  geometries.forEach((geometry, area) => {
    for (const ring of ringsOf(geometry)) {
      for (let k = 1; k < ring.length; k++) {
        const [ax = 0, ay = 0] = ring[k - 1]!;
        const [bx = 0, by = 0] = ring[k]!;
        const x0 = Math.floor((Math.min(ax, bx) - TOUCH_DEGREES) / CELL_DEGREES);
        const x1 = Math.floor((Math.max(ax, bx) + TOUCH_DEGREES) / CELL_DEGREES);
        const y0 = Math.floor((Math.min(ay, by) - TOUCH_DEGREES) / CELL_DEGREES);
        const y1 = Math.floor((Math.max(ay, by) + TOUCH_DEGREES) / CELL_DEGREES);
        for (let cx = x0; cx <= x1; cx++) {
          for (let cy = y0; cy <= y1; cy++) {
            const key = `${cx},${cy}`;
            const list = cells.get(key);
            const segment = { area, ax, ay, bx, by };
            if (list) list.push(segment);
            else cells.set(key, [segment]);
          }
        }
      }
    }
  });
  const limit = TOUCH_DEGREES * TOUCH_DEGREES;
  const found = new Set<number>();
  const n = geometries.length;
  geometries.forEach((geometry, area) => {
    for (const ring of ringsOf(geometry)) {
      for (const [px = 0, py = 0] of ring) {
        for (const s of cells.get(cellOf(px, py)) ?? []) {
          if (s.area === area) continue;
          const pair = Math.min(area, s.area) * n + Math.max(area, s.area);
          if (found.has(pair)) continue;
          if (segmentDistance2(px, py, s.ax, s.ay, s.bx, s.by) <= limit) found.add(pair);
        }
      }
    }
  });
  return [...found].sort((a, b) => a - b).map((pair): [number, number] => [Math.floor(pair / n), pair % n]);
}

/** Centroids, touching neighbours and the box of a township's units. */
export function buildUnitIndex(key: string, units: UnitCollection): UnitIndex {
  const centroids: Record<number, [number, number]> = {};
  const neighbours: Record<number, number[]> = {};
  for (const feature of units.features) {
    const [lon = 0, lat = 0] = centroid(feature).geometry.coordinates;
    centroids[feature.properties.unitId] = [lon, lat];
    neighbours[feature.properties.unitId] = [];
  }
  for (const [i, j] of touchingPairs(units.features.map((f) => f.geometry))) {
    const a = units.features[i]!.properties.unitId;
    const b = units.features[j]!.properties.unitId;
    neighbours[a]!.push(b);
    neighbours[b]!.push(a);
  }
  for (const list of Object.values(neighbours)) list.sort((a, b) => a - b);
  const bounds = boundsOfRings(units.features.flatMap((f) => ringsOf(f.geometry)));
  return { key, centroids, neighbours, bounds };
}

/** The units whose centroid lies inside a freehand ring drawn on the map, ascending. */
export function unitsInLasso(ring: readonly [number, number][], centroids: Record<number, [number, number]>): number[] {
  if (ring.length < 3) return [];
  const closed = [...ring, ring[0]!];
  const polygon: GeoJSON.Feature<GeoJSON.Polygon> = {
    type: 'Feature',
    properties: {},
    geometry: { type: 'Polygon', coordinates: [closed] },
  };
  return Object.entries(centroids)
    .filter(([, point]) => booleanPointInPolygon(point, polygon))
    .map(([id]) => Number(id))
    .sort((a, b) => a - b);
}

// ---- Grid colours ------------------------------------------------------------------------------

/**
 * The categorical palette of grids: distinct hues, none of them the grey of a unit in no grid,
 * readable under a black label with a white halo.
 */
export const GRID_PALETTE = [
  '#3b7dd8',
  '#e07b39',
  '#4f9d4a',
  '#c94c6a',
  '#8a63c9',
  '#d4b135',
  '#2fa3a0',
  '#b5651d',
  '#7f9c2e',
  '#d066b5',
  '#5a78a8',
  '#e0a0a0',
] as const;
/** The fill of a unit in no grid (with a hatch over it). */
export const UNASSIGNED_COLOUR = '#b9b9b9';

/**
 * A palette index per grid such that touching grids differ. Each grid prefers `id mod palette`,
 * so a grid keeps its colour through edits unless a touching grid with a smaller id holds it;
 * grids are coloured in id order, each taking its preference or the next colour free among the
 * neighbours coloured before it.
 */
export function gridColourIndexes(
  gridIds: readonly number[],
  touching: ReadonlyMap<number, ReadonlySet<number>>,
  paletteSize = GRID_PALETTE.length,
): Map<number, number> {
  const colours = new Map<number, number>();
  for (const id of [...new Set(gridIds)].sort((a, b) => a - b)) {
    const taken = new Set<number>();
    for (const other of touching.get(id) ?? []) {
      const colour = colours.get(other);
      if (colour !== undefined) taken.add(colour);
    }
    const preferred = ((id % paletteSize) + paletteSize) % paletteSize;
    let colour = preferred;
    for (let step = 0; step < paletteSize; step++) {
      const candidate = (preferred + step) % paletteSize;
      if (!taken.has(candidate)) {
        colour = candidate;
        break;
      }
    }
    colours.set(id, colour);
  }
  return colours;
}

/** Which grids touch, from the units' neighbours and the grid each unit is in. */
export function gridTouching(units: UnitCollection, neighbours: Record<number, number[]>): Map<number, Set<number>> {
  const gridOf = new Map(units.features.map((f) => [f.properties.unitId, f.properties.gridId]));
  const touching = new Map<number, Set<number>>();
  const link = (a: number, b: number) => {
    if (!touching.has(a)) touching.set(a, new Set());
    touching.get(a)!.add(b);
  };
  for (const [unit, list] of Object.entries(neighbours)) {
    const a = gridOf.get(Number(unit));
    if (a === null || a === undefined) continue;
    for (const other of list) {
      const b = gridOf.get(other);
      if (b === null || b === undefined || b === a) continue;
      link(a, b);
      link(b, a);
    }
  }
  return touching;
}

const shapeColours = new WeakMap<object, Map<number, number>>();

/** Palette indexes of grid shapes (the county overview), from which shapes touch; cached per answer. */
export function shapeColourIndexes(shapes: GridCollection): Map<number, number> {
  const cached = shapeColours.get(shapes);
  if (cached) return cached;
  const touching = new Map<number, Set<number>>();
  for (const [i, j] of touchingPairs(shapes.features.map((f) => f.geometry))) {
    const a = shapes.features[i]!.properties.gridId;
    const b = shapes.features[j]!.properties.gridId;
    if (a === b) continue;
    if (!touching.has(a)) touching.set(a, new Set());
    if (!touching.has(b)) touching.set(b, new Set());
    touching.get(a)!.add(b);
    touching.get(b)!.add(a);
  }
  const colours = gridColourIndexes(
    shapes.features.map((f) => f.properties.gridId),
    touching,
  );
  shapeColours.set(shapes, colours);
  return colours;
}

// ---- Applying the server's answers ------------------------------------------------------------

/** The county's figures from its townships' (shares weighted by the townships' grids). */
export function countySummary(townships: readonly TownshipSummary[]): PlanSummary {
  const grids = townships.reduce((n, t) => n + t.grids, 0);
  const weighted = (share: (t: TownshipSummary) => number) =>
    grids === 0 ? 0 : townships.reduce((n, t) => n + share(t) * t.grids, 0) / grids;
  return {
    grids,
    households: townships.reduce((n, t) => n + t.households, 0),
    maxAbsDeviationRatio: townships.reduce((n, t) => Math.max(n, t.maxAbsDeviationRatio), 0),
    within10: weighted((t) => t.within10),
    within25: weighted((t) => t.within25),
    nonContiguous: townships.reduce((n, t) => n + t.nonContiguous, 0),
    unassignedUnits: townships.reduce((n, t) => n + t.unassignedUnits, 0),
    unassignedHouseholds: townships.reduce((n, t) => n + t.unassignedHouseholds, 0),
    villageSplits: townships.reduce((n, t) => n + t.villageSplits, 0),
    maxGridDriveMinutes: townships.reduce((n, t) => Math.max(n, t.maxGridDriveMinutes), 0),
  };
}

/**
 * A plan after an accepted edit: grids changed replaced in place, new ones added, removed ones
 * dropped; the townships' figures replaced and the county's worked out from them; the new
 * revision with its undo and redo.
 */
export function applyEditToPlan(plan: PlanDetail, result: EditResult): PlanDetail {
  const removed = new Set(result.removedGrids);
  const changed = new Map(result.grids.map((g) => [g.id, g]));
  const grids: GridInfo[] = [];
  for (const grid of plan.grids) {
    if (removed.has(grid.id)) continue;
    grids.push(changed.get(grid.id) ?? grid);
    changed.delete(grid.id);
  }
  grids.push(...changed.values());
  const newTownships = new Map(result.townships.map((t) => [t.code, t]));
  const townships = plan.townships.map((t) => newTownships.get(t.code) ?? t);
  return {
    ...plan,
    revision: result.revision,
    undo: result.undo,
    redo: result.redo,
    grids,
    townships,
    summary: result.townships.length > 0 ? countySummary(townships) : plan.summary,
  };
}

/**
 * Units after an edit: each unit the edit moved takes its new grid; the other features (and every
 * geometry) are the same objects as before, so nothing is fetched or rebuilt for them.
 */
export function applyEditToUnits(units: UnitCollection, moves: EditResult['units']): UnitCollection {
  if (moves.length === 0) return units;
  const gridOf = new Map(moves);
  let changed = false;
  const features = units.features.map((feature) => {
    const next = gridOf.get(feature.properties.unitId);
    if (next === undefined || next === feature.properties.gridId) return feature;
    changed = true;
    return { ...feature, properties: { ...feature.properties, gridId: next } };
  });
  return changed ? { ...units, features } : units;
}

// ---- Questions about a township ---------------------------------------------------------------

/** A township's grids, in the plan's order. */
export function townshipGrids(plan: PlanDetail, townshipCode: string | null): GridInfo[] {
  return townshipCode === null ? [] : plan.grids.filter((g) => g.townshipCode === townshipCode);
}

export type GridSort = 'name' | 'households' | 'deviation';

/** Grids sorted for the list: by name (numbers in names in order), households, or |deviation| worst first. */
export function sortGrids(grids: readonly GridInfo[], by: GridSort): GridInfo[] {
  const byName = (a: GridInfo, b: GridInfo) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true }) || a.id - b.id;
  const sorted = [...grids];
  if (by === 'name') sorted.sort(byName);
  else if (by === 'households') sorted.sort((a, b) => b.households - a.households || byName(a, b));
  else sorted.sort((a, b) => Math.abs(b.deviationRatio) - Math.abs(a.deviationRatio) || byName(a, b));
  return sorted;
}

/**
 * Grids a move of the selected units may go to: first those touching the selection (outside
 * the one grid all of it is already in), then the township's others; each group by name.
 */
export function moveTargets(
  grids: readonly GridInfo[],
  units: UnitCollection,
  neighbours: Record<number, number[]>,
  selected: readonly number[],
): { neighbours: GridInfo[]; others: GridInfo[] } {
  const gridOf = new Map(units.features.map((f) => [f.properties.unitId, f.properties.gridId]));
  const chosen = new Set(selected);
  const from = new Set(selected.map((id) => gridOf.get(id) ?? null));
  const only = from.size === 1 ? [...from][0]! : undefined;
  const touching = new Set<number>();
  for (const id of selected) {
    for (const other of neighbours[id] ?? []) {
      if (chosen.has(other)) continue;
      const grid = gridOf.get(other);
      if (grid !== null && grid !== undefined) touching.add(grid);
    }
  }
  const candidates = sortGrids(
    grids.filter((g) => g.id !== only),
    'name',
  );
  return {
    neighbours: candidates.filter((g) => touching.has(g.id)),
    others: candidates.filter((g) => !touching.has(g.id)),
  };
}

/** Households and units of a selection of units, and the grids they are in now. */
export function unitSelectionFigures(
  units: UnitCollection,
  selected: readonly number[],
): { units: number; households: number; gridIds: (number | null)[] } {
  const chosen = new Set(selected);
  let households = 0;
  let count = 0;
  const grids = new Set<number | null>();
  for (const f of units.features) {
    if (!chosen.has(f.properties.unitId)) continue;
    count++;
    households += f.properties.households;
    grids.add(f.properties.gridId);
  }
  return { units: count, households, gridIds: [...grids] };
}
