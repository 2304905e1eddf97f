import type { PartitionExplanation } from './explain.js';

/** What a unit belongs to: a rural administrative village (行政村) or an urban community (社区). */
export type UnitKind = 'village' | 'community';

/**
 * The atom a grid is made of: a hamlet or block of households (usually ≤ ~30) along a stretch of
 * road, inside one village. Units are numbered 0..n-1 within one township.
 */
export interface PartitionUnit {
  households: number;
  /** The administrative village or community the unit lies in (any integer, used as a key). */
  villageIndex: number;
  kind: UnitKind;
  /** Shown in explanations (e.g. 下洋自然村); `#index` when absent. */
  name?: string;
}

/** A road link between two neighbouring units (undirected) and the drive between their centres. */
export interface UnitEdge {
  a: number;
  b: number;
  driveSeconds: number;
}

/**
 * How the single cost the search minimises is made, in the order the planners rank the goals:
 * balance dominates, then the longest drive, then village splits. Cost of a plan =
 * Σ grids [balance · (100 · deviationRatio)² + offTargetGrid · (outside ±tolerance) + drive ·
 * maxDriveSeconds / 60] + villageSplit · splits.
 */
export interface PartitionWeights {
  /** Per squared percentage point of a grid's deviation from its target (10 % off costs 100). */
  balancePerPercentSquared: number;
  /** Per grid outside ±tolerance of its target, so that the count of grids on target matters. */
  offTargetGrid: number;
  /** Per minute of a grid's longest drive from its service point. */
  drivePerMinute: number;
  /** Per village split: each extra grid that a village's units are spread over. */
  villageSplit: number;
}

/** Default weights: 1 %² ≙ 1 minute of drive; a grid off target ≙ 10 % more off; one village split ≙ ~2 % off on two grids. */
export const DEFAULT_WEIGHTS: Readonly<PartitionWeights> = Object.freeze({
  balancePerPercentSquared: 1,
  offTargetGrid: 100,
  drivePerMinute: 1,
  villageSplit: 10,
});

/** Households per rural grid, from the county standard (about 200). */
export const DEFAULT_VILLAGE_TARGET_HOUSEHOLDS = 200;
/** Households per urban community grid, from the county standard (about 300). */
export const DEFAULT_COMMUNITY_TARGET_HOUSEHOLDS = 300;
/** Grids within ±10 % of their target count as on target; beyond it they are explained. */
export const DEFAULT_TOLERANCE_RATIO = 0.1;

/** Household targets: by kind for the township, overridden per village. */
export interface TargetOptions {
  /** Households per grid for 'village' units (default 200). */
  villageTargetHouseholds?: number;
  /** Households per grid for 'community' units (default 300). */
  communityTargetHouseholds?: number;
  /** Per-village override, keyed by `villageIndex`. */
  targetByVillage?: Readonly<Record<number, number>>;
}

/** Options of one township's partition run. */
export interface PartitionOptions extends TargetOptions {
  /** Seed of every random choice; one seed gives one result (default 1). */
  seed?: number;
  /**
   * 'full' (default): partition every unit outside the locked grids afresh.
   * 'complete': keep every assigned unit where it is; give unassigned units to neighbouring grids.
   */
  mode?: 'full' | 'complete';
  /** The current plan, unit → grid id (any non-negative integer), -1 for unassigned. */
  assignment?: ArrayLike<number>;
  /** Grid ids in `assignment` that stay exactly as they are in 'full' mode. */
  lockedGrids?: readonly number[];
  /** Number of new grids; default round(Σ households / target) per connected part, at least 1. */
  gridCount?: number;
  /** Deviation ratio counted as on target (default 0.1). */
  toleranceRatio?: number;
  weights?: Partial<PartitionWeights>;
  /** Independent seeded starts per part; the best is kept (default 4). */
  restarts?: number;
  /**
   * How each start builds its first plan before improvement: 'tree-split' (default; recursive
   * spanning-tree splitting, balanced across dead-end valleys) or 'seeded-growth' (k-medoid
   * seeds by drive time, grown least-loaded first; more compact starts, more stranded pockets).
   */
  initialPlan?: 'tree-split' | 'seeded-growth';
}

/** One grid of a plan with its live figures. */
export interface GridResult {
  /** Grid id as used in the assignment. */
  id: number;
  /** Kept unchanged from the input plan (a locked grid). */
  locked: boolean;
  /** Unit indices, ascending. */
  units: number[];
  households: number;
  /**
   * Households this grid should hold: the target of its units, or for a mix of targets the
   * weighted target Σh / Σ(h / t) (each household counts 1/t of a grid).
   */
  targetHouseholds: number;
  /** households − targetHouseholds. */
  deviation: number;
  /** deviation / targetHouseholds. */
  deviationRatio: number;
  /** Village indices of the grid's units, ascending. */
  villages: number[];
  /** Travel-time median unit (household-weighted), where the grid worker is based. */
  servicePointUnit: number;
  /** Longest drive from the service point to any unit of the grid. */
  maxDriveSeconds: number;
  contiguous: boolean;
}

/** Township-wide figures of a plan. */
export interface PartitionSummary {
  grids: number;
  households: number;
  /** Largest |deviation| of any grid, in households. */
  maxAbsDeviation: number;
  maxAbsDeviationRatio: number;
  /** Grids within ±10 % of their target. */
  within10: number;
  /** Grids within ±25 % of their target. */
  within25: number;
  nonContiguous: number;
  /** Units in no grid. */
  unassigned: number;
  unassignedHouseholds: number;
  /** Σ over villages of (number of grids holding its units − 1). */
  villageSplits: number;
  maxGridDriveSeconds: number;
}

/** What a partition run returns for one township. */
export interface PartitionResult {
  /** Unit → grid id (-1 = unassigned). */
  assignment: Int32Array;
  /** Grids sorted by id. */
  grids: GridResult[];
  summary: PartitionSummary;
  /** Why targets are not met, structured; render with `explanationText`. */
  explanations: PartitionExplanation[];
  /** The minimised cost (see PartitionWeights), for comparing runs. */
  cost: number;
}
