/**
 * What the risk-map routes answer (/api/risk/…): the contract between the server and the leaders'
 * workspace. Leaders see aggregates only: counts per hexagon, village and township, never an event.
 * Months are 'YYYY-MM' in China Standard Time; a window is from its first month to its last, both
 * included.
 */
import type { EmergingLabel } from './emerging.js';

export type RiskCategory = 'incident' | 'dispute' | 'petition' | 'fraud' | 'traffic_accident';
export type RiskMeasure = 'count' | 'per1000';
export type RiskLayer = 'hexes' | 'hotspots' | 'density' | 'emerging';

/** GET /api/risk/meta */
export interface RiskMeta {
  countyCode: string;
  categories: RiskCategory[];
  /** Every month with data, oldest first. */
  months: string[];
  /** H3 resolutions served: the first for the county view, the second when zoomed in. */
  resolutions: number[];
  /** The default kernel bandwidth (rule of thumb on all events), metres. */
  defaultBandwidthMetres: number;
  townships: { code: string; name: string }[];
  events: number;
}

/** The query every map route takes: categories (comma-separated; all when absent), months, place. */
export interface RiskQuery {
  categories?: string;
  from: string;
  to: string;
  township?: string;
  village?: string;
}

/**
 * GET /api/risk/hexes?categories&from&to&resolution&measure — hexagons with events in the window.
 * `value` is per month of the window (count ÷ months, or per 1,000 households per month) and
 * `class` its class in `breaks`, which are computed once from every month of the whole range for
 * the categories, resolution and measure: they do not change with the window.
 */
export interface RiskHexes {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    geometry: { type: 'Polygon'; coordinates: number[][][] };
    properties: { h3: string; count: number; value: number; class: number };
  }[];
  total: number;
  months: number;
  measure: RiskMeasure;
  resolution: number;
  /** Upper bounds of classes 0..breaks.length−1; values above the last are the top class. */
  breaks: number[];
  classes: number;
}

/** GET /api/risk/hotspots?categories&from&to&resolution — Gi* on hex counts, FDR-corrected. */
export interface RiskHotspots {
  type: 'FeatureCollection';
  /** Only cells with a significant class (−3..−1 cold, 1..3 hot at 90/95/99%). */
  features: {
    type: 'Feature';
    geometry: { type: 'Polygon'; coordinates: number[][][] };
    properties: { h3: string; count: number; z: number; p: number; q: number; class: number };
  }[];
  studyCells: number;
  hot: number;
  cold: number;
}

/** GET /api/risk/emerging?categories&resolution — emerging-hotspot labels over all months. */
export interface RiskEmerging {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    geometry: { type: 'Polygon'; coordinates: number[][][] };
    properties: { h3: string; label: Exclude<EmergingLabel, 'none'> };
  }[];
  counts: Record<Exclude<EmergingLabel, 'none'>, number>;
}

/**
 * GET /api/risk/density?categories&from&to&bandwidthMetres — where the density image is and its
 * fixed colour breaks; the PNG itself is `url` (GET /api/risk/density.png with the same query).
 */
export interface RiskDensity {
  url: string;
  /** Corners for a MapLibre image source: top-left, top-right, bottom-right, bottom-left. */
  coordinates: [[number, number], [number, number], [number, number], [number, number]];
  bandwidthMetres: number;
  /** Events per km² per month at the class bounds (fixed over the whole range). */
  breaks: number[];
}

/** GET /api/risk/cells/{h3}?categories&from&to — what one hexagon holds (aggregates). */
export interface RiskCellBreakdown {
  h3: string;
  total: number;
  byCategory: Record<RiskCategory, number>;
  /** Every month of the whole range, for a sparkline; the window's months are those from..to. */
  byMonth: { month: string; count: number }[];
  villages: { code: string; name: string; count: number }[];
}

/** GET /api/risk/ranking?level=township|village&categories&from&to&limit */
export interface RiskRanking {
  level: 'township' | 'village';
  rows: {
    code: string;
    name: string;
    township: string | null;
    count: number;
    /** The same months a year before. */
    lastYear: number;
    changePercent: number | null;
    /** Two-sided p of the change (equal-rate test). */
    changeP: number;
    /** Villages: the emerging-hotspot label of the monthly Gi* among neighbouring villages; null for townships. */
    emerging: EmergingLabel | null;
    /** Monthly counts over the whole range (sparkline). */
    series: number[];
    /** Mann-Kendall over the whole range. */
    trend: { z: number; p: number; slopePerMonth: number; direction: 'up' | 'down' | 'none' };
  }[];
}

/** GET /api/risk/governance — the governance figures the seed report gives, beside what the data shows. */
export interface RiskGovernance {
  mediation: { rooms: number; accepted: number; resolved: number; source: 'report' };
  petitions: { backlog: number; resolved: number; year: number; source: 'report' };
  backpack: {
    visits: number;
    businessHandled: number;
    helpRequests: number;
    unregisteredResolved: number;
    source: 'data';
  };
  /** Events in the last 12 months against the 12 before, per category. */
  lastTwelveMonths: Record<RiskCategory, { count: number; previous: number }>;
}
