/**
 * The grid planning API (`/api/grids/...`): what the routes take and answer, shared by the server
 * and the planners' workspace. Grid ids are integers unique within a plan; unit ids are
 * `grid_units.id`, unique within the county.
 */
import { z } from 'zod';
import { INT32_MAX, lonLatSchema } from './json.js';

export const planStatusSchema = z.enum(['draft', 'active', 'archived']);
export type PlanStatus = z.infer<typeof planStatusSchema>;

const townshipCode = z.string().regex(/^\d{9}$/, '乡镇代码为 9 位数字（a township code has 9 digits）');
const householdTarget = z.number().int().min(50).max(2000);

/** Households per grid: county defaults by kind, overridden per township and per village. */
export const planTargetsSchema = z.object({
  village: z.number(),
  community: z.number(),
  townships: z.record(z.string(), z.object({ village: z.number().optional(), community: z.number().optional() })),
  villages: z.record(z.string(), z.number()),
});
export type PlanTargets = z.infer<typeof planTargetsSchema>;

/** Targets as a planner sends them: any part of them, within bounds. */
export const planTargetsInputSchema = z
  .object({
    village: householdTarget,
    community: householdTarget,
    townships: z.record(townshipCode, z.object({ village: householdTarget, community: householdTarget }).partial()),
    villages: z.record(z.string().regex(/^\d{12}$/), householdTarget),
  })
  .partial()
  .strict();

export const planListItemSchema = z.object({
  id: z.number().int(),
  countyCode: z.string(),
  name: z.string(),
  status: planStatusSchema,
  revision: z.number().int(),
  grids: z.number().int(),
  households: z.number().int(),
  within10: z.number(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type PlanListItem = z.infer<typeof planListItemSchema>;

/** One grid with its attributes and live figures. */
export const gridInfoSchema = z.object({
  id: z.number().int(),
  townshipCode: z.string(),
  name: z.string(),
  locked: z.boolean(),
  workerName: z.string().nullable(),
  workerPhone: z.string().nullable(),
  dutyList: z.string(),
  negativeList: z.string(),
  exemptionList: z.string(),
  score: z.number().nullable(),
  households: z.number().int(),
  targetHouseholds: z.number(),
  deviationRatio: z.number().describe('(households − target) / target'),
  unitCount: z.number().int(),
  villageCodes: z.array(z.string()),
  contiguous: z.boolean(),
  maxDriveMinutes: z.number(),
  servicePoint: lonLatSchema
    .nullable()
    .describe("The service point (the travel-time median unit's representative), [lon, lat]"),
});
export type GridInfo = z.infer<typeof gridInfoSchema>;

/** Figures of a township (or the county) in a plan. */
export const planSummarySchema = z.object({
  grids: z.number().int(),
  households: z.number().int(),
  maxAbsDeviationRatio: z.number(),
  within10: z.number().describe('Share of grids within ±10 % of their target (0–1)'),
  within25: z.number().describe('Share of grids within ±25 % of their target (0–1)'),
  nonContiguous: z.number().int(),
  unassignedUnits: z.number().int(),
  unassignedHouseholds: z.number().int(),
  villageSplits: z.number().int(),
  maxGridDriveMinutes: z.number(),
});
export type PlanSummary = z.infer<typeof planSummarySchema>;

export const townshipSummarySchema = planSummarySchema.extend({
  code: z.string(),
  name: z.string(),
  units: z.number().int(),
  explanations: z
    .array(z.object({ zh: z.string(), en: z.string() }))
    .describe('Why targets are not met, in plain words'),
});
export type TownshipSummary = z.infer<typeof townshipSummarySchema>;

const undoStepSchema = z.object({ revision: z.number().int(), summary: z.string() }).nullable();

export const planDetailSchema = z.object({
  id: z.number().int(),
  countyCode: z.string(),
  name: z.string(),
  status: planStatusSchema,
  revision: z.number().int(),
  seed: z.number().int(),
  targets: planTargetsSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
  undo: undoStepSchema.describe('What undo would do now; null when nothing'),
  redo: undoStepSchema.describe('What redo would do now; null when nothing'),
  summary: planSummarySchema,
  townships: z.array(townshipSummarySchema),
  grids: z.array(gridInfoSchema),
});
export type PlanDetail = z.infer<typeof planDetailSchema>;

/** Properties of a unit feature in `GET /api/grids/plans/{id}/units.geojson`. */
export const unitFeaturePropertiesSchema = z.object({
  unitId: z.number().int(),
  townshipCode: z.string(),
  villageCode: z.string(),
  villageName: z.string(),
  name: z.string().nullable(),
  households: z.number().int(),
  gridId: z.number().int().nullable().describe('null when in no grid'),
});
export type UnitFeatureProperties = z.infer<typeof unitFeaturePropertiesSchema>;

/** Properties of a grid feature in `GET /api/grids/plans/{id}/grids.geojson` (the grid's shape). */
export const gridFeaturePropertiesSchema = z.object({
  gridId: z.number().int(),
  townshipCode: z.string(),
  name: z.string(),
  households: z.number().int(),
  deviationRatio: z.number(),
  contiguous: z.boolean(),
  locked: z.boolean(),
});
export type GridFeatureProperties = z.infer<typeof gridFeaturePropertiesSchema>;

const text = (max: number) => z.string().max(max);

/** Attributes a planner may change on a grid (all optional; null clears). */
export const gridAttributesSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    workerName: text(50).nullable(),
    workerPhone: z
      .string()
      .regex(/^[0-9+\- ]{0,30}$/, '电话只含数字、空格、+ 和 -（digits, spaces, + and - only）')
      .nullable(),
    dutyList: text(5000),
    negativeList: text(5000),
    exemptionList: text(5000),
    score: z.number().min(0).max(100).nullable(),
  })
  .partial()
  .strict();
export type GridAttributes = z.infer<typeof gridAttributesSchema>;

const gridId = z.number().int().min(0).max(INT32_MAX);
const base = { baseRevision: z.number().int().min(0).max(INT32_MAX) };
const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** One edit, based on the revision the editor last saw (`POST /api/grids/plans/{id}/edits`). */
export const planEditSchema = z.discriminatedUnion('action', [
  z
    .object({
      ...base,
      action: z.literal('move'),
      unitIds: z.array(z.number().int().positive().max(INT32_MAX)).min(1).max(5000),
      toGrid: gridId.nullable(),
    })
    .strict(),
  z.object({ ...base, action: z.literal('split'), grid: gridId }).strict(),
  z.object({ ...base, action: z.literal('merge'), grids: z.tuple([gridId, gridId]) }).strict(),
  z
    .object({ ...base, action: z.literal('lock'), grids: z.array(gridId).min(1).max(2000), locked: z.boolean() })
    .strict(),
  z.object({ ...base, action: z.literal('repartition'), townshipCode, seed: seed.optional() }).strict(),
  z.object({ ...base, action: z.literal('complete'), townshipCode }).strict(),
  z.object({ ...base, action: z.literal('attributes'), grid: gridId, attributes: gridAttributesSchema }).strict(),
  z.object({ ...base, action: z.literal('undo') }).strict(),
  z.object({ ...base, action: z.literal('redo') }).strict(),
]);
export type PlanEdit = z.infer<typeof planEditSchema>;

/** `POST /api/grids/plans` body. */
export const createPlanRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    countyCode: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
    seed: seed.optional(),
    targets: planTargetsInputSchema.optional(),
    copyOf: z.number().int().positive().max(INT32_MAX).optional(),
  })
  .strict();
