/**
 * H3 hexagons for the risk map: choosing a resolution for a zoom level, the study area (the set of
 * cells a hotspot analysis runs over, zero-count cells included) with its ring-1 neighbourhoods,
 * households per cell and rates per 1,000 households.
 */
import { getHexagonEdgeLengthAvg, getResolution, gridDisk, latLngToCell, polygonToCells } from 'h3-js';
import { type EventIndex, cellColumnOf } from './event-index.js';
import type { Neighbourhoods } from './neighbourhoods.js';

/** Web Mercator ground resolution at the equator and zoom 0, metres per 256-pixel-tile pixel. */
const EQUATOR_METRES_PER_PIXEL_Z0 = 40_075_016.686 / 256;

/**
 * The H3 resolution, among `available`, whose average hexagon edge is closest (in ratio) to
 * `targetEdgePixels` on screen at this zoom and latitude. Default target 14 px: a hexagon then
 * spans ~28 px, large enough to read and small enough to show village structure.
 */
export function resolutionForZoom(
  zoom: number,
  latDeg: number,
  available: readonly number[],
  targetEdgePixels = 14,
): number {
  if (available.length === 0) throw new RangeError('No H3 resolution available');
  const metresPerPixel = (EQUATOR_METRES_PER_PIXEL_Z0 * Math.cos((latDeg * Math.PI) / 180)) / 2 ** zoom;
  let best = available[0]!;
  let bestError = Infinity;
  for (const resolution of available) {
    const edgePixels = getHexagonEdgeLengthAvg(resolution, 'm') / metresPerPixel;
    const error = Math.abs(Math.log(edgePixels / targetEdgePixels));
    if (error < bestError) {
      bestError = error;
      best = resolution;
    }
  }
  return best;
}

/**
 * A study area: its cells (one resolution) and, for each cell, the neighbourhood used by Gi*
 * (the cell itself and its ring-1 neighbours that are in the study area).
 */
export interface HexStudyArea extends Neighbourhoods {
  resolution: number;
  cells: readonly string[];
}

/** Builds the study area and its ring-1 neighbourhoods (cells must be distinct, one resolution). */
export function buildHexStudyArea(cells: readonly string[]): HexStudyArea {
  const position = new Map<string, number>();
  cells.forEach((cell, i) => {
    if (position.has(cell)) throw new RangeError(`Duplicate study-area cell ${cell}`);
    position.set(cell, i);
  });
  const resolution = cells.length > 0 ? getResolution(cells[0]!) : 0;
  const neighbourStart = new Int32Array(cells.length + 1);
  const neighbours: number[] = [];
  for (let i = 0; i < cells.length; i++) {
    if (getResolution(cells[i]!) !== resolution) throw new RangeError('Study-area cells differ in resolution');
    neighbours.push(i);
    for (const neighbour of gridDisk(cells[i]!, 1)) {
      const j = position.get(neighbour);
      if (j !== undefined && j !== i) neighbours.push(j);
    }
    neighbourStart[i + 1] = neighbours.length;
  }
  return { resolution, cells, neighbourStart, neighbourCells: Int32Array.from(neighbours) };
}

/**
 * Study-area cells covering a polygon (GeoJSON order: rings of [lon, lat]) at a resolution: the
 * cells whose centres fall inside it, as h3's polygonToCells defines.
 */
export function cellsCoveringPolygon(
  rings: readonly (readonly (readonly [number, number])[])[],
  resolution: number,
): string[] {
  return polygonToCells(
    rings.map((ring) => ring.map(([lon, lat]) => [lon, lat])),
    resolution,
    true,
  );
}

/** For each cell id of the index's dictionary at the study area's resolution: its study-area position, or −1. */
export function studyAreaCellMap(
  index: EventIndex,
  area: HexStudyArea,
): { studyIndexOfCellId: Int32Array; studyCellCount: number } {
  const column = cellColumnOf(index, area.resolution);
  const studyIndexOfCellId = new Int32Array(column.cells.length).fill(-1);
  area.cells.forEach((cell, i) => {
    const id = column.cellIdOf.get(cell);
    if (id !== undefined) studyIndexOfCellId[id] = i;
  });
  return { studyIndexOfCellId, studyCellCount: area.cells.length };
}

/** Dictionary-aligned cell counts re-laid onto the study area (events outside the area drop out). */
export function countsOnStudyArea(
  counts: ArrayLike<number>,
  cellMap: { studyIndexOfCellId: Int32Array; studyCellCount: number },
): Float64Array {
  const result = new Float64Array(cellMap.studyCellCount);
  for (let id = 0; id < counts.length; id++) {
    const i = cellMap.studyIndexOfCellId[id]!;
    if (i >= 0) result[i]! += counts[id]!;
  }
  return result;
}

/** Household points per H3 cell at a resolution (cell → households). */
export function countHouseholdsPerCell(
  lonDeg: ArrayLike<number>,
  latDeg: ArrayLike<number>,
  resolution: number,
): Map<string, number> {
  const households = new Map<string, number>();
  for (let i = 0; i < lonDeg.length; i++) {
    const cell = latLngToCell(latDeg[i]!, lonDeg[i]!, resolution);
    households.set(cell, (households.get(cell) ?? 0) + 1);
  }
  return households;
}

/**
 * Events per 1,000 households for each cell. NaN where the cell has fewer than
 * `minHouseholds` households (default 1): a rate over a handful of homes is noise, not risk.
 */
export function ratePerThousandHouseholds(
  cells: readonly string[],
  counts: ArrayLike<number>,
  householdsPerCell: ReadonlyMap<string, number>,
  minHouseholds = 1,
): Float64Array {
  const rates = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const households = householdsPerCell.get(cells[i]!) ?? 0;
    rates[i] = households >= Math.max(minHouseholds, 1) ? (1000 * counts[i]!) / households : NaN;
  }
  return rates;
}
