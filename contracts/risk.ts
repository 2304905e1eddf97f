/**
 * The risk-map API (/api/risk/…): what the routes answer, shared by the server and the leaders'
 * workspace. Leaders see aggregates only: counts per hexagon, village and township, never an event.
 * Months are 'YYYY-MM' in China Standard Time; a window is from its first month to its last, both
 * included.
 */
import { z } from 'zod';
import { polygonSchema } from './json.js';

export const riskCategorySchema = z.enum(['incident', 'dispute', 'petition', 'fraud', 'traffic_accident']);
export type RiskCategory = z.infer<typeof riskCategorySchema>;
export const riskMeasureSchema = z.enum(['count', 'per1000']);
export type RiskMeasure = z.infer<typeof riskMeasureSchema>;
export type RiskLayer = 'hexes' | 'hotspots' | 'density' | 'emerging';

/** Labels of the emerging-hotspot analysis ('none': no pattern). */
export const emergingLabelSchema = z.enum(['none', 'new', 'intensifying', 'persistent', 'diminishing', 'sporadic']);
export type EmergingLabel = z.infer<typeof emergingLabelSchema>;
const shownEmergingLabelSchema = emergingLabelSchema.exclude(['none']);

const int = () => z.number().int();

/** GET /api/risk/meta */
export const riskMetaSchema = z.object({
  countyCode: z.string(),
  categories: z.array(riskCategorySchema),
  months: z.array(z.string()).describe('Every month with data, oldest first'),
  resolutions: z
    .array(int())
    .describe('H3 resolutions served: the first for the county view, the second when zoomed in'),
  defaultBandwidthMetres: z.number().describe('The default kernel bandwidth (rule of thumb on all events), metres'),
  townships: z.array(z.object({ code: z.string(), name: z.string() })),
  events: int(),
});
export type RiskMeta = z.infer<typeof riskMetaSchema>;

/** The query every map route takes: categories (comma-separated; all when absent), months, place. */
export interface RiskQuery {
  categories?: string;
  from: string;
  to: string;
  township?: string;
  village?: string;
}

const hexFeature = <P extends z.ZodType>(properties: P) =>
  z.object({ type: z.literal('Feature'), geometry: polygonSchema, properties });

/**
 * GET /api/risk/hexes — hexagons with events in the window. `value` is per month of the window
 * (count ÷ months, or per 1,000 households per month) and `class` its class in `breaks`, which are
 * computed once from every month of the whole range for the categories, resolution and measure.
 */
export const riskHexesSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(hexFeature(z.object({ h3: z.string(), count: int(), value: z.number(), class: int() }))),
  total: int(),
  months: int(),
  measure: riskMeasureSchema,
  resolution: int(),
  breaks: z
    .array(z.number())
    .describe('Upper bounds of classes 0..breaks.length−1; values above the last are the top class'),
  classes: int(),
});
export type RiskHexes = z.infer<typeof riskHexesSchema>;

/** GET /api/risk/hotspots — Gi* on hex counts, FDR-corrected; only cells with a significant class. */
export const riskHotspotsSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    hexFeature(
      z.object({
        h3: z.string(),
        count: int(),
        z: z.number(),
        p: z.number(),
        q: z.number(),
        class: int().describe('−3..−1 cold, 1..3 hot at 90/95/99 %'),
      }),
    ),
  ),
  studyCells: int(),
  hot: int(),
  cold: int(),
});
export type RiskHotspots = z.infer<typeof riskHotspotsSchema>;

/** GET /api/risk/emerging — emerging-hotspot labels over all months. */
export const riskEmergingSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(hexFeature(z.object({ h3: z.string(), label: shownEmergingLabelSchema }))),
  counts: z.record(shownEmergingLabelSchema, int()),
});
export type RiskEmerging = z.infer<typeof riskEmergingSchema>;

/** GET /api/risk/density — where the density image is (`url`, the PNG) and its fixed colour breaks. */
export const riskDensitySchema = z.object({
  url: z.string(),
  coordinates: z
    .tuple([
      z.tuple([z.number(), z.number()]),
      z.tuple([z.number(), z.number()]),
      z.tuple([z.number(), z.number()]),
      z.tuple([z.number(), z.number()]),
    ])
    .describe('Corners for a MapLibre image source: top-left, top-right, bottom-right, bottom-left'),
  bandwidthMetres: z.number(),
  breaks: z.array(z.number()).describe('Events per km² per month at the class bounds (fixed over the whole range)'),
});
export type RiskDensity = z.infer<typeof riskDensitySchema>;

/** GET /api/risk/cells/{h3} — what one hexagon holds (aggregates). */
export const riskCellBreakdownSchema = z.object({
  h3: z.string(),
  total: int(),
  byCategory: z.record(riskCategorySchema, int()),
  byMonth: z
    .array(z.object({ month: z.string(), count: int() }))
    .describe("Every month of the whole range, for a sparkline; the window's months are those from..to"),
  villages: z.array(z.object({ code: z.string(), name: z.string(), count: int() })),
});
export type RiskCellBreakdown = z.infer<typeof riskCellBreakdownSchema>;

/** GET /api/risk/ranking?level=township|village */
export const riskRankingSchema = z.object({
  level: z.enum(['township', 'village']),
  rows: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      township: z.string().nullable(),
      count: int(),
      lastYear: int().describe('The same months a year before'),
      changePercent: z.number().nullable(),
      changeP: z.number().describe('Two-sided p of the change (equal-rate test)'),
      emerging: emergingLabelSchema
        .nullable()
        .describe('Villages: the emerging-hotspot label among neighbouring villages; null for townships'),
      series: z.array(int()).describe('Monthly counts over the whole range'),
      trend: z
        .object({
          z: z.number(),
          p: z.number(),
          slopePerMonth: z.number(),
          direction: z.enum(['up', 'down', 'none']),
        })
        .describe('Mann-Kendall over the whole range'),
    }),
  ),
});
export type RiskRanking = z.infer<typeof riskRankingSchema>;

/** GET /api/risk/governance — the governance figures the seed report gives, beside what the data shows. */
export const riskGovernanceSchema = z.object({
  mediation: z.object({ rooms: int(), accepted: int(), resolved: int(), source: z.literal('report') }),
  petitions: z.object({ backlog: int(), resolved: int(), year: int(), source: z.literal('report') }),
  backpack: z.object({
    visits: int(),
    businessHandled: int(),
    helpRequests: int(),
    unregisteredResolved: int(),
    source: z.literal('data'),
  }),
  lastTwelveMonths: z
    .record(riskCategorySchema, z.object({ count: int(), previous: int() }))
    .describe('Events in the last 12 months against the 12 before, per category'),
});
export type RiskGovernance = z.infer<typeof riskGovernanceSchema>;
