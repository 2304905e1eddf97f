import type { Random } from './random.js';
import { cellCentre, cellOf, cellSizeMetres, type GridSpec } from './raster.js';

/**
 * Approximate positions of Taishun's township seats (lon, lat). They are hints: each seat is
 * moved to the best valley-floor cell nearby, as real seats sit on valley floors.
 */
export const TAISHUN_SEAT_HINTS: Record<string, [number, number]> = {
  '330329100': [119.717, 27.557], // 罗阳镇, the county seat
  '330329101': [119.68, 27.665], // 司前畲族镇
  '330329102': [119.79, 27.745], // 百丈镇
  '330329103': [119.84, 27.5], // 筱村镇
  '330329104': [119.93, 27.48], // 泗溪镇
  '330329105': [120.0, 27.54], // 彭溪镇
  '330329106': [119.875, 27.385], // 雅阳镇
  '330329107': [120.05, 27.395], // 仕阳镇
  '330329109': [119.76, 27.44], // 三魁镇
  '330329111': [119.775, 27.635], // 南浦溪镇
  '330329112': [120.18, 27.45], // 龟湖镇
  '330329113': [119.745, 27.515], // 西旸镇
  '330329204': [119.66, 27.6], // 竹里畲族乡
  '330329225': [119.91, 27.64], // 包垟乡
  '330329226': [119.955, 27.605], // 凤垟乡
  '330329227': [119.985, 27.435], // 东溪乡
  '330329228': [119.85, 27.58], // 柳峰乡
  '330329229': [120.11, 27.515], // 雪溪乡
  '330329230': [119.83, 27.68], // 大安乡
  '330329400': [119.69, 27.715], // 乌岩岭自然保护区
};

/** Terrain layers the placement reads: valley floors have high accumulation and low slope. */
export interface TerrainLayers {
  spec: GridSpec;
  slopeDegrees: Float32Array;
  accumulation: Float32Array;
}

/** How good a cell is for a settlement: a gentle valley floor beside a stream. */
export function valleyScore(terrain: TerrainLayers, index: number): number {
  const slope = terrain.slopeDegrees[index]!;
  const accumulation = terrain.accumulation[index]!;
  return Math.log(1 + accumulation) - slope / 4;
}

/**
 * The best valley cell within `radiusMetres` of a point whose `allowed` flag is set, preferring
 * nearer cells; null when none is allowed.
 */
export function bestValleyCell(
  terrain: TerrainLayers,
  lon: number,
  lat: number,
  radiusMetres: number,
  allowed: (index: number) => boolean,
): number | null {
  const { spec } = terrain;
  const size = cellSizeMetres(spec);
  const centre = cellOf(spec, lon, lat);
  if (!centre) return null;
  const rc = Math.ceil(radiusMetres / size.x);
  const rr = Math.ceil(radiusMetres / size.y);
  let best: number | null = null;
  let bestScore = -Infinity;
  for (let row = Math.max(0, centre.row - rr); row <= Math.min(spec.height - 1, centre.row + rr); row++) {
    for (let col = Math.max(0, centre.col - rc); col <= Math.min(spec.width - 1, centre.col + rc); col++) {
      const dx = (col - centre.col) * size.x;
      const dy = (row - centre.row) * size.y;
      const distance = Math.sqrt(dx * dx + dy * dy);
      if (distance > radiusMetres) continue;
      const index = row * spec.width + col;
      if (!allowed(index)) continue;
      const score = valleyScore(terrain, index) - (1.5 * distance) / radiusMetres;
      if (score > bestScore) {
        bestScore = score;
        best = index;
      }
    }
  }
  return best;
}

/**
 * Scatter `count` points over the cells of one region, on valley floors, kept apart by a minimum
 * spacing that shrinks when the region is too crowded. Returns cell indices.
 */
export function spreadValleyCells(
  terrain: TerrainLayers,
  cells: readonly number[],
  count: number,
  spacingMetres: number,
  random: Random,
  taken: readonly number[] = [],
): number[] {
  if (count <= 0 || cells.length === 0) return [];
  const { spec } = terrain;
  const size = cellSizeMetres(spec);
  // Candidates: the best-scoring fifth of the region's cells (valley floors), at least 4×count.
  const scored = cells.map((index) => ({ index, score: valleyScore(terrain, index) + random.next() * 0.5 }));
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  const candidates = scored.slice(0, Math.max(count * 4, Math.ceil(scored.length / 5)));
  const chosen: number[] = [];
  const placed = [...taken];
  const far = (index: number, spacing: number) => {
    const col = index % spec.width;
    const row = Math.floor(index / spec.width);
    for (const other of placed) {
      const dx = ((other % spec.width) - col) * size.x;
      const dy = (Math.floor(other / spec.width) - row) * size.y;
      if (dx * dx + dy * dy < spacing * spacing) return false;
    }
    return true;
  };
  let spacing = spacingMetres;
  while (chosen.length < count && spacing > size.x) {
    for (const candidate of candidates) {
      if (chosen.length >= count) break;
      if (!chosen.includes(candidate.index) && far(candidate.index, spacing)) {
        chosen.push(candidate.index);
        placed.push(candidate.index);
      }
    }
    spacing *= 0.8;
  }
  // A region with fewer cells than villages still gets every village: reuse the best cells.
  for (let i = 0; chosen.length < count; i++) chosen.push(candidates[i % candidates.length]!.index);
  return chosen;
}

/** Cell index → [lon, lat] of its centre. */
export function indexCentre(spec: GridSpec, index: number): [number, number] {
  return cellCentre(spec, index % spec.width, Math.floor(index / spec.width));
}
