/**
 * How fast a car drives a road edge, from road engineering rather than a turning-angle proxy.
 * Along the edge's line, sampled every few metres, the speed a driver may hold is the least of
 *
 * - the road's **design speed** (设计速度: JTG B01-2014 《公路工程技术标准》 by technical grade;
 *   see {@link DESIGN_SPEED_KMH}), the top speed on a straight, level stretch;
 * - the **curve speed** v = √(g·R·(e + f)) for the horizontal radius R measured on the line
 *   smoothed at a scale of tens of metres, so digitising noise of a metre or two does not look
 *   like bends (resampled every {@link SpeedModelConstants.sampleMetres} m, averaged over
 *   ±{@link SpeedModelConstants.smoothingHalfMetres} m, R the circle through the points
 *   ±{@link SpeedModelConstants.chordHalfMetres} m either side);
 * - the **climbing speed** of a car's usable power on a steep uphill: v = P / (m·g·(grade + Crr)),
 *   which binds only on steep stretches (15 W/kg holds 58 km/h at 8 %, 41 km/h at 12 %); downhill,
 *   bridges and tunnels are driven as level;
 * - 30 km/h through a settlement, when the edge is known to run through one;
 *
 * and the speed at each end: 0 at a dead end, {@link SpeedModelConstants.junctionKmh} at a
 * junction (the delay of slowing for it and speeding up after), free where a road just goes on.
 * A forward pass limits speeding up to the car's acceleration and a backward pass slowing down
 * to comfortable braking, so the car brakes before a bend and speeds up after it instead of
 * taking every vertex at its own speed. The edge's time is the integral of 1/v over that profile
 * (exact under constant acceleration between samples): one fixed cost per direction.
 */

/** Technical grades of JTG B01-2014 (技术等级): 高速, 一级, 二级, 三级, 四级 and 等外 (substandard). */
export type TechnicalGrade = 'expressway' | 'class1' | 'class2' | 'class3' | 'class4' | 'substandard';

/** Administrative classes (行政等级), the first letter of a route code (路线编码): 国道 G … 专用公路 Z. */
export type AdministrativeClass = 'G' | 'S' | 'X' | 'Y' | 'C' | 'Z';

/** The demo county's road classes. */
export type DemoRoadClass = 'county' | 'township' | 'village';

/**
 * Design speed of each technical grade, km/h. JTG B01-2014 lists 高速 120/100/80, 一级 100/80/60,
 * 二级 80/60, 三级 40/30, 四级 30/20 and 等外 below 20; a mountain county builds its roads to the
 * lower figures of the higher grades (100, 80, 60) and the upper figures of 三级 and 四级 (whose
 * lower figures are for the worst stretches, which the curve speed already slows).
 */
export const DESIGN_SPEED_KMH: Readonly<Record<TechnicalGrade, number>> = Object.freeze({
  expressway: 100,
  class1: 80,
  class2: 60,
  class3: 40,
  class4: 30,
  substandard: 20,
});

/** The grade a road of each administrative class usually has in a mountain county, when its file gives none. */
export const GRADE_OF_ADMINISTRATIVE_CLASS: Readonly<Record<AdministrativeClass, TechnicalGrade>> = Object.freeze({
  G: 'class2',
  S: 'class2',
  X: 'class3',
  Y: 'class4',
  C: 'class4',
  Z: 'class4',
});

/** The demo's classes as grades: the county trunk is built like a 县道/省道 of 二级, township roads 三级, village roads 四级. */
export const GRADE_OF_DEMO_CLASS: Readonly<Record<DemoRoadClass, TechnicalGrade>> = Object.freeze({
  county: 'class2',
  township: 'class3',
  village: 'class4',
});

const GRADE_WORDS: readonly [RegExp, TechnicalGrade][] = [
  [/高速/, 'expressway'],
  [/等外/, 'substandard'],
  [/一级/, 'class1'],
  [/二级/, 'class2'],
  [/三级/, 'class3'],
  [/四级/, 'class4'],
];

