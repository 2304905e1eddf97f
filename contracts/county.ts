/** The county model API (/api/county/…, /api/counties/…): loading status, counts, readiness, jurisdictions. */
import { z } from 'zod';
import { bboxSchema } from './json.js';

const int = () => z.number().int();

/** `GET /api/county/status`: whether the county model is ready, or how far its generation and loading have come. */
export const countyStatusSchema = z.object({
  state: z.enum(['idle', 'ready', 'generating', 'loading', 'failed']),
  percent: int().min(0).max(100),
  step: z.string().optional(),
  layer: z.string().optional(),
  message: z.string().optional(),
});
export type CountyStatus = z.infer<typeof countyStatusSchema>;

/** `GET /api/county/stats`: counts of every layer (of one county, or of the whole database). */
export const countyStatsSchema = z.object({
  counties: int(),
  townships: int().describe('Townships (乡镇), not counting special units such as a nature reserve'),
  specialUnits: int().describe('Special township-level units (e.g. 乌岩岭自然保护区)'),
  villages: int(),
  communities: int(),
  households: int(),
  estimatedHouseholds: int().describe(
    "Households placed along their village's roads because the file gave no coordinates",
  ),
  estimatedShare: z.number().describe('estimatedHouseholds / households (0–1; 0 without households)'),
  persons: int(),
  stations: int(),
  warZones: int(),
  roadEdges: int(),
  roadKm: z.number(),
  rivers: int(),
  busLines: int(),
  busStops: int(),
  mediationRooms: int(),
  sageRooms: int(),
  events: int(),
  officers: int(),
});
export type CountyStats = z.infer<typeof countyStatsSchema>;

export const countySummarySchema = z.object({
  code: z.string(),
  name: z.string(),
  synthetic: z.boolean(),
  outline: z.enum(['file', 'townships', 'none']).describe('Where the outline comes from'),
  townships: int(),
  villages: int(),
  households: int(),
  stations: int(),
  bbox: bboxSchema.nullable(),
});
export type CountySummary = z.infer<typeof countySummarySchema>;

/** `GET /api/counties`. */
export const countyListSchema = z.object({ counties: z.array(countySummarySchema) });
export type CountyList = z.infer<typeof countyListSchema>;

/** Every township with the police station that serves it, and what the last change did. */
export const jurisdictionsSchema = z.object({
  county: z.string(),
  jurisdictions: z.array(
    z.object({
      townshipCode: z.string(),
      townshipName: z.string(),
      stationCode: z.string().nullable(),
      stationName: z.string().nullable(),
      source: z.enum(['model', 'file', 'drive_time', 'manual']).nullable(),
      confirmed: z.boolean(),
      driveSeconds: z.number().nullable(),
    }),
  ),
  proposed: int().optional(),
  confirmed: int().optional(),
  set: int().optional(),
  problems: z.array(z.string()).optional(),
});
export type Jurisdictions = z.infer<typeof jurisdictionsSchema>;

export const READINESS_LAYERS = [
  'outline',
  'townships',
  'villages',
  'households',
  'roads',
  'stations',
  'jurisdictions',
  'busStops',
  'warZones',
  'officers',
  'events',
  'terrain',
] as const;
/** What a county can do: the four workspaces' capabilities, and what its DEM gives (hillshade, road climbs). */
export const CAPABILITIES = ['grids', 'noTrip', 'holidays', 'risk', 'hillshade', 'roadClimbs'] as const;

/** `GET /api/counties/{code}/readiness`: each layer's state and what each capability still needs. */
export const readinessSchema = z.object({
  county: z.object({ code: z.string(), name: z.string(), synthetic: z.boolean() }),
  layers: z.array(
    z.object({
      layer: z.enum(READINESS_LAYERS),
      count: int(),
      importedAt: z.string().nullable(),
      estimatedShare: z.number().nullable(),
      synthetic: z
        .boolean()
        .optional()
        .describe('The layer is generated (the demo), not a file of the county: so far only the terrain says'),
      unlocks: z.array(z.enum(CAPABILITIES)).describe('The capabilities that need this layer'),
    }),
  ),
  capabilities: z.array(
    z.object({
      capability: z.enum(CAPABILITIES),
      ready: z.boolean(),
      needs: z.array(z.enum(READINESS_LAYERS)),
      problems: z.array(z.string()),
    }),
  ),
});
export type Readiness = z.infer<typeof readinessSchema>;
