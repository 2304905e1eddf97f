import type { LayerSpecification } from 'maplibre-gl';
import {
  GRID_PALETTE,
  gridColourIndexes,
  gridTouching,
  shapeColourIndexes,
  UNASSIGNED_COLOUR,
  type UnitCollection,
} from './model.js';
import {
  currentPlan,
  currentShapes,
  currentUnitIndex,
  currentUnits,
  selectedGrids,
  selectedUnits,
  type GridsState,
} from './state.js';

/** Fonts of the map's labels: the computer's own, as the basemap's (nothing is downloaded). */
const LOCAL_LABEL_FONTS = ['Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'sans-serif'];

/** Source ids of the grid layers on the map. */
export const GRID_SOURCES = {
  units: 'grids-units',
  shapes: 'grids-shapes',
  labels: 'grids-labels',
  lasso: 'grids-lasso',
} as const;
export type GridSourceName = keyof typeof GRID_SOURCES;

/** Stacking of the sources (higher on top). */
export const GRID_Z: Record<GridSourceName, number> = { units: 30, shapes: 31, labels: 32, lasso: 33 };

/** The image the units in no grid are hatched with (made by the controller when the map asks). */
export const HATCH_IMAGE = 'grids-hatch';

/** An 8 × 8 diagonal hatch, dark grey lines on transparent, as RGBA pixels. */
export function hatchPixels(size = 8): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x + y) % size > 1) continue;
      const i = (y * size + x) * 4;
      data.set([90, 90, 90, 210], i);
    }
  }
  return { width: size, height: size, data };
}

/** Layer styles (their source is set by the map view). */
export const GRID_LAYERS: Record<GridSourceName, LayerSpecification[]> = {
  units: [
    {
      id: 'grids-units-fill',
      type: 'fill',
      source: '',
      paint: {
        'fill-color': ['get', 'colour'],
        'fill-opacity': ['case', ['get', 'selected'], 0.85, ['get', 'inSelectedGrid'], 0.72, 0.5],
      },
    },
    {
      id: 'grids-units-hatch',
      type: 'fill',
      source: '',
      filter: ['!', ['get', 'assigned']],
      paint: { 'fill-pattern': HATCH_IMAGE },
    },
    {
      id: 'grids-units-line',
      type: 'line',
      source: '',
      paint: { 'line-color': '#ffffff', 'line-width': 0.6, 'line-opacity': 0.8 },
    },
    {
      id: 'grids-units-selected',
      type: 'line',
      source: '',
      filter: ['get', 'selected'],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#111111', 'line-width': 2.5 },
    },
  ],
  shapes: [
    {
      // Only in the county overview (no township open): the grids filled, a click opens the township.
      id: 'grids-shapes-fill',
      type: 'fill',
      source: '',
      filter: ['get', 'overview'],
      paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.45 },
    },
    {
      id: 'grids-shapes-line',
      type: 'line',
      source: '',
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['case', ['get', 'selected'], '#000000', '#243038'],
        'line-width': ['case', ['get', 'selected'], 4, ['get', 'overview'], 1.2, 2.2],
      },
    },
    {
      id: 'grids-shapes-locked',
      type: 'line',
      source: '',
      filter: ['get', 'locked'],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#7a1f1f', 'line-width': 2, 'line-dasharray': [2, 1.5], 'line-offset': 2.5 },
    },
  ],
  labels: [
    {
      id: 'grids-labels',
      type: 'symbol',
      source: '',
      // A dense township has more grids than room for labels: the ones a planner is working on
      // (chosen, holding chosen units, or just edited) are placed first, others where they fit.
      layout: {
        'text-field': ['get', 'label'],
        'text-font': LOCAL_LABEL_FONTS,
        'text-size': 12,
        'text-padding': 1,
        'symbol-sort-key': ['get', 'priority'],
      },
      paint: {
        'text-color': ['case', ['get', 'selected'], '#000000', '#1f2a30'],
        'text-halo-color': '#ffffff',
        'text-halo-width': ['case', ['get', 'selected'], 2.4, 1.6],
      },
    },
  ],
  lasso: [
    {
      id: 'grids-lasso-fill',
      type: 'fill',
      source: '',
      paint: { 'fill-color': '#1d6b57', 'fill-opacity': 0.12 },
    },
    {
      id: 'grids-lasso-line',
      type: 'line',
      source: '',
      paint: { 'line-color': '#1d6b57', 'line-width': 2, 'line-dasharray': [2, 1] },
    },
  ],
};

/** Layers a click chooses a unit from (in a township). */
export const GRID_UNIT_LAYERS = ['grids-units-fill'];
/** Layers a click chooses a grid's township from (the county overview). */
export const GRID_OVERVIEW_LAYERS = ['grids-shapes-fill'];

type Collection = GeoJSON.FeatureCollection;

const unitColours = new WeakMap<object, Map<number, number>>();

