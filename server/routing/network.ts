import { shortestTimes, type SearchResult, type SearchSource } from './dijkstra.js';
import { buildRoadGraph, nodeIndex, type RoadGraph } from './graph.js';
import { SegmentIndex, type LocalProjection, localProjection } from './segment-index.js';
import { edgeDriveSeconds, SPEED_MODEL } from './speed-model.js';

/**
 * The road network as the routing engine holds it: the drive graph (seconds), the walk graph
 * (metres), and each edge's geometry for attaching points to the nearest road point and for
 * cutting edges at a time limit. Built once per change of the roads; every query reads it.
 */
export interface RoadNetwork {
  drive: RoadGraph;
  walk: RoadGraph;
  edgeCount: number;
  /** road_edges.id of each edge index (any integer up to 2⁵³). */
  edgeIds: Float64Array;
  /** Graph node index of each edge's source and target (same indices in drive and walk). */
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  forwardSeconds: Float64Array;
  backwardSeconds: Float64Array;
  lengthMetres: Float64Array;
  /** Edge e's vertices are coords[2 × vertexStart[e] .. 2 × vertexStart[e + 1]) as lon, lat. */
  vertexStart: Int32Array;
  coords: Float64Array;
  /** Distance along the edge's line to each vertex, in metres of the local projection. */
  vertexMetres: Float64Array;
  projection: LocalProjection;
  segments: SegmentIndex;
}

/**
 * One road edge as stored (road_edges), with its line as [lon, lat] pairs from source to target.
 * `speedKmh` is the road's design speed (设计速度), the top speed of the speed model.
 */
export interface RoadEdgeRecord {
  id: number;
  source: number;
  target: number;
  speedKmh: number;
  lengthMetres: number;
  climbMetres: number | null;
  descentMetres: number | null;
  coordinates: readonly (readonly [number, number])[];
  /** The road's elevation at each vertex, when known: the speed model's gradients come from it. */
  vertexElevationsMetres?: ArrayLike<number> | null;
  /** Driven from source to target only ('forward'), or from target to source only ('backward'); null: both ways. */
  oneWay?: 'forward' | 'backward' | null;
  /** A bridge or tunnel: driven level whatever the terrain. */
  structure?: 'bridge' | 'tunnel' | null;
}

/**
 * A place attached to the network at its nearest road point: on edge `edge` at `fraction` of
 * its length from the source, `offRoadMetres` away from the road.
 */
export interface RoadPoint {
  edge: number;
  fraction: number;
  offRoadMetres: number;
  lon: number;
  lat: number;
}

/**
 * Speed over the gap between a place and its nearest road point (a track or footpath to a
 * house off the road). Walking pace: a house 300 m up a path adds 3 minutes.
 */
export const OFF_ROAD_KMH = 6;
const OFF_ROAD_METRES_PER_SECOND = OFF_ROAD_KMH / 3.6;

/** What meets at a node: how many edge ends, the highest design speed among them and how many have it. */
interface NodeEnds {
  degree: number;
  topKmh: number;
  topCount: number;
}

/**
 * Speed at an edge's end at a node: a dead end is a stop; where one road just goes on, it is not
 * slowed; at a junction the main road — the two ends of the highest design speed, when exactly two
 * have it — goes through unslowed, and every other road (or all of them, at a meeting of equals)
 * passes it at the junction speed.
 */
function endKmh(ends: NodeEnds, speedKmh: number): number {
  if (ends.degree <= 1) return 0;
  if (ends.degree === 2) return Infinity;
  return ends.topCount === 2 && speedKmh === ends.topKmh ? Infinity : SPEED_MODEL.junctionKmh;
}

/**
 * How edges are timed: by the speed model, or as length ÷ speed both ways (for hand-built test
 * networks whose figures are about something else than driving).
 */
export type EdgeTiming = 'speed-model' | 'length-over-speed';

