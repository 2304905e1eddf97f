/**
 * "Observed" trips for the demo county: the drive times officers would report, station → village
 * and village → village, for calibrating the speed model. They come from a **hidden true model**
 * of how cars drive these roads — the routing engine's speed model (server/routing/speed-model.ts)
 * with constants of its own, kept only here and deliberately unlike SPEED_MODEL — plus the noise of
 * real reports (lognormal, ~8 %) and rounding to whole minutes. Calibration is to recover the true
 * times from them without being told these constants. Pure: no I/O, no Math.random.
 */
import { shortestTimes } from '../../routing/dijkstra.js';
import { nodeIndex } from '../../routing/graph.js';
import { buildRoadNetwork, type RoadEdgeRecord as RoutingEdge } from '../../routing/network.js';
import { designSpeedKmh, SPEED_MODEL, type Driving } from '../../routing/speed-model.js';
import { roadElevations, type ElevationGrid } from '../../routing/terrain-profile.js';
import type { CountyModel, LonLat, RoadEdgeRecord } from '../model.js';
import { Random } from './random.js';
import { metresPerDegree } from './raster.js';

/** One reported trip: from a station or village to a village (codes), whole minutes. */
export interface ObservedTrip {
  fromCode: string;
  toCode: string;
  minutes: number;
}

/** How cars really drive the demo county: the speed model's constants and a factor on design speeds. */
export type TrueDriving = Driving;

/**
 * HIDDEN — the demo county's true driving. Not used by routing and not to be read by calibration
 * or its tests: bends taken a little faster (e + f 0.28), junctions and settlements slower (22 and
 * 25 km/h), less power on climbs (12 W/kg), straights at 92 % of the design speed.
 */
const HIDDEN_TRUE_DRIVING: TrueDriving = Object.freeze({
  constants: Object.freeze({
    ...SPEED_MODEL,
    sideFriction: 0.28,
    junctionKmh: 22,
    settlementKmh: 25,
    climbingWattsPerKg: 12,
  }),
  designSpeedFactor: 0.92,
});

/** Input of {@link observedTrips}: the county's roads, terrain, places and settlements. */
export interface ObservedTripInput {
  roadNodes: readonly { id: number; point: LonLat }[];
  roadEdges: readonly Pick<
    RoadEdgeRecord,
    'id' | 'source' | 'target' | 'roadClass' | 'lengthMetres' | 'coordinates' | 'oneWay'
  >[];
  /** The terrain the roads were built on (road gradients), or null for level roads. */
  terrain: ElevationGrid | null;
  stations: readonly { code: string; point: LonLat }[];
  villages: readonly { code: string; townshipCode: string; centre: LonLat }[];
  /** Township code → code of its police station. */
  stationOfTownship: Readonly<Record<string, string | null>>;
  /** Built-up places (town centres): an edge whose middle lies within the radius is driven at settlement speed. */
  settlements: readonly { point: LonLat; radiusMetres: number }[];
}

/** Options of {@link observedTrips}. */
export interface ObservedTripOptions {
  seed: string;
  /** How many station → village and village → village trips (fewer when places cannot be reached). */
  stationTrips?: number;
  villageTrips?: number;
  /** Standard deviation of the log of reported over true time. */
  noiseSd?: number;
  /** Longest straight distance between the two villages of a village → village trip, m. */
  villageTripMaxMetres?: number;
  /** The true driving; the hidden one unless a test supplies its own. */
  truth?: TrueDriving;
}

/**
 * Reported trips: for a sample of villages, the drive from their own station; for a sample of
 * pairs of villages within `villageTripMaxMetres`, the drive from one to the other. Each is the
 * true model's shortest drive between the places' nearest road nodes, times a lognormal noise,
 * rounded to whole minutes (at least 1). Deterministic from the seed.
 */
