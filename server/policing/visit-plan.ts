import { AppError } from '../http/errors.js';
import { arrivalCost, sameEdgeCost, searchFrom, type RoadNetwork, type RoadPoint } from '../routing/network.js';
import { routeBetween } from '../routing/route-line.js';
import { planVisits, visitServiceSeconds, VISIT_BASE_MINUTES, type UnplacedReason } from '../routing/visits.js';
import type { AttachedPlaces } from './no-trip.js';
import type { PolicingPlaces } from './places.js';

/** What a commander asks for: a station's team, its working day, and which villages (default: its no-trip villages). */
export interface VisitPlanRequest {
  stationCode: string;
  dayHours: number;
  maxDays?: number;
  /** Officers in the team; service times are for the usual pair and shrink for larger teams. */
  officers: number;
  villageCodes: string[];
}

export interface VisitStop {
  villageCode: string;
  villageName: string;
  arriveMinutes: number;
  serviceMinutes: number;
  leaveMinutes: number;
}

export interface VisitPlanDay {
  day: number;
  stops: VisitStop[];
  driveMinutes: number;
  serviceMinutes: number;
  totalMinutes: number;
  /** Minutes from leaving the station to being back. */
  returnMinutes: number;
  /** The day's drive as a GeoJSON LineString (station → villages → station). */
  route: { type: 'LineString'; coordinates: [number, number][] };
}

export interface VisitPlanResult {
  stationCode: string;
  stationName: string;
  dayHours: number;
  officers: number;
  days: VisitPlanDay[];
  unplaced: { villageCode: string; villageName: string; reason: UnplacedReason; neededMinutes: number | null }[];
  totalDriveMinutes: number;
  totalServiceMinutes: number;
  baseline: { days: number; totalDriveMinutes: number; placed: number };
}

const TEAM_OF_SERVICE_TIMES = 2;
const round1 = (seconds: number) => Math.round(seconds / 6) / 10;

/**
 * Plan a station's visits: the drive-time matrix between the station and the villages (one
 * search from each place), the planner's order over days, then each day's route on the roads.
 */
export function planStationVisits(
  network: RoadNetwork,
  places: PolicingPlaces,
  attached: AttachedPlaces,
  request: VisitPlanRequest,
): VisitPlanResult {
  const stationIndex = places.stations.findIndex((s) => s.code === request.stationCode);
  if (stationIndex < 0) {
    throw new AppError(
      404,
      'not_found',
      `没有派出所 ${request.stationCode}（No police station ${request.stationCode}）`,
    );
  }
  const villageIndex = new Map(places.villages.map((v, i) => [v.code, i]));
  const unknown = request.villageCodes.filter((code) => !villageIndex.has(code));
  if (unknown.length) {
    throw new AppError(400, 'validation_failed', `没有这些村：${unknown.join('、')}（Unknown villages）`, { unknown });
  }
  const villages = [...new Set(request.villageCodes)].map((code) => villageIndex.get(code)!);
  const points: (RoadPoint | null)[] = [
    attached.stations[stationIndex]!,
    ...villages.map((v) => attached.villages[v]!),
  ];
  if (points.some((p) => !p)) throw new AppError(409, 'conflict', '还没有道路数据（No roads are loaded yet）');
  const roadPoints = points as RoadPoint[];

  const size = roadPoints.length;
  const driveSeconds = new Float64Array(size * size);
  const searches = roadPoints.map((from, i) => {
    const search = searchFrom(network, from);
    roadPoints.forEach((to, j) => {
      driveSeconds[i * size + j] =
        i === j ? 0 : Math.min(arrivalCost(network, search, to), sameEdgeCost(network, from, to));
    });
    return search;
  });
  const serviceSeconds = Float64Array.from({ length: size }, (_, i) => {
    if (i === 0) return 0;
    const full = visitServiceSeconds(places.villages[villages[i - 1]!]!.groups);
    const base = VISIT_BASE_MINUTES * 60;
    return base + ((full - base) * TEAM_OF_SERVICE_TIMES) / request.officers;
  });
  const plan = planVisits({
    driveSeconds,
    size,
    serviceSeconds,
    dayBudgetSeconds: request.dayHours * 3600,
    ...(request.maxDays ? { maxDays: request.maxDays } : {}),
  });

  const days = plan.days.map((day, d): VisitPlanDay => {
    const order = [0, ...day.stops, 0];
    const coordinates: [number, number][] = [];
    const stops: VisitStop[] = [];
    let clock = 0;
    for (let k = 1; k < order.length; k++) {
      const from = order[k - 1]!;
      const to = order[k]!;
      clock += driveSeconds[from * size + to]!;
      const leg = routeBetween(network, roadPoints[from]!, roadPoints[to]!, searches[from]!);
      for (const point of leg?.line ?? []) coordinates.push(point);
      if (to !== 0) {
        const village = places.villages[villages[to - 1]!]!;
        const service = serviceSeconds[to]!;
        stops.push({
          villageCode: village.code,
          villageName: village.name,
          arriveMinutes: round1(clock),
          serviceMinutes: round1(service),
          leaveMinutes: round1(clock + service),
        });
        clock += service;
      }
    }
    return {
      day: d + 1,
      stops,
      driveMinutes: round1(day.driveSeconds),
      serviceMinutes: round1(day.serviceSeconds),
      totalMinutes: round1(day.totalSeconds),
      returnMinutes: round1(clock),
      route: { type: 'LineString', coordinates },
    };
  });
  const station = places.stations[stationIndex]!;
  return {
    stationCode: station.code,
    stationName: station.name,
    dayHours: request.dayHours,
    officers: request.officers,
    days,
    unplaced: plan.unplaced.map((u) => {
      const village = places.villages[villages[u.place - 1]!]!;
      return {
        villageCode: village.code,
        villageName: village.name,
        reason: u.reason,
        neededMinutes: u.neededSeconds === undefined ? null : round1(u.neededSeconds),
      };
    }),
    totalDriveMinutes: round1(plan.totalDriveSeconds),
    totalServiceMinutes: round1(plan.totalServiceSeconds),
    baseline: {
      days: plan.baseline.days,
      totalDriveMinutes: round1(plan.baseline.totalDriveSeconds),
      placed: plan.baseline.placedCount,
    },
  };
}