/**
 * A technical grade from its words in a road file (高速公路, 二级公路, 四级, 等外公路…); null when
 * unknown. Bare digits are not read: files number grades differently (some count 高速 as 1).
 */
export function technicalGradeOf(text: string | null | undefined): TechnicalGrade | null {
  const value = text?.trim() ?? '';
  for (const [pattern, grade] of GRADE_WORDS) if (pattern.test(value)) return grade;
  return null;
}

/** The administrative class of a route code (X101, Y201, C330329…) or class word (国道, 县道…); null when unknown. */
export function administrativeClassOf(text: string | null | undefined): AdministrativeClass | null {
  const value = text?.trim() ?? '';
  const words: [RegExp, AdministrativeClass][] = [
    [/^G|国道/i, 'G'],
    [/^S|省道/i, 'S'],
    [/^X|县道/i, 'X'],
    [/^Y|乡道/i, 'Y'],
    [/^C|村道/i, 'C'],
    [/^Z|专用/i, 'Z'],
  ];
  for (const [pattern, kind] of words) if (pattern.test(value)) return kind;
  return null;
}

/**
 * An edge's design speed, km/h: from its technical grade when known, else the grade usual for its
 * administrative class, else for its demo class; null when nothing is known.
 */
export function designSpeedKmh(road: {
  technicalGrade?: TechnicalGrade | null;
  administrativeClass?: AdministrativeClass | null;
  roadClass?: DemoRoadClass | null;
}): number | null {
  const grade =
    road.technicalGrade ??
    (road.administrativeClass ? GRADE_OF_ADMINISTRATIVE_CLASS[road.administrativeClass] : null) ??
    (road.roadClass ? GRADE_OF_DEMO_CLASS[road.roadClass] : null);
  return grade ? DESIGN_SPEED_KMH[grade] : null;
}

/** The model's constants; calibration will fit some of them. */
export interface SpeedModelConstants {
  /** Gravity, m/s². */
  gravity: number;
  /**
   * Superelevation plus side friction a driver uses in a bend, e + f. 0.22 is what JTG B01-2014's
   * limiting minimum radii imply with e = 8 % (20 km/h → 15 m, 30 → 30 m, 40 → 60 m, 60 → 125 m,
   * 80 → 250 m give 0.20–0.24): R = V² / (127·(e + f)).
   */
  sideFriction: number;
  /** Comfortable acceleration, m/s² (an ordinary driver: 1–2). */
  accelerationMs2: number;
  /** Comfortable braking, m/s² (2–3). */
  brakingMs2: number;
  /** Power a driver uses on a climb per kg of car, W/kg (a 1.4 t car using ~21 kW of ~75). */
  climbingWattsPerKg: number;
  /** Rolling resistance coefficient (tyres on asphalt: 0.010–0.015). */
  rollingResistance: number;
  /** Lowest speed the line alone can impose (a spike in the data is not a stop), km/h. */
  minimumKmh: number;
  /** Speed through a junction, km/h. */
  junctionKmh: number;
  /** Speed through a settlement, km/h (the 30 km/h of a built-up street without a centre line). */
  settlementKmh: number;
  /** Resampling step of the line, m. */
  sampleMetres: number;
  /** Half-width of the moving average that takes digitising noise out of the line, m. */
  smoothingHalfMetres: number;
  /** Half-chord over which the radius is measured, m. */
  chordHalfMetres: number;
  /** Half-width over which a gradient is measured from vertex elevations, m. */
  gradeHalfMetres: number;
}

/** The constants in use (first estimates from the sources above; calibration is later work). */
export const SPEED_MODEL: Readonly<SpeedModelConstants> = Object.freeze({
  gravity: 9.81,
  sideFriction: 0.22,
  accelerationMs2: 1,
  brakingMs2: 2,
  climbingWattsPerKg: 15,
  rollingResistance: 0.015,
  minimumKmh: 10,
  junctionKmh: 30,
  settlementKmh: 30,
  sampleMetres: 5,
  smoothingHalfMetres: 10,
  chordHalfMetres: 25,
  gradeHalfMetres: 50,
});

