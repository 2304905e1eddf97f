import type { Kysely } from 'kysely';
import { renderExplanations } from '../allocation/explain-text.js';
import {
  DEFAULT_DUTIES,
  DEFAULT_REST_RULES,
  type AllocationProblem,
  type OfficerSpec,
  type ZoneLimit,
} from '../allocation/problem.js';
import { solveAllocation } from '../allocation/solve.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import { attachToRoad, costsFrom } from '../routing/network.js';
import type { RoadRouting } from '../routing/service.js';
import type { DutyId, HolidayOfficer, HolidaySummary, PlanDetail, SolveRequest } from './api-types.js';
import {
  readDemands,
  readHolidayOfficers,
  readStationCovers,
  readZoneLimits,
  readZonesAndStations,
  savePlan,
} from './repository.js';

/** Drive seconds between every pair of a county's stations (row = from, column = to). */
export interface StationTravel {
  codes: string[];
  seconds: number[][];
}

/** The problem of a holiday as the solver takes it, and the officers' names for the roster. */
export interface HolidayProblem {
  problem: AllocationProblem;
  officerNames: Map<string, string>;
  stationNames: Map<string, string>;
  /** Officers left out: no home station in the county and no road to one. */
  skippedOfficers: number;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Holiday policing over the allocation MILP: builds the problem from the database (demand,
 * availability, zones and limits) with **road drive times** between stations from the routing
 * engine, solves it, and stores the plan with its roster and explanations.
 */
export class HolidayService {
  private travel = new Map<string, Promise<StationTravel>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly routing: RoadRouting,
  ) {}

  /** Forget the drive-time matrices (after the roads or stations change). */
  invalidate(): void {
    this.travel.clear();
  }

  /** Drive seconds between a county's stations, from their nearest road points. */
  stationTravel(countyCode: string): Promise<StationTravel> {
    let travel = this.travel.get(countyCode);
    if (!travel) {
      travel = (async () => {
        const { stations } = await readZonesAndStations(this.db, countyCode);
        const network = await this.routing.network();
        const points = stations.map((s) => attachToRoad(network, s.lon, s.lat));
        if (points.some((p) => !p)) throw new AppError(409, 'conflict', '还没有道路数据（No roads are loaded yet）');
        const seconds = points.map((from) =>
          Array.from(
            costsFrom(
              network,
              from!,
              points.map((p) => p!),
            ),
          ),
        );
        return { codes: stations.map((s) => s.code), seconds };
      })();
      travel.catch(() => this.travel.delete(countyCode));
      this.travel.set(countyCode, travel);
    }
    return travel;
  }

  /**
   * The pool with each officer's home unit: headquarters officers (no station of their own) start
   * from the station nearest their office by road.
   */
  async officers(holiday: HolidaySummary): Promise<HolidayOfficer[]> {
    const { stations } = await readZonesAndStations(this.db, holiday.countyCode);
    const network = await this.routing.network();
    const points = stations.map((s) => attachToRoad(network, s.lon, s.lat));
    const nearest = new Map<string, string | null>();
    const nearestStation = (lon: number, lat: number) => {
      const key = `${lon},${lat}`;
      if (!nearest.has(key)) {
        const from = attachToRoad(network, lon, lat);
        let best: string | null = null;
        if (from && points.every((p) => p)) {
          const seconds = costsFrom(
            network,
            from,
            points.map((p) => p!),
          );
          let bestSeconds = Infinity;
          seconds.forEach((value, i) => {
            if (value < bestSeconds) {
              bestSeconds = value;
              best = stations[i]!.code;
            }
          });
        }
        nearest.set(key, best);
      }
      return nearest.get(key)!;
    };
    return readHolidayOfficers(this.db, holiday, nearestStation);
  }

