/**
 * Label rasters to polygons that tile: the borders between labels are cut into arcs between
 * junctions, each arc is simplified and smoothed once, and both neighbours use that same arc, so
 * neighbouring polygons share their vertices exactly (no gaps, no overlaps). Pure, no I/O.
 */
import { bboxClip, area as turfArea, featureCollection, intersect, multiPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { type GridSpec, cellSizeMetres } from './raster.js';

/** Options of {@link polygonizeLabels}. */
export interface PolygonizeOptions {
  /** Chaikin corner-cutting passes on each inner arc; default 2, 0 keeps the cell staircase. */
  smoothIterations?: number;
  /**
   * Douglas–Peucker tolerance in metres applied to each inner arc before smoothing; default 0
   * (none). About 0.7 of a cell turns staircases into straight slopes. An arc whose simplified
   * form would cross another arc or change sides of one keeps its unsimplified smoothing instead.
   */
  simplifyMetres?: number;
}

/** A piece that {@link clipTiling} left out, so a caller can tell a lost sliver from a real gap. */
export interface DroppedPiece {
  label: number;
  /** Area of the piece inside the boundary; 0 when the label lay wholly outside it. */
  squareMetres: number;
}

/** Result of {@link clipTiling}. */
export interface ClippedTiling {
  polygons: Map<number, MultiPolygon>;
  dropped: DroppedPiece[];
}

/** Options of {@link clipTiling}. */
export interface ClipTilingOptions {
  /** Pieces smaller than this are dropped (and reported). Default 1 m². */
  minSquareMetres?: number;
}

// Directions between grid corners, clockwise on the map: east, south, west, north.
const EAST = 0;
const SOUTH = 1;
const WEST = 2;
const NORTH = 3;

/** One stretch of border between two labels, from junction to junction (or a closed loop). */
interface Arc {
  /** Grid corners along the arc, `row * (width + 1) + col`. */
  corners: number[];
  /** Label on the left going forward (-1 = nothing), and on the right. */
  left: number;
  right: number;
  /** Cells left and right of the first edge (-1 outside the grid), to find the connected piece. */
  leftCell: number;
  rightCell: number;
  /** Junction corners at the ends; -1 for a closed loop that meets no junction. */
  startNode: number;
  endNode: number;
  firstDirection: number;
  lastDirection: number;
}

/** Arc geometry in grid units: x = col, y = -row (so y grows northwards, like latitude). */
interface Line {
  x: number[];
  y: number[];
}

/**
 * Polygons of every label ≥ 0 of a label raster (row-major, -1 = nothing), as lon/lat
 * MultiPolygons with one polygon per 4-connected piece, holes where a piece encloses other labels,
 * outer rings counter-clockwise and holes clockwise. Borders between two labels are smoothed;
 * borders against -1 or the grid edge stay on the cell edges, so the union of all polygons is
 * exactly the union of the labelled cells.
 */
export function polygonizeLabels(
  spec: GridSpec,
  labels: Int32Array,
  options: PolygonizeOptions = {},
): Map<number, MultiPolygon> {
  const { width, height } = spec;
  if (labels.length !== width * height) {
    throw new RangeError(`labels has ${labels.length} cells, the grid ${width * height}`);
  }
  const smoothIterations = options.smoothIterations ?? 2;
  const simplifyMetres = options.simplifyMetres ?? 0;
  if (!Number.isInteger(smoothIterations) || smoothIterations < 0) {
    throw new RangeError(`smoothIterations must be a whole number ≥ 0, got ${smoothIterations}`);
  }
  if (!(simplifyMetres >= 0)) throw new RangeError(`simplifyMetres must be ≥ 0, got ${simplifyMetres}`);

  const arcs = traceArcs(spec, labels);
  const rings = traceRings(arcs, connectedPieces(spec, labels));
  const { raw, lines } = shapeArcs(spec, arcs, rings, smoothIterations, simplifyMetres);
  return buildPolygons(spec, rings, raw, lines);
}

// ---------------------------------------------------------------------------------------------
// Topology: the boundary graph on grid corners, cut into arcs at junctions.

function traceArcs(spec: GridSpec, labels: Int32Array): Arc[] {
  const { width, height } = spec;
  const stride = width + 1;
  const cellAt = (col: number, row: number): number =>
    col < 0 || row < 0 || col >= width || row >= height ? -1 : row * width + col;
  const labelAt = (cell: number): number => (cell < 0 || labels[cell]! < 0 ? -1 : labels[cell]!);

  // Bit d of mask[corner] is set when the edge leaving the corner in direction d separates labels.
  const cornerCount = stride * (height + 1);
  const mask = new Uint8Array(cornerCount);
  const junction = new Uint8Array(cornerCount);
  for (let row = 0; row <= height; row++) {
    for (let col = 0; col <= width; col++) {
      const nw = labelAt(cellAt(col - 1, row - 1));
      const ne = labelAt(cellAt(col, row - 1));
      const sw = labelAt(cellAt(col - 1, row));
      const se = labelAt(cellAt(col, row));
      const bits = (ne !== se ? 1 : 0) | (se !== sw ? 2 : 0) | (sw !== nw ? 4 : 0) | (nw !== ne ? 8 : 0);
      const corner = row * stride + col;
      mask[corner] = bits;
      // Three or four border edges: three labels meet, or two touch diagonally.
      junction[corner] = bits === 7 || bits === 11 || bits === 13 || bits === 14 || bits === 15 ? 1 : 0;
    }
  }

  const step = [1, stride, -1, -stride];
  // Cells left and right of the edge leaving a corner in each direction (see the corner's NW/NE/SW/SE).
  const sides = (corner: number, direction: number): [number, number] => {
    const col = corner % stride;
    const row = (corner - col) / stride;
    const nw = cellAt(col - 1, row - 1);
    const ne = cellAt(col, row - 1);
    const sw = cellAt(col - 1, row);
    const se = cellAt(col, row);
    if (direction === EAST) return [ne, se];
    if (direction === SOUTH) return [se, sw];
    if (direction === WEST) return [sw, nw];
    return [nw, ne];
  };

  const arcs: Arc[] = [];
  const trace = (start: number, firstDirection: number): void => {
    const corners = [start];
    let corner = start;
    let direction = firstDirection;
    let lastDirection: number;
    for (;;) {
      mask[corner]! &= ~(1 << direction);
      const next = corner + step[direction]!;
      mask[next]! &= ~(1 << ((direction + 2) & 3));
      corners.push(next);
      lastDirection = direction;
      corner = next;
      if (junction[corner] || corner === start) break;
      const bits = mask[corner]!;
      direction = bits & 1 ? EAST : bits & 2 ? SOUTH : bits & 4 ? WEST : NORTH;
    }
    const [leftCell, rightCell] = sides(start, firstDirection);
    const isLoop = !junction[start];
    arcs.push({
      corners,
      left: labelAt(leftCell),
      right: labelAt(rightCell),
      leftCell,
      rightCell,
      startNode: isLoop ? -1 : start,
      endNode: isLoop ? -1 : corner,
      firstDirection,
      lastDirection,
    });
  };

  for (let corner = 0; corner < cornerCount; corner++) {
    if (!junction[corner]) continue;
    for (let direction = 0; direction < 4; direction++) {
      if (mask[corner]! & (1 << direction)) trace(corner, direction);
    }
  }
  // What is left are closed loops that meet no junction (islands); start at their north-west corner.
  for (let corner = 0; corner < cornerCount; corner++) {
    if (mask[corner]! & 1) trace(corner, EAST);
  }
  return arcs;
}

/** 4-connected pieces of equal label; -1 for unlabelled cells. */
function connectedPieces(spec: GridSpec, labels: Int32Array): Int32Array {
  const { width } = spec;
  const piece = new Int32Array(labels.length).fill(-1);
  const queue = new Int32Array(labels.length);
  let pieceCount = 0;
  for (let seed = 0; seed < labels.length; seed++) {
    const label = labels[seed]!;
    if (label < 0 || piece[seed] !== -1) continue;
    const id = pieceCount++;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    piece[seed] = id;
    while (head < tail) {
      const cell = queue[head++]!;
      const col = cell % width;
      const around = [col > 0 ? cell - 1 : -1, col < width - 1 ? cell + 1 : -1, cell - width, cell + width];
      for (const next of around) {
        if (next < 0 || next >= labels.length || piece[next] !== -1 || labels[next] !== label) continue;
        piece[next] = id;
        queue[tail++] = next;
      }
    }
  }
  return piece;
}

// ---------------------------------------------------------------------------------------------
// Geometry of each arc: simplified and smoothed once, checked so that no two arcs cross.

function shapeArcs(
  spec: GridSpec,
  arcs: Arc[],
  rings: Ring[],
  smoothIterations: number,
  simplifyMetres: number,
): { raw: Line[]; lines: Line[] } {
  const stride = spec.width + 1;
  const size = cellSizeMetres(spec);
  const raw: Line[] = arcs.map(({ corners }) => {
    const x = corners.map((corner) => corner % stride);
    const y = corners.map((corner, i) => -(corner - x[i]!) / stride);
    return { x, y };
  });
  const isClosed = (i: number): boolean => arcs[i]!.corners[0] === arcs[i]!.corners[arcs[i]!.corners.length - 1];
  const isLoop = (i: number): boolean => arcs[i]!.startNode < 0;
  const inner = (i: number): boolean => arcs[i]!.left >= 0 && arcs[i]!.right >= 0;

  // Smoothing the unit staircase cannot make arcs cross: each corner cut stays within half a cell
  // of its corner, and corners of different arcs are a whole cell apart. That is the safe shape.
  const safe = raw.map((line, i) => removeCollinear(inner(i) ? chaikin(line, smoothIterations, isLoop(i)) : line));
  const lines = safe.slice();
  if (simplifyMetres <= 0) return { raw, lines };

  const candidates = new Set<number>();
  for (let i = 0; i < arcs.length; i++) {
    if (!inner(i)) continue;
    const simplified = simplify(raw[i]!, simplifyMetres, size.x, size.y);
    if (simplified.x.length === raw[i]!.x.length) continue;
    const line = removeCollinear(chaikin(simplified, smoothIterations, isLoop(i)));
    if (isClosed(i) && line.x.length < 4) continue;
    lines[i] = line;
    candidates.add(i);
  }

  // Keep a simplified arc only if it crosses or touches no other arc (except at shared junctions),
  // sweeps no other arc to its other side and turns no ring inside out; else use its safe shape.
  while (candidates.size > 0) {
    const rejected = new Set<number>([
      ...crossingArcs(arcs, lines, candidates),
      ...sweepingArcs(raw, lines, candidates, isClosed),
    ]);
    for (const ring of rings) {
      if (Math.sign(ringArea(ring, lines)) === Math.sign(ringArea(ring, raw))) continue;
      for (const h of ring.halves) if (candidates.has(h >> 1)) rejected.add(h >> 1);
    }
    if (rejected.size === 0) break;
    for (const i of rejected) {
      lines[i] = safe[i]!;
      candidates.delete(i);
    }
  }
  return { raw, lines };
}

/** Chaikin corner cutting; an open arc keeps its end points, a closed loop is cut all round. */
function chaikin(line: Line, iterations: number, loop: boolean): Line {
  let { x, y } = line;
  for (let iteration = 0; iteration < iterations; iteration++) {
    const n = x.length;
    const nx: number[] = [];
    const ny: number[] = [];
    if (loop) {
      for (let i = 0; i < n - 1; i++) {
        nx.push(0.75 * x[i]! + 0.25 * x[i + 1]!, 0.25 * x[i]! + 0.75 * x[i + 1]!);
        ny.push(0.75 * y[i]! + 0.25 * y[i + 1]!, 0.25 * y[i]! + 0.75 * y[i + 1]!);
      }
      nx.push(nx[0]!);
      ny.push(ny[0]!);
    } else {
      nx.push(x[0]!);
      ny.push(y[0]!);
      for (let i = 0; i < n - 1; i++) {
        if (i > 0) {
          nx.push(0.75 * x[i]! + 0.25 * x[i + 1]!);
          ny.push(0.75 * y[i]! + 0.25 * y[i + 1]!);
        }
        if (i < n - 2) {
          nx.push(0.25 * x[i]! + 0.75 * x[i + 1]!);
          ny.push(0.25 * y[i]! + 0.75 * y[i + 1]!);
        }
      }
      nx.push(x[n - 1]!);
      ny.push(y[n - 1]!);
    }
    x = nx;
    y = ny;
  }
  return { x, y };
}

/** Drops inner points that lie straight between their neighbours (exact: grid units are dyadic). */
function removeCollinear(line: Line): Line {
  const { x, y } = line;
  const n = x.length;
  if (n <= 2) return line;
  const ox = [x[0]!];
  const oy = [y[0]!];
  for (let i = 1; i < n - 1; i++) {
    const ax = ox[ox.length - 1]!;
    const ay = oy[oy.length - 1]!;
    const ux = x[i]! - ax;
    const uy = y[i]! - ay;
    const vx = x[i + 1]! - x[i]!;
    const vy = y[i + 1]! - y[i]!;
    if (ux * vy - uy * vx === 0 && ux * vx + uy * vy > 0) continue;
    ox.push(x[i]!);
    oy.push(y[i]!);
  }
  ox.push(x[n - 1]!);
  oy.push(y[n - 1]!);
  return { x: ox, y: oy };
}

/** Douglas–Peucker in metres, end points kept; a closed arc is split at its farthest point. */
function simplify(line: Line, toleranceMetres: number, metresX: number, metresY: number): Line {
  const { x, y } = line;
  const n = x.length;
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const squareTolerance = toleranceMetres * toleranceMetres;
  const squareDistance = (p: number, a: number, b: number): number => {
    const px = (x[p]! - x[a]!) * metresX;
    const py = (y[p]! - y[a]!) * metresY;
    const bx = (x[b]! - x[a]!) * metresX;
    const by = (y[b]! - y[a]!) * metresY;
    const length = bx * bx + by * by;
    const t = length === 0 ? 0 : Math.max(0, Math.min(1, (px * bx + py * by) / length));
    const dx = px - t * bx;
    const dy = py - t * by;
    return dx * dx + dy * dy;
  };
  const stack: [number, number][] = [];
  if (x[0] === x[n - 1] && y[0] === y[n - 1]) {
    let farthest = 1;
    let farthestDistance = -1;
    for (let i = 1; i < n - 1; i++) {
      const d = squareDistance(i, 0, 0);
      if (d > farthestDistance) {
        farthest = i;
        farthestDistance = d;
      }
    }
    keep[farthest] = 1;
    stack.push([0, farthest], [farthest, n - 1]);
  } else {
    stack.push([0, n - 1]);
  }
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    let worst = -1;
    let worstDistance = squareTolerance;
    for (let i = a + 1; i < b; i++) {
      const d = squareDistance(i, a, b);
      if (d > worstDistance) {
        worst = i;
        worstDistance = d;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  const ox: number[] = [];
  const oy: number[] = [];
  for (let i = 0; i < n; i++) {
    if (keep[i]) {
      ox.push(x[i]!);
      oy.push(y[i]!);
    }
  }
  return { x: ox, y: oy };
}

/** Twice the signed area of a closed line (positive counter-clockwise). */
function signedArea(line: Line): number {
  const { x, y } = line;
  let sum = 0;
  for (let i = 0; i < x.length - 1; i++) sum += x[i]! * y[i + 1]! - x[i + 1]! * y[i]!;
  return sum;
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

/** Candidate arcs that cross or touch an arc other than at a shared junction. */
function crossingArcs(arcs: Arc[], lines: Line[], candidates: Set<number>): Set<number> {
  const bucketSize = 8;
  const buckets = new Map<number, number[]>();
  const segmentArc: number[] = [];
  const segmentIndex: number[] = [];
  const bucketKey = (bx: number, by: number): number => bx * 131_072 + by + 65_536;
  const forBuckets = (i: number, j: number, visit: (key: number) => void): void => {
    const { x, y } = lines[i]!;
    const x0 = Math.floor(Math.min(x[j]!, x[j + 1]!) / bucketSize);
    const x1 = Math.floor(Math.max(x[j]!, x[j + 1]!) / bucketSize);
    const y0 = Math.floor(Math.min(y[j]!, y[j + 1]!) / bucketSize);
    const y1 = Math.floor(Math.max(y[j]!, y[j + 1]!) / bucketSize);
    for (let bx = x0; bx <= x1; bx++) for (let by = y0; by <= y1; by++) visit(bucketKey(bx, by));
  };
  lines.forEach((line, i) => {
    for (let j = 0; j < line.x.length - 1; j++) {
      const id = segmentArc.length;
      segmentArc.push(i);
      segmentIndex.push(j);
      forBuckets(i, j, (key) => {
        const list = buckets.get(key);
        if (list) list.push(id);
        else buckets.set(key, [id]);
      });
    }
  });

  const nodeAt = (i: number, position: number): number => {
    const arc = arcs[i]!;
    if (position === 0) return arc.startNode;
    if (position === lines[i]!.x.length - 1) return arc.endNode;
    return -1;
  };
  // May segment j of arc a and segment k of arc b share the point at positions pa and pb?
  const touchAllowed = (a: number, j: number, pa: number, b: number, k: number, pb: number): boolean => {
    if (a === b) {
      if (pa === pb && Math.abs(j - k) === 1) return true;
      const last = lines[a]!.x.length - 1;
      if (arcs[a]!.startNode < 0 && ((pa === 0 && pb === last) || (pa === last && pb === 0))) return true;
    }
    const node = nodeAt(a, pa);
    return node >= 0 && node === nodeAt(b, pb);
  };
  const conflict = (a: number, j: number, b: number, k: number): boolean => {
    const la = lines[a]!;
    const lb = lines[b]!;
    const ax = la.x[j]!;
    const ay = la.y[j]!;
    const bx = la.x[j + 1]!;
    const by = la.y[j + 1]!;
    const cx = lb.x[k]!;
    const cy = lb.y[k]!;
    const dx = lb.x[k + 1]!;
    const dy = lb.y[k + 1]!;
    if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx)) return false;
    if (Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) return false;
    const o1 = orient(ax, ay, bx, by, cx, cy);
    const o2 = orient(ax, ay, bx, by, dx, dy);
    const o3 = orient(cx, cy, dx, dy, ax, ay);
    const o4 = orient(cx, cy, dx, dy, bx, by);
    if (o1 * o2 > 0 || o3 * o4 > 0) return false;
    let px: number;
    let py: number;
    if (o1 === 0 && o2 === 0) {
      // Collinear: any overlap longer than a point is a conflict.
      const alongX = Math.abs(bx - ax) >= Math.abs(by - ay);
      const [a0, a1] = alongX ? [Math.min(ax, bx), Math.max(ax, bx)] : [Math.min(ay, by), Math.max(ay, by)];
      const [c0, c1] = alongX ? [Math.min(cx, dx), Math.max(cx, dx)] : [Math.min(cy, dy), Math.max(cy, dy)];
      const overlap = Math.min(a1, c1) - Math.max(a0, c0);
      if (overlap < 0) return false;
      if (overlap > 0) return true;
      const touch = Math.max(a0, c0);
      const cAt = alongX ? cx : cy;
      [px, py] = cAt === touch ? [cx, cy] : [dx, dy];
    } else if (o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0) {
      return true;
    } else {
      [px, py] = o1 === 0 ? [cx, cy] : o2 === 0 ? [dx, dy] : o3 === 0 ? [ax, ay] : [bx, by];
    }
    const pa = px === ax && py === ay ? j : px === bx && py === by ? j + 1 : -1;
    const pb = px === cx && py === cy ? k : px === dx && py === dy ? k + 1 : -1;
    if (pa < 0 || pb < 0) return true;
    return !touchAllowed(a, j, pa, b, k, pb);
  };

  const rejected = new Set<number>();
  for (const a of candidates) {
    const line = lines[a]!;
    for (let j = 0; j < line.x.length - 1 && !rejected.has(a); j++) {
      forBuckets(a, j, (key) => {
        for (const id of buckets.get(key)!) {
          const b = segmentArc[id]!;
          const k = segmentIndex[id]!;
          if (a === b && j === k) continue;
          if (conflict(a, j, b, k)) {
            rejected.add(a);
            if (candidates.has(b)) rejected.add(b);
          }
        }
      });
    }
  }
  return rejected;
}

/**
 * Candidate arcs whose move from the raw staircase to the simplified shape passes over another arc
 * (an island, or a short arc at a shared junction), which would put it on the wrong side.
 */
function sweepingArcs(
  raw: Line[],
  lines: Line[],
  candidates: Set<number>,
  isClosed: (i: number) => boolean,
): Set<number> {
  const boxes = lines.map(boundingBox);
  // A point on each arc that is never a junction: the middle of its first segment.
  const probes = lines.map((line) => [(line.x[0]! + line.x[1]!) / 2, (line.y[0]! + line.y[1]!) / 2] as const);
  const rejected = new Set<number>();
  for (const a of candidates) {
    const before = raw[a]!;
    const after = lines[a]!;
    const box = boundingBox({ x: [...before.x, ...after.x], y: [...before.y, ...after.y] });
    for (let b = 0; b < lines.length; b++) {
      if (b === a) continue;
      const other = boxes[b]!;
      if (other[0] > box[2] || other[2] < box[0] || other[1] > box[3] || other[3] < box[1]) continue;
      const [px, py] = probes[b]!;
      const winding = isClosed(a)
        ? windingNumber(before, px, py) - windingNumber(after, px, py)
        : windingNumber(
            { x: [...before.x, ...after.x.slice().reverse()], y: [...before.y, ...after.y.slice().reverse()] },
            px,
            py,
          );
      if (winding !== 0) {
        rejected.add(a);
        break;
      }
    }
  }
  return rejected;
}

function boundingBox(line: Line): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  line.x.forEach((x, i) => {
    const y = line.y[i]!;
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
  });
  return box;
}

/** Winding number of a closed path (last point joined back to the first) around a point. */
function windingNumber(line: Line, px: number, py: number): number {
  const { x, y } = line;
  const n = x.length;
  let winding = 0;
  for (let i = 0; i < n; i++) {
    const ax = x[i]!;
    const ay = y[i]!;
    const bx = x[(i + 1) % n]!;
    const by = y[(i + 1) % n]!;
    if (ay <= py) {
      if (by > py && orient(ax, ay, bx, by, px, py) > 0) winding++;
    } else if (by <= py && orient(ax, ay, bx, by, px, py) < 0) {
      winding--;
    }
  }
  return winding;
}

// ---------------------------------------------------------------------------------------------
// Rings: follow the arcs around each face, keeping the face on the left.

/** A ring of half-arcs (h: arc h >> 1, forwards when h is even) around one 4-connected piece. */
interface Ring {
  halves: number[];
  piece: number;
  label: number;
}

function traceRings(arcs: Arc[], pieces: Int32Array): Ring[] {
  // A half-arc's face is on its left.
  const halfCount = arcs.length * 2;
  const leftOf = (h: number): number => (h & 1 ? arcs[h >> 1]!.right : arcs[h >> 1]!.left);
  const startOf = (h: number): number => (h & 1 ? arcs[h >> 1]!.endNode : arcs[h >> 1]!.startNode);
  const endOf = (h: number): number => (h & 1 ? arcs[h >> 1]!.startNode : arcs[h >> 1]!.endNode);
  const arrivalOf = (h: number): number =>
    h & 1 ? (arcs[h >> 1]!.firstDirection + 2) & 3 : arcs[h >> 1]!.lastDirection;
  const ringOf = (halves: number[]): Ring => {
    const h = halves[0]!;
    const cell = h & 1 ? arcs[h >> 1]!.rightCell : arcs[h >> 1]!.leftCell;
    return { halves, piece: pieces[cell]!, label: leftOf(h) };
  };

  const nodeSlot = new Map<number, number>();
  const leaving: number[] = [];
  const slotOf = (node: number): number => {
    let slot = nodeSlot.get(node);
    if (slot === undefined) {
      slot = nodeSlot.size;
      nodeSlot.set(node, slot);
      leaving.push(-1, -1, -1, -1);
    }
    return slot;
  };
  arcs.forEach((arc, i) => {
    if (arc.startNode < 0) return;
    leaving[slotOf(arc.startNode) * 4 + arc.firstDirection] = 2 * i;
    leaving[slotOf(arc.endNode) * 4 + ((arc.lastDirection + 2) & 3)] = 2 * i + 1;
  });

  const rings: Ring[] = [];
  const used = new Uint8Array(halfCount);
  for (let first = 0; first < halfCount; first++) {
    if (used[first] || leftOf(first) < 0) continue;
    if (arcs[first >> 1]!.startNode < 0) {
      used[first] = 1;
      rings.push(ringOf([first]));
      continue;
    }
    // Walk the face: at each junction take the first border clockwise from the way we came in.
    const cycle: number[] = [];
    let h = first;
    do {
      used[h] = 1;
      cycle.push(h);
      const slot = nodeSlot.get(endOf(h))!;
      const back = (arrivalOf(h) + 2) & 3;
      let next = -1;
      for (let turn = 1; turn <= 4 && next < 0; turn++) next = leaving[slot * 4 + ((back + turn) & 3)]!;
      if (next < 0 || leftOf(next) !== leftOf(first)) throw new Error('polygonizeLabels: broken arc topology');
      h = next;
    } while (h !== first);
    // A face that passes a junction twice (two cells of its piece touching diagonally) is split
    // there into simple rings: an outer ring and a hole that touch at one point.
    const path: number[] = [];
    const position = new Map<number, number>();
    for (const half of cycle) {
      const node = startOf(half);
      const seen = position.get(node);
      if (seen !== undefined) {
        const loop = path.splice(seen);
        for (const looped of loop) position.delete(startOf(looped));
        rings.push(ringOf(loop));
      }
      position.set(node, path.length);
      path.push(half);
    }
    rings.push(ringOf(path));
  }
  return rings;
}

/** The closed line of a ring, its arcs joined end to start. */
function ringLine(ring: Ring, lines: Line[]): Line {
  const x: number[] = [];
  const y: number[] = [];
  for (const h of ring.halves) {
    const line = lines[h >> 1]!;
    const n = line.x.length;
    for (let k = x.length === 0 ? 0 : 1; k < n; k++) {
      const i = h & 1 ? n - 1 - k : k;
      x.push(line.x[i]!);
      y.push(line.y[i]!);
    }
  }
  return { x, y };
}

function ringArea(ring: Ring, lines: Line[]): number {
  return signedArea(ringLine(ring, lines));
}

function buildPolygons(spec: GridSpec, rings: Ring[], raw: Line[], lines: Line[]): Map<number, MultiPolygon> {
  const toPositions = (line: Line): Position[] =>
    line.x.map((x, i) => [spec.west + x * spec.dLon, spec.north + line.y[i]! * spec.dLat]);
  // Outer or hole is read off the cell staircase, where it is exact.
  const outer = new Map<number, Position[]>();
  const holes = new Map<number, Position[][]>();
  const pieceLabel = new Map<number, number>();
  for (const ring of rings) {
    const positions = toPositions(ringLine(ring, lines));
    pieceLabel.set(ring.piece, ring.label);
    if (ringArea(ring, raw) > 0) {
      if (outer.has(ring.piece)) throw new Error(`polygonizeLabels: piece ${ring.piece} has two outer rings`);
      outer.set(ring.piece, positions);
    } else {
      const list = holes.get(ring.piece);
      if (list) list.push(positions);
      else holes.set(ring.piece, [positions]);
    }
  }
  const byLabel = new Map<number, Position[][][]>();
  for (const piece of [...pieceLabel.keys()].sort((a, b) => a - b)) {
    const shell = outer.get(piece);
    if (!shell) throw new Error(`polygonizeLabels: piece ${piece} has no outer ring`);
    const label = pieceLabel.get(piece)!;
    const polygon = [shell, ...(holes.get(piece) ?? [])];
    const list = byLabel.get(label);
    if (list) list.push(polygon);
    else byLabel.set(label, [polygon]);
  }
  const result = new Map<number, MultiPolygon>();
  for (const label of [...byLabel.keys()].sort((a, b) => a - b)) {
    result.set(label, { type: 'MultiPolygon', coordinates: byLabel.get(label)! });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Clipping a tiling to a boundary.

/**
 * Intersects each polygon of a tiling with a boundary, so a tiling grown over a grid larger than
 * the boundary tiles the boundary itself. Pieces that lie wholly inside or outside are kept or
 * left out without calling the clipper. Pieces below `minSquareMetres` are dropped and listed in
 * `dropped`, as is every label with nothing inside the boundary (with 0 m²).
 */
export function clipTiling(
  polygons: Map<number, MultiPolygon>,
  boundary: Polygon | MultiPolygon,
  options: ClipTilingOptions = {},
): ClippedTiling {
  const minSquareMetres = options.minSquareMetres ?? 1;
  const boundaryPolygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  const boundaryRings = boundaryPolygons.flat();
  const index = new SegmentIndex(boundaryRings);

  const result = new Map<number, MultiPolygon>();
  const dropped: DroppedPiece[] = [];
  for (const [label, geometry] of polygons) {
    const kept: Position[][][] = [];
    const toClip: Position[][][] = [];
    for (const polygon of geometry.coordinates) {
      const placement = placeAgainst(polygon, boundaryRings, index);
      if (placement === 'inside') kept.push(rewind(polygon));
      else if (placement === 'crossing') toClip.push(polygon);
    }
    if (toClip.length > 0) {
      const near = cropBoundary(boundary, toClip);
      const clipped = near ? intersect(featureCollection([multiPolygon(toClip), multiPolygon(near)])) : null;
      const parts = clipped
        ? clipped.geometry.type === 'Polygon'
          ? [clipped.geometry.coordinates]
          : clipped.geometry.coordinates
        : [];
      for (const part of parts) {
        const squareMetres = turfArea({ type: 'Polygon', coordinates: part });
        if (squareMetres < minSquareMetres) dropped.push({ label, squareMetres });
        else kept.push(rewind(part));
      }
    }
    if (kept.length > 0) result.set(label, { type: 'MultiPolygon', coordinates: kept });
    else if (!dropped.some((piece) => piece.label === label)) dropped.push({ label, squareMetres: 0 });
  }
  return { polygons: result, dropped };
}

/**
 * The boundary cut to a box a little larger than the polygons, which halves the clipper's work.
 * Sutherland–Hodgman may leave zero-width spurs along the box edges; they lie outside the polygons
 * and carry no area, and the clipper accepts such self-touching rings. Null when nothing is left.
 */
function cropBoundary(boundary: Polygon | MultiPolygon, polygons: Position[][][]): Position[][][] | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const polygon of polygons) {
    for (const [x, y] of polygon[0]!) {
      west = Math.min(west, x!);
      south = Math.min(south, y!);
      east = Math.max(east, x!);
      north = Math.max(north, y!);
    }
  }
  const marginX = (east - west) * 0.01 + 1e-7;
  const marginY = (north - south) * 0.01 + 1e-7;
  const box: [number, number, number, number] = [west - marginX, south - marginY, east + marginX, north + marginY];
  const cropped = bboxClip(boundary, box).geometry as Polygon | MultiPolygon;
  const parts: Position[][][] = cropped.type === 'Polygon' ? [cropped.coordinates] : cropped.coordinates;
  const nonEmpty = parts.filter((rings) => rings.length > 0);
  return nonEmpty.length > 0 ? nonEmpty : null;
}

/** Outer ring counter-clockwise, holes clockwise (RFC 7946), by planar signed area in degrees. */
function rewind(polygon: Position[][]): Position[][] {
  return polygon.map((ring, i) => {
    let sum = 0;
    for (let k = 0; k < ring.length - 1; k++) sum += ring[k]![0]! * ring[k + 1]![1]! - ring[k + 1]![0]! * ring[k]![1]!;
    return (i === 0) === sum > 0 ? ring : ring.slice().reverse();
  });
}

/** Where a polygon lies against the boundary; 'crossing' whenever it is not plainly in or out. */
function placeAgainst(
  polygon: Position[][],
  boundaryRings: Position[][],
  index: SegmentIndex,
): 'inside' | 'outside' | 'crossing' {
  const [west, south, east, north] = index.bounds;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of polygon[0]!) {
    minX = Math.min(minX, x!);
    minY = Math.min(minY, y!);
    maxX = Math.max(maxX, x!);
    maxY = Math.max(maxY, y!);
  }
  if (minX > east || maxX < west || minY > north || maxY < south) return 'outside';
  for (const ring of polygon) {
    for (let k = 0; k < ring.length - 1; k++) {
      if (index.touches(ring[k]!, ring[k + 1]!)) return 'crossing';
    }
  }
  // No edges meet: the boundary is either around the polygon, inside it, or apart from it.
  for (const ring of boundaryRings) {
    if (insideRings(polygon, ring[0]!)) return 'crossing';
  }
  return insideRings(boundaryRings, polygon[0]![0]!) ? 'inside' : 'outside';
}

