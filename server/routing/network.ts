import { shortestTimes, type SearchResult, type SearchSource } from './dijkstra.js';
import { buildRoadGraph, nodeIndex, type RoadGraph } from './graph.js';
import { SegmentIndex, type LocalProjection, localProjection } from './segment-index.js';
import { DEFAULT_DRIVING, edgeProfile, profileDriveSeconds, type Driving, type EdgeProfile } from './speed-model.js';

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
  /** The county whose roads it is: its driving constants cost it (see {@link NetworkCosting}). */
  countyCode?: string | null;
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
  /** Runs through a settlement: driven at the settlement speed. */
  inSettlement?: boolean;
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

/** How an edge end is driven: a dead end is a stop, a road that just goes on is free, a junction is slowed. */
const STOP = 0;
const FREE = 1;
const JUNCTION = 2;

/**
 * How an edge's end at a node is driven: a dead end is a stop; where one road just goes on, it is
 * not slowed; at a junction the main road — the two ends of the highest design speed, when exactly
 * two have it — goes through unslowed, and every other road (or all of them, at a meeting of
 * equals) passes it at the junction speed.
 */
function endKind(ends: NodeEnds, speedKmh: number): number {
  if (ends.degree <= 1) return STOP;
  if (ends.degree === 2) return FREE;
  return ends.topCount === 2 && speedKmh === ends.topKmh ? FREE : JUNCTION;
}

function endKmh(kind: number, driving: Readonly<Driving>): number {
  return kind === STOP ? 0 : kind === FREE ? Infinity : driving.constants.junctionKmh;
}

/**
 * How edges are timed: by the speed model, or as length ÷ speed both ways (for hand-built test
 * networks whose figures are about something else than driving).
 */
export type EdgeTiming = 'speed-model' | 'length-over-speed';

/**
 * Which driving constants cost the edges: each county's own (a calibration), else `driving`, else
 * the model's defaults.
 */
export interface NetworkCosting {
  driving?: Readonly<Driving>;
  drivingByCounty?: ReadonlyMap<string, Readonly<Driving>>;
}

/**
 * A road network before its edges are timed: its shape, geometry and graphs, and what the speed
 * model knows of each edge that no constant changes (its profile, its end kinds). Built once per
 * change of the roads; {@link costNetwork} times it under any constants in one cheap pass.
 */
export interface PreparedRoadNetwork {
  /** The network's shape and geometry; its drive graph's arcs are untimed (0) until {@link costNetwork}. */
  shape: Omit<RoadNetwork, 'forwardSeconds' | 'backwardSeconds'>;
  timing: EdgeTiming;
  /** Per edge: its profile (null when timed as length ÷ speed), end kinds, county, one-way and design speed. */
  profiles: (EdgeProfile | null)[];
  sourceEnd: Uint8Array;
  targetEnd: Uint8Array;
  countyCodes: (string | null)[];
  oneWay: ('forward' | 'backward' | null)[];
  speedKmh: Float64Array;
  /** For each arc of the drive graph: 1 when it runs from its edge's source to its target. */
  arcForward: Uint8Array;
}

/** Build the network from the stored edges (any order; node ids are road_nodes ids, any integers). */
export function buildRoadNetwork(
  records: readonly RoadEdgeRecord[],
  options: { timing?: EdgeTiming } & NetworkCosting = {},
): RoadNetwork {
  return costNetwork(prepareRoadNetwork(records, options), options);
}