/** One edge as the speed model reads it. */
export interface SpeedModelEdge {
  /** The line from source to target in local metres: x0, y0, x1, y1, … (at least 2 vertices). */
  xy: ArrayLike<number>;
  /** Length to drive, m (the stored geodesic length; the line gives the shape). */
  lengthMetres: number;
  designSpeedKmh: number;
  /** Elevation at each vertex, m, when known: gradients come from it. */
  vertexElevationsMetres?: ArrayLike<number> | null;
  /**
   * Height gained and lost from source to target, m, when vertex elevations are not known: the
   * edge is taken as uphill over the share climb/(climb + descent) of its length at the grade
   * (climb + descent)/length, and its time there averaged over the edge.
   */
  climbMetres?: number | null;
  descentMetres?: number | null;
  /** A bridge or tunnel is level whatever the terrain under or over it. */
  structure?: 'bridge' | 'tunnel' | null;
  inSettlement?: boolean;
  /** Highest speed at the source and target ends, km/h: 0 at a dead end, Infinity where the road goes on. */
  sourceEndKmh: number;
  targetEndKmh: number;
}

/**
 * How cars drive a county: the model's constants and a factor on every road's design speed (the
 * share of the JTG figure people hold on a straight, level road). Calibration fits the factor and
 * three of the constants; a county without a calibration drives {@link DEFAULT_DRIVING}.
 */
export interface Driving {
  constants: Readonly<SpeedModelConstants>;
  designSpeedFactor: number;
}

/** The model's own driving: its constants, design speeds as they are. */
export const DEFAULT_DRIVING: Readonly<Driving> = Object.freeze({ constants: SPEED_MODEL, designSpeedFactor: 1 });

/** The constants that shape an edge's profile (measurement, not behaviour): fixed once a profile is built. */
export type ProfileConstants = Pick<
  SpeedModelConstants,
  'sampleMetres' | 'smoothingHalfMetres' | 'chordHalfMetres' | 'gradeHalfMetres'
>;

/**
 * What the speed model knows of an edge before any behaviour constant is chosen: the samples'
 * spacing as driven, the horizontal radius at each sample (smoothed line, coarse corners widened)
 * and the uphill grade at each. Computing it is the costly part of the model (resampling,
 * smoothing, circumradii); {@link profileDriveSeconds} is then one cheap pass per direction, so a
 * network is re-costed under new constants without measuring its lines again.
 */
export interface EdgeProfile {
  /** Intervals between samples (0: an edge of no length). */
  intervals: number;
  /** Driven metres between samples. */
  stepMetres: number;
  designSpeedKmh: number;
  inSettlement: boolean;
  /** Horizontal radius at each of the intervals + 1 samples, m (Infinity on a straight). */
  radiusMetres: Float64Array;
  grades: Grades;
  /** The measuring constants it was built with. */
  measured: Readonly<ProfileConstants>;
}

