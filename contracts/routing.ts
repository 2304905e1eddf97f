/**
 * The speed-model calibration API (/api/routing/calibrations…): a county's calibrations, a run's
 * report, and which constants a county drives with. Imports only zod (the web app may import it).
 */
import { z } from 'zod';
import { countyCodeSchema } from './json.js';

/** The constants calibration fits (the speed model's defaults when no calibration is active). */
export const calibratedConstantsSchema = z.object({
  speedFactor: z.number().describe("Factor on every road's design speed"),
  sideFriction: z.number(),
  junctionKmh: z.number(),
  climbingWattsPerKg: z.number(),
});
export type CalibratedConstants = z.infer<typeof calibratedConstantsSchema>;

/** Median and 90th percentile of absolute percentage errors |model / observed − 1|. */
export const errorFiguresSchema = z.object({ medianApe: z.number(), p90Ape: z.number() });
export type ErrorFigures = z.infer<typeof errorFiguresSchema>;

/** A calibration's report: error before and after, in sample and on held-out trips, and the fit's cost. */
export const calibrationMetricsSchema = z.object({
  trips: z.number(),
  folds: z.number(),
  before: errorFiguresSchema.describe('Default constants on all trips'),
  inSample: errorFiguresSchema.describe('Fitted on all trips, measured on the same trips'),
  heldOut: errorFiguresSchema.describe('Each trip predicted by constants fitted on the other folds'),
  ratioP10: z.number().describe('10th percentile of observed / model over held-out trips'),
  ratioP90: z.number().describe('90th percentile of observed / model over held-out trips'),
  outliers: z.number().describe('Trips the final fit gave no weight (gross outliers)'),
  evaluations: z.number(),
  evaluationsPerSecond: z.number(),
  fitSeconds: z.number(),
});
export type CalibrationMetrics = z.infer<typeof calibrationMetricsSchema>;

/** A problem of one row of a trip file: which file, row and field, the value, and why (Chinese and English). */
export const tripProblemSchema = z.object({
  file: z.string(),
  row: z.number().describe('0 for the whole file'),
  field: z.string().nullable(),
  value: z.string().nullable(),
  reason: z.string(),
});
export type TripProblem = z.infer<typeof tripProblemSchema>;

/** `GET /api/routing/calibrations`: one stored calibration. */
export const storedCalibrationSchema = z.object({
  id: z.number(),
  countyCode: z.string(),
  constants: calibratedConstantsSchema,
  metrics: calibrationMetricsSchema,
  tripCount: z.number(),
  sourceFile: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  active: z.boolean().describe('The constants the county drives with now'),
  appliedBy: z.string().nullable(),
  appliedAt: z.string().nullable(),
});
export type StoredCalibration = z.infer<typeof storedCalibrationSchema>;

/** `POST /api/routing/calibrations` (201): what the run did. */
export const calibrationRunReportSchema = z.object({
  calibrationId: z.number(),
  countyCode: z.string(),
  fileName: z.string(),
  format: z.string(),
  trips: z.number(),
  skippedRows: z.array(z.number()).describe('Rows left out because they had a problem (when asked to skip them)'),
  problems: z.array(tripProblemSchema),
  defaultConstants: calibratedConstantsSchema,
  constants: calibratedConstantsSchema,
  metrics: calibrationMetricsSchema,
  applied: z.boolean(),
});
export type CalibrationRunReport = z.infer<typeof calibrationRunReportSchema>;

/** `POST /api/routing/calibrations/{id|default}/apply`: the county and its constants now. */
export const appliedCalibrationSchema = z.object({
  countyCode: z.string(),
  calibrationId: z.number().nullable().describe('null: the default constants'),
});
export type AppliedCalibration = z.infer<typeof appliedCalibrationSchema>;

/** The body of both apply routes: the county (the first when absent). */
export const applyCalibrationRequestSchema = z.object({ county: countyCodeSchema.optional() }).strict();
export type ApplyCalibrationRequest = z.infer<typeof applyCalibrationRequestSchema>;

/** Where a drive's range comes from: a calibration's held-out trips, or the documented prior. */
export const RANGE_SOURCES = ['held-out trips', 'prior ±25 %'] as const;

/** The speed model's constants the drives were computed with: a calibration, or the default. */
export const constantsInUseSchema = z.object({
  calibrationId: z.number().nullable().describe('The active calibration, or null for the default constants'),
  label: z.string().describe("'default' or 'calibration <id> of <date>'"),
  calibratedAt: z.string().nullable(),
  appliedAt: z.string().nullable(),
  constants: calibratedConstantsSchema,
  ratioLow: z.number().describe('Low end of a drive range as a share of the model time (held-out p10, or 0.75)'),
  ratioHigh: z.number().describe('High end (held-out p90, or 1.25)'),
  rangeSource: z.enum(RANGE_SOURCES),
});
export type ConstantsInUse = z.infer<typeof constantsInUseSchema>;
