/**
 * The backpack-policing API (/api/policing/…): no-trip villages (免跑村) and their rules, station
 * isochrones, visit plans and the visit record. Imports only zod (the web app may import it).
 */
import { z } from 'zod';
import { lonLatSchema, multiPolygonSchema, villageCodeSchema } from './json.js';
import { constantsInUseSchema } from './routing.js';

/** The rules: a village is no-trip beyond this drive from its station, or this walk from a bus stop. */
export const noTripSettingsSchema = z.object({
  maxDriveMinutes: z.number().min(1).max(600).describe('No-trip beyond this drive from the own station'),
  maxBusWalkMetres: z.number().min(0).max(20_000).describe('No-trip beyond this walk along roads to a bus stop'),
});
export type NoTripSettings = z.infer<typeof noTripSettingsSchema>;

/** Why a village is no-trip: too far a drive, no bus within a walk, or a commander said so. */
export const noTripReasonSchema = z.enum(['drive', 'no_bus', 'designated']);
export type NoTripReason = z.infer<typeof noTripReasonSchema>;

/** Persons in the five no-trip groups (五类免跑群体). */
export const noTripGroupsSchema = z.object({
  aged70Plus: z.number(),
  disabled: z.number(),
  leftBehind: z.number(),
  lowIncome: z.number(),
  needsAssistance: z.number(),
});
export type NoTripGroups = z.infer<typeof noTripGroupsSchema>;

/** Totals of a station or of the county. */
export const noTripTotalsSchema = z.object({
  villages: z.number(),
  noTripVillages: z.number(),
  borderlineVillages: z
    .number()
    .describe('临界: villages whose no-trip status differs at the two ends of their drive range'),
  byReason: z
    .record(noTripReasonSchema, z.number())
    .describe('No-trip villages per reason (a village may have several)'),
  households: z.number(),
  noTripHouseholds: z.number(),
  noTripGroups: noTripGroupsSchema.describe('Persons in the five groups living in no-trip villages'),
});
export type NoTripTotals = z.infer<typeof noTripTotalsSchema>;

/** A commander's hand designation of a village as no-trip. */
export const designationSchema = z.object({ reason: z.string(), designatedBy: z.string(), designatedAt: z.string() });
export type NoTripDesignation = z.infer<typeof designationSchema>;

/** One village of the no-trip report: the place, its access and its reasons. */
export const noTripVillageSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['village', 'community']),
  countyCode: z.string(),
  townshipCode: z.string(),
  townshipName: z.string(),
  stationCode: z.string().nullable().describe("The station whose jurisdiction (the township's) holds the village"),
  stationName: z.string().nullable(),
  lon: z.number(),
  lat: z.number(),
  households: z.number(),
  persons: z.number(),
  groups: noTripGroupsSchema,
  driveMinutes: z.number().nullable(),
  driveRangeMinutes: z
    .object({ low: z.number(), high: z.number() })
    .nullable()
    .describe("The drive's range under the constants' error"),
  borderline: z.boolean().describe('临界: no-trip at one end of the drive range and not at the other'),
  farthestHouseholdMinutes: z.number().nullable(),
  busWalkMetres: z.number().nullable(),
  noTrip: z.boolean(),
  reasons: z.array(noTripReasonSchema),
  designation: designationSchema.nullable(),
});
export type NoTripVillage = z.infer<typeof noTripVillageSchema>;

/** A station's totals with its name and war zone. */
export const noTripStationSchema = noTripTotalsSchema.extend({
  code: z.string(),
  name: z.string(),
  warZone: z.string().nullable(),
});
export type NoTripStation = z.infer<typeof noTripStationSchema>;

/** `GET /api/policing/no-trip`: every village, per-station and county totals. */
export const noTripReportSchema = z.object({
  settings: noTripSettingsSchema,
  constants: constantsInUseSchema.describe('The speed model constants the drives were computed with'),
  villages: z.array(noTripVillageSchema),
  stations: z.array(noTripStationSchema),
  county: noTripTotalsSchema,
});
export type NoTripReport = z.infer<typeof noTripReportSchema>;

/** `PUT /api/policing/villages/{code}/designation`: the body. */
export const designationRequestSchema = z.object({
  reason: z.string().trim().min(1, '请填写理由（a reason is required）').max(500),
});
export type DesignationRequest = z.infer<typeof designationRequestSchema>;

/** `PUT /api/policing/villages/{code}/designation`: what was saved. */
export const designationSavedSchema = z.object({ villageCode: z.string(), reason: z.string() });
export type DesignationSaved = z.infer<typeof designationSavedSchema>;

