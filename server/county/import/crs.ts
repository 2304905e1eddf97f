/**
 * Coordinate systems an imported file may be in, and the GCJ-02 and BD-09 conversions. CGCS2000
 * (EPSG:4490) agrees with WGS84 within centimetres, so it is stored as is; GCJ-02 (the obfuscated
 * system of Chinese web maps) and BD-09 (Baidu's, a further offset of GCJ-02) are converted to
 * WGS84 here; any other EPSG system (projected ones above all: CGCS2000 Gauss–Krüger) is
 * transformed by PostGIS (transform.ts).
 */

export const CRS_NAMES = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const;
export type CrsName = (typeof CRS_NAMES)[number];
/** An EPSG code other than 4326 and 4490 (those are `wgs84` and `cgcs2000`). */
export type EpsgCrs = `EPSG:${number}`;
export type Crs = CrsName | EpsgCrs;

/** How a `crs` parameter is written, for messages. */
export const CRS_CHOICES = `${CRS_NAMES.join(', ')} or EPSG:<code> (e.g. EPSG:4549, CGCS2000 3-degree Gauss–Krüger CM 120°E)`;

/** A `crs` as a user writes it (`gcj02`, `BD-09`, `EPSG:4549`, `4549`), or null when it names none. */
export function parseCrs(text: string): Crs | null {
  const value = text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if ((CRS_NAMES as readonly string[]).includes(value)) return value as CrsName;
  const epsg = /^(?:epsg:?)?(\d{4,6})$/.exec(value);
  if (!epsg) return null;
  return epsgCrs(Number(epsg[1]));
}

/** The Crs of an EPSG code: 4326 → wgs84, 4490 → cgcs2000, else `EPSG:n`. */
export function epsgCrs(code: number): Crs {
  if (code === 4326) return 'wgs84';
  if (code === 4490) return 'cgcs2000';
  return `EPSG:${code}`;
}

/** The EPSG code PostGIS must transform from, or null when the conversion is done here. */
export function epsgCode(crs: Crs): number | null {
  return crs.startsWith('EPSG:') ? Number(crs.slice(5)) : null;
}

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

// BD-09 is GCJ-02 rotated and shifted again by Baidu's public formula.
const BD_FACTOR = (Math.PI * 3000) / 180;

/** GCJ-02 → BD-09 (Baidu). */
export function gcj02ToBd09([lon, lat]: LonLat): LonLat {
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * BD_FACTOR);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * BD_FACTOR);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/** BD-09 → GCJ-02: the public approximate inverse, refined by fixed-point steps to below 1e-9°. */
export function bd09ToGcj02(point: LonLat): LonLat {
  const x = point[0] - 0.0065;
  const y = point[1] - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * BD_FACTOR);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * BD_FACTOR);
  let lon = z * Math.cos(theta);
  let lat = z * Math.sin(theta);
  for (let step = 0; step < INVERSE_MAX_STEPS; step++) {
    const [bLon, bLat] = gcj02ToBd09([lon, lat]);
    const errLon = bLon - point[0];
    const errLat = bLat - point[1];
    if (Math.abs(errLon) < INVERSE_TOLERANCE_DEGREES && Math.abs(errLat) < INVERSE_TOLERANCE_DEGREES) break;
    lon -= errLon;
    lat -= errLat;
  }
  return [lon, lat];
}

/** BD-09 → WGS84 (through GCJ-02). */
export function bd09ToWgs84(point: LonLat): LonLat {
  return gcj02ToWgs84(bd09ToGcj02(point));
}

/**
 * A converter from the given system to WGS84: the identity for WGS84 and CGCS2000, the offset
 * formulas for GCJ-02 and BD-09. EPSG systems are transformed by the database first
 * (transform.ts), so they never reach this function.
 */
export function toWgs84(crs: Crs): (point: LonLat) => LonLat {
  if (crs === 'gcj02') return gcj02ToWgs84;
  if (crs === 'bd09') return bd09ToWgs84;
  return (point) => point;
}

/**
 * What a GeoJSON `crs` member says: EPSG:4326/CRS84 → wgs84, EPSG:4490 → cgcs2000, a name
 * containing GCJ-02 or BD-09 (written by some Chinese tools) → gcj02/bd09, another EPSG code →
 * `EPSG:n`; `null` when the member names anything else, `undefined` when there is no member.
 */
export function crsFromGeoJsonMember(member: unknown): Crs | null | undefined {
  if (member === undefined || member === null) return undefined;
  const name = (member as { properties?: { name?: unknown } }).properties?.name;
  if (typeof name !== 'string') return null;
  const normalised = name.trim().toUpperCase();
  if (/GCJ-?0?2/.test(normalised)) return 'gcj02';
  if (/BD-?0?9/.test(normalised)) return 'bd09';
  if (/CRS84$/.test(normalised)) return 'wgs84';
  const epsg = /^(?:URN:OGC:DEF:CRS:)?EPSG:(?:[\d.]*:)?(\d{4,6})$/.exec(normalised);
  return epsg ? epsgCrs(Number(epsg[1])) : null;
}

/** WGS84 and CGCS2000 are treated alike; every other system only like itself. */
export function sameTreatment(a: Crs, b: Crs): boolean {
  const geographic = (crs: Crs) => (crs === 'cgcs2000' ? 'wgs84' : crs);
  return geographic(a) === geographic(b);
}
