/** Web Mercator tile arithmetic (the XYZ scheme MapLibre requests). */

/** Longitude and latitude of a fractional tile coordinate at zoom z. */
export function tileToLonLat(z: number, x: number, y: number): [number, number] {
  const n = 2 ** z;
  const lon = (x / n) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return [lon, lat];
}

/** The tile bounds as [west, south, east, north]. */
export function tileBounds(z: number, x: number, y: number): [number, number, number, number] {
  const [west, north] = tileToLonLat(z, x, y);
  const [east, south] = tileToLonLat(z, x + 1, y + 1);
  return [west, south, east, north];
}

/** Whether two [west, south, east, north] boxes intersect. */
export function boxesIntersect(a: readonly number[], b: readonly number[]): boolean {
  return a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!;
}
