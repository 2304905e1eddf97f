/** Public surface of the grid partition core: pure functions over units, road links and plans. */
export { buildUnitGraph, DriveTimes, isContiguous, type UnitGraph } from './graph.js';
export { partitionCounty, partitionTownship, type TownshipInput } from './partition.js';
export { gridStats, moveUnitsCheck, type GridStats, type GridStatsOptions } from './stats.js';
export {
  explanationText,
  moveWarningText,
  type ExplanationLanguage,
  type GridName,
  type MoveWarning,
  type PartitionExplanation,
} from './explain.js';
export * from './types.js';
