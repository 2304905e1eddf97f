/**
 * Coordinate systems an imported file may be in, and the GCJ-02 conversion. CGCS2000 (EPSG:4490)
 * agrees with WGS84 within centimetres, so it is stored as is; GCJ-02 (the obfuscated system of
 * Chinese web maps) is converted to WGS84.
 */

export const CRS_NAMES = ['wgs84', 'cgcs2000', 'gcj02'] as const;
export type Crs = (typeof CRS_NAMES)[number];

export type LonLat = [number, number];

// Krasovsky 1940 ellipsoid, as the public GCJ-02 formula uses it.
const SEMI_MAJOR_AXIS = 6_378_245.0;
const ECCENTRICITY_SQUARED = 0.006_693_421_622_965_943;

/** The formula only shifts points inside this box; outside it GCJ-02 equals WGS84. */
export function outsideChina([lon, lat]: LonLat): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function shiftLat(x: number, y: number): number {
  let d = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  d += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  d += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  d += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y / 30) * Math.PI)) * 2) / 3;
  return d;
}

function shiftLon(x: number, y: number): number {
  let d = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  d += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  d += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  d += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return d;
}

/** WGS84 → GCJ-02 by the standard public formula (identity outside China). */
export function wgs84ToGcj02(point: LonLat): LonLat {
  if (outsideChina(point)) return [point[0], point[1]];
  const [lon, lat] = point;
  const radLat = (lat / 180) * Math.PI;
  const sinLat = Math.sin(radLat);
  const magic = 1 - ECCENTRICITY_SQUARED * sinLat * sinLat;
  const sqrtMagic = Math.sqrt(magic);
  const dLat =
    (shiftLat(lon - 105, lat - 35) * 180) /
    (((SEMI_MAJOR_AXIS * (1 - ECCENTRICITY_SQUARED)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (shiftLon(lon - 105, lat - 35) * 180) / ((SEMI_MAJOR_AXIS / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

// The inverse is found by fixed-point iteration: the offset changes slowly with position, so each
// step gains several digits. 1e-9° is about 0.1 mm, far below the 1e-7° we promise.
const INVERSE_TOLERANCE_DEGREES = 1e-9;
const INVERSE_MAX_STEPS = 30;

/** GCJ-02 → WGS84: the point whose forward conversion gives `point`, to better than 1e-7°. */
export function gcj02ToWgs84(point: LonLat): LonLat {
  let lon = point[0];
  let lat = point[1];
  for (let step = 0; step < INVERSE_MAX_STEPS; step++) {
    const [gLon, gLat] = wgs84ToGcj02([lon, lat]);
    const errLon = gLon - point[0];
    const errLat = gLat - point[1];
    if (Math.abs(errLon) < INVERSE_TOLERANCE_DEGREES && Math.abs(errLat) < INVERSE_TOLERANCE_DEGREES) break;
    lon -= errLon;
    lat -= errLat;
  }
  return [lon, lat];
}

/** A converter from the given system to WGS84 (the identity for WGS84 and CGCS2000). */
export function toWgs84(crs: Crs): (point: LonLat) => LonLat {
  return crs === 'gcj02' ? gcj02ToWgs84 : (point) => point;
}

/**
 * What a GeoJSON `crs` member says: EPSG:4326/CRS84 → wgs84, EPSG:4490 → cgcs2000, a name
 * containing GCJ-02 (written by some Chinese tools) → gcj02; `null` when the member names
 * anything else (a projected system we cannot take), `undefined` when there is no member.
 */
export function crsFromGeoJsonMember(member: unknown): Crs | null | undefined {
  if (member === undefined || member === null) return undefined;
  const name = (member as { properties?: { name?: unknown } }).properties?.name;
  if (typeof name !== 'string') return null;
  const normalised = name.trim().toUpperCase();
  if (/GCJ-?0?2/.test(normalised)) return 'gcj02';
  if (/CRS84$/.test(normalised) || /(^|:)(EPSG:+)?4326$/.test(normalised)) return 'wgs84';
  if (/(^|:)(EPSG:+)?4490$/.test(normalised)) return 'cgcs2000';
  return null;
}

/** WGS84 and CGCS2000 are treated alike; GCJ-02 is not. */
export function sameTreatment(a: Crs, b: Crs): boolean {
  return (a === 'gcj02') === (b === 'gcj02');
}
