import { arcOrigin, pathArcs, type SearchResult } from './dijkstra.js';
import {
  edgeLine,
  offRoadCost,
  partCost,
  sameEdgeCost,
  searchFrom,
  type RoadNetwork,
  type RoadPoint,
} from './network.js';

/** A drive between two places: its time and its line on the roads (road points to road points). */
export interface RouteLine {
  driveSeconds: number;
  line: [number, number][];
}

/**
 * The fastest drive from one place to another, with its line: the piece of the start's edge to
 * the node the search left by, the path's edges in travel direction, and the piece of the end's
 * edge. `search` may be passed when a search from `from` was already run. Null when unreachable.
 */
export function routeBetween(
  network: RoadNetwork,
  from: RoadPoint,
  to: RoadPoint,
  search: SearchResult = searchFrom(network, from),
): RouteLine | null {
  const direct = sameEdgeCost(network, from, to);
  const e = to.edge;
  const viaSource = search.seconds[network.edgeSource[e]!]! + partCost(to.fraction, network.forwardSeconds[e]!);
  const viaTarget = search.seconds[network.edgeTarget[e]!]! + partCost(1 - to.fraction, network.backwardSeconds[e]!);
  const arrival = Math.min(viaSource, viaTarget) + offRoadCost(network, to);
  if (direct <= arrival) return { driveSeconds: direct, line: edgeLine(network, e, from.fraction, to.fraction) };
  if (!Number.isFinite(arrival)) return null;
  const endNode = viaSource <= viaTarget ? network.edgeSource[e]! : network.edgeTarget[e]!;
  const arcs = pathArcs(network.drive, search, endNode);
  const startNode = arcs.length ? arcOrigin(network.drive, arcs[0]!) : endNode;
  const line: [number, number][] = [];
  const append = (piece: [number, number][]) => {
    for (const point of piece) {
      const last = line[line.length - 1];
      if (!last || last[0] !== point[0] || last[1] !== point[1]) line.push(point);
    }
  };
  append(edgeLine(network, from.edge, from.fraction, startNode === network.edgeSource[from.edge] ? 0 : 1));
  for (const arc of arcs) {
    const edge = network.drive.arcEdge[arc]!;
    const forward = arcOrigin(network.drive, arc) === network.edgeSource[edge];
    append(edgeLine(network, edge, forward ? 0 : 1, forward ? 1 : 0));
  }
  append(edgeLine(network, e, endNode === network.edgeSource[e] ? 0 : 1, to.fraction));
  return { driveSeconds: arrival, line };
}
