/**
 * The holiday-policing API (/api/holidays/…, /api/war-zones/…): what the routes take and answer,
 * shared by the server and the commanders' holiday workspace. Days are 0-based from the holiday's
 * first day; shifts are 0-based within a day, starting at 08:00 (3 × 8 h: 0 = 08–16 白班,
 * 1 = 16–24 中班, 2 = 00–08 夜班 of the next morning; 2 × 12 h: 08–20, 20–08), so slots follow each
 * other in time. In coverage and explanations, `zoneId` is the war zone's id as text.
 */
import { z } from 'zod';
import { INT32_MAX, multiPolygonSchema } from './json.js';

export const dutyIdSchema = z.enum(['incident', 'traffic', 'patrol']);
export type DutyId = z.infer<typeof dutyIdSchema>;

const int = () => z.number().int();
const dbId = () => z.number().int().positive().max(INT32_MAX);

/** GET /api/holidays (list) and the `holiday` of the detail. */
export const holidaySummarySchema = z.object({
  id: int(),
  countyCode: z.string(),
  name: z.string(),
  firstDay: z.string().describe("'YYYY-MM-DD' of day 0"),
  days: int(),
  shiftsPerDay: int(),
  maxTravelMinutes: z.number(),
  status: z.enum(['draft', 'published']),
  publishedPlanId: int().nullable(),
  plans: int(),
});
export type HolidaySummary = z.infer<typeof holidaySummarySchema>;

/** One station's submission for one (day, shift, duty): extra officers asked for, and its own on duty. */
export const demandEntrySchema = z.object({
  stationCode: z.string(),
  day: int(),
  shift: int(),
  duty: dutyIdSchema,
  officers: int(),
  ownOnDuty: int(),
});
export type DemandEntry = z.infer<typeof demandEntrySchema>;

/** Expected need from past holidays: events at the station × typical handling time, per slot and duty. */
export const evidenceEntrySchema = z.object({
  stationCode: z.string(),
  day: int(),
  shift: int(),
  duty: dutyIdSchema,
  expectedOfficerHours: z.number().describe('Expected officer-hours of work in the slot'),
  expectedOfficers: z.number().describe('The same as officers on an 8-hour shift, rounded to 0.1'),
});
export type EvidenceEntry = z.infer<typeof evidenceEntrySchema>;

/** GET /api/holidays/{id} */
export const holidayDetailSchema = z.object({
  holiday: holidaySummarySchema,
  zones: z.array(z.object({ id: int(), name: z.string(), stationCodes: z.array(z.string()) })),
  stations: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      warZoneId: int().nullable(),
      ownOfficers: int(),
      lon: z.number(),
      lat: z.number(),
    }),
  ),
  demands: z.array(demandEntrySchema),
  evidence: z.array(evidenceEntrySchema),
  evidenceFrom: z
    .array(z.string())
    .describe("Which past holidays the evidence is from ('YYYY-MM-DD' first days, same dates in earlier years)"),
  zoneLimits: z.array(z.object({ warZoneId: int(), minOfficers: int().nullable(), maxOfficers: int().nullable() })),
  stationCovers: z
    .array(z.object({ stationCode: z.string(), minOfficers: int() }))
    .describe("Stations' minimum cover: officers on post in every shift, sent from the pool"),
  pool: z.object({ officers: int(), trafficQualified: int(), unavailableSlots: int() }),
});
export type HolidayDetail = z.infer<typeof holidayDetailSchema>;

/** GET /api/holidays/{id}/officers */
export const holidayOfficerSchema = z.object({
  id: z.string(),
  name: z.string(),
  department: z.string(),
  homeStation: z
    .string()
    .nullable()
    .describe("The officer's own station, or for headquarters officers the station nearest their office by road"),
  homeIsNearest: z
    .boolean()
    .describe("True when `homeStation` is the nearest station to a headquarters officer's office"),
  qualifications: z.array(z.string()),
  unavailable: z.array(z.tuple([int(), int()])).describe('[day, shift] pairs the officer cannot work'),
});
export type HolidayOfficer = z.infer<typeof holidayOfficerSchema>;

const coverageTotalsShape = {
  demanded: z.number(),
  met: z.number(),
  unmet: z.number(),
  surplus: z.number().describe('Officers on post beyond the demand of their duty (only a minimum cover asks for them)'),
  weightedDemanded: z.number(),
  weightedUnmet: z.number(),
};

