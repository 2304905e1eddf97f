/**
 * A synthetic mountain DEM. Rock uplift (a regional trend rising to the south-west, broad noise and
 * optional highlands) against stream-power river incision, hillslope diffusion and a critical slope,
 * run to a steady state on a coarse grid padded beyond the DEM and then refined on a finer one,
 * gives long, continuous, branching valleys between sharp ridges; it is resampled to the DEM's cells
 * with a little ridged detail on the hillslopes. Deterministic: one seed gives byte-identical heights
 * (plain arithmetic, no Math.random).
 */
import { drainageOrder, fillDepressions, flowDirections, NO_FLOW } from './hydrology.js';
import { Random } from './random.js';
import { cellSizeMetres, NEIGHBOURS_8, type GridSpec, type Raster } from './raster.js';

/** A massif of extra rock uplift, e.g. a reserve known to hold the highest ground. */
export interface Highland {
  lon: number;
  lat: number;
  /** Distance from the centre at which the extra uplift has fallen to 1/e. */
  radiusMetres: number;
  /**
   * About how much higher the massif's centre stands than it would without it, before the final
   * rescale to [minMetres, maxMetres] (approximate: erosion reshapes it).
   */
  liftMetres: number;
}

/** Options of generateTerrain. */
export interface TerrainOptions {
  seed: number | string;
  /** Lowest elevation in the grid (default 200). */
  minMetres?: number;
  /** Highest elevation in the grid (default 1600). */
  maxMetres?: number;
  highlands?: Highland[];
}

/** The first erosion stage runs on cells of about this size, on a grid padded well beyond the DEM. */
const COARSE_CELL_METRES = 240;
/** The second stage refines valleys and ridges on cells of about this size, over the DEM only. */
const MEDIUM_CELL_METRES = 120;
/** Steps of each stage: the coarse one reaches a steady state between uplift and erosion. */
const COARSE_STEPS = 12;
const MEDIUM_STEPS = 5;
const STEP_YEARS = 150_000;
/** Rock uplift at the north-east corner of the DEM, and the extra at its south-west corner, m/yr. */
const UPLIFT_METRES_PER_YEAR = 0.0006;
const UPLIFT_TREND_METRES_PER_YEAR = 0.0009;
/** Stream power law E = K·√A·S (area exponent 1/2, slope exponent 1), A in m². */
const ERODIBILITY = 1.2e-5;
/** Hillslope diffusion, m²/yr. */
const DIFFUSIVITY = 0.06;
/** Cells draining less than this are hillslopes: diffusion only, no river incision. */
const CHANNEL_AREA_M2 = 200_000;
/**
 * Steepest stable hillslope (rise over run) where uplift is at its reference rate (that of the DEM's
 * centre): steeper ground fails, which bounds the ridges. It scales with the uplift, as if faster
 * rising ground were stronger rock, so that steady-state heights scale with the uplift everywhere.
 */
const CRITICAL_GRADIENT = 1.2;
const REFERENCE_UPLIFT_METRES_PER_YEAR = UPLIFT_METRES_PER_YEAR + 0.5 * UPLIFT_TREND_METRES_PER_YEAR;
/** Random roughness added at every step so that channels wander instead of following the 8 directions. */
const ROUGHNESS_METRES = 2;
/** Height of the small-scale noise added before the second stage, so that it has gullies to grow. */
const MEDIUM_NOISE_METRES = 20;
/** Height of the ridged detail added on hillslopes of the final DEM. */
const DETAIL_METRES = 8;
/** Steady-state height gained per unit of relative extra uplift (calibrates Highland.liftMetres). */
const HEIGHT_PER_RELATIVE_UPLIFT_METRES = 250;

/**
 * Elevations in metres for every cell of the grid, inside and outside the county alike: the
 * south-west highest, valleys long, continuous and branching; exactly spanning [minMetres, maxMetres].
 */
