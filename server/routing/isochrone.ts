import type { SearchResult } from './dijkstra.js';
import { edgeLine, type RoadNetwork, type RoadPoint, OFF_ROAD_KMH } from './network.js';

/** The part of the road network reached within a time: whole edges, and pieces of edges cut at the exact time. */
export interface ReachedRoads {
  /** Edge indices reached end to end. */
  full: number[];
  /** Edges reached in part: the reached fraction intervals of their length. */
  partial: { edge: number; from: number; to: number }[];
  /** Node indices reached within the time. */
  nodes: number[];
}

/**
 * What a search reached within `maxSeconds`. A point x (fraction of edge e from its source) is
 * reached when min(t[source] + x·forward, t[target] + (1 − x)·backward) ≤ maxSeconds — or, on
 * the origin's own edge, when the drive along the edge from the origin fits. Travel time is
 * taken as uniform along an edge (its climbs and bends are averaged over its length).
 */
export function reachedRoads(
  network: RoadNetwork,
  result: SearchResult,
  maxSeconds: number,
  origin?: RoadPoint,
): ReachedRoads {
  const reached: ReachedRoads = { full: [], partial: [], nodes: [] };
  for (let node = 0; node < network.drive.nodeCount; node++) {
    if (result.seconds[node]! <= maxSeconds) reached.nodes.push(node);
  }
  const originOffRoad = origin ? origin.offRoadMetres / (OFF_ROAD_KMH / 3.6) : Infinity;
  for (let e = 0; e < network.edgeCount; e++) {
    const intervals: [number, number][] = [];
    const forward = network.forwardSeconds[e]!;
    const backward = network.backwardSeconds[e]!;
    const fromSource = maxSeconds - result.seconds[network.edgeSource[e]!]!;
    if (fromSource >= 0) intervals.push([0, forward > 0 ? Math.min(1, fromSource / forward) : 1]);
    const fromTarget = maxSeconds - result.seconds[network.edgeTarget[e]!]!;
    if (fromTarget >= 0) intervals.push([backward > 0 ? Math.max(0, 1 - fromTarget / backward) : 0, 1]);
    if (origin && origin.edge === e && originOffRoad <= maxSeconds) {
      const left = maxSeconds - originOffRoad;
      intervals.push([
        backward > 0 ? Math.max(0, origin.fraction - left / backward) : 0,
        forward > 0 ? Math.min(1, origin.fraction + left / forward) : 1,
      ]);
    }
    if (intervals.length === 0) continue;
    intervals.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const interval of intervals) {
      const last = merged[merged.length - 1];
      if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
      else merged.push([...interval]);
    }
    if (merged.length === 1 && merged[0]![0] <= 0 && merged[0]![1] >= 1) reached.full.push(e);
    else for (const [from, to] of merged) if (to > from) reached.partial.push({ edge: e, from, to });
  }
  return reached;
}

/** The reached roads as lines of [lon, lat]: whole edges and cut pieces apart (they are buffered differently). */
export function reachedLines(
  network: RoadNetwork,
  reached: ReachedRoads,
): { full: [number, number][][]; partial: [number, number][][] } {
  return {
    full: reached.full.map((e) => edgeLine(network, e, 0, 1)),
    partial: reached.partial.map(({ edge, from, to }) => edgeLine(network, edge, from, to)),
  };
}
