import { shortestTimes, type SearchResult } from '../routing/dijkstra.js';
import {
  arrivalCost,
  attachToRoad,
  sameEdgeCost,
  sourcesFrom,
  type RoadNetwork,
  type RoadPoint,
} from '../routing/network.js';
import type { NoTripGroups, PolicingPlaces } from './places.js';

/** Why a village is no-trip (免跑村): too far a drive, no bus within a walk, or a commander said so. */
export type NoTripReason = 'drive' | 'no_bus' | 'designated';

/** The rules: a village is no-trip beyond this drive from its station, or this walk from a bus stop. */
export interface NoTripSettings {
  maxDriveMinutes: number;
  maxBusWalkMetres: number;
}

export const DEFAULT_NO_TRIP_SETTINGS: NoTripSettings = { maxDriveMinutes: 60, maxBusWalkMetres: 1000 };

/** Every place of `PolicingPlaces` attached to its nearest road point (null when there are no roads). */
export interface AttachedPlaces {
  stations: (RoadPoint | null)[];
  villages: (RoadPoint | null)[];
  households: (RoadPoint | null)[];
  busStops: (RoadPoint | null)[];
}

/** Attach every station, village centre, household and bus stop to the network. */
export function attachPlaces(network: RoadNetwork, places: PolicingPlaces): AttachedPlaces {
  const attach = (lon: number, lat: number) => attachToRoad(network, lon, lat);
  return {
    stations: places.stations.map((s) => attach(s.lon, s.lat)),
    villages: places.villages.map((v) => attach(v.lon, v.lat)),
    households: Array.from(places.householdLon, (lon, i) => attach(lon, places.householdLat[i]!)),
    busStops: places.busStops.map((b) => attach(b.lon, b.lat)),
  };
}

/** How a village is reached: from its own station by car, and from the nearest bus stop on foot. */
export interface VillageAccess {
  /** Whether the village's township names a police station. */
  hasStation: boolean;
  /** Drive from the station to the village centre; null when no road leads there (or no station is set). */
  driveSeconds: number | null;
  /** Drive from the station to the village's farthest household; null as above or without households. */
  farthestHouseholdSeconds: number | null;
  /** Walk along roads from the village centre to the nearest bus stop; null when none can be walked to. */
  busWalkMetres: number | null;
}

/**
 * Drive and walk access of every village: one drive search per station (to the villages of its
 * jurisdiction and their households) and one walk search from all bus stops at once.
 */
export function villageAccess(network: RoadNetwork, places: PolicingPlaces, attached: AttachedPlaces): VillageAccess[] {
  const stationIndex = new Map(places.stations.map((s, i) => [s.code, i]));
  const searches = new Map<number, SearchResult>();
  const stationSearch = (i: number): SearchResult | null => {
    const point = attached.stations[i];
    if (!point) return null;
    let result = searches.get(i);
    if (!result) {
      result = shortestTimes(network.drive, sourcesFrom(network, point));
      searches.set(i, result);
    }
    return result;
  };
  const driveTo = (station: number, result: SearchResult, point: RoadPoint | null) => {
    if (!point) return Infinity;
    const from = attached.stations[station]!;
    return Math.min(arrivalCost(network, result, point), sameEdgeCost(network, from, point));
  };

  const stopSources = attached.busStops.flatMap((p) => (p ? sourcesFrom(network, p, 'walk') : []));
  const walk = stopSources.length ? shortestTimes(network.walk, stopSources) : null;
  const stopsByEdge = new Map<number, RoadPoint[]>();
  for (const p of attached.busStops) if (p) stopsByEdge.set(p.edge, [...(stopsByEdge.get(p.edge) ?? []), p]);
  const walkFromStops = (point: RoadPoint | null) => {
    if (!point || !walk) return Infinity;
    let best = arrivalCost(network, walk, point, 'walk');
    for (const stop of stopsByEdge.get(point.edge) ?? [])
      best = Math.min(best, sameEdgeCost(network, stop, point, 'walk'));
    return best;
  };
  const finite = (value: number) => (Number.isFinite(value) ? value : null);

  return places.villages.map((village, v) => {
    const station = village.stationCode === null ? undefined : stationIndex.get(village.stationCode);
    const result = station === undefined ? null : stationSearch(station);
    let driveSeconds = Infinity;
    let farthest = -Infinity;
    if (station !== undefined && result) {
      driveSeconds = driveTo(station, result, attached.villages[v] ?? null);
      for (let h = places.householdStart[v]!; h < places.householdStart[v + 1]!; h++) {
        farthest = Math.max(farthest, driveTo(station, result, attached.households[h] ?? null));
      }
    }
    return {
      hasStation: station !== undefined,
      driveSeconds: finite(driveSeconds),
      farthestHouseholdSeconds: Number.isFinite(farthest) ? farthest : null,
      busWalkMetres: finite(walkFromStops(attached.villages[v] ?? null)),
    };
  });
}

/** The reasons a village is no-trip under the rules; [] when it is not. */
export function noTripReasons(access: VillageAccess, settings: NoTripSettings, designated: boolean): NoTripReason[] {
  const reasons: NoTripReason[] = [];
  const tooFar = access.driveSeconds === null || access.driveSeconds > settings.maxDriveMinutes * 60;
  if (access.hasStation && tooFar) reasons.push('drive');
  if (access.busWalkMetres === null || access.busWalkMetres > settings.maxBusWalkMetres) reasons.push('no_bus');
  if (designated) reasons.push('designated');
  return reasons;
}

/** Sum of group counts. */
export function addGroups(into: NoTripGroups, more: NoTripGroups): NoTripGroups {
  into.aged70Plus += more.aged70Plus;
  into.disabled += more.disabled;
  into.leftBehind += more.leftBehind;
  into.lowIncome += more.lowIncome;
  into.needsAssistance += more.needsAssistance;
  return into;
}

/** Groups with every count zero. */
export function noGroups(): NoTripGroups {
  return { aged70Plus: 0, disabled: 0, leftBehind: 0, lowIncome: 0, needsAssistance: 0 };
}

/**
 * Whether a village's no-trip status depends on where in its drive's range the truth lies (临界):
 * the status at the model's time × `ratioLow` differs from that at × `ratioHigh`. The ratios are
 * observed / model times (the active calibration's held-out 10th and 90th percentiles, or the prior).
 */
export function isBorderline(
  access: VillageAccess,
  settings: NoTripSettings,
  designated: boolean,
  ratioLow: number,
  ratioHigh: number,
): boolean {
  if (access.driveSeconds === null) return false;
  const at = (ratio: number) =>
    noTripReasons({ ...access, driveSeconds: access.driveSeconds! * ratio }, settings, designated).length > 0;
  return at(ratioLow) !== at(ratioHigh);
}