export function generateTerrain(spec: GridSpec, options: TerrainOptions): Raster<Float32Array> {
  const minMetres = options.minMetres ?? 200;
  const maxMetres = options.maxMetres ?? 1600;
  const reliefMetres = maxMetres - minMetres;
  const random = new Random(options.seed);
  const seedOf = (name: string): number => Math.floor(random.fork(name).next() * 4294967296) | 0;
  const cell = cellSizeMetres(spec);
  const widthMetres = spec.width * cell.x;
  const heightMetres = spec.height * cell.y;
  const highlands = (options.highlands ?? []).map((h) => ({
    x: ((h.lon - spec.west) / spec.dLon) * cell.x,
    y: ((spec.north - h.lat) / spec.dLat) * cell.y,
    radius: h.radiusMetres,
    relativeUplift: h.liftMetres / HEIGHT_PER_RELATIVE_UPLIFT_METRES,
  }));
  // 0 at the north-east corner of the DEM, 1 at the south-west corner.
  const trendAt = (x: number, y: number): number => 0.5 * (1 - x / widthMetres + y / heightMetres);
  const upliftSeed = seedOf('uplift');
  /** Rock uplift per step over a lattice: the regional trend, broad noise and the highlands. */
  const upliftPerStep = (lattice: Lattice): Float32Array => {
    const noise = fractalNoise(lattice, { seed: upliftSeed, wavelengthMetres: 30_000, octaves: 2 });
    const uplift = new Float32Array(lattice.width * lattice.height);
    for (let row = 0; row < lattice.height; row++) {
      const y = lattice.y0Metres + row * lattice.stepYMetres;
      for (let col = 0; col < lattice.width; col++) {
        const x = lattice.x0Metres + col * lattice.stepXMetres;
        const i = row * lattice.width + col;
        let relative = 1 + 0.3 * noise[i]!;
        for (const h of highlands) {
          relative += h.relativeUplift * Math.exp(-((x - h.x) ** 2 + (y - h.y) ** 2) / (h.radius * h.radius));
        }
        const rate = UPLIFT_METRES_PER_YEAR * relative + UPLIFT_TREND_METRES_PER_YEAR * Math.max(0, trendAt(x, y));
        uplift[i] = Math.max(0, rate) * STEP_YEARS;
      }
    }
    return uplift;
  };

  // Stage 1: a coarse grid padded well beyond the DEM, its outer ring at base level, so that the
  // terrain and its valleys run on past the DEM's edges.
  const coarseScale = Math.max(COARSE_CELL_METRES, cell.x, cell.y) / cell.x;
  const pad = Math.max(6, Math.ceil((0.12 * Math.max(widthMetres, heightMetres)) / (coarseScale * cell.x)));
  const coarse = latticeAround(spec, cell, coarseScale, pad);
  const warp = {
    x: scaled(fractalNoise(coarse, { seed: seedOf('warp-x'), wavelengthMetres: 18_000, octaves: 3 }), 3000),
    y: scaled(fractalNoise(coarse, { seed: seedOf('warp-y'), wavelengthMetres: 18_000, octaves: 3 }), 3000),
  };
  const hills = fractalNoise(coarse, { seed: seedOf('hills'), wavelengthMetres: 20_000, octaves: 6, warp });
  const coarseHeights = new Float32Array(coarse.width * coarse.height);
  for (let row = 0; row < coarse.height; row++) {
    const y = coarse.y0Metres + row * coarse.stepYMetres;
    for (let col = 0; col < coarse.width; col++) {
      const x = coarse.x0Metres + col * coarse.stepXMetres;
      const i = row * coarse.width + col;
      coarseHeights[i] = reliefMetres * (0.3 * trendAt(x, y) + 0.1 * hills[i]!);
    }
  }
  const coarseUplift = upliftPerStep(coarse);
  holdRing(coarseHeights, coarseUplift, coarse.width, coarse.height, 0);
  erode({ spec: coarse.spec, data: coarseHeights }, coarseUplift, COARSE_STEPS, seedOf('coarse-roughness'));

  // Stage 2: finer cells over the DEM (plus a margin of 2), resampled through a smooth warp that
  // bends the coarse grid's straight runs of channel, then eroded again to sharpen valleys and ridges.
  const margin = 2;
  const mediumScale = Math.max(MEDIUM_CELL_METRES, cell.x, cell.y) / cell.x;
  const medium = latticeAround(spec, cell, mediumScale, margin);
  const bendCells = 1.2 * coarseScale;
  const bendX = fractalNoise(medium, { seed: seedOf('bend-x'), wavelengthMetres: 5000, octaves: 2 });
  const bendY = fractalNoise(medium, { seed: seedOf('bend-y'), wavelengthMetres: 5000, octaves: 2 });
  const columnAt = new Float64Array(medium.width * medium.height);
  const rowAt = new Float64Array(medium.width * medium.height);
  for (let row = 0; row < medium.height; row++) {
    for (let col = 0; col < medium.width; col++) {
      const i = row * medium.width + col;
      // Position in DEM cells from its north-west corner, then in coarse cells.
      const x = (col + 0.5 - margin) * mediumScale + bendCells * bendX[i]!;
      const y = (row + 0.5 - margin) * mediumScale + bendCells * bendY[i]!;
      columnAt[i] = x / coarseScale + pad - 0.5;
      rowAt[i] = y / coarseScale + pad - 0.5;
    }
  }
  const mediumHeights = bicubicAt(coarseHeights, coarse.width, coarse.height, columnAt, rowAt);
  const roughness = fractalNoise(medium, { seed: seedOf('roughness'), wavelengthMetres: 1500, octaves: 3 });
  for (let i = 0; i < mediumHeights.length; i++) mediumHeights[i]! += MEDIUM_NOISE_METRES * roughness[i]!;
  const mediumUplift = upliftPerStep(medium);
  holdRing(mediumHeights, mediumUplift, medium.width, medium.height, null);
  const accumulation = erode(
    { spec: medium.spec, data: mediumHeights },
    mediumUplift,
    MEDIUM_STEPS,
    seedOf('medium-roughness'),
  );

  // Back on the DEM grid: smooth interpolation plus ridged detail on the hillslopes (none on valley
  // floors, where it would only make pits), then rescaled to the range asked for.
  const fineColumns = Float64Array.from({ length: spec.width }, (_, col) => (col + 0.5) / mediumScale + margin - 0.5);
  const fineRows = Float64Array.from({ length: spec.height }, (_, row) => (row + 0.5) / mediumScale + margin - 0.5);
  const dem = bicubicGrid(mediumHeights, medium.width, medium.height, fineColumns, fineRows);
  const valleyArea = CHANNEL_AREA_M2 / (medium.stepXMetres * medium.stepYMetres);
  const hillslope = accumulation.map((a) => Math.max(0, 1 - Math.log(a) / Math.log(Math.max(2, valleyArea))));
  const detailWeight = bicubicGrid(hillslope, medium.width, medium.height, fineColumns, fineRows);
  const fine: Lattice = {
    spec,
    width: spec.width,
    height: spec.height,
    x0Metres: 0.5 * cell.x,
    y0Metres: 0.5 * cell.y,
    stepXMetres: cell.x,
    stepYMetres: cell.y,
  };
  const detail = fractalNoise(fine, { seed: seedOf('detail'), wavelengthMetres: 1000, octaves: 3, ridged: true });
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < dem.length; i++) {
    dem[i] = dem[i]! + DETAIL_METRES * Math.max(0, detailWeight[i]!) * detail[i]!;
    const z = dem[i]!;
    if (z < low) low = z;
    if (z > high) high = z;
  }
  const factor = high > low ? reliefMetres / (high - low) : 0;
  for (let i = 0; i < dem.length; i++) dem[i] = minMetres + (dem[i]! - low) * factor;
  return { spec, data: dem };
}

