import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import type { RoadNetwork } from '../routing/network.js';
import type { RoadRouting } from '../routing/service.js';
import { DEFAULT_IN_USE, type ConstantsInUse } from '../routing/county-constants.js';
import { stationIsochrones, type IsochroneBand } from './isochrones.js';
import {
  addGroups,
  attachPlaces,
  isBorderline,
  noGroups,
  noTripReasons,
  villageAccess,
  type AttachedPlaces,
  type NoTripReason,
  type NoTripSettings,
  type VillageAccess,
} from './no-trip.js';
import { loadPolicingPlaces, type NoTripGroups, type PolicingPlaces, type VillagePlace } from './places.js';
import { readDesignations, readNoTripSettings, type Designation } from './repository.js';
import { planStationVisits, type VisitPlanRequest, type VisitPlanResult } from './visit-plan.js';

/** One village in the no-trip report: the place, its access and its reasons. */
export interface NoTripVillage extends VillagePlace {
  stationName: string | null;
  driveMinutes: number | null;
  /** The drive's range under the constants' error (model time × their low and high ratios), minutes. */
  driveRangeMinutes: { low: number; high: number } | null;
  /** 临界: no-trip at one end of the drive's range and not at the other. */
  borderline: boolean;
  farthestHouseholdMinutes: number | null;
  busWalkMetres: number | null;
  noTrip: boolean;
  reasons: NoTripReason[];
  designation: Omit<Designation, 'villageCode'> | null;
}

export interface NoTripTotals {
  villages: number;
  noTripVillages: number;
  /** Villages whose no-trip status differs at the two ends of their drive's range (临界). */
  borderlineVillages: number;
  /** No-trip villages per reason (a village may have several). */
  byReason: Record<NoTripReason, number>;
  households: number;
  noTripHouseholds: number;
  /** Persons in the five groups living in no-trip villages. */
  noTripGroups: NoTripGroups;
}

export interface NoTripReport {
  settings: NoTripSettings;
  /** The speed model's constants the drives were computed with: a calibration, or the default. */
  constants: ConstantsInUse;
  villages: NoTripVillage[];
  stations: (NoTripTotals & { code: string; name: string; warZone: string | null })[];
  county: NoTripTotals;
}

interface Prepared {
  network: RoadNetwork;
  places: PolicingPlaces;
  attached: AttachedPlaces;
  access: VillageAccess[];
  /** The constants of each county with an active calibration (others: the default). */
  inUse: ReadonlyMap<string, ConstantsInUse>;
}

const minutes = (seconds: number | null) => (seconds === null ? null : Math.round(seconds / 6) / 10);

/**
 * Backpack policing over the routing engine: which villages are no-trip and why, isochrones of
 * stations, and visit plans. Places are attached to the roads once and kept until the data changes.
 */