/** Build the network from the stored edges (any order; node ids are road_nodes ids, any integers). */
export function buildRoadNetwork(
  records: readonly RoadEdgeRecord[],
  options: { timing?: EdgeTiming } = {},
): RoadNetwork {
  const edgeCount = records.length;
  const forwardSeconds = new Float64Array(edgeCount);
  const backwardSeconds = new Float64Array(edgeCount);
  const lengthMetres = new Float64Array(edgeCount);
  const edgeIds = new Float64Array(edgeCount);
  const vertexStart = new Int32Array(edgeCount + 1);
  const nodeEnds = new Map<number, NodeEnds>();
  const addEnd = (node: number, speedKmh: number) => {
    const ends = nodeEnds.get(node) ?? { degree: 0, topKmh: -Infinity, topCount: 0 };
    ends.degree++;
    if (speedKmh > ends.topKmh) {
      ends.topKmh = speedKmh;
      ends.topCount = 1;
    } else if (speedKmh === ends.topKmh) ends.topCount++;
    nodeEnds.set(node, ends);
  };
  records.forEach((record, e) => {
    if (record.coordinates.length < 2) throw new RangeError(`Road edge ${record.id} has fewer than 2 vertices`);
    lengthMetres[e] = record.lengthMetres;
    edgeIds[e] = record.id;
    vertexStart[e + 1] = vertexStart[e]! + record.coordinates.length;
    addEnd(record.source, record.speedKmh);
    addEnd(record.target, record.speedKmh);
  });
  const coords = new Float64Array(2 * vertexStart[edgeCount]!);
  records.forEach((record, e) => {
    let at = 2 * vertexStart[e]!;
    for (const [lon, lat] of record.coordinates) {
      coords[at++] = lon;
      coords[at++] = lat;
    }
  });
  const projection = localProjection(coords);
  records.forEach((record, e) => {
    const xy = new Float64Array(2 * record.coordinates.length);
    record.coordinates.forEach(([lon, lat], v) => {
      xy[2 * v] = (lon - projection.lon0) * projection.metresPerDegreeLon;
      xy[2 * v + 1] = (lat - projection.lat0) * projection.metresPerDegreeLat;
    });
    const lengthOverSpeed = record.lengthMetres / (record.speedKmh / 3.6);
    const times =
      options.timing === 'length-over-speed'
        ? { forwardSeconds: lengthOverSpeed, backwardSeconds: lengthOverSpeed }
        : edgeDriveSeconds({
            xy,
            lengthMetres: record.lengthMetres,
            designSpeedKmh: record.speedKmh,
            climbMetres: record.climbMetres,
            descentMetres: record.descentMetres,
            vertexElevationsMetres: record.vertexElevationsMetres ?? null,
            structure: record.structure ?? null,
            sourceEndKmh: endKmh(nodeEnds.get(record.source)!, record.speedKmh),
            targetEndKmh: endKmh(nodeEnds.get(record.target)!, record.speedKmh),
          });
    forwardSeconds[e] = record.oneWay === 'backward' ? Infinity : times.forwardSeconds;
    backwardSeconds[e] = record.oneWay === 'forward' ? Infinity : times.backwardSeconds;
  });
  const drive = buildRoadGraph(
    records.map((record, e) => ({
      source: record.source,
      target: record.target,
      forwardSeconds: forwardSeconds[e]!,
      backwardSeconds: backwardSeconds[e]!,
    })),
  );
  const walk = buildRoadGraph(
    records.map((record, e) => ({
      source: record.source,
      target: record.target,
      forwardSeconds: lengthMetres[e]!,
      backwardSeconds: lengthMetres[e]!,
    })),
  );
  const edgeSource = Int32Array.from(records, (record) => nodeIndex(drive, record.source));
  const edgeTarget = Int32Array.from(records, (record) => nodeIndex(drive, record.target));

  const vertexMetres = new Float64Array(vertexStart[edgeCount]!);
  for (let e = 0; e < edgeCount; e++) {
    for (let v = vertexStart[e]! + 1; v < vertexStart[e + 1]!; v++) {
      vertexMetres[v] = vertexMetres[v - 1]! + projection.metresBetween(coords, v - 1, v);
    }
  }
  const segments = new SegmentIndex(projection, coords, vertexStart);
  return {
    drive,
    walk,
    edgeCount,
    edgeIds,
    edgeSource,
    edgeTarget,
    forwardSeconds,
    backwardSeconds,
    lengthMetres,
    vertexStart,
    coords,
    vertexMetres,
    projection,
    segments,
  };
}

/** The nearest road point of a place, or null when the network is empty. */
export function attachToRoad(network: RoadNetwork, lon: number, lat: number): RoadPoint | null {
  const nearest = network.segments.nearest(lon, lat);
  if (!nearest) return null;
  const e = edgeOfVertex(network, nearest.vertex);
  const lineMetres = network.vertexMetres[network.vertexStart[e + 1]! - 1]!;
  const along =
    network.vertexMetres[nearest.vertex]! +
    nearest.t * (network.vertexMetres[nearest.vertex + 1]! - network.vertexMetres[nearest.vertex]!);
  return {
    edge: e,
    fraction: lineMetres > 0 ? Math.min(1, Math.max(0, along / lineMetres)) : 0,
    offRoadMetres: nearest.metres,
    lon: nearest.lon,
    lat: nearest.lat,
  };
}

