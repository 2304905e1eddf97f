/** The answers of a DEM import and its preview (POST /api/imports[/preview]?layer=terrain). */
import { z } from 'zod';

const problemSchema = z.object({
  index: z.number().int().describe('-1: the DEM as a whole'),
  code: z.string().optional(),
  field: z.string().optional(),
  reason: z.string(),
  severity: z.enum(['error', 'warning']),
});

const boundsSchema = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .describe('WGS84 [west, south, east, north]');

export const demDescriptionSchema = z.object({
  format: z.enum(['geotiff', 'hgt']),
  fileName: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  sampleType: z.string().describe('Int16, UInt16, Int32 or Float32'),
  compression: z.string().describe('none, LZW or Deflate'),
  crs: z.string().nullable(),
  crsSource: z.string().nullable().describe('given, or how the file named its system'),
  resolutionMetres: z.number().nullable().describe('a source pixel on the ground near the county'),
  bounds: boundsSchema.nullable(),
  minMetres: z.number().nullable(),
  maxMetres: z.number().nullable(),
  voids: z.number().int().describe('source pixels without a value'),
});

/** `POST /api/imports?layer=terrain` (201; 422 with this report when rejected). */
export const demReportSchema = z.object({
  accepted: z.boolean(),
  layer: z.literal('terrain'),
  source: demDescriptionSchema.nullable(),
  grid: z
    .object({ width: z.number().int(), height: z.number().int(), cellMetres: z.number(), bounds: boundsSchema })
    .nullable(),
  filledCells: z.number().int().describe('grid cells without a height in the DEM, filled from their neighbours'),
  uncoveredShare: z.number().nullable().describe("share of the county's cells the DEM does not cover"),
  positionErrorPixels: z.number().nullable().describe('largest reprojection position error found, in source pixels'),
  roads: z.object({ edges: z.number().int(), climbMetres: z.number(), descentMetres: z.number() }).nullable(),
  problems: z.array(problemSchema),
});

/** `POST /api/imports/preview?layer=terrain`. */
export const demPreviewSchema = z.object({
  layer: z.literal('terrain'),
  source: demDescriptionSchema.nullable(),
  problems: z.array(problemSchema),
});