/** The edge's profile (see {@link EdgeProfile}); end speeds are not part of it. */
export function edgeProfile(
  edge: Omit<SpeedModelEdge, 'sourceEndKmh' | 'targetEndKmh'>,
  constants: Readonly<ProfileConstants> = SPEED_MODEL,
): EdgeProfile {
  const vertexCount = edge.xy.length >> 1;
  if (vertexCount < 2) throw new RangeError('An edge needs at least 2 vertices');
  if (!(edge.lengthMetres >= 0) || !(edge.designSpeedKmh > 0)) {
    throw new RangeError(
      `An edge needs a length ≥ 0 and a design speed > 0 (got ${edge.lengthMetres} m, ${edge.designSpeedKmh} km/h)`,
    );
  }
  const measured = {
    sampleMetres: constants.sampleMetres,
    smoothingHalfMetres: constants.smoothingHalfMetres,
    chordHalfMetres: constants.chordHalfMetres,
    gradeHalfMetres: constants.gradeHalfMetres,
  };
  const base = { designSpeedKmh: edge.designSpeedKmh, inSettlement: edge.inSettlement === true, measured };
  if (edge.lengthMetres === 0) {
    return { ...base, intervals: 0, stepMetres: 0, radiusMetres: new Float64Array(1).fill(Infinity), grades: null };
  }
  const line = resample(edge.xy, constants.sampleMetres);
  const n = line.intervals;
  const smooth = smoothed(line, constants);
  // The car drives the smoothed line: noise also lengthens a line. Scaled to the stored length.
  const lineMetres = line.spacing * n;
  const drivenMetres = lineMetres > 0 ? (edge.lengthMetres * smooth.metres) / lineMetres : edge.lengthMetres;
  const radius = radiiAlong(smooth, n, line.spacing, constants);
  widenCoarseCorners(radius, edge.xy, line, constants);
  return {
    ...base,
    intervals: n,
    stepMetres: drivenMetres / n,
    radiusMetres: radius,
    grades: edge.structure ? null : gradesAlong(edge, line, constants),
  };
}

/** Seconds to drive the edge from source to target and back. */
export function edgeDriveSeconds(
  edge: SpeedModelEdge,
  constants: Readonly<SpeedModelConstants> = SPEED_MODEL,
): { forwardSeconds: number; backwardSeconds: number } {
  return profileDriveSeconds(edgeProfile(edge, constants), constants, edge.sourceEndKmh, edge.targetEndKmh);
}

// Scratch arrays of the passes, grown to the longest profile seen (the model runs on one thread).
let capScratch = new Float64Array(256);
let speedScratch = new Float64Array(256);

/**
 * Seconds to drive a profiled edge each way under `constants`, with design speeds × `designSpeedFactor`
 * and the given end speeds: caps from the design, curve, settlement and climbing speeds, then
 * acceleration and braking, then the integral of 1/v. No allocation.
 */
export function profileDriveSeconds(
  profile: EdgeProfile,
  constants: Readonly<SpeedModelConstants>,
  sourceEndKmh: number,
  targetEndKmh: number,
  designSpeedFactor = 1,
): { forwardSeconds: number; backwardSeconds: number } {
  const n = profile.intervals;
  if (n === 0) return { forwardSeconds: 0, backwardSeconds: 0 };
  const m = profile.measured;
  if (
    m.sampleMetres !== constants.sampleMetres ||
    m.smoothingHalfMetres !== constants.smoothingHalfMetres ||
    m.chordHalfMetres !== constants.chordHalfMetres ||
    m.gradeHalfMetres !== constants.gradeHalfMetres
  ) {
    throw new RangeError('The profile was measured with other sampling constants');
  }
  if (capScratch.length < n + 1) {
    capScratch = new Float64Array(2 * (n + 1));
    speedScratch = new Float64Array(2 * (n + 1));
  }
  const cap = capScratch;
  // The cap of every sample common to both directions: design, curve, settlement.
  const designMs = (profile.designSpeedKmh * designSpeedFactor) / 3.6;
  const minimumMs = Math.min(designMs, constants.minimumKmh / 3.6);
  const frictionG = constants.gravity * constants.sideFriction;
  const settlementMs = profile.inSettlement ? constants.settlementKmh / 3.6 : Infinity;
  const radius = profile.radiusMetres;
  const topMs = Math.min(designMs, settlementMs);
  // A radius whose curve speed is at least the top speed does not bind: most samples, no square root.
  const freeRadius = (topMs * topMs) / frictionG;
  for (let k = 0; k <= n; k++) {
    const r = radius[k]!;
    cap[k] = r >= freeRadius ? topMs : Math.min(topMs, Math.max(minimumMs, Math.sqrt(frictionG * r)));
  }
  const step = profile.stepMetres;
  const forwardSeconds = integrate(profile, cap, n, step, 1, sourceEndKmh / 3.6, targetEndKmh / 3.6, constants);
  const backwardSeconds = integrate(profile, cap, n, step, -1, targetEndKmh / 3.6, sourceEndKmh / 3.6, constants);
  return { forwardSeconds, backwardSeconds };
}

