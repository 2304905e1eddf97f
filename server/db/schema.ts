import type { Generated } from 'kysely';

/**
 * Tables as Kysely sees them. Each migration that adds a table adds its interface here.
 * Geometry columns are typed `Geometry`: write them with ST_GeomFromGeoJSON and read them
 * with ST_AsGeoJSON; their raw value (hex EWKB) is never used.
 */
export type Geometry = string & { readonly __geometry: unique symbol };

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

export interface CountiesTable {
  code: string;
  name: string;
  synthetic: Generated<boolean>;
  seed: string | null;
  geom: Geometry;
  outline_from_townships: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface WarZonesTable {
  id: number;
  county_code: string;
  name: string;
}

export interface PoliceStationsTable {
  code: string;
  county_code: string;
  name: string;
  war_zone_id: number | null;
  officers: Generated<number>;
  geom: Geometry;
}

export type TownshipKind = 'town' | 'township' | 'reserve';

export interface TownshipsTable {
  code: string;
  county_code: string;
  name: string;
  kind: TownshipKind;
  police_station_code: string | null;
  seat: Geometry | null;
  geom: Geometry;
  source_id: string | null;
}

export type VillageKind = 'village' | 'community';

export interface VillagesTable {
  code: string;
  township_code: string;
  name: string;
  kind: VillageKind;
  centre: Geometry;
  geom: Geometry;
  source_id: string | null;
}

export type JurisdictionSource = 'model' | 'file' | 'drive_time' | 'manual';

/** A police station's link to a township it serves (辖区); only confirmed links count. */
export interface StationTownshipsTable {
  township_code: string;
  station_code: string;
  source: JurisdictionSource;
  confirmed: boolean;
  drive_seconds: number | null;
  decided_by: string;
  decided_at: Generated<Date>;
}

export interface HouseholdsTable {
  id: Generated<number>;
  code: string;
  village_code: string;
  persons: number;
  aged_70_plus: Generated<number>;
  disabled: Generated<number>;
  left_behind: Generated<number>;
  low_income: Generated<number>;
  needs_assistance: Generated<number>;
  geom: Geometry;
  /** Placed by the importer along its village's roads (the file gave no coordinates), not surveyed. */
  estimated: Generated<boolean>;
}

export interface TerrainTable {
  county_code: string;
  west: number;
  north: number;
  d_lon: number;
  d_lat: number;
  width: number;
  height: number;
  elevation_m: Uint8Array;
  hillshade: Uint8Array;
  synthetic: Generated<boolean>;
}

export interface RoadNodesTable {
  id: number;
  county_code: string;
  elevation_m: number | null;
  geom: Geometry;
}

export type RoadClass = 'county' | 'township' | 'village';

export interface RoadEdgesTable {
  id: number;
  county_code: string;
  source: number;
  target: number;
  road_class: RoadClass;
  name: string | null;
  speed_kmh: number;
  length_m: number;
  climb_m: number | null;
  descent_m: number | null;
  sinuosity: number | null;
  turning_deg_per_km: number | null;
  /** Driven from source to target only, or from target to source only; null both ways (0008). */
  one_way: 'forward' | 'backward' | null;
  technical_grade: 'expressway' | 'class1' | 'class2' | 'class3' | 'class4' | 'substandard' | null;
  administrative_class: 'G' | 'S' | 'X' | 'Y' | 'C' | 'Z' | null;
  structure: 'bridge' | 'tunnel' | null;
  geom: Geometry;
}

export interface RiversTable {
  id: number;
  county_code: string;
  name: string | null;
  strahler: number;
  geom: Geometry;
}

export interface BusLinesTable {
  id: string;
  county_code: string;
  name: string;
  geom: Geometry;
}

export interface BusStopsTable {
  id: string;
  county_code: string;
  name: string;
  village_code: string | null;
  geom: Geometry;
}

export interface BusLineStopsTable {
  line_id: string;
  stop_id: string;
  seq: number;
}

export interface MediationRoomsTable {
  id: string;
  county_code: string;
  name: string;
  township_code: string | null;
  geom: Geometry;
}

export interface SagePoliceRoomsTable {
  id: string;
  county_code: string;
  name: string;
  village_code: string | null;
  geom: Geometry;
}

export type EventCategory = 'incident' | 'dispute' | 'petition' | 'fraud' | 'traffic_accident';

export interface EventsTable {
  id: Generated<number>;
  county_code: string;
  category: EventCategory;
  subcategory: string | null;
  occurred_at: Date;
  village_code: string | null;
  police_station_code: string | null;
  geom: Geometry;
}

export interface OfficersTable {
  id: string;
  county_code: string;
  name: string;
  department: string;
  home_station_code: string | null;
  qualifications: Generated<string[]>;
  geom: Geometry;
}

export interface ImportsTable {
  id: Generated<number>;
  county_code: string | null;
  layer: string;
  file_name: string;
  crs: string;
  counts: unknown;
  imported_by: string;
  imported_at: Generated<Date>;
}

/** migrations/0003_policing.sql: the no-trip rules per county. */
export interface PolicingSettingsTable {
  county_code: string;
  max_drive_minutes: Generated<number>;
  max_bus_walk_metres: Generated<number>;
  updated_by: string;
  updated_at: Generated<Date>;
}

/** Villages a commander made no-trip by hand, with the reason. */
export interface NoTripDesignationsTable {
  village_code: string;
  reason: string;
  designated_by: string;
  designated_at: Generated<Date>;
}

/** Backpack-policing visits and the services done. */
export interface BackpackVisitsTable {
  id: Generated<number>;
  village_code: string;
  station_code: string;
  /** A date (YYYY-MM-DD), read back as text. */
  visited_on: string;
  officers: number;
  business_handled: Generated<number>;
  help_requests: Generated<number>;
  unregistered_resolved: Generated<number>;
  note: string | null;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

/** migrations/0004_holidays.sql: holiday policing. */
export interface HolidaysTable {
  id: Generated<number>;
  county_code: string;
  name: string;
  /** A date (YYYY-MM-DD); read it back as text. */
  first_day: string;
  days: number;
  shifts_per_day: number;
  max_travel_minutes: Generated<number>;
  status: Generated<'draft' | 'published'>;
  published_plan_id: number | null;
  created_by: string;
  created_at: Generated<Date>;
}

export interface HolidayDemandsTable {
  holiday_id: number;
  station_code: string;
  day: number;
  shift: number;
  duty: 'incident' | 'traffic' | 'patrol';
  officers: number;
  own_on_duty: Generated<number>;
}

export interface HolidayUnavailabilityTable {
  holiday_id: number;
  officer_id: string;
  day: number;
  shift: number;
}

export interface HolidayZoneLimitsTable {
  holiday_id: number;
  war_zone_id: number;
  min_officers: number | null;
  max_officers: number | null;
}

export interface HolidayStationCoversTable {
  holiday_id: number;
  station_code: string;
  min_officers: number;
}

export interface HolidayPlansTable {
  id: Generated<number>;
  holiday_id: number;
  label: string;
  summary: unknown;
  detail: unknown;
  created_by: string;
  created_at: Generated<Date>;
}

/** migrations/0005_grids.sql: grid planning. */
export interface GridUnitSetsTable {
  county_code: string;
  households: number;
  fingerprint: string;
  built_at: Generated<Date>;
}

export interface GridUnitsTable {
  id: Generated<number>;
  county_code: string;
  township_code: string;
  unit_index: number;
  village_code: string;
  name: string | null;
  households: number;
  household_codes: string[];
  representative: Geometry | null;
  geom: Geometry;
  area_m2: number;
}

export interface GridUnitLinksTable {
  township_code: string;
  a: number;
  b: number;
  drive_seconds: number;
}

export interface GridPlansTable {
  id: Generated<number>;
  county_code: string;
  name: string;
  status: Generated<'draft' | 'active' | 'archived'>;
  revision: Generated<number>;
  seed: Generated<number>;
  targets: Generated<unknown>;
  created_by: string;
  created_at: Generated<Date>;
  updated_by: string;
  updated_at: Generated<Date>;
}

export interface GridPlanGridsTable {
  plan_id: number;
  grid_id: number;
  township_code: string;
  name: string;
  locked: Generated<boolean>;
  worker_name: string | null;
  worker_phone: string | null;
  duty_list: Generated<string>;
  negative_list: Generated<string>;
  exemption_list: Generated<string>;
  score: number | null;
  households: Generated<number>;
  target_households: Generated<number>;
  deviation_ratio: Generated<number>;
  unit_count: Generated<number>;
  village_codes: Generated<string[]>;
  contiguous: Generated<boolean>;
  max_drive_seconds: Generated<number>;
  service_unit_id: number | null;
  geom: Geometry | null;
}

export interface GridPlanUnitsTable {
  plan_id: number;
  unit_id: number;
  grid_id: number | null;
}

export interface GridPlanRevisionsTable {
  plan_id: number;
  revision: number;
  action: string;
  author: string;
  created_at: Generated<Date>;
  summary: string;
  undoes: number | null;
  redoes: number | null;
  changes: unknown;
}

export interface GridPlanTownshipsTable {
  plan_id: number;
  township_code: string;
  revision: number;
  seed: number;
  explanations: unknown;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: Generated<string>;
  role: 'admin' | 'planner' | 'commander' | 'leader';
  townships: string[] | null;
  password_hash: string;
  disabled: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  last_login_at: Date | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: Generated<Date>;
  last_seen: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  user_id: number | null;
  username: string;
  role: string | null;
  action: string;
  target: string | null;
  status: number;
  ip: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
}

export interface AppSecretsTable {
  name: string;
  value: Uint8Array;
  created_at: Generated<Date>;
}

export interface DB {
  schema_migrations: SchemaMigrationsTable;
  counties: CountiesTable;
  war_zones: WarZonesTable;
  police_stations: PoliceStationsTable;
  townships: TownshipsTable;
  villages: VillagesTable;
  households: HouseholdsTable;
  terrain: TerrainTable;
  road_nodes: RoadNodesTable;
  road_edges: RoadEdgesTable;
  rivers: RiversTable;
  bus_lines: BusLinesTable;
  bus_stops: BusStopsTable;
  bus_line_stops: BusLineStopsTable;
  mediation_rooms: MediationRoomsTable;
  sage_police_rooms: SagePoliceRoomsTable;
  events: EventsTable;
  officers: OfficersTable;
  imports: ImportsTable;
  policing_settings: PolicingSettingsTable;
  no_trip_designations: NoTripDesignationsTable;
  backpack_visits: BackpackVisitsTable;
  holidays: HolidaysTable;
  holiday_demands: HolidayDemandsTable;
  holiday_unavailability: HolidayUnavailabilityTable;
  holiday_zone_limits: HolidayZoneLimitsTable;
  holiday_station_covers: HolidayStationCoversTable;
  holiday_plans: HolidayPlansTable;
  grid_unit_sets: GridUnitSetsTable;
  grid_units: GridUnitsTable;
  grid_unit_links: GridUnitLinksTable;
  grid_plans: GridPlansTable;
  grid_plan_grids: GridPlanGridsTable;
  grid_plan_units: GridPlanUnitsTable;
  grid_plan_revisions: GridPlanRevisionsTable;
  grid_plan_townships: GridPlanTownshipsTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  app_secrets: AppSecretsTable;
  station_townships: StationTownshipsTable;
}
