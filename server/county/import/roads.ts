/**
 * Turning imported road lines into a network: line ends closer than a metre become one node (an
 * existing node of the county when one is that close), and each line becomes an edge between
 * its end nodes. Pure: no database.
 */
import type { LonLat } from './crs.js';
import { metresPerDegree } from '../generate/raster.js';

export const SNAP_TOLERANCE_METRES = 1;

export interface RoadNodePoint {
  id: number;
  point: LonLat;
}

export interface SnappedEdge {
  /** Position of the line in the input list. */
  line: number;
  source: number;
  target: number;
  /** The line with its ends moved onto its nodes (by less than the tolerance). */
  coordinates: LonLat[];
}

export interface SnappedNetwork {
  nodes: RoadNodePoint[];
  edges: SnappedEdge[];
  /** Lines whose ends fell onto one node and that have no length left. */
  collapsed: number[];
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The smaller index is the root, so clusters are named by their earliest point.
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }
}

/**
 * Snap line ends within `toleranceMetres` of each other (or of an existing node) into nodes.
 * Existing nodes keep their ids and positions; new nodes take ids from `firstNewId` on, at the
 * position of the first line end of their cluster.
 */
export function snapRoadNetwork(
  lines: readonly LonLat[][],
  existingNodes: readonly RoadNodePoint[],
  firstNewId: number,
  toleranceMetres = SNAP_TOLERANCE_METRES,
): SnappedNetwork {
  // Points: existing nodes first, then each line's start and end.
  const points: LonLat[] = [...existingNodes.map((n) => n.point)];
  for (const line of lines) points.push(line[0]!, line[line.length - 1]!);
  const meanLat = points.length > 0 ? points.reduce((sum, [, lat]) => sum + lat, 0) / points.length : 0;
  const metres = metresPerDegree(meanLat);
  const x = points.map(([lon]) => lon * metres.lon);
  const y = points.map(([, lat]) => lat * metres.lat);

  // A hash grid of tolerance-sized cells: close points are in the same or a neighbouring cell.
  const cells = new Map<string, number[]>();
  const cellKey = (cx: number, cy: number) => `${cx},${cy}`;
  const sets = new UnionFind(points.length);
  for (let i = 0; i < points.length; i++) {
    const cx = Math.floor(x[i]! / toleranceMetres);
    const cy = Math.floor(y[i]! / toleranceMetres);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const j of cells.get(cellKey(cx + dx, cy + dy)) ?? []) {
          if (Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!) <= toleranceMetres) sets.union(i, j);
        }
      }
    }
    const key = cellKey(cx, cy);
    const cell = cells.get(key);
    if (cell) cell.push(i);
    else cells.set(key, [i]);
  }

  const nodeOfRoot = new Map<number, RoadNodePoint>();
  existingNodes.forEach((node, i) => {
    const root = sets.find(i);
    if (!nodeOfRoot.has(root)) nodeOfRoot.set(root, node);
  });
  const nodes: RoadNodePoint[] = [];
  let nextId = firstNewId;
  const nodeOf = (pointIndex: number): RoadNodePoint => {
    const root = sets.find(pointIndex);
    let node = nodeOfRoot.get(root);
    if (!node) {
      node = { id: nextId++, point: points[root]! };
      nodeOfRoot.set(root, node);
      nodes.push(node);
    }
    return node;
  };

  const edges: SnappedEdge[] = [];
  const collapsed: number[] = [];
  lines.forEach((line, index) => {
    const startIndex = existingNodes.length + 2 * index;
    const source = nodeOf(startIndex);
    const target = nodeOf(startIndex + 1);
    const coordinates: LonLat[] = [source.point, ...line.slice(1, -1), target.point];
    if (coordinates.every(([lon, lat]) => lon === source.point[0] && lat === source.point[1])) {
      collapsed.push(index);
      return;
    }
    edges.push({ line: index, source: source.id, target: target.id, coordinates });
  });
  return { nodes, edges, collapsed };
}

/** Sum of heading changes along a line per kilometre of its length (0 for a straight line). */
export function turningDegreesPerKm(coordinates: readonly LonLat[]): number {
  const meanLat = coordinates.reduce((sum, [, lat]) => sum + lat, 0) / coordinates.length;
  const metres = metresPerDegree(meanLat);
  let lengthMetres = 0;
  let turningDegrees = 0;
  let previousHeading: number | null = null;
  for (let i = 1; i < coordinates.length; i++) {
    const dx = (coordinates[i]![0] - coordinates[i - 1]![0]) * metres.lon;
    const dy = (coordinates[i]![1] - coordinates[i - 1]![1]) * metres.lat;
    const step = Math.hypot(dx, dy);
    if (step === 0) continue;
    lengthMetres += step;
    const heading = Math.atan2(dy, dx);
    if (previousHeading !== null) {
      let turn = Math.abs(heading - previousHeading);
      if (turn > Math.PI) turn = 2 * Math.PI - turn;
      turningDegrees += (turn * 180) / Math.PI;
    }
    previousHeading = heading;
  }
  return lengthMetres > 0 ? Math.round((turningDegrees / (lengthMetres / 1000)) * 10) / 10 : 0;
}

/** The connected parts of a road network, largest first (by edges, then by lowest node id). */
export interface RoadComponents {
  /** Component of each node (an index into `edgeCounts`). */
  componentOf: Map<number, number>;
  edgeCounts: number[];
  nodeCounts: number[];
}

/** Split a network's edges into connected components (direction ignored). */
export function roadComponents(edges: readonly { source: number; target: number }[]): RoadComponents {
  const index = new Map<number, number>();
  const nodeIds: number[] = [];
  const indexOf = (id: number) => {
    let i = index.get(id);
    if (i === undefined) {
      i = nodeIds.length;
      index.set(id, i);
      nodeIds.push(id);
    }
    return i;
  };
  const ends = edges.map((e) => [indexOf(e.source), indexOf(e.target)] as const);
  const sets = new UnionFind(nodeIds.length);
  for (const [s, t] of ends) sets.union(s, t);
  const byRoot = new Map<number, { edges: number; nodes: number; firstId: number }>();
  for (let i = 0; i < nodeIds.length; i++) {
    const root = sets.find(i);
    const part = byRoot.get(root) ?? { edges: 0, nodes: 0, firstId: Infinity };
    part.nodes++;
    part.firstId = Math.min(part.firstId, nodeIds[i]!);
    byRoot.set(root, part);
  }
  for (const [s] of ends) byRoot.get(sets.find(s))!.edges++;
  const order = [...byRoot.entries()].sort(([, a], [, b]) => b.edges - a.edges || a.firstId - b.firstId);
  const rank = new Map(order.map(([root], k) => [root, k]));
  const componentOf = new Map<number, number>();
  for (let i = 0; i < nodeIds.length; i++) componentOf.set(nodeIds[i]!, rank.get(sets.find(i))!);
  return {
    componentOf,
    edgeCounts: order.map(([, part]) => part.edges),
    nodeCounts: order.map(([, part]) => part.nodes),
  };
}
