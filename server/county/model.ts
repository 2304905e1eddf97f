import type { MultiPolygon } from 'geojson';
import type { EventCategory, RoadClass, TownshipKind, VillageKind } from '../db/schema.js';
import type { GridSpec } from './generate/raster.js';

export type LonLat = [number, number];

/**
 * A whole county in memory, as the generator makes it and the loader stores it. Plain data:
 * GeoJSON geometries in WGS84, ids unique within the model.
 */
export interface CountyModel {
  county: { code: string; name: string; synthetic: boolean; seed: string | null; geometry: MultiPolygon };
  terrain: { spec: GridSpec; elevationMetres: Int16Array; hillshade: Uint8Array } | null;
  warZones: { id: number; name: string }[];
  stations: { code: string; name: string; warZoneId: number | null; officers: number; point: LonLat }[];
  townships: {
    code: string;
    name: string;
    kind: TownshipKind;
    stationCode: string | null;
    seat: LonLat | null;
    geometry: MultiPolygon;
  }[];
  villages: {
    code: string;
    townshipCode: string;
    name: string;
    kind: VillageKind;
    centre: LonLat;
    geometry: MultiPolygon;
  }[];
  households: HouseholdRecord[];
  roadNodes: { id: number; elevationMetres: number | null; point: LonLat }[];
  roadEdges: RoadEdgeRecord[];
  rivers: { id: number; name: string | null; strahler: number; coordinates: LonLat[] }[];
  busLines: { id: string; name: string; coordinates: LonLat[][]; stopIds: string[] }[];
  busStops: { id: string; name: string; villageCode: string | null; point: LonLat }[];
  mediationRooms: { id: string; name: string; townshipCode: string | null; point: LonLat }[];
  sageRooms: { id: string; name: string; villageCode: string | null; point: LonLat }[];
  events: EventRecord[];
  officers: {
    id: string;
    name: string;
    department: string;
    homeStationCode: string | null;
    qualifications: string[];
    point: LonLat;
  }[];
  /**
   * Drive times officers reported, station → village and village → village, in whole minutes
   * (the demo's come from a hidden true speed model plus noise: generate/observed-trips.ts). Not
   * stored by the loader: they are the input of calibration, handed over as a CSV.
   */
  observedTrips?: { fromCode: string; toCode: string; minutes: number }[];
}

export interface HouseholdRecord {
  code: string;
  villageCode: string;
  persons: number;
  aged70Plus: number;
  disabled: number;
  leftBehind: number;
  lowIncome: number;
  needsAssistance: number;
  point: LonLat;
}

export interface RoadEdgeRecord {
  id: number;
  source: number;
  target: number;
  roadClass: RoadClass;
  name: string | null;
  speedKmh: number;
  lengthMetres: number;
  climbMetres: number | null;
  descentMetres: number | null;
  sinuosity: number | null;
  turningDegreesPerKm: number | null;
  /** One-way edges as road_edges.one_way stores them: driven source → target only ('forward') or target → source only ('backward'). */
  oneWay?: 'forward' | 'backward' | null;
  coordinates: LonLat[];
}

export interface EventRecord {
  category: EventCategory;
  subcategory: string | null;
  occurredAt: Date;
  villageCode: string | null;
  stationCode: string | null;
  point: LonLat;
}
