import { arcOrigin, shortestTimes, type SearchSource } from '../../routing/dijkstra.js';
import { costsFrom, type RoadNetwork, type RoadPoint } from '../../routing/network.js';
import type { UnitEdge } from '../partition/types.js';

/** The road links between units and the connected parts they make. */
export interface UnitLinks {
  /** One link per neighbouring pair (a < b), ordered by a then b. */
  edges: UnitEdge[];
  /** Connected parts of the units over the links, each ascending, ordered by their first unit. */
  parts: number[][];
}

/**
 * Links units that are consecutive along a road. Every household's road point is a site of the
 * network Voronoi diagram (walk metres); two units are linked where their cells meet (next to
 * each other on an edge, or at the ends of an edge without households) and where they are the
 * first units out of the same junction. Either way a road leads from one to the other past no
 * household of a third unit. Closeness in a straight line counts for nothing, so hamlets on
 * either side of a ridge are linked only through the units along the road between them. Roads
 * outside the given units' area (another township) count as empty road. Each link carries the
 * drive between the units' representative road points, the mean of both directions.
 */
export function linkUnits(
  network: RoadNetwork,
  representatives: readonly (RoadPoint | null)[],
  roadPoints: readonly (RoadPoint | null)[],
  unitOfHousehold: ArrayLike<number>,
): UnitLinks {
  const unitCount = representatives.length;
  const neighbours = roadNeighbours(network, unitCount, roadPoints, unitOfHousehold);

  const edges: UnitEdge[] = [];
  const seconds = new Map<number, number>();
  for (let a = 0; a < unitCount; a++) {
    const from = representatives[a];
    const list = neighbours[a]!;
    if (!from || list.length === 0) continue;
    const targets = list.filter((b) => representatives[b]);
    const drive = costsFrom(
      network,
      from,
      targets.map((b) => representatives[b]!),
    );
    targets.forEach((b, i) => seconds.set(a * unitCount + b, drive[i]!));
  }
  for (let a = 0; a < unitCount; a++) {
    for (const b of neighbours[a]!) {
      if (b <= a) continue;
      const there = seconds.get(a * unitCount + b) ?? Infinity;
      const back = seconds.get(b * unitCount + a) ?? Infinity;
      const finite = [there, back].filter(Number.isFinite);
      // A pair no car can drive between (one-way roads only, or no road point) is no link.
      if (finite.length === 0) continue;
      edges.push({ a, b, driveSeconds: finite.reduce((x, y) => x + y, 0) / finite.length });
    }
  }
  return { edges, parts: connectedParts(unitCount, edges) };
}

/** Each unit's road neighbours (ascending), from the network Voronoi diagram of household road points. */
function roadNeighbours(
  network: RoadNetwork,
  unitCount: number,
  roadPoints: readonly (RoadPoint | null)[],
  unitOfHousehold: ArrayLike<number>,
): number[][] {
  const { walk, edgeSource, edgeTarget, lengthMetres } = network;
  // Household road points per edge, along the edge.
  const onEdge = new Map<number, { fraction: number; unit: number }[]>();
  roadPoints.forEach((p, h) => {
    const unit = unitOfHousehold[h]!;
    if (!p || unit < 0) return;
    if (unit >= unitCount) throw new RangeError(`Household ${h} is in unit ${unit} of ${unitCount}`);
    let list = onEdge.get(p.edge);
    if (!list) onEdge.set(p.edge, (list = []));
    list.push({ fraction: p.fraction, unit });
  });
  const edgesWithPoints = [...onEdge.keys()].sort((a, b) => a - b);
  const sources: SearchSource[] = [];
  const sourceUnit: number[] = [];
  for (const e of edgesWithPoints) {
    const list = onEdge.get(e)!.sort((x, y) => x.fraction - y.fraction || x.unit - y.unit);
    const first = list[0]!;
    const last = list[list.length - 1]!;
    sources.push({ node: edgeSource[e]!, seconds: first.fraction * lengthMetres[e]! });
    sourceUnit.push(first.unit);
    sources.push({ node: edgeTarget[e]!, seconds: (1 - last.fraction) * lengthMetres[e]! });
    sourceUnit.push(last.unit);
  }
  const search = shortestTimes(walk, sources);

  // Which unit's cell each node lies in: the source that set it (first of equals, as the search
  // takes them), or the cell of the node it was reached from.
  const startUnit = new Int32Array(walk.nodeCount).fill(-1);
  const startMetres = new Float64Array(walk.nodeCount).fill(Infinity);
  sources.forEach((source, i) => {
    if (source.seconds < startMetres[source.node]!) {
      startMetres[source.node] = source.seconds;
      startUnit[source.node] = sourceUnit[i]!;
    }
  });
  const cell = new Int32Array(walk.nodeCount).fill(-2);
  const cellOf = (node: number): number => {
    const path: number[] = [];
    let at = node;
    while (cell[at] === -2) {
      if (!Number.isFinite(search.seconds[at]!)) {
        cell[at] = -1;
        break;
      }
      const arc = search.viaArc[at]!;
      if (arc < 0) {
        cell[at] = startUnit[at]!;
        break;
      }
      path.push(at);
      at = arcOrigin(walk, arc);
    }
    for (const n of path) cell[n] = cell[at]!;
    return cell[node]!;
  };

  const pairs = Array.from({ length: unitCount }, () => new Set<number>());
  const link = (a: number, b: number) => {
    if (a < 0 || b < 0 || a === b) return;
    pairs[a]!.add(b);
    pairs[b]!.add(a);
  };
  // Along each edge: consecutive points; an edge without points joins the cells at its ends.
  // At each node: every unit whose nearest point on an incident edge is the first one out of
  // the node, with the node's own cell (a junction's branches meet there, passing no third unit).
  const star = new Map<number, Set<number>>();
  const atNode = (node: number, unit: number) => {
    let set = star.get(node);
    if (!set) star.set(node, (set = new Set([cellOf(node)])));
    set.add(unit);
  };
  for (let e = 0; e < network.edgeCount; e++) {
    const list = onEdge.get(e);
    if (!list) {
      link(cellOf(edgeSource[e]!), cellOf(edgeTarget[e]!));
      continue;
    }
    for (let i = 1; i < list.length; i++) link(list[i - 1]!.unit, list[i]!.unit);
    atNode(edgeSource[e]!, list[0]!.unit);
    atNode(edgeTarget[e]!, list[list.length - 1]!.unit);
  }
  for (const node of [...star.keys()].sort((a, b) => a - b)) {
    const units = [...star.get(node)!];
    for (let i = 0; i < units.length; i++) for (let j = i + 1; j < units.length; j++) link(units[i]!, units[j]!);
  }
  return pairs.map((set) => [...set].sort((a, b) => a - b));
}

/** Connected parts of `unitCount` units over undirected links, each ascending, by first unit. */
export function connectedParts(unitCount: number, edges: readonly { a: number; b: number }[]): number[][] {
  const adjacent: number[][] = Array.from({ length: unitCount }, () => []);
  for (const { a, b } of edges) {
    adjacent[a]!.push(b);
    adjacent[b]!.push(a);
  }
  const seen = new Uint8Array(unitCount);
  const parts: number[][] = [];
  for (let u = 0; u < unitCount; u++) {
    if (seen[u]) continue;
    const part = [u];
    seen[u] = 1;
    for (let i = 0; i < part.length; i++) {
      for (const next of adjacent[part[i]!]!) {
        if (!seen[next]) {
          seen[next] = 1;
          part.push(next);
        }
      }
    }
    parts.push(part.sort((x, y) => x - y));
  }
  return parts;
}