function edgeOfVertex(network: RoadNetwork, vertex: number): number {
  let lo = 0;
  let hi = network.edgeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (network.vertexStart[mid]! <= vertex) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export type CostKind = 'drive' | 'walk';

/** Cost of the off-road gap and of edge e each way, in the unit of the cost kind. */
function costs(network: RoadNetwork, kind: CostKind, e: number, offRoadMetres: number) {
  return kind === 'drive'
    ? {
        offRoad: offRoadMetres / OFF_ROAD_METRES_PER_SECOND,
        forward: network.forwardSeconds[e]!,
        backward: network.backwardSeconds[e]!,
      }
    : { offRoad: offRoadMetres, forward: network.lengthMetres[e]!, backward: network.lengthMetres[e]! };
}

/**
 * Cost of a share of an edge's cost: none of it is free even on a one-way edge's closed
 * direction (0 × Infinity would be NaN), any of it there is Infinity.
 */
export function partCost(share: number, cost: number): number {
  return share <= 0 ? 0 : share * cost;
}

/** Cost of the gap between a place and its road point. */
export function offRoadCost(network: RoadNetwork, point: RoadPoint, kind: CostKind = 'drive'): number {
  return costs(network, kind, point.edge, point.offRoadMetres).offRoad;
}

/** Search sources for leaving a place: both ends of its edge, with the time to reach each. */
export function sourcesFrom(network: RoadNetwork, point: RoadPoint, kind: CostKind = 'drive'): SearchSource[] {
  const cost = costs(network, kind, point.edge, point.offRoadMetres);
  return [
    { node: network.edgeSource[point.edge]!, seconds: cost.offRoad + partCost(point.fraction, cost.backward) },
    { node: network.edgeTarget[point.edge]!, seconds: cost.offRoad + partCost(1 - point.fraction, cost.forward) },
  ];
}

/** Cost of arriving at a place from a finished search: through either end of its edge, plus the off-road gap. */
export function arrivalCost(
  network: RoadNetwork,
  result: SearchResult,
  point: RoadPoint,
  kind: CostKind = 'drive',
): number {
  const cost = costs(network, kind, point.edge, point.offRoadMetres);
  const viaSource = result.seconds[network.edgeSource[point.edge]!]! + partCost(point.fraction, cost.forward);
  const viaTarget = result.seconds[network.edgeTarget[point.edge]!]! + partCost(1 - point.fraction, cost.backward);
  return Math.min(viaSource, viaTarget) + cost.offRoad;
}

/** Cost between two places on the same edge without leaving it; Infinity on different edges. */
export function sameEdgeCost(network: RoadNetwork, from: RoadPoint, to: RoadPoint, kind: CostKind = 'drive'): number {
  if (from.edge !== to.edge) return Infinity;
  const cost = costs(network, kind, from.edge, 0);
  const along =
    to.fraction >= from.fraction
      ? partCost(to.fraction - from.fraction, cost.forward)
      : partCost(from.fraction - to.fraction, cost.backward);
  return (
    costs(network, kind, from.edge, from.offRoadMetres).offRoad +
    along +
    costs(network, kind, to.edge, to.offRoadMetres).offRoad
  );
}

/** Search from one place over the drive (seconds) or walk (metres) graph. */
export function searchFrom(
  network: RoadNetwork,
  from: RoadPoint,
  kind: CostKind = 'drive',
  options: { maxSeconds?: number } = {},
): SearchResult {
  return shortestTimes(kind === 'drive' ? network.drive : network.walk, sourcesFrom(network, from, kind), options);
}

/** Cost from one place to each of several places (Infinity where unreachable). */
export function costsFrom(
  network: RoadNetwork,
  from: RoadPoint,
  to: readonly RoadPoint[],
  kind: CostKind = 'drive',
): Float64Array {
  const result = searchFrom(network, from, kind);
  return Float64Array.from(to, (point) =>
    Math.min(arrivalCost(network, result, point, kind), sameEdgeCost(network, from, point, kind)),
  );
}

/** The line of edge e between two fractions of its length, as [lon, lat] pairs in travel order of the fractions. */
export function edgeLine(
  network: RoadNetwork,
  e: number,
  fromFraction: number,
  toFraction: number,
): [number, number][] {
  const start = network.vertexStart[e]!;
  const end = network.vertexStart[e + 1]!;
  const total = network.vertexMetres[end - 1]!;
  const lo = Math.min(fromFraction, toFraction) * total;
  const hi = Math.max(fromFraction, toFraction) * total;
  const at = (metres: number): [number, number] => {
    let v = start;
    while (v < end - 2 && network.vertexMetres[v + 1]! < metres) v++;
    const span = network.vertexMetres[v + 1]! - network.vertexMetres[v]!;
    const t = span > 0 ? Math.min(1, Math.max(0, (metres - network.vertexMetres[v]!) / span)) : 0;
    return [
      network.coords[2 * v]! + t * (network.coords[2 * v + 2]! - network.coords[2 * v]!),
      network.coords[2 * v + 1]! + t * (network.coords[2 * v + 3]! - network.coords[2 * v + 1]!),
    ];
  };
  const line: [number, number][] = [at(lo)];
  for (let v = start; v < end; v++) {
    const m = network.vertexMetres[v]!;
    if (m > lo && m < hi) line.push([network.coords[2 * v]!, network.coords[2 * v + 1]!]);
  }
  line.push(at(hi));
  return fromFraction <= toFraction ? line : line.reverse();
}
