/**
 * A local equirectangular projection around the data centre, in metres.
 *
 * x = N(φ0)·cos φ0·(λ − λ0), y = M(φ0)·(φ − φ0), with M and N the WGS84 meridional and
 * prime-vertical radii of curvature at the centre latitude φ0, so the scale is exact at φ0 along
 * both axes. Why it is accurate enough: north–south scale (M) changes by ~1e-5 across a county,
 * and east–west scale is off by cos φ / cos φ0 − 1 ≈ −tan φ0 · Δφ. Taishun spans about 27.3°–27.8° N
 * (~55 km), so |Δφ| ≤ 0.25° = 0.0044 rad from the centre and the error is at most
 * tan 27.55° × 0.0044 ≈ 0.23 %: under 5 m over a 2 km kernel radius, far below what a density map
 * can show, and much simpler and faster than a transverse Mercator.
 */

const WGS84_A = 6_378_137;
const WGS84_E2 = 0.006_694_379_990_14;
const RAD = Math.PI / 180;

/** Centre and scale of a local equirectangular projection. */
export interface LocalProjection {
  lon0Deg: number;
  lat0Deg: number;
  metresPerDegreeLon: number;
  metresPerDegreeLat: number;
}

/** The local projection centred on a given point. */
export function localProjection(lon0Deg: number, lat0Deg: number): LocalProjection {
  const sinLat = Math.sin(lat0Deg * RAD);
  const w = 1 - WGS84_E2 * sinLat * sinLat;
  const primeVertical = WGS84_A / Math.sqrt(w);
  const meridional = (WGS84_A * (1 - WGS84_E2)) / (w * Math.sqrt(w));
  return {
    lon0Deg,
    lat0Deg,
    metresPerDegreeLon: primeVertical * Math.cos(lat0Deg * RAD) * RAD,
    metresPerDegreeLat: meridional * RAD,
  };
}

/** The local projection centred on the middle of the points' bounding box (the data centre). */
export function localProjectionForPoints(lonDeg: ArrayLike<number>, latDeg: ArrayLike<number>): LocalProjection {
  let west = Infinity;
  let east = -Infinity;
  let south = Infinity;
  let north = -Infinity;
  for (let i = 0; i < lonDeg.length; i++) {
    const lon = lonDeg[i]!;
    const lat = latDeg[i]!;
    if (lon < west) west = lon;
    if (lon > east) east = lon;
    if (lat < south) south = lat;
    if (lat > north) north = lat;
  }
  if (!(west <= east)) return localProjection(0, 0);
  return localProjection((west + east) / 2, (south + north) / 2);
}

/** Projected x (metres east of the centre). */
export function projectX(projection: LocalProjection, lonDeg: number): number {
  return (lonDeg - projection.lon0Deg) * projection.metresPerDegreeLon;
}

/** Projected y (metres north of the centre). */
export function projectY(projection: LocalProjection, latDeg: number): number {
  return (latDeg - projection.lat0Deg) * projection.metresPerDegreeLat;
}

/** Longitude and latitude of a projected point. */
export function unproject(projection: LocalProjection, xMetres: number, yMetres: number): [number, number] {
  return [
    projection.lon0Deg + xMetres / projection.metresPerDegreeLon,
    projection.lat0Deg + yMetres / projection.metresPerDegreeLat,
  ];
}
