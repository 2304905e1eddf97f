/**
 * The [west, south, east, north] box of a GeoJSON geometry's coordinates (or of anything with
 * nested `coordinates`, e.g. `{ coordinates: features.map(…) }` for several); null when it has none.
 */
export function boundsOf(geometry: unknown): [number, number, number, number] | null {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number' && typeof value[1] === 'number') {
      box[0] = Math.min(box[0], value[0]);
      box[1] = Math.min(box[1], value[1]);
      box[2] = Math.max(box[2], value[0]);
      box[3] = Math.max(box[3], value[1]);
      return;
    }
    for (const item of value) visit(item);
  };
  visit((geometry as { coordinates?: unknown } | null | undefined)?.coordinates);
  return Number.isFinite(box[0]) ? box : null;
}
