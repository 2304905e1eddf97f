/**
 * The grid planning API's JSON shapes (`/api/grids/...`), shared by the server and the planners'
 * workspace. Grid ids are integers unique within a plan; unit ids are `grid_units.id`, unique
 * within the county.
 */

export type PlanStatus = 'draft' | 'active' | 'archived';

/** Households per grid: county defaults by kind, overridden per township and per village. */
export interface PlanTargets {
  village: number;
  community: number;
  townships: Record<string, { village?: number; community?: number }>;
  villages: Record<string, number>;
}

export interface PlanListItem {
  id: number;
  countyCode: string;
  name: string;
  status: PlanStatus;
  revision: number;
  grids: number;
  households: number;
  within10: number;
  updatedBy: string;
  updatedAt: string;
}

/** One grid with its attributes and live figures. */
export interface GridInfo {
  id: number;
  townshipCode: string;
  name: string;
  locked: boolean;
  workerName: string | null;
  workerPhone: string | null;
  dutyList: string;
  negativeList: string;
  exemptionList: string;
  score: number | null;
  households: number;
  targetHouseholds: number;
  /** (households − target) / target. */
  deviationRatio: number;
  unitCount: number;
  villageCodes: string[];
  contiguous: boolean;
  maxDriveMinutes: number;
  /** The service point (the travel-time median unit's representative), [lon, lat]. */
  servicePoint: [number, number] | null;
}

/** Figures of a township (or the county) in a plan. */
export interface PlanSummary {
  grids: number;
  households: number;
  maxAbsDeviationRatio: number;
  /** Share of grids within ±10 % / ±25 % of their target (0–1). */
  within10: number;
  within25: number;
  nonContiguous: number;
  unassignedUnits: number;
  unassignedHouseholds: number;
  villageSplits: number;
  maxGridDriveMinutes: number;
}

export interface TownshipSummary extends PlanSummary {
  code: string;
  name: string;
  units: number;
  /** Why targets are not met, in plain words (zh-CN and en). */
  explanations: { zh: string; en: string }[];
}

export interface PlanDetail {
  id: number;
  countyCode: string;
  name: string;
  status: PlanStatus;
  revision: number;
  seed: number;
  targets: PlanTargets;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  /** Whether undo / redo would do anything now, and what. */
  undo: { revision: number; summary: string } | null;
  redo: { revision: number; summary: string } | null;
  summary: PlanSummary;
  townships: TownshipSummary[];
  grids: GridInfo[];
}

/** Properties of a unit feature in `GET /api/grids/plans/{id}/units.geojson`. */
export interface UnitFeatureProperties {
  unitId: number;
  townshipCode: string;
  villageCode: string;
  villageName: string;
  name: string | null;
  households: number;
  /** null when in no grid. */
  gridId: number | null;
}

/** Properties of a grid feature in `GET /api/grids/plans/{id}/grids.geojson` (the grid's shape). */
export interface GridFeatureProperties {
  gridId: number;
  townshipCode: string;
  name: string;
  households: number;
  deviationRatio: number;
  contiguous: boolean;
  locked: boolean;
}

/** Attributes a planner may change on a grid (all optional; null clears). */
export interface GridAttributes {
  name?: string;
  workerName?: string | null;
  workerPhone?: string | null;
  dutyList?: string;
  negativeList?: string;
  exemptionList?: string;
  score?: number | null;
}

/** One edit, based on the revision the editor last saw. */
export type PlanEdit =
  | { baseRevision: number; action: 'move'; unitIds: number[]; toGrid: number | null }
  | { baseRevision: number; action: 'split'; grid: number }
  | { baseRevision: number; action: 'merge'; grids: [number, number] }
  | { baseRevision: number; action: 'lock'; grids: number[]; locked: boolean }
  | { baseRevision: number; action: 'repartition'; townshipCode: string; seed?: number }
  | { baseRevision: number; action: 'complete'; townshipCode: string }
  | { baseRevision: number; action: 'attributes'; grid: number; attributes: GridAttributes }
  | { baseRevision: number; action: 'undo' }
  | { baseRevision: number; action: 'redo' };

/** A warning about an accepted edit (it never blocks): in both languages. */
export interface EditWarning {
  kind: string;
  grid?: number;
  zh: string;
  en: string;
}

/** Answer to an accepted edit: the new revision and the grids it changed (removed ones listed by id). */
export interface EditResult {
  revision: number;
  action: PlanEdit['action'];
  summary: string;
  /** Grids created or changed, with their new figures. */
  grids: GridInfo[];
  removedGrids: number[];
  /** Units whose grid changed: [unitId, gridId | null]. */
  units: [number, number | null][];
  warnings: EditWarning[];
  townships: TownshipSummary[];
  undo: PlanDetail['undo'];
  redo: PlanDetail['redo'];
}

/** Body of the 409 answer to an edit based on a stale revision (the app's error body with details). */
export interface StaleEdit {
  error: { code: 'conflict'; message: string; details: { revision: number; plan: PlanDetail } };
}

export interface RevisionInfo {
  revision: number;
  action: string;
  author: string;
  createdAt: string;
  summary: string;
  undoes: number | null;
  redoes: number | null;
  unitsMoved: number;
}

/** `GET /api/grids/plans/compare?a=&b=`: which households are in another grid in b than in a. */
export interface PlanComparison {
  a: { id: number; name: string; revision: number };
  b: { id: number; name: string; revision: number };
  householdsMoved: number;
  unitsMoved: number;
  townships: { code: string; name: string; householdsMoved: number; gridsA: number; gridsB: number }[];
  /** Moved units: gridName in a → gridName in b. */
  moves: {
    unitId: number;
    townshipCode: string;
    villageName: string;
    households: number;
    fromGrid: string | null;
    toGrid: string | null;
  }[];
}