export class PolicingService {
  private prepared: Promise<Prepared> | undefined;
  private readonly isochroneCache = new Map<string, Promise<IsochroneBand[]>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly routing: RoadRouting,
  ) {}

  /** Forget the attached places and cached isochrones (and the network): call after the data changes. */
  invalidate(): void {
    this.prepared = undefined;
    this.isochroneCache.clear();
    this.routing.invalidate();
  }

  /** The network, places, their road points and every village's access, computed once. */
  prepare(): Promise<Prepared> {
    this.prepared ??= (async () => {
      const { network, inUse } = await this.routing.current();
      const places = await loadPolicingPlaces(this.db);
      const attached = attachPlaces(network, places);
      return { network, places, attached, access: villageAccess(network, places, attached), inUse };
    })().catch((err: unknown) => {
      this.prepared = undefined;
      throw err;
    });
    return this.prepared;
  }

  /** The no-trip report of one county under its rules, or under `overrides` (a what-if, not saved). */
  async report(countyCode: string, overrides: Partial<NoTripSettings> = {}): Promise<NoTripReport> {
    const { places, access, inUse } = await this.prepare();
    if (
      !places.villages.some((v) => v.countyCode === countyCode) &&
      !places.stations.some((s) => s.countyCode === countyCode)
    ) {
      throw new AppError(404, 'not_found', `没有县 ${countyCode} 的村（No villages in county ${countyCode}）`);
    }
    const settings = { ...(await readNoTripSettings(this.db, countyCode)), ...overrides };
    const constants = inUse.get(countyCode) ?? DEFAULT_IN_USE;
    const designations = await readDesignations(this.db);
    const stationName = new Map(places.stations.map((s) => [s.code, s.name]));
    const villages: NoTripVillage[] = [];
    places.villages.forEach((village, i) => {
      if (village.countyCode !== countyCode) return;
      const designation = designations.get(village.code) ?? null;
      const reasons = noTripReasons(access[i]!, settings, designation !== null);
      villages.push({
        ...village,
        stationName: village.stationCode ? (stationName.get(village.stationCode) ?? null) : null,
        driveMinutes: minutes(access[i]!.driveSeconds),
        driveRangeMinutes:
          access[i]!.driveSeconds === null
            ? null
            : {
                low: minutes(access[i]!.driveSeconds! * constants.ratioLow)!,
                high: minutes(access[i]!.driveSeconds! * constants.ratioHigh)!,
              },
        borderline: isBorderline(access[i]!, settings, designation !== null, constants.ratioLow, constants.ratioHigh),
        farthestHouseholdMinutes: minutes(access[i]!.farthestHouseholdSeconds),
        busWalkMetres: access[i]!.busWalkMetres === null ? null : Math.round(access[i]!.busWalkMetres!),
        noTrip: reasons.length > 0,
        reasons,
        designation: designation
          ? {
              reason: designation.reason,
              designatedBy: designation.designatedBy,
              designatedAt: designation.designatedAt,
            }
          : null,
      });
    });
    const stations = places.stations
      .filter((s) => s.countyCode === countyCode)
      .map((s) => ({
        code: s.code,
        name: s.name,
        warZone: s.warZone,
        ...totals(villages.filter((v) => v.stationCode === s.code)),
      }));
    return { settings, constants, villages, stations, county: totals(villages) };
  }

  /** Isochrone bands of a station (cumulative polygons, smallest first). */
  async isochrones(stationCode: string, bandMinutes: readonly number[]): Promise<IsochroneBand[]> {
    const key = `${stationCode}|${bandMinutes.join(',')}`;
    let bands = this.isochroneCache.get(key);
    if (!bands) {
      bands = (async () => {
        const { network, places, attached } = await this.prepare();
        const index = places.stations.findIndex((s) => s.code === stationCode);
        if (index < 0)
          throw new AppError(404, 'not_found', `没有派出所 ${stationCode}（No police station ${stationCode}）`);
        const origin = attached.stations[index];
        if (!origin) throw new AppError(409, 'conflict', '还没有道路数据（No roads are loaded yet）');
        return stationIsochrones(this.db, network, origin, bandMinutes);
      })();
      bands.catch(() => this.isochroneCache.delete(key));
      this.isochroneCache.set(key, bands);
      if (this.isochroneCache.size > 64) this.isochroneCache.delete(this.isochroneCache.keys().next().value!);
    }
    return bands;
  }

  /** Plan a station's visits; by default to all of its no-trip villages under the county's rules. */
  async visitPlan(
    request: Omit<VisitPlanRequest, 'villageCodes'> & { villageCodes?: string[] | undefined },
  ): Promise<VisitPlanResult> {
    const { network, places, attached } = await this.prepare();
    const station = places.stations.find((s) => s.code === request.stationCode);
    if (!station) {
      throw new AppError(
        404,
        'not_found',
        `没有派出所 ${request.stationCode}（No police station ${request.stationCode}）`,
      );
    }
    const villageCodes =
      request.villageCodes ??
      (await this.report(station.countyCode)).villages
        .filter((v) => v.noTrip && v.stationCode === station.code)
        .map((v) => v.code);
    return planStationVisits(network, places, attached, { ...request, villageCodes });
  }
}

function totals(villages: readonly NoTripVillage[]): NoTripTotals {
  const result: NoTripTotals = {
    villages: villages.length,
    noTripVillages: 0,
    borderlineVillages: 0,
    byReason: { drive: 0, no_bus: 0, designated: 0 },
    households: 0,
    noTripHouseholds: 0,
    noTripGroups: noGroups(),
  };
  for (const village of villages) {
    result.households += village.households;
    if (village.borderline) result.borderlineVillages++;
    if (!village.noTrip) continue;
    result.noTripVillages++;
    result.noTripHouseholds += village.households;
    for (const reason of village.reasons) result.byReason[reason]++;
    addGroups(result.noTripGroups, village.groups);
  }
  return result;
}