/**
 * A lattice of cells `scale` DEM cells wide, covering the DEM plus `pad` of its own cells on every
 * side, with the GridSpec of those cells.
 */
function latticeAround(spec: GridSpec, cell: { x: number; y: number }, scale: number, pad: number): Lattice {
  const width = Math.ceil(spec.width / scale) + 2 * pad;
  const height = Math.ceil(spec.height / scale) + 2 * pad;
  return {
    spec: {
      west: spec.west - pad * scale * spec.dLon,
      north: spec.north + pad * scale * spec.dLat,
      dLon: scale * spec.dLon,
      dLat: scale * spec.dLat,
      width,
      height,
    },
    width,
    height,
    x0Metres: (0.5 - pad) * scale * cell.x,
    y0Metres: (0.5 - pad) * scale * cell.y,
    stepXMetres: scale * cell.x,
    stepYMetres: scale * cell.y,
  };
}

/** Holds the outer ring of cells fixed (no uplift), optionally at a given base level. */
function holdRing(
  heights: Float32Array,
  uplift: Float32Array,
  width: number,
  height: number,
  base: number | null,
): void {
  for (let row = 0; row < height; row++) {
    const step = row === 0 || row === height - 1 ? 1 : Math.max(1, width - 1);
    for (let col = 0; col < width; col += step) {
      const i = row * width + col;
      uplift[i] = 0;
      if (base !== null) heights[i] = base;
    }
  }
}