/** Officer-shifts demanded, met and unmet, per cell and summed over stations, zones, duties, days and shifts. */
export const coverageSchema = z.object({
  cells: z.array(
    z.object({
      ...coverageTotalsShape,
      stationCode: z.string(),
      zoneId: z.string(),
      day: int(),
      shift: int(),
      dutyId: z.string(),
      assigned: z.number().describe('Officers doing this duty here (met + surplus)'),
    }),
  ),
  byStation: z.array(
    z.object({ ...coverageTotalsShape, stationCode: z.string(), zoneId: z.string(), unmetShare: z.number() }),
  ),
  byZone: z.array(z.object({ ...coverageTotalsShape, zoneId: z.string() })),
  byDuty: z.array(z.object({ ...coverageTotalsShape, dutyId: z.string() })),
  byDay: z.array(z.object({ ...coverageTotalsShape, day: int() })),
  byShift: z.array(z.object({ ...coverageTotalsShape, shift: int() })),
  byZoneSlot: z.array(z.object({ ...coverageTotalsShape, zoneId: z.string(), day: int(), shift: int() })),
  total: z.object(coverageTotalsShape),
});

export const shortReasonSchema = z.enum([
  'no_one_in_range',
  'no_qualified_in_range',
  'zone_cap',
  'all_qualified_in_range_assigned',
  'rest_rules',
  'solver_gap',
]);
const sentences = { textZh: z.string(), textEn: z.string() };

/** A structured explanation of a plan's shortfalls, with its sentence in both languages. */
export const explainedShortfallSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('short'),
    zoneId: z.string(),
    day: int(),
    shift: int(),
    officerShifts: z.number(),
    weightedUnmet: z.number(),
    reason: shortReasonSchema,
    maxTravelSeconds: z.number(),
    parts: z.array(
      z.object({
        stationCode: z.string(),
        dutyId: z.string(),
        officerShifts: z.number(),
        reason: shortReasonSchema,
        candidates: int(),
        candidatesFree: int(),
      }),
    ),
    ...sentences,
  }),
  z.object({
    kind: z.literal('zone_minimum_short'),
    zoneId: z.string(),
    day: int(),
    shift: int(),
    required: z.number(),
    posted: z.number(),
    officerShifts: z.number(),
    ...sentences,
  }),
  z.object({
    kind: z.literal('station_cover_short'),
    stationCode: z.string(),
    zoneId: z.string(),
    day: int(),
    shift: int(),
    required: z.number(),
    posted: z.number(),
    officerShifts: z.number(),
    ...sentences,
  }),
  z.object({
    kind: z.literal('extra_officer'),
    zoneId: z.string(),
    homeStation: z.string(),
    officerShifts: z.number(),
    weightedUnmetReduction: z.number(),
    shifts: z.array(z.object({ day: int(), shift: int(), stationCode: z.string(), dutyId: z.string() })),
    ...sentences,
  }),
  z.object({ kind: z.literal('all_met'), demanded: z.number(), ...sentences }),
]);
export type ExplainedShortfall = z.infer<typeof explainedShortfallSchema>;

/** GET /api/holidays/{id}/plans (list) */
export const planSummarySchema = z.object({
  id: int(),
  holidayId: int(),
  label: z.string(),
  createdAt: z.string(),
  status: z.enum(['optimal', 'feasible']),
  mipGap: z.number(),
  seconds: z.number(),
  poolSize: int(),
  whatIf: z
    .object({
      poolSize: int().nullable(),
      zoneCaps: z.array(z.object({ warZoneId: int(), maxOfficers: int() })),
    })
    .describe('What-if settings this plan was solved under (pool size, zone caps)'),
  weightedUnmet: z.number(),
  unmet: z.number(),
  maxUnmetShare: z.number(),
  travelHours: z.number(),
  published: z.boolean(),
});
export type PlanSummary = z.infer<typeof planSummarySchema>;

/** GET /api/holidays/{id}/plans/{planId}: the plan, its coverage, roster and explanations. */
export const planDetailSchema = planSummarySchema.extend({
  coverage: coverageSchema,
  assignments: z.array(
    z.object({
      officerId: z.string(),
      officerName: z.string(),
      homeStation: z.string(),
      stationCode: z.string(),
      stationName: z.string(),
      day: int(),
      shift: int(),
      duty: dutyIdSchema,
      travelMinutes: z.number(),
    }),
  ),
  explanations: z.array(explainedShortfallSchema),
  baseline: z.object({
    weightedUnmet: z.number(),
    unmet: z.number(),
    maxUnmetShare: z.number(),
    travelSeconds: z.number(),
  }),
  variables: int(),
  constraints: int(),
});
export type PlanDetail = z.infer<typeof planDetailSchema>;

