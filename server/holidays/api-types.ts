/**
 * The holiday-policing API's types, now inferred from the schemas in `contracts/holidays.ts`;
 * kept here as re-exports while the server and web modules still import this path.
 */
export type {
  Availability,
  DemandEntry,
  DutyId,
  EvidenceEntry,
  ExplainedShortfall,
  HolidayDetail,
  HolidayOfficer,
  HolidaySummary,
  PlanComparison,
  PlanDetail,
  PlanSummary,
  SolveRequest,
  StationMove,
  ZoneAreas,
} from '../../contracts/holidays.js';