export type CreatePlanRequest = z.infer<typeof createPlanRequestSchema>;

/** `PATCH /api/grids/plans/{id}` body. */
export const updatePlanRequestSchema = z
  .object({ name: z.string().trim().min(1).max(100), status: planStatusSchema, targets: planTargetsInputSchema })
  .partial()
  .strict();
export type UpdatePlanRequest = z.infer<typeof updatePlanRequestSchema>;

/** A warning about an accepted edit (it never blocks): in both languages. */
export const editWarningSchema = z.object({
  kind: z.string(),
  grid: z.number().int().optional(),
  zh: z.string(),
  en: z.string(),
});
export type EditWarning = z.infer<typeof editWarningSchema>;

/** Answer to an accepted edit: the new revision and the grids it changed (removed ones listed by id). */
export const editResultSchema = z.object({
  revision: z.number().int(),
  action: z.enum(['move', 'split', 'merge', 'lock', 'repartition', 'complete', 'attributes', 'undo', 'redo']),
  summary: z.string(),
  grids: z.array(gridInfoSchema).describe('Grids created or changed, with their new figures'),
  removedGrids: z.array(z.number().int()),
  units: z
    .array(z.tuple([z.number().int(), z.number().int().nullable()]))
    .describe('Units whose grid changed: [unitId, gridId | null]'),
  warnings: z.array(editWarningSchema),
  townships: z.array(townshipSummarySchema),
  undo: undoStepSchema,
  redo: undoStepSchema,
});
export type EditResult = z.infer<typeof editResultSchema>;

/** Body of the 409 answer to an edit based on a stale revision (the app's error body with details). */
export interface StaleEdit {
  error: { code: 'conflict'; message: string; details: { revision: number; plan: PlanDetail } };
}

export const revisionInfoSchema = z.object({
  revision: z.number().int(),
  action: z.string(),
  author: z.string(),
  createdAt: z.string(),
  summary: z.string(),
  undoes: z.number().int().nullable(),
  redoes: z.number().int().nullable(),
  unitsMoved: z.number().int(),
});
export type RevisionInfo = z.infer<typeof revisionInfoSchema>;

const planRefSchema = z.object({ id: z.number().int(), name: z.string(), revision: z.number().int() });

/** `GET /api/grids/plans/compare?a=&b=`: which households are in another grid in b than in a. */
export const planComparisonSchema = z.object({
  a: planRefSchema,
  b: planRefSchema,
  householdsMoved: z.number().int(),
  unitsMoved: z.number().int(),
  townships: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      householdsMoved: z.number().int(),
      gridsA: z.number().int(),
      gridsB: z.number().int(),
    }),
  ),
  moves: z
    .array(
      z.object({
        unitId: z.number().int(),
        townshipCode: z.string(),
        villageName: z.string(),
        households: z.number().int(),
        fromGrid: z.string().nullable(),
        toGrid: z.string().nullable(),
      }),
    )
    .describe('Moved units: grid name in a → grid name in b'),
});
export type PlanComparison = z.infer<typeof planComparisonSchema>;