/** `DELETE /api/policing/villages/{code}/designation`: whether there was one. */
export const designationRemovedSchema = z.object({ removed: z.boolean() });
export type DesignationRemoved = z.infer<typeof designationRemovedSchema>;

/** One drive-time band of a station: the land within `minutes` of it along the roads. */
export const isochroneFeatureSchema = z.object({
  type: z.literal('Feature'),
  geometry: multiPolygonSchema.describe('WGS 84; bands that reach nothing are left out'),
  properties: z.object({
    minutes: z.number(),
    reachedNodes: z.number().describe('Road nodes reached within the band'),
    roadKm: z.number().describe('Km of road reached within the band'),
  }),
});
export type IsochroneFeature = z.infer<typeof isochroneFeatureSchema>;

/** `GET /api/policing/stations/{code}/isochrones`: cumulative bands, smallest first. */
export const isochroneCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(isochroneFeatureSchema),
});
export type IsochroneCollection = z.infer<typeof isochroneCollectionSchema>;

/** `POST /api/policing/visit-plans`: a station's team, its working day, and which villages. */
export const visitPlanRequestSchema = z.object({
  stationCode: z.string().min(1).max(40),
  dayHours: z.number().min(1).max(16).default(8),
  maxDays: z.number().int().min(1).max(60).optional(),
  officers: z.number().int().min(1).max(10).default(2).describe('Service times are for a pair and shrink for more'),
  villageCodes: z.array(villageCodeSchema).max(500).optional().describe("Default: the station's no-trip villages"),
});
export type VisitPlanRequest = z.input<typeof visitPlanRequestSchema>;

/** Why a village is in no day of a plan. */
export const unplacedReasonSchema = z.enum(['unreachable', 'exceeds_day', 'no_days_left']);
export type UnplacedReason = z.infer<typeof unplacedReasonSchema>;

export const visitStopSchema = z.object({
  villageCode: z.string(),
  villageName: z.string(),
  arriveMinutes: z.number(),
  serviceMinutes: z.number(),
  leaveMinutes: z.number(),
});
export type VisitStop = z.infer<typeof visitStopSchema>;

export const visitPlanDaySchema = z.object({
  day: z.number(),
  stops: z.array(visitStopSchema),
  driveMinutes: z.number(),
  serviceMinutes: z.number(),
  totalMinutes: z.number(),
  returnMinutes: z.number().describe('Minutes from leaving the station to being back'),
  route: z
    .object({ type: z.literal('LineString'), coordinates: z.array(lonLatSchema) })
    .describe("The day's drive: station → villages → station"),
});
export type VisitPlanDay = z.infer<typeof visitPlanDaySchema>;

/** `POST /api/policing/visit-plans`: days with stops, times and routes; villages left out and why. */
export const visitPlanResultSchema = z.object({
  stationCode: z.string(),
  stationName: z.string(),
  dayHours: z.number(),
  officers: z.number(),
  days: z.array(visitPlanDaySchema),
  unplaced: z.array(
    z.object({
      villageCode: z.string(),
      villageName: z.string(),
      reason: unplacedReasonSchema,
      neededMinutes: z.number().nullable().describe('What the visit alone needs, where that applies'),
    }),
  ),
  totalDriveMinutes: z.number(),
  totalServiceMinutes: z.number(),
  baseline: z
    .object({ days: z.number(), totalDriveMinutes: z.number(), placed: z.number() })
    .describe('The nearest-neighbour plan of the same villages, for comparison'),
});
export type VisitPlanResult = z.infer<typeof visitPlanResultSchema>;

/** A backpack-policing visit as recorded. */
export const backpackVisitSchema = z.object({
  id: z.number(),
  villageCode: z.string(),
  villageName: z.string(),
  stationCode: z.string(),
  visitedOn: z.string(),
  officers: z.number(),
  businessHandled: z.number(),
  helpRequests: z.number(),
  unregisteredResolved: z.number(),
  note: z.string().nullable(),
  recordedBy: z.string(),
});
export type BackpackVisit = z.infer<typeof backpackVisitSchema>;

/** `GET /api/policing/visits/summary`: totals of the services done on visits. */
export const visitTotalsSchema = z.object({
  visits: z.number(),
  villages: z.number(),
  businessHandled: z.number(),
  helpRequests: z.number(),
  unregisteredResolved: z.number(),
  firstVisit: z.string().nullable(),
  lastVisit: z.string().nullable(),
});
export type VisitTotals = z.infer<typeof visitTotalsSchema>;