/**
 * Drive time in one direction (`uphillSign` 1: source → target, over the caps in order; −1: back,
 * over them reversed): climbing caps, then the car's speed entering at most `startMs` and leaving at
 * most `endMs`, speeding up and braking within the car's limits.
 */
function integrate(
  profile: EdgeProfile,
  cap: Float64Array,
  n: number,
  step: number,
  uphillSign: 1 | -1,
  startMs: number,
  endMs: number,
  constants: Readonly<SpeedModelConstants>,
): number {
  const speed = speedScratch;
  const grades = profile.grades;
  const power = constants.climbingWattsPerKg;
  const g = constants.gravity;
  const rolling = constants.rollingResistance;
  // Sample k of this direction is sample `at` of the profile.
  const reversed = uphillSign === -1;
  if (!grades) {
    for (let k = 0; k <= n; k++) speed[k] = cap[reversed ? n - k : k]!;
  } else if (grades.kind === 'vertices') {
    const grade = grades.at;
    for (let k = 0; k <= n; k++) {
      const at = reversed ? n - k : k;
      const uphill = uphillSign * grade[at]!;
      const base = cap[at]!;
      speed[k] = uphill > 0 ? Math.min(base, power / (g * (uphill + rolling))) : base;
    }
  } else {
    // Uphill over a share of the edge at the edge's grade, level elsewhere: the harmonic mean.
    const share = uphillSign === 1 ? grades.climbShare : 1 - grades.climbShare;
    const climbMs = grades.grade > 0 ? power / (g * (grades.grade + rolling)) : Infinity;
    for (let k = 0; k <= n; k++) {
      const base = cap[reversed ? n - k : k]!;
      speed[k] = 1 / (share / Math.min(base, climbMs) + (1 - share) / base);
    }
  }
  speed[0] = Math.min(speed[0]!, startMs);
  speed[n] = Math.min(speed[n]!, endMs);
  // Speeding up (forward) and braking (backward) only bind where the cap rises: elsewhere the
  // square root, above the neighbour's speed, cannot be the least.
  const accelerate = 2 * constants.accelerationMs2 * step;
  for (let k = 1; k <= n; k++) {
    const before = speed[k - 1]!;
    if (speed[k]! > before) speed[k] = Math.min(speed[k]!, Math.sqrt(before * before + accelerate));
  }
  const brake = 2 * constants.brakingMs2 * step;
  for (let k = n - 1; k >= 0; k--) {
    const after = speed[k + 1]!;
    if (speed[k]! > after) speed[k] = Math.min(speed[k]!, Math.sqrt(after * after + brake));
  }
  // Under constant acceleration between samples the mean speed is the mean of the two ends.
  let seconds = 0;
  for (let k = 0; k < n; k++) seconds += (2 * step) / (speed[k]! + speed[k + 1]!);
  return seconds;
}

interface ResampledLine {
  intervals: number;
  /** Metres between samples along the line. */
  spacing: number;
  x: Float64Array;
  y: Float64Array;
  /** Position along the input line of each sample: vertex index + fraction, for elevations. */
  at: Float64Array;
}

