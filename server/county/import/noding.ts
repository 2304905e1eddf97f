/**
 * Noding imported road lines: a transport bureau's road file draws lines that cross at junctions
 * without sharing an end point, so each line is cut where it crosses or touches another line at
 * the same level — at a proper crossing, at a shared interior vertex, and where another line's end
 * lies on it or within the snap tolerance of it (a T drawn a little short). Lines at different
 * levels (a bridge over a road, a tunnel under one, or a level attribute) are not cut where they
 * cross. The pieces keep their line's direction; their ends are then joined by `snapRoadNetwork`.
 * Pure: no database. Segments are found through a uniform grid, so the work grows with the number
 * of nearby segment pairs, not with the square of the number of lines.
 */
import type { LonLat } from './crs.js';
import { metresPerDegree } from '../generate/raster.js';

/** One line to node: its vertices and its level (null: a bridge or tunnel that no line meets at a crossing). */
export interface NodingLine {
  coordinates: readonly LonLat[];
  level: number | null;
  /**
   * A road already stored (appending a file): it is cut where a new line meets it, never where it
   * meets another stored road (their junctions were decided when they were imported).
   */
  stored?: boolean;
}

/** A stretch of an input line between two cuts, in the line's direction. */
export interface NodedPiece {
  /** Position of the line in the input list. */
  line: number;
  coordinates: LonLat[];
}

export interface NodingResult {
  pieces: NodedPiece[];
  /** Pieces dropped because an earlier piece has the same vertices (either way round): [line, line of the kept piece]. */
  duplicates: [number, number][];
}

// An interior vertex counts as lying on another line within this distance (digitising noise, not a near miss).
const VERTEX_ON_LINE_METRES = 0.01;

interface Cut {
  along: number;
  point: LonLat;
}

/**
 * Cut each line where it meets another line of the same level (see the module comment). Cuts
 * closer than `toleranceMetres` to each other or to a line's end are merged into one.
 */