/**
 * Stream-power incision with uplift, hillslope diffusion and a critical slope proportional to the
 * uplift (the channel term implicit, after Braun & Willett 2013), the outer ring of cells held fixed. Depressions are filled at
 * every step, as if by sediment, so that all water reaches the edge. Modifies the heights in place and
 * returns the flow accumulation (cells) of the last step.
 */
function erode(dem: Raster<Float32Array>, upliftPerStep: Float32Array, steps: number, seed: number): Float32Array {
  const { width, height } = dem.spec;
  const n = width * height;
  const size = cellSizeMetres(dem.spec);
  const cellArea = size.x * size.y;
  const channelCells = CHANNEL_AREA_M2 / cellArea;
  const offsets = Int32Array.from(NEIGHBOURS_8, ([dc, dr]) => dr * width + dc);
  const distance = Float64Array.from(NEIGHBOURS_8, ([dc, dr]) => Math.hypot(dc * size.x, dr * size.y));
  const heights = dem.data;
  const interior = new Uint8Array(n);
  for (let row = 1; row < height - 1; row++) interior.fill(1, row * width + 1, row * width + width - 1);
  const accumulation = new Float32Array(n).fill(1);
  // Explicit diffusion is stable below 1/4 per axis; split the step to stay under it.
  const diffusionSteps = Math.max(1, Math.ceil((DIFFUSIVITY * STEP_YEARS) / (0.24 * Math.min(size.x, size.y) ** 2)));
  const diffusionX = (DIFFUSIVITY * STEP_YEARS) / (diffusionSteps * size.x * size.x);
  const diffusionY = (DIFFUSIVITY * STEP_YEARS) / (diffusionSteps * size.y * size.y);
  const previous = new Float32Array(n);
  const criticalRisePerStep = CRITICAL_GRADIENT / (REFERENCE_UPLIFT_METRES_PER_YEAR * STEP_YEARS);
  for (let step = 0; step < steps; step++) {
    for (let i = 0; i < n; i++) {
      if (interior[i]) heights[i]! += upliftPerStep[i]! + ROUGHNESS_METRES * unitHash(i, step, seed);
    }
    heights.set(fillDepressions(dem));
    const directions = flowDirections(dem);
    const order = drainageOrder(directions, dem.spec);
    accumulation.fill(1);
    for (let j = 0; j < order.length; j++) {
      const cell = order[j]!;
      const d = directions[cell]!;
      if (d !== NO_FLOW) accumulation[cell + offsets[d]!]! += accumulation[cell]!;
    }
    // Downstream first, so that each cell's receiver already has its new height.
    for (let j = order.length - 1; j >= 0; j--) {
      const cell = order[j]!;
      const d = directions[cell]!;
      if (d === NO_FLOW || !interior[cell]) continue;
      const below = heights[cell + offsets[d]!]!;
      let z = heights[cell]!;
      if (accumulation[cell]! >= channelCells) {
        const f = (ERODIBILITY * STEP_YEARS * Math.sqrt(accumulation[cell]! * cellArea)) / distance[d]!;
        z = (z + f * below) / (1 + f);
      }
      heights[cell] = Math.min(z, below + criticalRisePerStep * upliftPerStep[cell]! * distance[d]!);
    }
    for (let sub = 0; sub < diffusionSteps; sub++) {
      previous.set(heights);
      for (let row = 1; row < height - 1; row++) {
        for (let col = 1; col < width - 1; col++) {
          const i = row * width + col;
          const z = previous[i]!;
          heights[i] =
            z +
            diffusionX * (previous[i - 1]! + previous[i + 1]! - 2 * z) +
            diffusionY * (previous[i - width]! + previous[i + width]! - 2 * z);
        }
      }
    }
  }
  return accumulation;
}