/** Samples every ~`sampleMetres` along the line (at least one interval), ends included. */
function resample(xy: ArrayLike<number>, sampleMetres: number): ResampledLine {
  const vertexCount = xy.length >> 1;
  const cumulative = new Float64Array(vertexCount);
  for (let v = 1; v < vertexCount; v++) {
    cumulative[v] =
      cumulative[v - 1]! + Math.sqrt((xy[2 * v]! - xy[2 * v - 2]!) ** 2 + (xy[2 * v + 1]! - xy[2 * v - 1]!) ** 2);
  }
  const total = cumulative[vertexCount - 1]!;
  const intervals = Math.max(1, Math.round(total / sampleMetres));
  const spacing = total / intervals;
  const x = new Float64Array(intervals + 1);
  const y = new Float64Array(intervals + 1);
  const at = new Float64Array(intervals + 1);
  let v = 0;
  for (let k = 0; k <= intervals; k++) {
    const metres = k === intervals ? total : k * spacing;
    while (v < vertexCount - 2 && cumulative[v + 1]! < metres) v++;
    const span = cumulative[v + 1]! - cumulative[v]!;
    const t = span > 0 ? Math.min(1, Math.max(0, (metres - cumulative[v]!) / span)) : 0;
    x[k] = xy[2 * v]! + t * (xy[2 * v + 2]! - xy[2 * v]!);
    y[k] = xy[2 * v + 1]! + t * (xy[2 * v + 3]! - xy[2 * v + 1]!);
    at[k] = v + t;
  }
  return { intervals, spacing, x, y, at };
}

/**
 * The line averaged over ±smoothingHalfMetres (symmetric windows, shortened at the ends so the
 * ends stay put), and its length.
 */
function smoothed(
  line: ResampledLine,
  constants: Readonly<ProfileConstants>,
): { x: Float64Array; y: Float64Array; metres: number } {
  const n = line.intervals;
  const window = line.spacing > 0 ? Math.round(constants.smoothingHalfMetres / line.spacing) : 0;
  const sx = new Float64Array(n + 1);
  const sy = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) {
    const w = Math.min(window, k, n - k);
    let x = 0;
    let y = 0;
    for (let j = k - w; j <= k + w; j++) {
      x += line.x[j]!;
      y += line.y[j]!;
    }
    sx[k] = x / (2 * w + 1);
    sy[k] = y / (2 * w + 1);
  }
  let metres = 0;
  for (let k = 1; k <= n; k++) metres += Math.sqrt((sx[k]! - sx[k - 1]!) ** 2 + (sy[k]! - sy[k - 1]!) ** 2);
  return { x: sx, y: sy, metres };
}

/**
 * Horizontal radius at each sample of the smoothed line: the circle through the samples
 * ±chordHalfMetres either side; near the ends the nearest sample with a whole chord answers.
 */
function radiiAlong(
  line: { x: Float64Array; y: Float64Array },
  n: number,
  spacing: number,
  constants: Readonly<ProfileConstants>,
): Float64Array {
  const radius = new Float64Array(n + 1).fill(Infinity);
  if (spacing === 0) return radius;
  const sx = line.x;
  const sy = line.y;
  const chord = Math.min(Math.max(1, Math.round(constants.chordHalfMetres / spacing)), n >> 1);
  if (chord < 1) return radius;
  const measured = new Float64Array(n + 1);
  for (let k = chord; k <= n - chord; k++) {
    measured[k] = circumradius(sx[k - chord]!, sy[k - chord]!, sx[k]!, sy[k]!, sx[k + chord]!, sy[k + chord]!);
  }
  for (let k = 0; k <= n; k++) radius[k] = measured[Math.min(n - chord, Math.max(chord, k))]!;
  return radius;
}

/**
 * A line digitised or simplified coarsely turns at few vertices, and a ±25 m chord across such a
 * vertex reads the bend far sharper than the road it stands for (a 100 m radius drawn with a
 * vertex every 63 m reads as 40 m). A vertex turning θ between segments of lengths l₁ and l₂ is
 * taken as a bend of radius up to min(l₁, l₂)/θ; where the chord around a sample spans only such
 * vertices, the sample's radius is raised to the tightest of theirs. Dense lines keep their chord
 * readings: their short segments give small vertex radii.
 */