export function nodeRoadLines(lines: readonly NodingLine[], toleranceMetres: number): NodingResult {
  let vertexCount = 0;
  let latSum = 0;
  for (const line of lines) {
    for (const [, lat] of line.coordinates) latSum += lat;
    vertexCount += line.coordinates.length;
  }
  const metres = metresPerDegree(vertexCount > 0 ? latSum / vertexCount : 0);
  const first = lines.find((l) => l.coordinates.length > 0)?.coordinates[0] ?? [0, 0];
  const [lon0, lat0] = first;

  // Vertices in local metres, and each segment's line and first vertex.
  const x = new Float64Array(vertexCount);
  const y = new Float64Array(vertexCount);
  const lineStart = new Int32Array(lines.length + 1);
  let v = 0;
  lines.forEach((line, i) => {
    lineStart[i] = v;
    for (const [lon, lat] of line.coordinates) {
      x[v] = (lon - lon0) * metres.lon;
      y[v] = (lat - lat0) * metres.lat;
      v++;
    }
  });
  lineStart[lines.length] = v;
  const segmentCount = Math.max(0, vertexCount - lines.length);
  const segLine = new Int32Array(segmentCount);
  const segStart = new Int32Array(segmentCount);
  let s = 0;
  let totalLength = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.level === null) continue;
    for (let k = lineStart[i]!; k < lineStart[i + 1]! - 1; k++) {
      segLine[s] = i;
      segStart[s] = k;
      totalLength += Math.hypot(x[k + 1]! - x[k]!, y[k + 1]! - y[k]!);
      s++;
    }
  }
  const segments = s;

  // Cumulative length to each vertex along its line.
  const alongAt = new Float64Array(vertexCount);
  for (let i = 0; i < lines.length; i++) {
    for (let k = lineStart[i]! + 1; k < lineStart[i + 1]!; k++) {
      alongAt[k] = alongAt[k - 1]! + Math.hypot(x[k]! - x[k - 1]!, y[k]! - y[k - 1]!);
    }
  }

  const cuts: Cut[][] = lines.map(() => []);
  const toLonLat = (px: number, py: number): LonLat => [lon0 + px / metres.lon, lat0 + py / metres.lat];
  const vertexPoint = (k: number, line: number): LonLat => lines[line]!.coordinates[k - lineStart[line]!]!;
  const isLineEnd = (k: number, line: number) => k === lineStart[line] || k === lineStart[line + 1]! - 1;

  // Vertex k (of segment a's line) against segment b: cut b at the nearest point when the vertex
  // is a line end within the tolerance, or any vertex practically on it (and cut a's line there).
  const vertexOnSegment = (k: number, lineA: number, b: number) => {
    const lineB = segLine[b]!;
    const b0 = segStart[b]!;
    const dx = x[b0 + 1]! - x[b0]!;
    const dy = y[b0 + 1]! - y[b0]!;
    const lengthSquared = dx * dx + dy * dy;
    let t = lengthSquared > 0 ? ((x[k]! - x[b0]!) * dx + (y[k]! - y[b0]!) * dy) / lengthSquared : 0;
    t = Math.min(1, Math.max(0, t));
    const px = x[b0]! + t * dx;
    const py = y[b0]! + t * dy;
    const distance = Math.hypot(x[k]! - px, y[k]! - py);
    const end = isLineEnd(k, lineA);
    if (distance > (end ? toleranceMetres : VERTEX_ON_LINE_METRES)) return;
    const alongB = alongAt[b0]! + t * Math.sqrt(lengthSquared);
    cuts[lineB]!.push({ along: alongB, point: distance === 0 ? vertexPoint(k, lineA) : toLonLat(px, py) });
    if (!end) cuts[lineA]!.push({ along: alongAt[k]!, point: vertexPoint(k, lineA) });
  };

  const crossing = (a: number, b: number) => {
    const a0 = segStart[a]!;
    const b0 = segStart[b]!;
    const rx = x[a0 + 1]! - x[a0]!;
    const ry = y[a0 + 1]! - y[a0]!;
    const sx = x[b0 + 1]! - x[b0]!;
    const sy = y[b0 + 1]! - y[b0]!;
    const denominator = rx * sy - ry * sx;
    if (denominator !== 0) {
      const qx = x[b0]! - x[a0]!;
      const qy = y[b0]! - y[a0]!;
      const t = (qx * sy - qy * sx) / denominator;
      const u = (qx * ry - qy * rx) / denominator;
      // Strictly inside both: touches at vertices are the vertex rule's.
      if (t > 0 && t < 1 && u > 0 && u < 1) {
        const point = toLonLat(x[a0]! + t * rx, y[a0]! + t * ry);
        cuts[segLine[a]!]!.push({ along: alongAt[a0]! + t * Math.hypot(rx, ry), point });
        cuts[segLine[b]!]!.push({ along: alongAt[b0]! + u * Math.hypot(sx, sy), point });
      }
    }
    vertexOnSegment(a0, segLine[a]!, b);
    vertexOnSegment(a0 + 1, segLine[a]!, b);
    vertexOnSegment(b0, segLine[b]!, a);
    vertexOnSegment(b0 + 1, segLine[b]!, a);
  };

  // A uniform grid of cells about twice the mean segment length; each segment (its box grown by
  // the tolerance) is listed in every cell it overlaps.
  const cellMetres = Math.max(4 * toleranceMetres, segments > 0 ? (2 * totalLength) / segments : 1);
  const minX = new Float64Array(segments);
  const minY = new Float64Array(segments);
  const maxX = new Float64Array(segments);
  const maxY = new Float64Array(segments);
  let gridMinX = Infinity;
  let gridMinY = Infinity;
  for (let i = 0; i < segments; i++) {
    const k = segStart[i]!;
    minX[i] = Math.min(x[k]!, x[k + 1]!) - toleranceMetres;
    minY[i] = Math.min(y[k]!, y[k + 1]!) - toleranceMetres;
    maxX[i] = Math.max(x[k]!, x[k + 1]!) + toleranceMetres;
    maxY[i] = Math.max(y[k]!, y[k + 1]!) + toleranceMetres;
    gridMinX = Math.min(gridMinX, minX[i]!);
    gridMinY = Math.min(gridMinY, minY[i]!);
  }
  const cellOf = (value: number, origin: number) => Math.floor((value - origin) / cellMetres);
  const cells = new Map<number, number[]>();
  const ROW = 1 << 20;
  for (let i = 0; i < segments; i++) {
    for (let cx = cellOf(minX[i]!, gridMinX); cx <= cellOf(maxX[i]!, gridMinX); cx++) {
      for (let cy = cellOf(minY[i]!, gridMinY); cy <= cellOf(maxY[i]!, gridMinY); cy++) {
        const key = cx * ROW + cy;
        const cell = cells.get(key);
        if (cell) cell.push(i);
        else cells.set(key, [i]);
      }
    }
  }
  for (const [key, cell] of cells) {
    const cx = Math.floor(key / ROW);
    const cy = key - cx * ROW;
    for (let p = 0; p < cell.length; p++) {
      const a = cell[p]!;
      for (let q = p + 1; q < cell.length; q++) {
        const b = cell[q]!;
        if (minX[a]! > maxX[b]! || minX[b]! > maxX[a]! || minY[a]! > maxY[b]! || minY[b]! > maxY[a]!) continue;
        // A pair shares several cells: test it only in the one holding the corner of the boxes' overlap.
        if (cellOf(Math.max(minX[a]!, minX[b]!), gridMinX) !== cx) continue;
        if (cellOf(Math.max(minY[a]!, minY[b]!), gridMinY) !== cy) continue;
        const lineA = segLine[a]!;
        const lineB = segLine[b]!;
        if (lineA === lineB || lines[lineA]!.level !== lines[lineB]!.level) continue;
        if (lines[lineA]!.stored && lines[lineB]!.stored) continue;
        crossing(a, b);
      }
    }
  }

  const pieces: NodedPiece[] = [];
  lines.forEach((line, i) => {
    const start = lineStart[i]!;
    const end = lineStart[i + 1]! - 1;
    const lengthMetres = alongAt[end]!;
    const kept: Cut[] = [];
    for (const cut of cuts[i]!.sort((p, q) => p.along - q.along)) {
      if (cut.along < toleranceMetres || cut.along > lengthMetres - toleranceMetres) continue;
      if (kept.length > 0 && cut.along - kept[kept.length - 1]!.along < toleranceMetres) continue;
      kept.push(cut);
    }
    let current: LonLat[] = [line.coordinates[0]!];
    let k = start + 1;
    for (const cut of kept) {
      while (k <= end && alongAt[k]! < cut.along - 1e-6) current.push(vertexPoint(k++, i));
      while (k <= end && alongAt[k]! <= cut.along + 1e-6) k++;
      current.push(cut.point);
      pieces.push({ line: i, coordinates: current });
      current = [cut.point];
    }
    while (k <= end) current.push(vertexPoint(k++, i));
    pieces.push({ line: i, coordinates: current });
  });
  return dropDuplicates(pieces);
}

/** Keep the first of pieces with the same vertices (to about a centimetre), either way round. */
function dropDuplicates(pieces: NodedPiece[]): NodingResult {
  const seen = new Map<string, number>();
  const kept: NodedPiece[] = [];
  const duplicates: [number, number][] = [];
  const key = (coordinates: readonly LonLat[]) =>
    coordinates.map(([lon, lat]) => `${lon.toFixed(7)},${lat.toFixed(7)}`).join(' ');
  for (const piece of pieces) {
    const forward = key(piece.coordinates);
    const backward = key([...piece.coordinates].reverse());
    const canonical = forward < backward ? forward : backward;
    const keptLine = seen.get(canonical);
    if (keptLine !== undefined) {
      duplicates.push([piece.line, keptLine]);
      continue;
    }
    seen.set(canonical, piece.line);
    kept.push(piece);
  }
  return { pieces: kept, duplicates };
}
