// The shapes a drive band is made of, built in plain arithmetic: each reached stretch of road,
// simplified, becomes one convex "capsule" per segment — a rectangle as wide as the band reaches
// either side of the road, with a half-disc at each end that is a road node (so consecutive
// segments join round) and a flat end where the drive time runs out. Their union is the band.
// Buffering whole road lines in PostGIS instead made GEOS throw (and retry at lower precision)
// on big stations, which the embedded database cannot do: see server/db/pglite-exception-guard.ts.

/** A point in a local metric frame: metres east and north. */
export type MetricPoint = readonly [number, number];
/** A polygon as GeoJSON rings (the first outer, counter-clockwise; then holes). */
export type Rings = [number, number][][];

/** A stretch of reached road: its line from one end to the other, and which ends are road nodes. */
export interface RoadStretch {
  points: readonly MetricPoint[];
  /** A node end is drawn round; an end where the drive time runs out is cut flat across the road. */
  roundStart: boolean;
  roundEnd: boolean;
}

/**
 * Douglas–Peucker: the fewest of a line's points that keep every point within `toleranceMetres`
 * of it; the ends are always kept. Iterative, so a long line does not deepen the stack.
 */
export function simplifyLine(points: readonly MetricPoint[], toleranceMetres: number): MetricPoint[] {
  if (points.length <= 2) return [...points];
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const spans: [number, number][] = [[0, points.length - 1]];
  while (spans.length > 0) {
    const [first, last] = spans.pop()!;
    const [ax, ay] = points[first]!;
    const [bx, by] = points[last]!;
    const dx = bx - ax;
    const dy = by - ay;
    const lengthSquared = dx * dx + dy * dy;
    let farthest = -1;
    let farthestMetres = toleranceMetres;
    for (let i = first + 1; i < last; i++) {
      // Distance to the segment (not its line): a hairpin running back past the start is kept.
      const [px, py] = points[i]!;
      const t = lengthSquared > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared)) : 0;
      const metres = Math.hypot(px - ax - t * dx, py - ay - t * dy);
      if (metres > farthestMetres) {
        farthest = i;
        farthestMetres = metres;
      }
    }
    if (farthest < 0) continue;
    keep[farthest] = 1;
    spans.push([first, farthest], [farthest, last]);
  }
  return points.filter((_, i) => keep[i] === 1);
}

/**
 * The capsules of one stretch: per segment, the points within `radiusMetres` of it, the round
 * ends drawn with `quadrantSegments` chords per quarter circle (as PostGIS's quad_segs). Segments
 * of no length are skipped; a stretch of one point gives nothing.
 */
export function stretchCapsules(stretch: RoadStretch, radiusMetres: number, quadrantSegments: number): Rings[] {
  const capsules: Rings[] = [];
  const { points } = stretch;
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1]!;
    const [bx, by] = points[i]!;
    const length = Math.hypot(bx - ax, by - ay);
    if (length === 0) continue;
    // The side to the left of the direction of travel.
    const nx = -(by - ay) / length;
    const ny = (bx - ax) / length;
    const leftAngle = Math.atan2(ny, nx);
    const ring: [number, number][] = [];
    const halfCircle = (cx: number, cy: number, fromAngle: number) => {
      for (let k = 0; k <= 2 * quadrantSegments; k++) {
        const angle = fromAngle + (k * Math.PI) / (2 * quadrantSegments);
        ring.push([cx + radiusMetres * Math.cos(angle), cy + radiusMetres * Math.sin(angle)]);
      }
    };
    // Counter-clockwise: along the right side, round (or flat) across the far end, back along the left.
    const roundEnd = i < points.length - 1 || stretch.roundEnd;
    const roundStart = i > 1 || stretch.roundStart;
    ring.push([ax - radiusMetres * nx, ay - radiusMetres * ny]);
    if (roundEnd) halfCircle(bx, by, leftAngle + Math.PI);
    else ring.push([bx - radiusMetres * nx, by - radiusMetres * ny], [bx + radiusMetres * nx, by + radiusMetres * ny]);
    if (roundStart) halfCircle(ax, ay, leftAngle);
    else ring.push([ax + radiusMetres * nx, ay + radiusMetres * ny]);
    // Closed: a round start ends on its first point.
    if (!roundStart) ring.push([...ring[0]!]);
    else ring[ring.length - 1] = [...ring[0]!];
    capsules.push([ring]);
  }
  return capsules;
}

/** The area of a ring (any orientation), in the square units of its coordinates. */
export function ringArea(ring: readonly (readonly number[])[]): number {
  let twice = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    twice += ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
  }
  return Math.abs(twice) / 2;
}

/** The polygons without the holes smaller than `minArea` (gaps between nearby roads' buffers, not unreached land). */
export function withoutSmallHoles(polygons: readonly Rings[], minArea: number): Rings[] {
  return polygons.map(([outer, ...holes]) => [outer!, ...holes.filter((hole) => ringArea(hole) >= minArea)]);
}
