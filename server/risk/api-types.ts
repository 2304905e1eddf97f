/**
 * The risk-map API's types, now inferred from the schemas in `contracts/risk.ts`; kept here as
 * re-exports while the server and web modules still import this path.
 */
export type {
  RiskCategory,
  RiskCellBreakdown,
  RiskDensity,
  RiskEmerging,
  RiskGovernance,
  RiskHexes,
  RiskHotspots,
  RiskLayer,
  RiskMeasure,
  RiskMeta,
  RiskQuery,
  RiskRanking,
} from '../../contracts/risk.js';