/**
 * Slope in degrees of every cell (Horn's method, one-sided at the grid's edges), with the cell sizes
 * of cellSizeMetres.
 */
export function slopeDegrees(dem: Raster<Float32Array>): Float32Array {
  const { eastward, northward } = surfaceGradients(dem);
  const slope = new Float32Array(eastward.length);
  for (let i = 0; i < slope.length; i++) {
    slope[i] = (Math.atan(Math.hypot(eastward[i]!, northward[i]!)) * 180) / Math.PI;
  }
  return slope;
}

/**
 * Horn's 3×3 gradients of a DEM in metres per metre: dz/dx towards the east and dz/dy towards the
 * north. At the grid's edges the missing row or column is replaced by the centre one and the
 * distance halved, which keeps a plane's gradient exact.
 */
export function surfaceGradients(dem: Raster<Float32Array>): { eastward: Float32Array; northward: Float32Array } {
  const { width, height } = dem.spec;
  const z = dem.data;
  const size = cellSizeMetres(dem.spec);
  const eastward = new Float32Array(width * height);
  const northward = new Float32Array(width * height);
  for (let row = 0; row < height; row++) {
    const north = row > 0 ? row - 1 : row;
    const south = row < height - 1 ? row + 1 : row;
    const dy = (south - north) * size.y * 4;
    const rn = north * width;
    const rc = row * width;
    const rs = south * width;
    for (let col = 0; col < width; col++) {
      const west = col > 0 ? col - 1 : col;
      const east = col < width - 1 ? col + 1 : col;
      const dx = (east - west) * size.x * 4;
      const a = z[rn + west]!;
      const b = z[rn + col]!;
      const c = z[rn + east]!;
      const d = z[rc + west]!;
      const f = z[rc + east]!;
      const g = z[rs + west]!;
      const h = z[rs + col]!;
      const k = z[rs + east]!;
      const i = rc + col;
      eastward[i] = dx > 0 ? (c + 2 * f + k - (a + 2 * d + g)) / dx : 0;
      northward[i] = dy > 0 ? (a + 2 * b + c - (g + 2 * h + k)) / dy : 0;
    }
  }
  return { eastward, northward };
}

/** A regular lattice of sample points in metres east and south of the DEM's north-west corner. */
interface Lattice {
  spec: GridSpec;
  width: number;
  height: number;
  x0Metres: number;
  y0Metres: number;
  stepXMetres: number;
  stepYMetres: number;
}

const GRADIENT_COUNT = 64;
const GRADIENT_X = Float64Array.from({ length: GRADIENT_COUNT }, (_, i) =>
  Math.cos((2 * Math.PI * i) / GRADIENT_COUNT),
);
const GRADIENT_Y = Float64Array.from({ length: GRADIENT_COUNT }, (_, i) =>
  Math.sin((2 * Math.PI * i) / GRADIENT_COUNT),
);