/** Even-odd point in polygon over a set of rings. */
function insideRings(rings: Position[][], point: Position): boolean {
  const [px, py] = point as [number, number];
  let inside = false;
  for (const ring of rings) {
    for (let k = 0, j = ring.length - 1; k < ring.length; j = k++) {
      const [xk, yk] = ring[k] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if (yk > py !== yj > py && px < ((xj - xk) * (py - yk)) / (yj - yk) + xk) inside = !inside;
    }
  }
  return inside;
}

/** A bucket grid over the boundary's edges for a quick "does this segment meet the boundary". */
class SegmentIndex {
  readonly bounds: [number, number, number, number];
  private readonly cellX: number;
  private readonly cellY: number;
  private readonly buckets = new Map<number, [Position, Position][]>();

  constructor(rings: Position[][]) {
    let west = Infinity;
    let south = Infinity;
    let east = -Infinity;
    let north = -Infinity;
    let segments = 0;
    for (const ring of rings) {
      segments += ring.length - 1;
      for (const [x, y] of ring) {
        west = Math.min(west, x!);
        south = Math.min(south, y!);
        east = Math.max(east, x!);
        north = Math.max(north, y!);
      }
    }
    this.bounds = [west, south, east, north];
    const side = Math.max(1, Math.ceil(Math.sqrt(segments)));
    this.cellX = (east - west) / side || 1;
    this.cellY = (north - south) / side || 1;
    for (const ring of rings) {
      for (let k = 0; k < ring.length - 1; k++) {
        const segment: [Position, Position] = [ring[k]!, ring[k + 1]!];
        this.visit(segment[0], segment[1], (key) => {
          const list = this.buckets.get(key);
          if (list) list.push(segment);
          else this.buckets.set(key, [segment]);
        });
      }
    }
  }