/** Everything of the network that does not depend on the driving constants (see {@link PreparedRoadNetwork}). */
export function prepareRoadNetwork(
  records: readonly RoadEdgeRecord[],
  options: { timing?: EdgeTiming } = {},
): PreparedRoadNetwork {
  const timing = options.timing ?? 'speed-model';
  const edgeCount = records.length;
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
  const profiles = records.map((record) => {
    if (timing === 'length-over-speed') return null;
    const xy = new Float64Array(2 * record.coordinates.length);
    record.coordinates.forEach(([lon, lat], v) => {
      xy[2 * v] = (lon - projection.lon0) * projection.metresPerDegreeLon;
      xy[2 * v + 1] = (lat - projection.lat0) * projection.metresPerDegreeLat;
    });
    return edgeProfile({
      xy,
      lengthMetres: record.lengthMetres,
      designSpeedKmh: record.speedKmh,
      climbMetres: record.climbMetres,
      descentMetres: record.descentMetres,
      vertexElevationsMetres: record.vertexElevationsMetres ?? null,
      structure: record.structure ?? null,
      inSettlement: record.inSettlement === true,
    });
  });
  // The drive graph's shape: an arc each way the edge may be driven (its times are set by costNetwork).
  const drive = buildRoadGraph(
    records.map((record) => ({
      source: record.source,
      target: record.target,
      forwardSeconds: record.oneWay === 'backward' ? Infinity : 0,
      backwardSeconds: record.oneWay === 'forward' ? Infinity : 0,
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
  const arcForward = new Uint8Array(drive.arcTarget.length);
  const seen = new Uint8Array(edgeCount);
  for (let from = 0; from < drive.nodeCount; from++) {
    for (let arc = drive.arcStart[from]!; arc < drive.arcStart[from + 1]!; arc++) {
      const e = drive.arcEdge[arc]!;
      // A loop edge (source = target) has both arcs at one node: the first is forward, as built
      // (unless its forward direction is closed).
      const loop = edgeSource[e] === edgeTarget[e];
      arcForward[arc] = loop ? (seen[e] || records[e]!.oneWay === 'backward' ? 0 : 1) : from === edgeSource[e] ? 1 : 0;
      seen[e] = 1;
    }
  }

  const vertexMetres = new Float64Array(vertexStart[edgeCount]!);
  for (let e = 0; e < edgeCount; e++) {
    for (let v = vertexStart[e]! + 1; v < vertexStart[e + 1]!; v++) {
      vertexMetres[v] = vertexMetres[v - 1]! + projection.metresBetween(coords, v - 1, v);
    }
  }
  const segments = new SegmentIndex(projection, coords, vertexStart);
  return {
    shape: {
      drive,
      walk,
      edgeCount,
      edgeIds,
      edgeSource,
      edgeTarget,
      lengthMetres,
      vertexStart,
      coords,
      vertexMetres,
      projection,
      segments,
    },
    timing,
    profiles,
    sourceEnd: Uint8Array.from(records, (r) => endKind(nodeEnds.get(r.source)!, r.speedKmh)),
    targetEnd: Uint8Array.from(records, (r) => endKind(nodeEnds.get(r.target)!, r.speedKmh)),
    countyCodes: records.map((r) => r.countyCode ?? null),
    oneWay: records.map((r) => r.oneWay ?? null),
    speedKmh: Float64Array.from(records, (r) => r.speedKmh),
    arcForward,
  };
}

/**
 * The prepared network with every edge timed under its county's driving constants: a new
 * RoadNetwork sharing the prepared one's shape, with its own edge and arc times.
 */
export function costNetwork(prepared: PreparedRoadNetwork, costing: NetworkCosting = {}): RoadNetwork {
  const { shape } = prepared;
  const edgeCount = shape.edgeCount;
  const forwardSeconds = new Float64Array(edgeCount);
  const backwardSeconds = new Float64Array(edgeCount);
  const fallback = costing.driving ?? DEFAULT_DRIVING;
  for (let e = 0; e < edgeCount; e++) {
    const county = prepared.countyCodes[e] ?? null;
    const driving = (county !== null && costing.drivingByCounty?.get(county)) || fallback;
    const profile = prepared.profiles[e];
    let times: { forwardSeconds: number; backwardSeconds: number };
    if (!profile) {
      const lengthOverSpeed = shape.lengthMetres[e]! / (prepared.speedKmh[e]! / 3.6);
      times = { forwardSeconds: lengthOverSpeed, backwardSeconds: lengthOverSpeed };
    } else {
      times = profileDriveSeconds(
        profile,
        driving.constants,
        endKmh(prepared.sourceEnd[e]!, driving),
        endKmh(prepared.targetEnd[e]!, driving),
        driving.designSpeedFactor,
      );
    }
    forwardSeconds[e] = prepared.oneWay[e] === 'backward' ? Infinity : times.forwardSeconds;
    backwardSeconds[e] = prepared.oneWay[e] === 'forward' ? Infinity : times.backwardSeconds;
  }
  const arcSeconds = new Float64Array(shape.drive.arcSeconds.length);
  for (let arc = 0; arc < arcSeconds.length; arc++) {
    const e = shape.drive.arcEdge[arc]!;
    arcSeconds[arc] = prepared.arcForward[arc] ? forwardSeconds[e]! : backwardSeconds[e]!;
  }
  return { ...shape, drive: { ...shape.drive, arcSeconds }, forwardSeconds, backwardSeconds };
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