  /** The allocation problem of a holiday, optionally as a what-if (pool size, zone caps). */
  async problem(holiday: HolidaySummary, whatIf: SolveRequest = {}): Promise<HolidayProblem> {
    const { zones, stations } = await readZonesAndStations(this.db, holiday.countyCode);
    const travel = await this.stationTravel(holiday.countyCode);
    const slots = holiday.days * holiday.shiftsPerDay;
    const allOfficers = await this.officers(holiday);
    const stationCodes = new Set(stations.map((s) => s.code));
    const eligible = allOfficers.filter((o) => o.homeStation && stationCodes.has(o.homeStation));
    if (whatIf.poolSize !== undefined && whatIf.poolSize > eligible.length) {
      throw new AppError(
        400,
        'validation_failed',
        `机关警力只有 ${eligible.length} 人（the pool has ${eligible.length} officers）`,
      );
    }
    const pool = whatIf.poolSize === undefined ? eligible : eligible.slice(0, whatIf.poolSize);
    const officers: OfficerSpec[] = pool.map((o) => {
      const available = Array.from({ length: slots }, () => true);
      for (const [day, shift] of o.unavailable) available[day * holiday.shiftsPerDay + shift] = false;
      return { id: o.id, homeStation: o.homeStation!, qualifications: o.qualifications, available };
    });
    const zoneLimits: ZoneLimit[] = [];
    const caps = new Map((whatIf.zoneCaps ?? []).map((c) => [c.warZoneId, c.maxOfficers]));
    for (const limit of await readZoneLimits(this.db, holiday.id)) {
      const maxOfficers = caps.get(limit.warZoneId) ?? limit.maxOfficers;
      caps.delete(limit.warZoneId);
      zoneLimits.push({
        zoneId: String(limit.warZoneId),
        ...(limit.minOfficers === null ? {} : { minOfficers: limit.minOfficers }),
        ...(maxOfficers === null ? {} : { maxOfficers }),
      });
    }
    for (const [warZoneId, maxOfficers] of caps) {
      if (!zones.some((z) => z.id === warZoneId)) {
        throw new AppError(400, 'validation_failed', `本县没有战区 ${warZoneId}（no war zone ${warZoneId}）`);
      }
      zoneLimits.push({ zoneId: String(warZoneId), maxOfficers });
    }
    const order = new Map(travel.codes.map((code, i) => [code, i]));
    const problem: AllocationProblem = {
      days: holiday.days,
      shiftsPerDay: holiday.shiftsPerDay,
      zones: zones.map((z) => ({ id: String(z.id), nameZh: z.name, nameEn: `War zone ${z.id}` })),
      stations: stations
        .filter((s) => s.warZoneId !== null)
        .map((s) => ({
          code: s.code,
          zoneId: String(s.warZoneId),
          nameZh: s.name,
          nameEn: s.code,
          lonLat: [s.lon, s.lat],
        })),
      duties: DEFAULT_DUTIES,
      officers,
      demand: (await readDemands(this.db, holiday.id))
        .filter((d) => d.officers > 0)
        .map((d) => ({ stationCode: d.stationCode, day: d.day, shift: d.shift, dutyId: d.duty, officers: d.officers })),
      travelSeconds: [],
      maxTravelSeconds: holiday.maxTravelMinutes * 60,
      restRules: DEFAULT_REST_RULES,
      zoneLimits,
      stationCovers: (await readStationCovers(this.db, holiday.id)).map((c) => ({
        stationCode: c.stationCode,
        minOfficers: c.minOfficers,
      })),
    };
    problem.travelSeconds = problem.stations.map((from) =>
      problem.stations.map((to) => travel.seconds[order.get(from.code)!]![order.get(to.code)!]!),
    );
    return {
      problem,
      officerNames: new Map(pool.map((o) => [o.id, o.name])),
      stationNames: new Map(stations.map((s) => [s.code, s.name])),
      skippedOfficers: allOfficers.length - eligible.length,
    };
  }

  /** Solve a holiday (or a what-if of it) and store the plan. */
  async solve(holiday: HolidaySummary, request: SolveRequest, by: string): Promise<PlanDetail> {
    const { problem, officerNames, stationNames } = await this.problem(holiday, request);
    const result = await solveAllocation(problem, { timeLimitSeconds: 30, explain: true });
    const zh = renderExplanations(result.explanations, problem, 'zh-CN');
    const en = renderExplanations(result.explanations, problem, 'en');
    const homeOf = new Map(problem.officers.map((o) => [o.id, o.homeStation]));
    const detail: Omit<PlanDetail, 'id' | 'createdAt'> = {
      holidayId: holiday.id,
      label: request.label?.trim() || (request.poolSize || request.zoneCaps?.length ? '假设方案' : '方案'),
      status: result.status,
      mipGap: result.mipGap,
      seconds: round(result.seconds),
      poolSize: problem.officers.length,
      whatIf: { poolSize: request.poolSize ?? null, zoneCaps: request.zoneCaps ?? [] },
      weightedUnmet: result.weightedUnmet,
      unmet: result.coverage.total.unmet,
      maxUnmetShare: round(result.maxUnmetShare, 4),
      travelHours: round(result.travelSeconds / 3600, 1),
      published: false,
      coverage: result.coverage,
      assignments: result.assignments.map((a) => ({
        officerId: a.officerId,
        officerName: officerNames.get(a.officerId) ?? a.officerId,
        homeStation: homeOf.get(a.officerId) ?? '',
        stationCode: a.stationCode,
        stationName: stationNames.get(a.stationCode) ?? a.stationCode,
        day: a.day,
        shift: a.shift,
        duty: a.dutyId as DutyId,
        travelMinutes: round(a.travelSeconds / 60, 1),
      })),
      explanations: result.explanations.map((e, i) => ({ ...e, textZh: zh[i]!, textEn: en[i]! })),
      baseline: result.baseline,
      variables: result.variables,
      constraints: result.constraints,
    };
    const id = await savePlan(this.db, detail, by);
    return { ...detail, id, createdAt: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00' };
  }
}
