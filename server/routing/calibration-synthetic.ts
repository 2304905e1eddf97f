import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { loadPolicingPlaces } from '../policing/places.js';
import { modelTripSeconds, recostNetwork, seededOrder, type CalibratedConstants } from './calibration.js';
import { attachToRoad, costNetwork, prepareRoadNetwork } from './network.js';
import { loadRoadEdges } from './repository.js';

/** One synthetic observed trip: station code → village code, minutes. */
export interface SyntheticTrip {
  fromCode: string;
  toCode: string;
  minutes: number;
}

/**
 * "Observed" trips for a county that has none (the bench, tests, a demo): every village with a
 * station more than two minutes from it, driven from its station under `truth` constants, times multiplied by lognormal noise
 * exp(σ·z) with z standard normal from a seeded generator. Until the demo generator ships observed
 * trips of its own, this is how calibration is exercised on the demo county.
 */
export async function syntheticTrips(
  db: Kysely<DB>,
  countyCode: string,
  options: { truth: CalibratedConstants; noise: number; seed: number },
): Promise<SyntheticTrip[]> {
  const prepared = prepareRoadNetwork(await loadRoadEdges(db, countyCode));
  const network = costNetwork(prepared);
  const truthNetwork = recostNetwork(prepared, options.truth);
  const places = await loadPolicingPlaces(db, countyCode);
  const stations = new Map(places.stations.map((s) => [s.code, s]));
  const pairs = places.villages.flatMap((v) => {
    const station = v.stationCode ? stations.get(v.stationCode) : undefined;
    return station ? [{ station, village: v }] : [];
  });
  const trips = pairs.map((p) => ({
    from: attachToRoad(network, p.station.lon, p.station.lat)!,
    to: attachToRoad(network, p.village.lon, p.village.lat)!,
    observedSeconds: 1,
  }));
  const seconds = modelTripSeconds(truthNetwork, trips);
  const order = seededOrder(2 * pairs.length, options.seed);
  return pairs.flatMap((p, k) => {
    // A village around its station's own seat is no trip to speak of.
    if (!Number.isFinite(seconds[k]!) || seconds[k]! < 120) return [];
    const u1 = (order[2 * k]! + 0.5) / order.length;
    const u2 = (order[2 * k + 1]! + 0.5) / order.length;
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    const minutes = (seconds[k]! * Math.exp(options.noise * z)) / 60;
    return [{ fromCode: p.station.code, toCode: p.village.code, minutes: Math.round(minutes * 100) / 100 }];
  });
}

/** Trips as a CSV a commander could have typed: 出发地, 目的地, 用时（分钟）. */
export function tripsCsv(trips: readonly SyntheticTrip[]): string {
  return (
    ['出发地,目的地,用时（分钟）', ...trips.map((t) => `${t.fromCode},${t.toCode},${t.minutes}`)].join('\r\n') + '\r\n'
  );
}