/** `PUT /api/holidays/{id}/demands` body. */
export const replaceDemandsRequestSchema = z.object({
  entries: z
    .array(
      z.object({
        stationCode: z.string().min(1).max(40),
        day: z.number().int().min(0).max(30),
        shift: z.number().int().min(0).max(3),
        duty: dutyIdSchema,
        officers: z.number().int().min(0).max(500),
        ownOnDuty: z.number().int().min(0).max(500).default(0),
      }),
    )
    .max(20_000),
});

const slotSchema = z.tuple([z.number().int().min(0).max(30), z.number().int().min(0).max(3)]);

/** `PUT /api/holidays/{id}/officers/{officerId}/availability` body. */
export const availabilityRequestSchema = z.object({ unavailable: z.array(slotSchema).max(200) });

/** `PUT /api/holidays/{id}/officers/{officerId}/availability` answer: what was saved. */
export const availabilitySchema = z.object({ officerId: z.string(), unavailable: z.array(z.tuple([int(), int()])) });
export type Availability = z.infer<typeof availabilitySchema>;

/** `PUT /api/holidays/{id}/zone-limits` body. */
export const zoneLimitsRequestSchema = z.object({
  limits: z
    .array(
      z.object({
        warZoneId: dbId(),
        minOfficers: z.number().int().min(0).max(1000).nullable(),
        maxOfficers: z.number().int().min(0).max(1000).nullable(),
      }),
    )
    .max(50),
});

/** `PUT /api/holidays/{id}/station-covers` body. */
export const stationCoversRequestSchema = z.object({
  covers: z
    .array(z.object({ stationCode: z.string().min(1).max(40), minOfficers: z.number().int().min(0).max(500) }))
    .max(200),
});

/** `PUT /api/war-zones/stations/{code}` body and answer. */
export const moveStationRequestSchema = z.object({ warZoneId: dbId() });
export const stationMoveSchema = z.object({ stationCode: z.string(), warZoneId: int() });
export type StationMove = z.infer<typeof stationMoveSchema>;

/** POST /api/holidays/{id}/plans body: solve (optionally as a what-if). */
export const solveRequestSchema = z.object({
  label: z.string().max(100).optional(),
  poolSize: z.number().int().min(0).max(5000).optional().describe('Use only the first N officers of the pool (by id)'),
  zoneCaps: z
    .array(z.object({ warZoneId: dbId(), maxOfficers: z.number().int().min(0).max(1000) }))
    .max(50)
    .optional()
    .describe('Caps on officers per slot in a war zone, for this plan only'),
});
export type SolveRequest = z.infer<typeof solveRequestSchema>;

const coverageDeltaShape = {
  demandedBefore: z.number(),
  demandedAfter: z.number(),
  metBefore: z.number(),
  metAfter: z.number(),
  unmetBefore: z.number(),
  unmetAfter: z.number(),
  weightedUnmetBefore: z.number(),
  weightedUnmetAfter: z.number(),
  metChange: z.number(),
  unmetChange: z.number(),
  weightedUnmetChange: z.number(),
};

/** GET /api/holidays/{id}/plans/compare?a=&b=: plan b against plan a (zone ids are war-zone ids as text). */
export const planComparisonSchema = z.object({
  a: int(),
  b: int(),
  total: z.object(coverageDeltaShape),
  byZone: z.array(z.object({ ...coverageDeltaShape, zoneId: z.string() })),
  byStation: z.array(z.object({ ...coverageDeltaShape, stationCode: z.string(), zoneId: z.string() })),
  byDuty: z.array(z.object({ ...coverageDeltaShape, dutyId: z.string() })),
  byZoneSlot: z.array(z.object({ ...coverageDeltaShape, zoneId: z.string(), day: int(), shift: int() })),
  maxUnmetShareBefore: z.number().nullable(),
  maxUnmetShareAfter: z.number().nullable(),
  travelSecondsBefore: z.number().nullable(),
  travelSecondsAfter: z.number().nullable(),
  assignmentsChanged: int().nullable().describe('Officer-shifts whose post or duty differs; null without assignments'),
});
export type PlanComparison = z.infer<typeof planComparisonSchema>;

/** GET /api/holidays/{id}/zones.geojson: each war zone's area (its stations' townships) for the map. */
export const zoneAreasSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      geometry: multiPolygonSchema,
      properties: z.object({ zoneId: int(), name: z.string(), stationCodes: z.array(z.string()) }),
    }),
  ),
});
export type ZoneAreas = z.infer<typeof zoneAreasSchema>;
