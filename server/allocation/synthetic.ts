import { Random } from '../county/generate/random.js';
import {
  type AllocationProblem,
  DEFAULT_DUTIES,
  DEFAULT_REST_RULES,
  type DemandEntry,
  type OfficerSpec,
  type StationSpec,
  type ZoneSpec,
} from './problem.js';

/** Settings of a synthetic holiday. */
export interface SyntheticOptions {
  seed?: number | string;
  officers?: number;
  stations?: number;
  zones?: number;
  days?: number;
  /** Shifts of 8 h: day (08–16), evening (16–24), night (00–08). */
  shiftsPerDay?: number;
  maxTravelSeconds?: number;
  /** Share of officers holding the 'traffic' qualification. */
  trafficQualifiedShare?: number;
  /** Scales every station's demand; default officers ÷ 300, so any pool is short at the peaks only. */
  demandScale?: number;
}

/** Road seconds from straight-line metres, for synthetic tests ONLY: ×1.6 detour at 40 km/h. The app uses road drive times. */
export function syntheticTravelSeconds(straightMetres: number): number {
  return Math.round((straightMetres * 1.6) / (40_000 / 3600));
}

function haversineMetres(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/**
 * A seeded synthetic holiday in a Taishun-sized county (about 50 × 40 km around the county seat):
 * stations in war zones (sectors around the seat, station 1 at the seat), demand per station, day,
 * shift and duty with holiday peaks (first and last days, daytime; traffic on travel days),
 * officers with home stations (many at the seat), ~25% traffic-qualified, one or two days off each
 * and a few other unavailable shifts. Nothing here is real data.
 */
export function syntheticProblem(options: SyntheticOptions = {}): AllocationProblem {
  const random = new Random(options.seed ?? 'holiday');
  const officerCount = options.officers ?? 300;
  const stationCount = options.stations ?? 13;
  const zoneCount = Math.min(options.zones ?? 4, stationCount);
  const days = options.days ?? 7;
  const shiftsPerDay = options.shiftsPerDay ?? 3;
  const demandScale = options.demandScale ?? officerCount / 300;
  const seat: [number, number] = [119.72, 27.56];

  const zones: ZoneSpec[] = Array.from({ length: zoneCount }, (_, z) => ({ id: `Z${z + 1}` }));
  const placeRandom = random.fork('stations');
  const points = Array.from({ length: stationCount }, (_, i): [number, number] => {
    if (i === 0) return seat;
    const angle = placeRandom.uniform(0, 2 * Math.PI);
    const radius = placeRandom.uniform(0.3, 1);
    return [seat[0] + 0.25 * radius * Math.cos(angle), seat[1] + 0.18 * radius * Math.sin(angle)];
  });
  // Zones are sectors by bearing from the seat, as equal in station count as possible.
  const byBearing = points
    .map((p, i) => ({ i, bearing: i === 0 ? -Infinity : Math.atan2(p[1] - seat[1], p[0] - seat[0]) }))
    .sort((a, b) => a.bearing - b.bearing);
  const zoneOf = new Array<number>(stationCount);
  byBearing.forEach(({ i }, k) => (zoneOf[i] = Math.floor((k * zoneCount) / stationCount)));
  const stations: StationSpec[] = points.map((lonLat, i) => ({
    code: `S${String(i + 1).padStart(2, '0')}`,
    zoneId: zones[zoneOf[i]!]!.id,
    lonLat,
  }));
  const travelSeconds = points.map((a) => points.map((b) => syntheticTravelSeconds(haversineMetres(a, b))));

  const demandRandom = random.fork('demand');
  const size = stations.map((_, i) => (i === 0 ? 2.2 : demandRandom.uniform(0.6, 1.4)));
  const dayPeak = (day: number) => (day === 0 || day === days - 1 ? 1.35 : day === 1 ? 1.15 : 0.9);
  const shiftPeak = [1.2, 1, 0.55];
  const base: Record<string, number> = { incident: 3.6, traffic: 3.2, patrol: 4.6 };
  const demand: DemandEntry[] = [];
  for (let s = 0; s < stationCount; s++) {
    for (let day = 0; day < days; day++) {
      for (let shift = 0; shift < shiftsPerDay; shift++) {
        for (const duty of DEFAULT_DUTIES) {
          let mean = base[duty.id]! * size[s]! * dayPeak(day) * (shiftPeak[shift] ?? 0.8) * demandScale;
          if (duty.id === 'traffic' && (day === 0 || day === days - 1) && shift === 0) mean *= 1.5;
          if (duty.id === 'traffic' && shift === 2) mean *= 0.4;
          const officers = demandRandom.poisson(mean);
          if (officers > 0) demand.push({ stationCode: stations[s]!.code, day, shift, dutyId: duty.id, officers });
        }
      }
    }
  }

  const officerRandom = random.fork('officers');
  const trafficShare = options.trafficQualifiedShare ?? 0.25;
  const officers: OfficerSpec[] = Array.from({ length: officerCount }, (_, i) => {
    const home = officerRandom.chance(0.4) ? 0 : officerRandom.int(0, stationCount - 1);
    const daysOff = new Set<number>();
    const offCount = officerRandom.chance(0.5) ? 1 : 2;
    while (daysOff.size < Math.min(offCount, days)) daysOff.add(officerRandom.int(0, days - 1));
    const available = Array.from(
      { length: days * shiftsPerDay },
      (_, t) => !daysOff.has(Math.floor(t / shiftsPerDay)) && !officerRandom.chance(0.05),
    );
    return {
      id: `P${String(i + 1).padStart(4, '0')}`,
      homeStation: stations[home]!.code,
      qualifications: officerRandom.chance(trafficShare) ? ['traffic'] : [],
      available,
    };
  });

  return {
    days,
    shiftsPerDay,
    zones,
    stations,
    duties: DEFAULT_DUTIES,
    officers,
    demand,
    travelSeconds,
    maxTravelSeconds: options.maxTravelSeconds ?? 3600,
    restRules: DEFAULT_REST_RULES,
  };
}