  private visit(a: Position, b: Position, callback: (key: number) => void): void {
    const [west, south] = this.bounds;
    // A margin of one bucket covers rounding at bucket edges.
    const x0 = Math.floor((Math.min(a[0]!, b[0]!) - west) / this.cellX) - 1;
    const x1 = Math.floor((Math.max(a[0]!, b[0]!) - west) / this.cellX) + 1;
    const y0 = Math.floor((Math.min(a[1]!, b[1]!) - south) / this.cellY) - 1;
    const y1 = Math.floor((Math.max(a[1]!, b[1]!) - south) / this.cellY) + 1;
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) callback(x * 1_048_576 + y);
  }

  /** True when the segment a–b meets (crosses or touches) any boundary edge. */
  touches(a: Position, b: Position): boolean {
    let found = false;
    this.visit(a, b, (key) => {
      if (found) return;
      for (const [c, d] of this.buckets.get(key) ?? []) {
        if (segmentsMeet(a, b, c, d)) {
          found = true;
          return;
        }
      }
    });
    return found;
  }
}

function segmentsMeet(a: Position, b: Position, c: Position, d: Position): boolean {
  const [ax, ay] = a as [number, number];
  const [bx, by] = b as [number, number];
  const [cx, cy] = c as [number, number];
  const [dx, dy] = d as [number, number];
  if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx)) return false;
  if (Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) return false;
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  // Collinear segments whose boxes overlap meet; otherwise each must straddle the other's line.
  return o1 * o2 <= 0 && o3 * o4 <= 0;
}