function widenCoarseCorners(
  radius: Float64Array,
  xy: ArrayLike<number>,
  line: ResampledLine,
  constants: Readonly<ProfileConstants>,
): void {
  const vertexCount = xy.length >> 1;
  if (vertexCount < 3 || line.spacing === 0) return;
  const segment = new Float64Array(vertexCount - 1);
  const along = new Float64Array(vertexCount);
  for (let v = 0; v < vertexCount - 1; v++) {
    segment[v] = Math.sqrt((xy[2 * v + 2]! - xy[2 * v]!) ** 2 + (xy[2 * v + 3]! - xy[2 * v + 1]!) ** 2);
    along[v + 1] = along[v]! + segment[v]!;
  }
  const vertexRadius = new Float64Array(vertexCount).fill(Infinity);
  for (let v = 1; v < vertexCount - 1; v++) {
    const h0 = Math.atan2(xy[2 * v + 1]! - xy[2 * v - 1]!, xy[2 * v]! - xy[2 * v - 2]!);
    const h1 = Math.atan2(xy[2 * v + 3]! - xy[2 * v + 1]!, xy[2 * v + 2]! - xy[2 * v]!);
    let turn = Math.abs(h1 - h0);
    if (turn > Math.PI) turn = 2 * Math.PI - turn;
    if (turn > 0) vertexRadius[v] = Math.min(segment[v - 1]!, segment[v]!) / turn;
  }
  let first = 1;
  for (let k = 0; k <= line.intervals; k++) {
    const metres = k * line.spacing;
    while (first < vertexCount - 1 && along[first]! < metres - constants.chordHalfMetres) first++;
    let tightest = Infinity;
    for (let v = first; v < vertexCount - 1 && along[v]! <= metres + constants.chordHalfMetres; v++) {
      tightest = Math.min(tightest, vertexRadius[v]!);
    }
    if (tightest < Infinity) radius[k] = Math.max(radius[k]!, tightest);
  }
}

/** Radius of the circle through three points; Infinity when they are in a line. */
function circumradius(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const cross = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  if (cross === 0) return Infinity;
  const ab = Math.sqrt((bx - ax) ** 2 + (by - ay) ** 2);
  const bc = Math.sqrt((cx - bx) ** 2 + (cy - by) ** 2);
  const ca = Math.sqrt((ax - cx) ** 2 + (ay - cy) ** 2);
  return (ab * bc * ca) / (2 * Math.abs(cross));
}

/** Uphill grades of a profile: at each sample, or the edge's totals; null when level or unknown. */
export type Grades =
  { kind: 'vertices'; at: Float64Array } | { kind: 'totals'; grade: number; climbShare: number } | null;

/** Uphill grade source→target at each sample (from vertex elevations), or the edge's totals; null when level or unknown. */
function gradesAlong(
  edge: Omit<SpeedModelEdge, 'sourceEndKmh' | 'targetEndKmh'>,
  line: ResampledLine,
  constants: Readonly<ProfileConstants>,
): Grades {
  const z = edge.vertexElevationsMetres;
  const n = line.intervals;
  if (z && z.length === edge.xy.length >> 1) {
    const height = new Float64Array(n + 1);
    for (let k = 0; k <= n; k++) {
      const v = Math.min(Math.floor(line.at[k]!), z.length - 2);
      const t = line.at[k]! - v;
      height[k] = z[v]! + t * (z[v + 1]! - z[v]!);
    }
    const half = Math.max(1, Math.min(Math.round(constants.gradeHalfMetres / line.spacing), n));
    const metres = edge.lengthMetres / n;
    const at = new Float64Array(n + 1);
    for (let k = 0; k <= n; k++) {
      const from = Math.max(0, k - half);
      const to = Math.min(n, k + half);
      at[k] = (height[to]! - height[from]!) / ((to - from) * metres);
    }
    return { kind: 'vertices', at };
  }
  const climb = Math.max(0, edge.climbMetres ?? 0);
  const descent = Math.max(0, edge.descentMetres ?? 0);
  if (climb + descent === 0) return null;
  return { kind: 'totals', grade: (climb + descent) / edge.lengthMetres, climbShare: climb / (climb + descent) };
}