/** A 32-bit unsigned hash of an integer lattice point (no period, unlike a permutation table). */
function hash32(ix: number, iy: number, seed: number): number {
  let h = Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1) ^ seed;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Index of the gradient at an integer lattice point. */
function gradientIndex(ix: number, iy: number, seed: number): number {
  return hash32(ix, iy, seed) & (GRADIENT_COUNT - 1);
}

/** Perlin-style gradient noise at (x, y) in lattice units, about -1..1. */
function gradientNoise(x: number, y: number, seed: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = x - ix;
  const fy = y - iy;
  const u = fx * fx * fx * (fx * (fx * 6 - 15) + 10);
  const v = fy * fy * fy * (fy * (fy * 6 - 15) + 10);
  const g00 = gradientIndex(ix, iy, seed);
  const g10 = gradientIndex(ix + 1, iy, seed);
  const g01 = gradientIndex(ix, iy + 1, seed);
  const g11 = gradientIndex(ix + 1, iy + 1, seed);
  const n00 = GRADIENT_X[g00]! * fx + GRADIENT_Y[g00]! * fy;
  const n10 = GRADIENT_X[g10]! * (fx - 1) + GRADIENT_Y[g10]! * fy;
  const n01 = GRADIENT_X[g01]! * fx + GRADIENT_Y[g01]! * (fy - 1);
  const n11 = GRADIENT_X[g11]! * (fx - 1) + GRADIENT_Y[g11]! * (fy - 1);
  const top = n00 + u * (n10 - n00);
  const bottom = n01 + u * (n11 - n01);
  return (top + v * (bottom - top)) * Math.SQRT2;
}

/**
 * Fractal noise over a lattice: octaves of gradient noise, each half the wavelength and amplitude of
 * the last and turned by a different angle (hides the lattice's axes). Plain fBm is about -1..1;
 * ridged (Musgrave's ridged multifractal: sharp crests, detail weighted towards the crests) is 0..1.
 */