export function observedTrips(input: ObservedTripInput, options: ObservedTripOptions): ObservedTrip[] {
  const random = new Random(options.seed);
  const noiseSd = options.noiseSd ?? 0.08;
  const times = trueDriveTimes(input, options.truth ?? HIDDEN_TRUE_DRIVING);
  const nearest = nearestNodes(input.roadNodes);
  const nodeOf = (point: LonLat) => nearest(point);
  const stationPoint = new Map(input.stations.map((s) => [s.code, s.point]));
  const report = (seconds: number) => Math.max(1, Math.round((seconds * Math.exp(random.normal(0, noiseSd))) / 60));
  const trips: ObservedTrip[] = [];

  const villages = shuffled(input.villages, random);
  let stationTrips = 0;
  for (const village of villages) {
    if (stationTrips >= (options.stationTrips ?? 200)) break;
    const stationCode = input.stationOfTownship[village.townshipCode];
    const station = stationCode ? stationPoint.get(stationCode) : undefined;
    if (!stationCode || !station) continue;
    const seconds = times(nodeOf(station), nodeOf(village.centre));
    if (!Number.isFinite(seconds) || seconds <= 0) continue;
    trips.push({ fromCode: stationCode, toCode: village.code, minutes: report(seconds) });
    stationTrips++;
  }

  const maxMetres = options.villageTripMaxMetres ?? 15_000;
  const wanted = options.villageTrips ?? 100;
  const seen = new Set<string>();
  for (let attempt = 0; attempt < wanted * 20 && trips.length - stationTrips < wanted; attempt++) {
    const from = input.villages[random.int(0, input.villages.length - 1)]!;
    const to = input.villages[random.int(0, input.villages.length - 1)]!;
    const key = `${from.code}>${to.code}`;
    if (from === to || seen.has(key) || straightMetres(from.centre, to.centre) > maxMetres) continue;
    seen.add(key);
    const seconds = times(nodeOf(from.centre), nodeOf(to.centre));
    if (!Number.isFinite(seconds) || seconds <= 0) continue;
    trips.push({ fromCode: from.code, toCode: to.code, minutes: report(seconds) });
  }
  return trips;
}

/**
 * The trips as the CSV an officer hands over: UTF-8 with a byte-order mark (so Excel reads the
 * Chinese), CRLF lines, header 出发地代码,出发地,目的地代码,目的地,用时（分钟）.
 */
export function observedTripsCsv(
  model: Pick<CountyModel, 'stations' | 'villages'> & { observedTrips: readonly ObservedTrip[] },
): string {
  const names = new Map<string, string>();
  for (const s of model.stations) names.set(s.code, s.name);
  for (const v of model.villages) names.set(v.code, v.name);
  const field = (value: string | number) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = ['出发地代码,出发地,目的地代码,目的地,用时（分钟）'];
  for (const trip of model.observedTrips) {
    lines.push(
      [trip.fromCode, names.get(trip.fromCode) ?? '', trip.toCode, names.get(trip.toCode) ?? '', trip.minutes]
        .map(field)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * Seconds of the true model's shortest drive between two road node ids (Infinity when there is
 * none): the routing engine's own network (network.ts: the speed model, its end speeds, one-way
 * edges) costed under the true driving, with the settlements marked; searches cached per start node.
 */
export function trueDriveTimes(input: ObservedTripInput, truth: TrueDriving): (from: number, to: number) => number {
  const nodes = new Set(input.roadNodes.map((n) => n.id));
  const settlements = input.settlements;
  const records: RoutingEdge[] = input.roadEdges.map((edge) => {
    if (!nodes.has(edge.source) || !nodes.has(edge.target))
      throw new RangeError(`Road edge ${edge.id} has an unknown node`);
    const middle = edge.coordinates[edge.coordinates.length >> 1]!;
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      speedKmh: designSpeedKmh({ roadClass: edge.roadClass })!,
      lengthMetres: edge.lengthMetres,
      climbMetres: null,
      descentMetres: null,
      coordinates: edge.coordinates,
      vertexElevationsMetres: input.terrain ? roadElevations(input.terrain, edge.coordinates) : null,
      oneWay: edge.oneWay ?? null,
      inSettlement: settlements.some((s) => straightMetres(s.point, middle) <= s.radiusMetres),
    };
  });
  const graph = buildRoadNetwork(records, { driving: truth }).drive;
  const searches = new Map<number, Float64Array>();
  return (from, to) => {
    const a = nodeIndex(graph, from);
    const b = nodeIndex(graph, to);
    if (a < 0 || b < 0) return Infinity;
    let seconds = searches.get(a);
    if (!seconds) {
      seconds = shortestTimes(graph, [{ node: a, seconds: 0 }]).seconds;
      searches.set(a, seconds);
    }
    return seconds[b]!;
  };
}

/** The id of the road node nearest a point. */
function nearestNodes(nodes: readonly { id: number; point: LonLat }[]): (point: LonLat) => number {
  return (point) => {
    let best = nodes[0]!.id;
    let bestMetres = Infinity;
    for (const node of nodes) {
      const metres = straightMetres(point, node.point);
      if (metres < bestMetres) {
        bestMetres = metres;
        best = node.id;
      }
    }
    return best;
  };
}

function straightMetres(a: LonLat, b: LonLat): number {
  const m = metresPerDegree((a[1] + b[1]) / 2);
  return Math.hypot((a[0] - b[0]) * m.lon, (a[1] - b[1]) * m.lat);
}

/** A seeded Fisher–Yates shuffle (a copy). */
function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
