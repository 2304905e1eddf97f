/**
 * "Observed" trips for the demo county: the drive times officers would report, station → village
 * and village → village, for calibrating the speed model. They come from a **hidden true model**
 * of how cars drive these roads — the routing engine's speed model (server/routing/speed-model.ts)
 * with constants of its own, kept only here and deliberately unlike SPEED_MODEL — plus the noise of
 * real reports (lognormal, ~8 %) and rounding to whole minutes. Calibration is to recover the true
 * times from them without being told these constants. Pure: no I/O, no Math.random.
 */
import { shortestTimes } from '../../routing/dijkstra.js';
import { buildRoadGraph, nodeIndex } from '../../routing/graph.js';
import { designSpeedKmh, edgeDriveSeconds, SPEED_MODEL, type SpeedModelConstants } from '../../routing/speed-model.js';
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
export interface TrueDriving {
  constants: Readonly<SpeedModelConstants>;
  /** Drivers hold this share of the design speed on a straight, level road. */
  designSpeedFactor: number;
}

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
 * none): each edge timed by the speed model with the true constants, one-way edges honoured,
 * searches cached per start node.
 */
export function trueDriveTimes(input: ObservedTripInput, truth: TrueDriving): (from: number, to: number) => number {
  const { constants } = truth;
  const point = new Map(input.roadNodes.map((n) => [n.id, n.point]));
  const ends = new Map<number, { degree: number; topKmh: number; topCount: number }>();
  const speedOf = (edge: ObservedTripInput['roadEdges'][number]) => designSpeedKmh({ roadClass: edge.roadClass })!;
  for (const edge of input.roadEdges) {
    for (const node of [edge.source, edge.target]) {
      const at = ends.get(node) ?? { degree: 0, topKmh: -Infinity, topCount: 0 };
      at.degree++;
      const kmh = speedOf(edge);
      if (kmh > at.topKmh) {
        at.topKmh = kmh;
        at.topCount = 1;
      } else if (kmh === at.topKmh) at.topCount++;
      ends.set(node, at);
    }
  }
  // As routing does (network.ts): stop at a dead end, go on where a road just continues, the main
  // road through a junction unslowed and every other road at the junction speed.
  const endKmh = (node: number, kmh: number) => {
    const at = ends.get(node)!;
    if (at.degree <= 1) return 0;
    if (at.degree === 2) return Infinity;
    return at.topCount === 2 && kmh === at.topKmh ? Infinity : constants.junctionKmh;
  };
  const [lon0, lat0] = input.roadNodes[0]?.point ?? [0, 0];
  const metres = metresPerDegree(lat0);
  const settlements = input.settlements.map((s) => ({ ...s, metres: metresPerDegree(s.point[1]) }));
  const graph = buildRoadGraph(
    input.roadEdges.map((edge) => {
      const xy = new Float64Array(2 * edge.coordinates.length);
      edge.coordinates.forEach(([lon, lat], v) => {
        xy[2 * v] = (lon - lon0) * metres.lon;
        xy[2 * v + 1] = (lat - lat0) * metres.lat;
      });
      const middle = edge.coordinates[edge.coordinates.length >> 1]!;
      const kmh = speedOf(edge);
      const { forwardSeconds, backwardSeconds } = edgeDriveSeconds(
        {
          xy,
          lengthMetres: edge.lengthMetres,
          designSpeedKmh: kmh * truth.designSpeedFactor,
          vertexElevationsMetres: input.terrain ? roadElevations(input.terrain, edge.coordinates) : null,
          inSettlement: settlements.some((s) => straightMetres(s.point, middle) <= s.radiusMetres),
          sourceEndKmh: endKmh(edge.source, kmh),
          targetEndKmh: endKmh(edge.target, kmh),
        },
        constants,
      );
      if (!point.has(edge.source) || !point.has(edge.target))
        throw new RangeError(`Road edge ${edge.id} has an unknown node`);
      return {
        source: edge.source,
        target: edge.target,
        forwardSeconds: edge.oneWay === 'backward' ? Infinity : forwardSeconds,
        backwardSeconds: edge.oneWay === 'forward' ? Infinity : backwardSeconds,
      };
    }),
  );
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
