/**
 * What the holiday-policing routes answer (/api/holidays/…, /api/war-zones/…): the contract between
 * the server and the commanders' holiday workspace. Days are 0-based from the holiday's first day;
 * shifts are 0-based within a day, starting at 08:00 (3 × 8 h: 0 = 08–16 白班, 1 = 16–24 中班,
 * 2 = 00–08 夜班 of the next morning; 2 × 12 h: 08–20, 20–08), so slots follow each other in time. In coverage and
 * explanations, `zoneId` is the war zone's id as text.
 */
import type { Explanation } from '../allocation/explain.js';
import type { Coverage } from '../allocation/score.js';
import type { SolutionComparison } from '../allocation/whatif.js';

export type DutyId = 'incident' | 'traffic' | 'patrol';

/** GET /api/holidays (list) and the `holiday` of the detail. */
export interface HolidaySummary {
  id: number;
  countyCode: string;
  name: string;
  /** 'YYYY-MM-DD' of day 0. */
  firstDay: string;
  days: number;
  shiftsPerDay: number;
  maxTravelMinutes: number;
  status: 'draft' | 'published';
  publishedPlanId: number | null;
  plans: number;
}

/** One station's submission for one (day, shift, duty): extra officers asked for, and its own on duty. */
export interface DemandEntry {
  stationCode: string;
  day: number;
  shift: number;
  duty: DutyId;
  officers: number;
  ownOnDuty: number;
}

/** Expected need from past holidays: events at the station × typical handling time, per slot and duty. */
export interface EvidenceEntry {
  stationCode: string;
  day: number;
  shift: number;
  duty: DutyId;
  /** Expected officer-hours of work in the slot. */
  expectedOfficerHours: number;
  /** The same as officers on an 8-hour shift (hours ÷ shift hours), rounded to 0.1. */
  expectedOfficers: number;
}

/** GET /api/holidays/{id} */
export interface HolidayDetail {
  holiday: HolidaySummary;
  zones: { id: number; name: string; stationCodes: string[] }[];
  stations: { code: string; name: string; warZoneId: number | null; ownOfficers: number; lon: number; lat: number }[];
  demands: DemandEntry[];
  evidence: EvidenceEntry[];
  /** Which past holidays the evidence is from ('YYYY-MM-DD' first days, same dates in earlier years). */
  evidenceFrom: string[];
  zoneLimits: { warZoneId: number; minOfficers: number | null; maxOfficers: number | null }[];
  /** Stations' minimum cover: officers on post in every shift, sent from the pool (beyond their own on duty). */
  stationCovers: { stationCode: string; minOfficers: number }[];
  pool: { officers: number; trafficQualified: number; unavailableSlots: number };
}

/** GET /api/holidays/{id}/officers */
export interface HolidayOfficer {
  id: string;
  name: string;
  department: string;
  /** The officer's own station, or for headquarters officers (机关) the station nearest their office by road. */
  homeStation: string | null;
  /** True when `homeStation` is the nearest station to a headquarters officer's office. */
  homeIsNearest: boolean;
  qualifications: string[];
  /** [day, shift] pairs the officer cannot work. */
  unavailable: [number, number][];
}

/** An explanation with its sentence in both languages. */
export type ExplainedShortfall = Explanation & { textZh: string; textEn: string };

/** GET /api/holidays/{id}/plans (list) */
export interface PlanSummary {
  id: number;
  holidayId: number;
  label: string;
  createdAt: string;
  status: 'optimal' | 'feasible';
  mipGap: number;
  seconds: number;
  poolSize: number;
  /** What-if settings this plan was solved under (pool size, zone caps). */
  whatIf: { poolSize: number | null; zoneCaps: { warZoneId: number; maxOfficers: number }[] };
  weightedUnmet: number;
  unmet: number;
  maxUnmetShare: number;
  travelHours: number;
  published: boolean;
}

/** GET /api/holidays/{id}/plans/{planId}: the plan, its coverage, roster and explanations. */
export interface PlanDetail extends PlanSummary {
  coverage: Coverage;
  assignments: {
    officerId: string;
    officerName: string;
    homeStation: string;
    stationCode: string;
    stationName: string;
    day: number;
    shift: number;
    duty: DutyId;
    travelMinutes: number;
  }[];
  explanations: ExplainedShortfall[];
  baseline: { weightedUnmet: number; unmet: number; maxUnmetShare: number; travelSeconds: number };
  variables: number;
  constraints: number;
}

/** POST /api/holidays/{id}/plans body: solve (optionally as a what-if). */
export interface SolveRequest {
  label?: string;
  /** Use only the first N officers of the pool (by id). */
  poolSize?: number;
  /** Caps on officers per slot in a war zone, for this plan only. */
  zoneCaps?: { warZoneId: number; maxOfficers: number }[];
}

/** GET /api/holidays/{id}/plans/compare?a=&b=: plan b against plan a (zone ids are war-zone ids as text). */
export type PlanComparison = SolutionComparison & { a: number; b: number };

/** GET /api/holidays/{id}/zones.geojson: each war zone's area (its stations' townships) for the map. */
export interface ZoneAreas {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
    properties: { zoneId: number; name: string; stationCodes: string[] };
  }[];
}
