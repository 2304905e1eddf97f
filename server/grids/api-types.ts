/**
 * The grid planning API's types, now inferred from the schemas in `contracts/grids.ts`; kept here
 * as re-exports while the server and web modules still import this path.
 */
export type {
  EditResult,
  EditWarning,
  GridAttributes,
  GridFeatureProperties,
  GridInfo,
  PlanComparison,
  PlanDetail,
  PlanEdit,
  PlanListItem,
  PlanStatus,
  PlanSummary,
  PlanTargets,
  RevisionInfo,
  StaleEdit,
  TownshipSummary,
  UnitFeatureProperties,
} from '../../contracts/grids.js';