function fractalNoise(
  lattice: Lattice,
  params: {
    seed: number;
    wavelengthMetres: number;
    octaves: number;
    ridged?: boolean;
    warp?: { x: Float32Array; y: Float32Array };
  },
): Float32Array {
  const { width, height } = lattice;
  const out = new Float32Array(width * height);
  const weight = params.ridged ? new Float32Array(width * height).fill(1) : null;
  const warp = params.warp;
  let amplitude = 1;
  let total = 0;
  for (let octave = 0; octave < params.octaves; octave++) {
    const frequency = 2 ** octave / params.wavelengthMetres;
    const angle = 0.7 + 2.1 * octave;
    const cos = Math.cos(angle) * frequency;
    const sin = Math.sin(angle) * frequency;
    const seed = hash32(octave, 7919, params.seed) | 0;
    const offsetX = 1000 + 37.17 * octave;
    const offsetY = 2000 - 53.61 * octave;
    for (let row = 0; row < height; row++) {
      const rowY = lattice.y0Metres + row * lattice.stepYMetres;
      for (let col = 0; col < width; col++) {
        const i = row * width + col;
        let x = lattice.x0Metres + col * lattice.stepXMetres;
        let y = rowY;
        if (warp) {
          x += warp.x[i]!;
          y += warp.y[i]!;
        }
        const value = gradientNoise(x * cos - y * sin + offsetX, x * sin + y * cos + offsetY, seed);
        if (weight) {
          let signal = 1 - Math.abs(value);
          signal *= signal * weight[i]!;
          weight[i] = Math.min(1, 2 * signal);
          out[i]! += signal * amplitude;
        } else {
          out[i]! += value * amplitude;
        }
      }
    }
    total += amplitude;
    amplitude *= 0.5;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= total;
  return out;
}

/** A number in [0, 1) from two integers and a seed. */
function unitHash(a: number, b: number, seed: number): number {
  return hash32(a, b, seed) / 4294967296;
}

/** values × factor, in place. */
function scaled(values: Float32Array, factor: number): Float32Array {
  for (let i = 0; i < values.length; i++) values[i]! *= factor;
  return values;
}

/** Catmull-Rom weights of the four samples around fractional position t in [0, 1), into out[at…at+3]. */
function cubicWeights(t: number, out: Float64Array, at: number): void {
  const t2 = t * t;
  const t3 = t2 * t;
  out[at] = 0.5 * (-t3 + 2 * t2 - t);
  out[at + 1] = 0.5 * (3 * t3 - 5 * t2 + 2);
  out[at + 2] = 0.5 * (-3 * t3 + 4 * t2 + t);
  out[at + 3] = 0.5 * (t3 - t2);
}

/** The sample index before a fractional position, kept so that all four samples lie inside. */
function cubicBase(position: number, size: number): number {
  return Math.min(size - 3, Math.max(1, Math.floor(position)));
}

/** Bicubic (Catmull-Rom) samples of a grid at fractional (column, row) positions (clamped inside it). */
function bicubicAt(
  source: Float32Array,
  sourceWidth: number,
  sourceHeight: number,
  columns: Float64Array,
  rows: Float64Array,
): Float32Array {
  const out = new Float32Array(columns.length);
  const wx = new Float64Array(4);
  const wy = new Float64Array(4);
  for (let i = 0; i < out.length; i++) {
    const c = cubicBase(columns[i]!, sourceWidth);
    const r = cubicBase(rows[i]!, sourceHeight);
    cubicWeights(Math.min(1, Math.max(0, columns[i]! - c)), wx, 0);
    cubicWeights(Math.min(1, Math.max(0, rows[i]! - r)), wy, 0);
    let sum = 0;
    let s = (r - 1) * sourceWidth + c - 1;
    for (let k = 0; k < 4; k++) {
      sum +=
        wy[k]! * (wx[0]! * source[s]! + wx[1]! * source[s + 1]! + wx[2]! * source[s + 2]! + wx[3]! * source[s + 3]!);
      s += sourceWidth;
    }
    out[i] = sum;
  }
  return out;
}

/**
 * Bicubic (Catmull-Rom) resampling of a grid at fractional columns × rows (positions in source cell
 * indices, clamped inside it). Separable: along rows first, then down columns.
 */
function bicubicGrid(
  source: Float32Array,
  sourceWidth: number,
  sourceHeight: number,
  columns: Float64Array,
  rows: Float64Array,
): Float32Array {
  const width = columns.length;
  const columnIndex = new Int32Array(width);
  const columnWeights = new Float64Array(width * 4);
  for (let col = 0; col < width; col++) {
    const base = cubicBase(columns[col]!, sourceWidth);
    columnIndex[col] = base - 1;
    cubicWeights(Math.min(1, Math.max(0, columns[col]! - base)), columnWeights, col * 4);
  }
  const across = new Float32Array(sourceHeight * width);
  for (let r = 0; r < sourceHeight; r++) {
    const rowStart = r * sourceWidth;
    for (let col = 0; col < width; col++) {
      const s = rowStart + columnIndex[col]!;
      const w = col * 4;
      across[r * width + col] =
        columnWeights[w]! * source[s]! +
        columnWeights[w + 1]! * source[s + 1]! +
        columnWeights[w + 2]! * source[s + 2]! +
        columnWeights[w + 3]! * source[s + 3]!;
    }
  }
  const out = new Float32Array(rows.length * width);
  const wy = new Float64Array(4);
  for (let row = 0; row < rows.length; row++) {
    const base = cubicBase(rows[row]!, sourceHeight);
    cubicWeights(Math.min(1, Math.max(0, rows[row]! - base)), wy, 0);
    const [w0, w1, w2, w3] = wy;
    const s = (base - 1) * width;
    for (let col = 0; col < width; col++) {
      const j = s + col;
      out[row * width + col] =
        w0! * across[j]! + w1! * across[j + width]! + w2! * across[j + 2 * width]! + w3! * across[j + 3 * width]!;
    }
  }
  return out;
}