/** Palette indexes of the township's grids, from which of them touch; cached per units answer. */
export function townshipColourIndexes(state: GridsState): Map<number, number> {
  const units = currentUnits(state);
  const index = currentUnitIndex(state);
  if (!units || !index) return new Map();
  const cached = unitColours.get(units);
  if (cached) return cached;
  const plan = currentPlan(state);
  const ids = [
    ...(plan?.grids.filter((g) => g.townshipCode === state.townshipCode).map((g) => g.id) ?? []),
    ...units.features.flatMap((f) => (f.properties.gridId === null ? [] : [f.properties.gridId])),
  ];
  const colours = gridColourIndexes(ids, gridTouching(units, index.neighbours));
  unitColours.set(units, colours);
  return colours;
}

/** The colour of a grid on the map (and its swatch in the panel). */
export function gridColour(colours: ReadonlyMap<number, number>, gridId: number | null): string {
  if (gridId === null) return UNASSIGNED_COLOUR;
  return GRID_PALETTE[colours.get(gridId) ?? gridId % GRID_PALETTE.length]!;
}

/** The township's units, filled by their grid's colour; the chosen ones and their grids marked. */
export function unitFeatures(state: GridsState): Collection | null {
  const units: UnitCollection | null = currentUnits(state);
  if (!units) return null;
  const colours = townshipColourIndexes(state);
  const chosenUnits = new Set(selectedUnits(state));
  const chosenGrids = new Set(selectedGrids(state));
  return {
    type: 'FeatureCollection',
    features: units.features.map((f) => {
      const { unitId, gridId, households } = f.properties;
      return {
        type: 'Feature',
        geometry: f.geometry,
        properties: {
          unitId,
          gridId: gridId ?? -1,
          households,
          colour: gridColour(colours, gridId),
          assigned: gridId !== null,
          selected: chosenUnits.has(unitId),
          inSelectedGrid: gridId !== null && chosenGrids.has(gridId),
        },
      };
    }),
  };
}

/** Grid outlines: the township's (thick, chosen ones thicker, locked ones dashed inside), or the county's filled. */
export function shapeFeatures(state: GridsState): Collection | null {
  const shapes = currentShapes(state);
  if (!shapes) return null;
  const overview = state.townshipCode === null;
  const colours = overview ? shapeColourIndexes(shapes) : new Map<number, number>();
  const chosen = new Set(selectedGrids(state));
  // Locks change with an edit before the shapes are fetched again: the plan's figures are the newer.
  const grids = new Map(currentPlan(state)?.grids.map((g) => [g.id, g]));
  return {
    type: 'FeatureCollection',
    features: shapes.features.map((f) => {
      const { gridId, townshipCode } = f.properties;
      return {
        type: 'Feature',
        geometry: f.geometry,
        properties: {
          gridId,
          townshipCode,
          overview,
          colour: gridColour(colours, gridId),
          selected: chosen.has(gridId),
          locked: grids.get(gridId)?.locked ?? f.properties.locked,
        },
      };
    }),
  };
}

/**
 * One label per grid of the township: its name and households (and a lock mark), at its service
 * point, else at its units' middle. Drawn from the plan's figures, so they change with each edit.
 */
export function labelFeatures(
  state: GridsState,
  text: { households: (n: number) => string; locked: string },
): Collection | null {
  const plan = currentPlan(state);
  const units = currentUnits(state);
  const index = currentUnitIndex(state);
  if (!plan || !units || !index || state.townshipCode === null) return null;
  const middles = new Map<number, { x: number; y: number; n: number }>();
  for (const f of units.features) {
    const { gridId, unitId } = f.properties;
    const point = index.centroids[unitId];
    if (gridId === null || !point) continue;
    const m = middles.get(gridId) ?? { x: 0, y: 0, n: 0 };
    middles.set(gridId, { x: m.x + point[0], y: m.y + point[1], n: m.n + 1 });
  }
  const chosen = new Set(selectedGrids(state));
  const chosenUnits = new Set(selectedUnits(state));
  const first = new Set([
    ...chosen,
    ...(state.notice?.kind === 'edited' ? state.notice.gridIds : []),
    ...units.features.flatMap((f) =>
      chosenUnits.has(f.properties.unitId) && f.properties.gridId !== null ? [f.properties.gridId] : [],
    ),
  ]);
  const features: GeoJSON.Feature[] = [];
  for (const grid of plan.grids) {
    if (grid.townshipCode !== state.townshipCode) continue;
    const middle = middles.get(grid.id);
    const point = grid.servicePoint ?? (middle ? [middle.x / middle.n, middle.y / middle.n] : null);
    if (!point) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: point },
      properties: {
        gridId: grid.id,
        name: grid.name,
        households: grid.households,
        locked: grid.locked,
        selected: chosen.has(grid.id),
        priority: first.has(grid.id) ? 0 : 1,
        label: `${grid.locked ? `${text.locked} ` : ''}${grid.name}\n${text.households(grid.households)}`,
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** The lasso being drawn: its ring so far (closed back to the start). */
export function lassoFeatures(ring: readonly [number, number][] | null): Collection | null {
  if (!ring || ring.length < 2) return null;
  const closed = [...ring, ring[0]!];
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: {},
        geometry:
          ring.length >= 3 ? { type: 'Polygon', coordinates: [closed] } : { type: 'LineString', coordinates: closed },
      },
    ],
  };
}
