/**
 * A plausible synthetic road network over an elevation raster: each request (county seat first,
 * then township seats, then villages) is joined to the network built so far by a least-cost path
 * over a cost surface of slope, river crossings, valley floors and existing roads. The cell paths
 * are merged into one graph split at every junction and request (roads meet only in shared cells:
 * a diagonal step may not slip between two road cells), and each edge's geometry
 * keeps the bends of its path (only the 8-direction staircase is smoothed), because curvature and
 * gradient slow travel later. Road elevations (gradients, node and vertex heights) come from the
 * raster smoothed over 3 × 3 cells, as cut and fill leave it: otherwise a rough raster makes roads
 * thread single cells in 60 m zigzags. Pure: no I/O, no Math.random.
 */
import { MinHeap } from '../../lib/min-heap.js';
import { Random } from './random.js';
import { type GridSpec, cellCentre, cellOf, cellSizeMetres, metresPerDegree, NEIGHBOURS_8 } from './raster.js';

/** Road classes, highest first: a county trunk, township roads, village spurs. */
export type RoadClass = 'county' | 'township' | 'village';

/** A place to connect, in order: the first is the network's root (the county seat). */
export interface RoadRequest {
  id: string;
  lon: number;
  lat: number;
  roadClass: RoadClass;
}

/** A node of the network: a request's cell, a junction or a dead end, at a cell centre (road elevation). */
export interface RoadNode {
  id: number;
  lon: number;
  lat: number;
  elevationMetres: number;
}

/** A stretch of road between two nodes, with no junction inside. */
export interface RoadEdge {
  id: number;
  source: number;
  target: number;
  roadClass: RoadClass;
  /** lon, lat, road elevation m, from source to target; the ends equal the nodes' coordinates. */
  coordinates: [number, number, number][];
  /** Horizontal length. */
  lengthMetres: number;
  climbMetres: number;
  descentMetres: number;
  /** Length over the straight distance between the ends (1 = straight). */
  sinuosity: number;
  /**
   * Sum of heading changes per kilometre along the road's drawn line before digitising noise
   * (the bends a driver meets; the noise of the vertices would add a few hundred °/km).
   */
  turningDegreesPerKm: number;
  /** Driven from source to target only ('forward'), from target to source only ('backward'), or both ways (null). */
  oneWay: 'forward' | 'backward' | null;
}

/** The built network. */
export interface RoadNetwork {
  nodes: RoadNode[];
  edges: RoadEdge[];
  /** Request id → id of the node at the request's cell (an isolated node if it could not be reached). */
  requestNode: Record<string, number>;
}

/** Parameters of the cost surface; costs are in "metres of easy road" equivalents. */
export interface RoadCostParameters {
  /** Gradient (rise over run) at which building costs twice as much per metre, by class. */
  comfortableGradient: Record<RoadClass, number>;
  /** Above this gradient a step is near-forbidden: its cost is multiplied by `steepPenaltyFactor`. */
  steepGradient: number;
  steepPenaltyFactor: number;
  /** Drainage area from which a cell counts as valley floor (cheaper to build on). */
  valleyAreaKm2: number;
  /** Drainage area from which a cell is a big river that needs a bridge to cross. */
  riverAreaKm2: number;
  /** Largest fractional discount on valley floors (reached at river size). */
  valleyDiscount: number;
  /** Cost of building a bridge over a big river. */
  bridgeMetres: number;
  /** Cost per metre of travelling along an existing road, relative to building a flat new one. */
  reuseFactor: number;
  /** Cost of a 45°, 90° and 135° direction change, in cell sizes (180° is never allowed). */
  turnCells: readonly [number, number, number];
  /** Seeded smooth noise on the building cost (ground, ownership): ± this fraction. */
  noiseFraction: number;
  /** Spacing of the noise lattice, in cells. */
  noiseScaleCells: number;
}

/** The default cost surface: county roads stay under ~7% where they can, village roads ~11%. */
export const DEFAULT_ROAD_COSTS: Readonly<RoadCostParameters> = Object.freeze({
  comfortableGradient: Object.freeze({ county: 0.09, township: 0.11, village: 0.14 }),
  steepGradient: 0.35,
  steepPenaltyFactor: 10,
  valleyAreaKm2: 0.3,
  riverAreaKm2: 8,
  valleyDiscount: 0.2,
  bridgeMetres: 800,
  reuseFactor: 0.25,
  turnCells: Object.freeze([0.15, 1, 3]) as readonly [number, number, number],
  noiseFraction: 0.06,
  noiseScaleCells: 8,
});

/** Input of {@link buildRoadNetwork}. */
export interface RoadNetworkInput {
  spec: GridSpec;
  elevationMetres: Float32Array;
  /** Cells draining through each cell (D8 flow accumulation); high = big river. */
  riverAccumulation?: Float32Array;
  /** 1 = may build; default all. Request cells are always usable. */
  passable?: Uint8Array;
  requests: RoadRequest[];
  seed: number | string;
  costs?: Partial<RoadCostParameters>;
  /** Loops to add once every request is joined; none when absent (the network is then a tree). */
  loops?: RoadLoopOptions;
}

/**
 * Where the network closes loops, as real roads do: pass roads over a ridge between two valley
 * roads whose ends are close in a straight line but far apart by road, and streets through towns
 * (a second street between two points of a town's roads, a block or two apart).
 */
export interface RoadLoopOptions {
  /** Towns: streets are added between road cells within `radiusMetres` of the centre. */
  towns: { lon: number; lat: number; radiusMetres: number; maxStreets: number }[];
  /** Pass roads join dead ends at most this far apart in a straight line. */
  passMaxMetres: number;
  /** …that are at least max(detour × straight, straight + passMinSavingMetres) apart by road. */
  passDetour: number;
  passMinSavingMetres: number;
  /** The middles of two pass roads are at least this far apart, so loops spread over the county. */
  passSpacingMetres: number;
  maxPasses: number;
  /**
   * A one-way pair (couplet) in the first town: its main road one way for about this many
   * metres either side of the centre, and a parallel street built beside it the other way.
   */
  coupletHalfMetres: number;
}

/** Loops as the demo county makes them: up to 40 pass roads, a couplet and a few streets in the towns. */
export const DEFAULT_ROAD_LOOPS: Omit<RoadLoopOptions, 'towns'> = Object.freeze({
  passMaxMetres: 4500,
  passDetour: 3,
  passMinSavingMetres: 4000,
  passSpacingMetres: 2500,
  maxPasses: 40,
  coupletHalfMetres: 360,
});

const CLASS_RANK: Record<RoadClass, number> = { village: 1, township: 2, county: 3 };
const RANK_CLASS: readonly RoadClass[] = ['village', 'village', 'township', 'county'];
const NO_PARENT = 8;
const SMOOTHING_PASSES = 3;
/** A survey at 1:10,000 keeps a vertex where the road leaves a straight chord by more than this. */
const DIGITISING_TOLERANCE_METRES = 0.5;
const DIGITISING_MAX_SEGMENT_METRES = 80;
/** Standard deviation of digitising noise on each inner vertex, m (capped at 2 m). */
const DIGITISING_NOISE_METRES = 0.8;

/** Builds the road network for the requests, in order; see the module comment. */
export function buildRoadNetwork(input: RoadNetworkInput): RoadNetwork {
  const { spec, elevationMetres } = input;
  const cellCount = spec.width * spec.height;
  if (elevationMetres.length !== cellCount) throw new RangeError('elevationMetres does not match the grid');
  if (input.riverAccumulation && input.riverAccumulation.length !== cellCount) {
    throw new RangeError('riverAccumulation does not match the grid');
  }
  if (input.passable && input.passable.length !== cellCount) throw new RangeError('passable does not match the grid');
  const costs: RoadCostParameters = { ...DEFAULT_ROAD_COSTS, ...input.costs };

  const roads = new RoadCells(spec);
  const surface = buildCostSurface(input, costs);
  const roadElevation = smoothElevation(spec, elevationMetres);
  const search = new PathSearch(spec, roadElevation, surface, roads, costs);

  const requestCells: number[] = [];
  const seen = new Set<string>();
  for (const request of input.requests) {
    if (seen.has(request.id)) throw new RangeError(`duplicate road request id ${request.id}`);
    seen.add(request.id);
    const cell = cellOf(spec, request.lon, request.lat);
    if (!cell) throw new RangeError(`road request ${request.id} lies outside the grid`);
    requestCells.push(cell.row * spec.width + cell.col);
  }

  requestCells.forEach((cell, index) => {
    const rank = CLASS_RANK[input.requests[index]!.roadClass];
    roads.markRequest(cell);
    if (index === 0) {
      // The root is a target for every class, so every search has somewhere to stop.
      roads.targetRank[cell] = 3;
      return;
    }
    if (roads.targetRank[cell]! >= rank) return;
    const path = search.run(cell, rank);
    if (path) roads.commit(removeLoops(path), rank);
  });

  const oneWayRuns = input.loops ? addLoops(spec, roads, search, requestCells, input.loops) : [];
  return assembleNetwork(spec, roadElevation, roads, input.requests, requestCells, oneWayRuns, input.seed);
}

// ---------------------------------------------------------------------------------------------
// Loops: pass roads, town streets and a one-way pair

/**
 * Adds pass roads, town streets and a couplet to the tree of roads; returns the one-way runs:
 * cell lists driven in their order only.
 */
function addLoops(
  spec: GridSpec,
  roads: RoadCells,
  search: PathSearch,
  requestCells: readonly number[],
  options: RoadLoopOptions,
): number[][] {
  const size = cellSizeMetres(spec);
  const cellMetres = (size.x + size.y) / 2;
  const width = spec.width;
  const straightMetres = (a: number, b: number) =>
    Math.hypot(((a % width) - (b % width)) * size.x, (Math.floor(a / width) - Math.floor(b / width)) * size.y);
  const townCells = options.towns.map((town) => {
    const cell = cellOf(spec, town.lon, town.lat);
    return cell ? cell.row * width + cell.col : -1;
  });

  // Pass roads: dead ends (valley heads) close to another dead end but far from it by road.
  const deadEnds: number[] = [];
  for (let cell = 0; cell < roads.links.length; cell++) if (popCount(roads.links[cell]!) === 1) deadEnds.push(cell);
  const proposals: { a: number; b: number; metres: number }[] = [];
  for (let i = 0; i < deadEnds.length; i++) {
    for (let j = i + 1; j < deadEnds.length; j++) {
      const metres = straightMetres(deadEnds[i]!, deadEnds[j]!);
      if (metres <= options.passMaxMetres) proposals.push({ a: deadEnds[i]!, b: deadEnds[j]!, metres });
    }
  }
  proposals.sort((p, q) => p.metres - q.metres || p.a - q.a || p.b - q.b);
  let passes = 0;
  const joined = new Set<number>();
  const passMiddles: (readonly [number, number])[] = [];
  const inTown = (cell: number) =>
    options.towns.some((town, t) => townCells[t]! >= 0 && straightMetres(cell, townCells[t]!) <= town.radiusMetres);
  for (const { a, b, metres } of proposals) {
    if (passes >= options.maxPasses) break;
    // One pass per valley head, so loops spread over the county instead of bunching.
    if (joined.has(a) || joined.has(b)) continue;
    if (inTown(a) || inTown(b)) continue;
    const middle = [((a % width) + (b % width)) / 2, (Math.floor(a / width) + Math.floor(b / width)) / 2] as const;
    const crowded = passMiddles.some(
      ([col, row]) => Math.hypot((col - middle[0]) * size.x, (row - middle[1]) * size.y) < options.passSpacingMetres,
    );
    if (crowded) continue;
    const needed = Math.max(options.passDetour * metres, metres + options.passMinSavingMetres);
    if (roadMetres(roads, spec, a, b, needed) < needed) continue;
    const rank = Math.max(1, Math.min(roads.targetRank[a]!, roads.targetRank[b]!));
    const path = search.runTo(a, b, rank, 5 * metres + 20 * cellMetres, 40 * cellMetres);
    if (!path || pathMetres(path, spec) > 2.5 * metres + 500) continue;
    roads.commit(path, rank);
    joined.add(a).add(b);
    passMiddles.push(middle);
    passes++;
  }

  // Town streets: between two road cells of a town a block or two apart but far apart by road.
  options.towns.forEach((town, t) => {
    const centre = townCells[t]!;
    if (centre < 0) return;
    let streets = 0;
    // Junctions, dead ends and requested places of the town.
    const candidates: number[] = [];
    const isRequest = new Set(requestCells);
    for (let cell = 0; cell < roads.links.length; cell++) {
      const degree = popCount(roads.links[cell]!);
      if (degree === 0 || (degree === 2 && !isRequest.has(cell))) continue;
      if (straightMetres(cell, centre) <= town.radiusMetres) candidates.push(cell);
    }
    const pairs: { a: number; b: number; metres: number }[] = [];
    for (let i = 0; i < candidates.length; i++) {
      for (let j = i + 1; j < candidates.length; j++) {
        const metres = straightMetres(candidates[i]!, candidates[j]!);
        if (metres >= 2 * cellMetres && metres <= 900) pairs.push({ a: candidates[i]!, b: candidates[j]!, metres });
      }
    }
    pairs.sort((p, q) => p.metres - q.metres || p.a - q.a || p.b - q.b);
    for (const { a, b, metres } of pairs) {
      if (streets >= town.maxStreets) break;
      const needed = Math.max(2.5 * metres, metres + 500);
      if (roadMetres(roads, spec, a, b, needed) < needed) continue;
      const path = search.runTo(a, b, 1, 3 * metres + 10 * cellMetres, 10 * cellMetres);
      if (!path || pathMetres(path, spec) > 1.8 * metres + 120) continue;
      roads.commit(path, 1);
      streets++;
    }
  });

  // The couplet: the first town's main road one way, a parallel street the other way.
  const centre = townCells[0];
  if (centre === undefined || centre < 0) return [];
  const main = mainRoadThrough(roads, centre, Math.round(options.coupletHalfMetres / cellMetres));
  if (main.length < 4) return [];
  const street = search.runTo(main[0]!, main[main.length - 1]!, 2, 4 * main.length * cellMetres, 20 * cellMetres);
  if (!street) return [];
  roads.commit(street, 2);
  // Traffic leaves along the main road and comes back by the street.
  return [main, street.slice().reverse()];
}

/** Length of a cell path, m. */
function pathMetres(path: readonly number[], spec: GridSpec): number {
  const size = cellSizeMetres(spec);
  let metres = 0;
  for (let i = 1; i < path.length; i++) {
    const dc = (path[i]! % spec.width) - (path[i - 1]! % spec.width);
    const dr = Math.floor(path[i]! / spec.width) - Math.floor(path[i - 1]! / spec.width);
    metres += Math.hypot(dc * size.x, dr * size.y);
  }
  return metres;
}

/** Road distance between two road cells over the links so far, m; Infinity beyond `limitMetres`. */
function roadMetres(roads: RoadCells, spec: GridSpec, from: number, to: number, limitMetres: number): number {
  const size = cellSizeMetres(spec);
  const stepMetres = NEIGHBOURS_8.map(([dc, dr]) => Math.hypot(dc * size.x, dr * size.y));
  const distance = new Map<number, number>([[from, 0]]);
  const heap = new MinHeap();
  heap.push(0, from);
  while (heap.size > 0) {
    const cell = heap.pop();
    const metres = heap.lastKey;
    if (metres > distance.get(cell)!) continue;
    if (cell === to) return metres;
    if (metres > limitMetres) break;
    const mask = roads.links[cell]!;
    for (let d = 0; d < 8; d++) {
      if (!(mask & (1 << d))) continue;
      const next = cell + roads.offset(d);
      const candidate = metres + stepMetres[d]!;
      if (candidate < (distance.get(next) ?? Infinity)) {
        distance.set(next, candidate);
        heap.push(candidate, next);
      }
    }
  }
  return Infinity;
}

/**
 * The highest-class road through a cell, followed about `halfCells` cells either way (fewer at
 * a dead end), as an ordered cell list.
 */
function mainRoadThrough(roads: RoadCells, centre: number, halfCells: number): number[] {
  const mask = roads.links[centre]!;
  const directions = directionsOf(mask).sort((p, q) => roads.rankOf(centre, q) - roads.rankOf(centre, p) || p - q);
  if (directions.length === 0) return [];
  const follow = (first: number): number[] => {
    const cells: number[] = [];
    let cell = centre;
    let d = first;
    for (let i = 0; i < halfCells; i++) {
      const rank = roads.rankOf(cell, d);
      cell += roads.offset(d);
      if (cell === centre || cells.includes(cell)) break;
      cells.push(cell);
      const back = (d + 4) & 7;
      // Straight on where the road branches: the link of the same class turning least.
      const onward = directionsOf(roads.links[cell]! & ~(1 << back))
        .filter((o) => roads.rankOf(cell, o) === rank)
        .sort((p, q) => turnSize(d, p) - turnSize(d, q) || p - q)[0];
      if (onward === undefined) break;
      d = onward;
    }
    return cells;
  };
  const one = follow(directions[0]!);
  const other = directions.length > 1 ? follow(directions[1]!) : [];
  return [...other.reverse(), centre, ...one];
}

function turnSize(from: number, to: number): number {
  const turn = (to - from) & 7;
  return Math.min(turn, 8 - turn);
}

/** Number of connected components of the network (isolated nodes count; 1 when all is joined). */
export function connectedComponents(network: RoadNetwork): number {
  const parent = network.nodes.map((_, index) => index);
  const find = (node: number): number => {
    while (parent[node] !== node) {
      parent[node] = parent[parent[node]!]!;
      node = parent[node]!;
    }
    return node;
  };
  let components = network.nodes.length;
  for (const edge of network.edges) {
    const a = find(edge.source);
    const b = find(edge.target);
    if (a !== b) {
      parent[a] = b;
      components--;
    }
  }
  return components;
}

// ---------------------------------------------------------------------------------------------
// Cost surface

interface CostSurface {
  /** Per-cell factor on the building cost: seeded noise times the valley-floor discount. */
  groundFactor: Float32Array;
  /** 1 where a big river runs. */
  river: Uint8Array;
  passable: Uint8Array | undefined;
}

function buildCostSurface(input: RoadNetworkInput, costs: RoadCostParameters): CostSurface {
  const { spec } = input;
  const { width, height } = spec;
  const groundFactor = seededNoise(width, height, input.seed, costs.noiseScaleCells, costs.noiseFraction);
  const river = new Uint8Array(width * height);
  const accumulation = input.riverAccumulation;
  if (accumulation) {
    const size = cellSizeMetres(spec);
    const cellKm2 = (size.x * size.y) / 1e6;
    const valleyCells = costs.valleyAreaKm2 / cellKm2;
    const riverCells = costs.riverAreaKm2 / cellKm2;
    const span = Math.log(Math.max(riverCells / valleyCells, 1.000001));
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        const cell = row * width + col;
        if (accumulation[cell]! >= riverCells) river[cell] = 1;
        // Valley floor: the cell or a neighbour carries a stream, so banks are cheap too.
        let drainage = 0;
        for (let dr = -1; dr <= 1; dr++) {
          const r = row + dr;
          if (r < 0 || r >= height) continue;
          for (let dc = -1; dc <= 1; dc++) {
            const c = col + dc;
            if (c >= 0 && c < width) drainage = Math.max(drainage, accumulation[r * width + c]!);
          }
        }
        if (drainage >= valleyCells) {
          const size01 = Math.min(1, Math.log(drainage / valleyCells) / span);
          groundFactor[cell] = groundFactor[cell]! * (1 - costs.valleyDiscount * (0.5 + 0.5 * size01));
        }
      }
    }
  }
  return { groundFactor, river, passable: input.passable };
}

/** The raster under a 3 × 3 binomial kernel (1-2-1 each way), which removes cell-scale roughness. */
function smoothElevation(spec: GridSpec, elevationMetres: Float32Array): Float32Array {
  const { width, height } = spec;
  const weights = [1, 2, 1];
  const out = new Float32Array(width * height);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      let sum = 0;
      let weight = 0;
      for (let dr = -1; dr <= 1; dr++) {
        const r = row + dr;
        if (r < 0 || r >= height) continue;
        for (let dc = -1; dc <= 1; dc++) {
          const c = col + dc;
          if (c < 0 || c >= width) continue;
          const w = weights[dr + 1]! * weights[dc + 1]!;
          sum += w * elevationMetres[r * width + c]!;
          weight += w;
        }
      }
      out[row * width + col] = sum / weight;
    }
  }
  return out;
}

/** Smooth value noise, 1 ± fraction, on a lattice every `scaleCells` cells. */
function seededNoise(width: number, height: number, seed: number | string, scaleCells: number, fraction: number) {
  const field = new Float32Array(width * height).fill(1);
  if (fraction <= 0) return field;
  const random = new Random(seed).fork('road-cost-noise');
  const scale = Math.max(1, scaleCells);
  const latticeWidth = Math.ceil(width / scale) + 2;
  const latticeHeight = Math.ceil(height / scale) + 2;
  const lattice = new Float32Array(latticeWidth * latticeHeight);
  for (let i = 0; i < lattice.length; i++) lattice[i] = random.uniform(-1, 1);
  const smooth = (t: number) => t * t * (3 - 2 * t);
  for (let row = 0; row < height; row++) {
    const y = row / scale;
    const y0 = Math.floor(y);
    const ty = smooth(y - y0);
    for (let col = 0; col < width; col++) {
      const x = col / scale;
      const x0 = Math.floor(x);
      const tx = smooth(x - x0);
      const i = y0 * latticeWidth + x0;
      const top = lattice[i]! + (lattice[i + 1]! - lattice[i]!) * tx;
      const below = lattice[i + latticeWidth]! + (lattice[i + latticeWidth + 1]! - lattice[i + latticeWidth]!) * tx;
      field[row * width + col] = 1 + fraction * (top + (below - top) * ty);
    }
  }
  return field;
}

// ---------------------------------------------------------------------------------------------
// Roads built so far, as links between neighbouring cells

class RoadCells {
  /** Bit d set: a road runs from the cell to its neighbour in direction d (NEIGHBOURS_8). */
  readonly links: Uint8Array;
  /** Highest class of the roads through a cell (3 at the root), 0 = no road; searches stop here. */
  readonly targetRank: Uint8Array;
  readonly request: Uint8Array;
  /** Class rank of each link, keyed by `cell * 4 + direction` with direction 0–3 (N, NE, E, SE). */
  readonly linkRank = new Map<number, number>();
  private readonly offsets: number[];

  constructor(readonly spec: GridSpec) {
    const cells = spec.width * spec.height;
    this.links = new Uint8Array(cells);
    this.targetRank = new Uint8Array(cells);
    this.request = new Uint8Array(cells);
    this.offsets = NEIGHBOURS_8.map(([dc, dr]) => dr * spec.width + dc);
  }

  markRequest(cell: number): void {
    this.request[cell] = 1;
  }

  offset(direction: number): number {
    return this.offsets[direction]!;
  }

  /** Direction from a cell to a neighbouring cell. */
  direction(from: number, to: number): number {
    const width = this.spec.width;
    const dc = (to % width) - (from % width);
    const dr = Math.floor(to / width) - Math.floor(from / width);
    const direction = NEIGHBOURS_8.findIndex(([c, r]) => c === dc && r === dr);
    if (direction < 0) throw new Error('road path cells are not neighbours');
    return direction;
  }

  linkKey(cell: number, direction: number): number {
    return direction < 4 ? cell * 4 + direction : (cell + this.offsets[direction]!) * 4 + (direction - 4);
  }

  rankOf(cell: number, direction: number): number {
    return this.linkRank.get(this.linkKey(cell, direction)) ?? 0;
  }

  /** Adds a path (start → end, neighbouring cells) at a class rank, promoting links it reuses. */
  commit(path: number[], rank: number): void {
    for (let i = 1; i < path.length; i++) {
      const from = path[i - 1]!;
      const to = path[i]!;
      const direction = this.direction(from, to);
      this.links[from] = this.links[from]! | (1 << direction);
      this.links[to] = this.links[to]! | (1 << ((direction + 4) & 7));
      const key = this.linkKey(from, direction);
      if (rank > (this.linkRank.get(key) ?? 0)) this.linkRank.set(key, rank);
      this.targetRank[from] = Math.max(this.targetRank[from]!, rank);
      this.targetRank[to] = Math.max(this.targetRank[to]!, rank);
    }
  }
}

/** Cuts any loop out of a cell path (a cell visited twice keeps only its first visit). */
function removeLoops(path: number[]): number[] {
  const out: number[] = [];
  const index = new Map<number, number>();
  for (const cell of path) {
    const earlier = index.get(cell);
    if (earlier !== undefined) {
      for (let i = earlier + 1; i < out.length; i++) index.delete(out[i]!);
      out.length = earlier + 1;
      continue;
    }
    index.set(cell, out.length);
    out.push(cell);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Least-cost search over (cell, arrival direction) states

/** A binary min-heap of (cost, state) in growable typed arrays; stale entries are skipped by the caller. */
class StateHeap {
  private keys = new Float64Array(1 << 16);
  private states = new Int32Array(1 << 16);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  push(key: number, state: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const states = new Int32Array(this.size * 2);
      states.set(this.states);
      this.states = states;
    }
    let i = this.size++;
    const keys = this.keys;
    const states = this.states;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      states[i] = states[parent]!;
      i = parent;
    }
    keys[i] = key;
    states[i] = state;
  }

  /** Removes the cheapest entry; read it from `topState` before calling. */
  pop(): void {
    const keys = this.keys;
    const states = this.states;
    const last = --this.size;
    const key = keys[last]!;
    const state = states[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= key) break;
      keys[i] = keys[child]!;
      states[i] = states[child]!;
      i = child;
    }
    keys[i] = key;
    states[i] = state;
  }

  get topState(): number {
    return this.states[0]!;
  }
}

/**
 * Per-cell search record, RECORD_SLOTS 32-bit slots (128 bytes), so that the first touch of a cell
 * costs two cache lines instead of one in each of six arrays: labels (cost so far per arrival
 * direction), leaving costs (best label plus turn, per leaving direction), step costs, then the
 * search stamp, settled directions and the parents' arrival directions (8 bits each).
 */
const RECORD_SLOTS = 32;
const LABEL = 0;
const LEAVING = 8;
const STEP = 16;
const STAMP = 24;
const SETTLED = 25;
const PARENTS = 26;

class PathSearch {
  private readonly width: number;
  private readonly height: number;
  private readonly stepMetres: Float64Array;
  private readonly dc: Int8Array;
  private readonly dr: Int8Array;
  private readonly offsets: Int32Array;
  /** Turn cost by (outgoing − incoming direction) mod 8; 180° is infinite. */
  private readonly turnCost: Float64Array;
  /** Turn cost from arrival direction a to leaving direction y at index a * 8 + y. */
  private readonly turnFromTo: Float64Array;
  // Records reused by every search; a cell's record is valid only if its stamp is current.
  private readonly costs32: Float32Array;
  private readonly ints32: Int32Array;
  private readonly heap = new StateHeap();
  private currentStamp = 0;

  constructor(
    spec: GridSpec,
    private readonly elevation: Float32Array,
    private readonly surface: CostSurface,
    private readonly roads: RoadCells,
    private readonly costs: RoadCostParameters,
  ) {
    this.width = spec.width;
    this.height = spec.height;
    const size = cellSizeMetres(spec);
    this.stepMetres = Float64Array.from(NEIGHBOURS_8, ([dc, dr]) => Math.hypot(dc * size.x, dr * size.y));
    this.dc = Int8Array.from(NEIGHBOURS_8, ([dc]) => dc);
    this.dr = Int8Array.from(NEIGHBOURS_8, ([, dr]) => dr);
    this.offsets = Int32Array.from(NEIGHBOURS_8, ([dc, dr]) => dr * spec.width + dc);
    const cell = (size.x + size.y) / 2;
    const [t45, t90, t135] = costs.turnCells;
    this.turnCost = Float64Array.from([0, t45, t90, t135, Infinity, t135, t90, t45], (t) => t * cell);
    this.turnFromTo = new Float64Array(64);
    for (let a = 0; a < 8; a++) for (let y = 0; y < 8; y++) this.turnFromTo[a * 8 + y] = this.turnCost[(y - a) & 7]!;
    const buffer = new ArrayBuffer(spec.width * spec.height * RECORD_SLOTS * 4);
    this.costs32 = new Float32Array(buffer);
    this.ints32 = new Int32Array(buffer);
  }

  /**
   * Cheapest cell path (Dijkstra over cell × arrival direction) from `start` to the first road
   * cell of at least `rank`, or null if none.
   */
  run(start: number, rank: number): number[] | null {
    this.goal = -1;
    this.roadPenalty = 0;
    return this.search(start, rank, Infinity);
  }

  /**
   * Cheapest path of new road from `start` to `goal` (not along existing roads: it may cross one
   * at `roadPenaltyMetres` extra), or null if it would cost more than `maxCost`.
   */
  runTo(start: number, goal: number, rank: number, maxCost: number, roadPenaltyMetres: number): number[] | null {
    this.goal = goal;
    this.roadPenalty = roadPenaltyMetres;
    const path = this.search(start, rank, maxCost);
    this.goal = -1;
    return path;
  }

  private goal = -1;
  private roadPenalty = 0;

  private search(start: number, rank: number, maxCost: number): number[] | null {
    const goal = this.goal;
    const stamp = ++this.currentStamp;
    const { heap, costs32, ints32, offsets, turnCost } = this;
    const targetRank = this.roads.targetRank;
    heap.clear();
    this.touch(start, stamp);
    this.computeCosts(start, rank);
    const startRecord = start * RECORD_SLOTS;
    ints32[startRecord + SETTLED] = 0xff;
    for (let out = 0; out < 8; out++) {
      const cost = costs32[startRecord + STEP + out]!;
      if (cost === Infinity) continue;
      const next = start + offsets[out]!;
      this.touch(next, stamp);
      if (this.improves(next, out, cost, NO_PARENT)) heap.push(cost, next * 8 + out);
    }
    while (heap.size > 0) {
      const state = heap.topState;
      heap.pop();
      const cell = state >> 3;
      const arrival = state & 7;
      const record = cell * RECORD_SLOTS;
      const mask = ints32[record + SETTLED]!;
      if (mask & (1 << arrival)) continue;
      ints32[record + SETTLED] = mask | (1 << arrival);
      if (goal >= 0 ? cell === goal : targetRank[cell]! >= rank) return this.trace(state);
      const key = costs32[record + LABEL + arrival]!;
      if (key > maxCost) return null;
      if (mask === 0) this.computeCosts(cell, rank);
      for (let out = 0; out < 8; out++) {
        const step = costs32[record + STEP + out]!;
        if (step === Infinity) continue;
        const cost = key + step + turnCost[(out - arrival) & 7]!;
        if (cost === Infinity) continue;
        const next = cell + offsets[out]!;
        this.touch(next, stamp);
        if (this.improves(next, out, cost, arrival)) heap.push(cost, next * 8 + out);
      }
    }
    return null;
  }

  private touch(cell: number, stamp: number): void {
    const record = cell * RECORD_SLOTS;
    if (this.ints32[record + STAMP] === stamp) return;
    this.ints32[record + STAMP] = stamp;
    this.ints32[record + SETTLED] = 0;
    this.costs32.fill(Infinity, record, record + STEP);
  }

  /**
   * Records a label arriving at `cell` in direction `arrival` at `cost` (from a cell reached in
   * direction `parentArrival`) if it can lead somewhere cheaper than the cell's other labels: for
   * some leaving direction, this label plus its turn beats every other label plus theirs. Labels
   * that cannot are dropped, which keeps the search exact but saves most of the eight states per
   * cell. Returns whether the label was kept.
   */
  private improves(cell: number, arrival: number, cost: number, parentArrival: number): boolean {
    const { costs32, turnFromTo } = this;
    const leaving = cell * RECORD_SLOTS + LEAVING;
    const turnBase = arrival * 8;
    let useful = false;
    for (let y = 0; y < 8; y++) {
      if (cost + turnFromTo[turnBase + y]! < costs32[leaving + y]!) {
        useful = true;
        break;
      }
    }
    if (!useful) return false;
    for (let y = 0; y < 8; y++) {
      const via = cost + turnFromTo[turnBase + y]!;
      if (via < costs32[leaving + y]!) costs32[leaving + y] = via;
    }
    const record = cell * RECORD_SLOTS;
    costs32[record + LABEL + arrival] = cost;
    const parents = record + PARENTS + (arrival >> 2);
    const shift = (arrival & 3) * 8;
    this.ints32[parents] = (this.ints32[parents]! & ~(0xff << shift)) | (parentArrival << shift);
    return true;
  }

  private trace(state: number): number[] {
    const path: number[] = [];
    let cell = state >> 3;
    let arrival = state & 7;
    path.push(cell);
    for (;;) {
      const parents = this.ints32[cell * RECORD_SLOTS + PARENTS + (arrival >> 2)]!;
      const before = (parents >> ((arrival & 3) * 8)) & 0xff;
      cell -= this.offsets[arrival]!;
      path.push(cell);
      if (before === NO_PARENT) break;
      arrival = before;
    }
    return path.reverse();
  }

  /** Costs of the eight steps out of a cell for a road of the given class rank. */
  private computeCosts(cell: number, rank: number): void {
    const { width, height, elevation, costs, roads } = this;
    const { groundFactor, river, passable } = this.surface;
    const links = roads.links;
    const col = cell % width;
    const row = (cell - col) / width;
    const inverseComfort = 1 / costs.comfortableGradient[RANK_CLASS[rank]!];
    const halfBridge = costs.bridgeMetres / 2;
    const base = cell * RECORD_SLOTS + STEP;
    const steps = this.costs32;
    for (let d = 0; d < 8; d++) {
      const dc = this.dc[d]!;
      const dr = this.dr[d]!;
      const c = col + dc;
      const r = row + dr;
      if (c < 0 || r < 0 || c >= width || r >= height) {
        steps[base + d] = Infinity;
        continue;
      }
      const next = cell + this.offsets[d]!;
      const linked = (links[cell]! & (1 << d)) !== 0;
      const metres = this.stepMetres[d]!;
      const gradient = Math.abs(elevation[next]! - elevation[cell]!) / metres;
      const relative = gradient * inverseComfort;
      let slopeFactor = 1 + relative * relative * relative * relative;
      if (gradient > costs.steepGradient) slopeFactor *= costs.steepPenaltyFactor;
      if (linked && this.goal >= 0) {
        // A loop is new road: it does not run along the road it closes.
        steps[base + d] = Infinity;
        continue;
      }
      if (linked) {
        // Travelling along an existing road: cheap, though a steep one still deters a higher class.
        steps[base + d] = metres * costs.reuseFactor * Math.sqrt(slopeFactor);
        continue;
      }
      if (passable && passable[next] === 0 && roads.targetRank[next] === 0 && roads.request[next] === 0) {
        steps[base + d] = Infinity;
        continue;
      }
      let cost = metres * slopeFactor * 0.5 * (groundFactor[cell]! + groundFactor[next]!);
      if (this.goal >= 0 && links[next] !== 0 && next !== this.goal) cost += this.roadPenalty;
      if (river[cell] !== river[next]) cost += halfBridge;
      if (dc !== 0 && dr !== 0) {
        const side = cell + dc;
        const other = cell + dr * width;
        // A diagonal step between two road cells would cross that road without a junction.
        if (links[side] !== 0 && links[other] !== 0) {
          steps[base + d] = Infinity;
          continue;
        }
        // A diagonal step between two river cells crosses the river.
        if (river[cell] === 0 && river[next] === 0 && river[side] === 1 && river[other] === 1) {
          cost += costs.bridgeMetres;
        }
      }
      steps[base + d] = cost;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// From road cells to a graph with smoothed geometry

function assembleNetwork(
  spec: GridSpec,
  roadElevation: Float32Array,
  roads: RoadCells,
  requests: RoadRequest[],
  requestCells: number[],
  oneWayRuns: readonly (readonly number[])[],
  seed: number | string,
): RoadNetwork {
  const { links } = roads;
  const isNode = new Uint8Array(links.length);
  for (const cell of requestCells) isNode[cell] = 1;
  for (let cell = 0; cell < links.length; cell++) {
    const mask = links[cell]!;
    if (mask === 0) continue;
    if (popCount(mask) !== 2) {
      isNode[cell] = 1;
      continue;
    }
    const [first, second] = directionsOf(mask);
    // Split where the class changes, so each edge has one class.
    if (roads.rankOf(cell, first!) !== roads.rankOf(cell, second!)) isNode[cell] = 1;
  }

  // Walk the chains between nodes; split a chain that would make a loop or a second edge between
  // the same two nodes, and walk again (rare).
  let chains: { cells: number[]; rank: number }[];
  for (;;) {
    chains = walkChains(roads, isNode);
    const splitAt = chainsToSplit(chains);
    if (splitAt.length === 0) break;
    for (const cell of splitAt) isNode[cell] = 1;
  }

  const nodeOfCell = new Map<number, number>();
  const nodeCells: number[] = [];
  const addNode = (cell: number) => {
    if (!nodeOfCell.has(cell)) {
      nodeOfCell.set(cell, nodeCells.length);
      nodeCells.push(cell);
    }
  };
  for (const cell of requestCells) addNode(cell);
  for (const chain of chains) {
    addNode(chain.cells[0]!);
    addNode(chain.cells[chain.cells.length - 1]!);
  }

  const nodes: RoadNode[] = nodeCells.map((cell, id) => {
    const [lon, lat, elevation] = cellPoint(spec, roadElevation, cell);
    return { id, lon, lat, elevationMetres: elevation };
  });
  const runPositions = oneWayRuns.map((run) => new Map(run.map((cell, i) => [cell, i])));
  const oneWayOf = (cells: readonly number[]): RoadEdge['oneWay'] => {
    for (const positions of runPositions) {
      if (!cells.every((cell) => positions.has(cell))) continue;
      return positions.get(cells[cells.length - 1]!)! > positions.get(cells[0]!)! ? 'forward' : 'backward';
    }
    return null;
  };
  const digitising = new Random(seed).fork('digitising');
  const edges = chains.map((chain, id) =>
    buildEdge(
      id,
      nodeOfCell.get(chain.cells[0]!)!,
      nodeOfCell.get(chain.cells[chain.cells.length - 1]!)!,
      RANK_CLASS[chain.rank]!,
      chain.cells.map((cell) => cellPoint(spec, roadElevation, cell)),
      oneWayOf(chain.cells),
      digitising,
    ),
  );
  const requestNode: Record<string, number> = {};
  requests.forEach((request, index) => {
    requestNode[request.id] = nodeOfCell.get(requestCells[index]!)!;
  });
  return { nodes, edges, requestNode };
}

function walkChains(roads: RoadCells, isNode: Uint8Array): { cells: number[]; rank: number }[] {
  const { links } = roads;
  const walked = new Uint8Array(links.length);
  const chains: { cells: number[]; rank: number }[] = [];
  const walk = (start: number, direction: number) => {
    const cells = [start];
    const rank = roads.rankOf(start, direction);
    let cell = start;
    let d = direction;
    for (;;) {
      walked[cell] = walked[cell]! | (1 << d);
      const next = cell + roads.offset(d);
      const back = (d + 4) & 7;
      walked[next] = walked[next]! | (1 << back);
      cells.push(next);
      if (isNode[next]) break;
      const onward = directionsOf(links[next]! & ~(1 << back))[0];
      if (onward === undefined) break;
      cell = next;
      d = onward;
    }
    chains.push({ cells, rank });
  };
  // Node cells in index order make the output deterministic.
  for (let cell = 0; cell < links.length; cell++) {
    if (!isNode[cell]) continue;
    for (const d of directionsOf(links[cell]! & ~walked[cell]!)) {
      if (!(walked[cell]! & (1 << d))) walk(cell, d);
    }
  }
  // A ring with no node on it (should not happen): start it at its first cell.
  for (let cell = 0; cell < links.length; cell++) {
    const left = links[cell]! & ~walked[cell]!;
    if (left !== 0) {
      isNode[cell] = 1;
      return walkChains(roads, isNode);
    }
  }
  return chains;
}

/** Middle cells of chains that are loops or repeat another chain's pair of ends. */
function chainsToSplit(chains: { cells: number[] }[]): number[] {
  const pairs = new Set<string>();
  const split: number[] = [];
  for (const { cells } of chains) {
    const a = cells[0]!;
    const b = cells[cells.length - 1]!;
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (a === b || pairs.has(key)) {
      if (cells.length > 2) split.push(cells[cells.length >> 1]!);
    } else {
      pairs.add(key);
    }
  }
  return split;
}

/**
 * An edge from its cells' centres and elevations, drawn as a 1:10,000 survey digitises a road: the
 * cell path is smoothed into the road's line (Chaikin), which keeps a vertex wherever it departs
 * from a straight chord by more than {@link DIGITISING_TOLERANCE_METRES} — every 5–30 m on bends,
 * sparse on straights, at most {@link DIGITISING_MAX_SEGMENT_METRES} apart — and every inner vertex
 * is then moved by digitising noise (normal, σ {@link DIGITISING_NOISE_METRES} m, at most 2 m).
 * The elevation is carried along as a third coordinate rather than re-sampled: the road is built
 * on the path's cells, and sampling the raster where smoothing moved a vertex sideways on a slope
 * would add climbs that the road does not make.
 */
function buildEdge(
  id: number,
  source: number,
  target: number,
  roadClass: RoadClass,
  centres: Point3[],
  oneWay: RoadEdge['oneWay'],
  random: Random,
): RoadEdge {
  const midLat = centres.reduce((sum, [, lat]) => sum + lat, 0) / centres.length;
  const metres = metresPerDegree(midLat);
  let line = centres;
  for (let pass = 0; pass < SMOOTHING_PASSES; pass++) line = chaikin(line);
  line = densify(simplify(line, metres.lon, metres.lat, DIGITISING_TOLERANCE_METRES), metres.lon, metres.lat);
  const turningDegrees = turningOf(line, metres.lon, metres.lat);
  // The ends stay bit-identical to the node coordinates; inner vertices carry the noise and are rounded.
  const noise = () => Math.max(-2, Math.min(2, random.normal(0, DIGITISING_NOISE_METRES)));
  const coordinates = line.map((point, index): Point3 => {
    if (index === 0 || index === line.length - 1) return [...point];
    return [
      roundDegrees(point[0] + noise() / metres.lon),
      roundDegrees(point[1] + noise() / metres.lat),
      round(point[2], 1),
    ];
  });

  let lengthMetres = 0;
  let climbMetres = 0;
  let descentMetres = 0;
  for (let i = 1; i < coordinates.length; i++) {
    const [lon0, lat0, z0] = coordinates[i - 1]!;
    const [lon1, lat1, z1] = coordinates[i]!;
    lengthMetres += Math.hypot((lon1 - lon0) * metres.lon, (lat1 - lat0) * metres.lat);
    if (z1 > z0) climbMetres += z1 - z0;
    else descentMetres += z0 - z1;
  }
  const first = coordinates[0]!;
  const last = coordinates[coordinates.length - 1]!;
  const straightMetres = Math.hypot((last[0] - first[0]) * metres.lon, (last[1] - first[1]) * metres.lat);
  return {
    id,
    source,
    target,
    roadClass,
    coordinates,
    lengthMetres: round(lengthMetres, 1),
    climbMetres: round(climbMetres, 1),
    descentMetres: round(descentMetres, 1),
    sinuosity: round(straightMetres > 0 ? lengthMetres / straightMetres : 1, 4),
    turningDegreesPerKm: round(turningDegrees / (lengthMetres / 1000), 1),
    oneWay,
  };
}

/** Sum of heading changes along a line, degrees. */
function turningOf(line: readonly Point3[], metresLon: number, metresLat: number): number {
  let turningDegrees = 0;
  let previousHeading: number | null = null;
  for (let i = 1; i < line.length; i++) {
    const heading = Math.atan2(
      (line[i]![1] - line[i - 1]![1]) * metresLat,
      (line[i]![0] - line[i - 1]![0]) * metresLon,
    );
    if (previousHeading !== null) {
      let turn = Math.abs(heading - previousHeading);
      if (turn > Math.PI) turn = 2 * Math.PI - turn;
      turningDegrees += (turn * 180) / Math.PI;
    }
    previousHeading = heading;
  }
  return turningDegrees;
}

/** Extra vertices on long straight segments, so none is longer than DIGITISING_MAX_SEGMENT_METRES. */
function densify(line: Point3[], metresLon: number, metresLat: number): Point3[] {
  const out: Point3[] = [line[0]!];
  for (let i = 1; i < line.length; i++) {
    const [x0, y0, z0] = line[i - 1]!;
    const [x1, y1, z1] = line[i]!;
    const pieces = Math.ceil(Math.hypot((x1 - x0) * metresLon, (y1 - y0) * metresLat) / DIGITISING_MAX_SEGMENT_METRES);
    for (let k = 1; k < pieces; k++) {
      const t = k / pieces;
      out.push([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, z0 + (z1 - z0) * t]);
    }
    out.push(line[i]!);
  }
  return out;
}

/** Chaikin corner cutting with the end points kept. */
function chaikin(line: Point3[]): Point3[] {
  if (line.length < 3) return line;
  const out: Point3[] = [line[0]!];
  const mix = (p: Point3, q: Point3, t: number): Point3 => [
    p[0] + (q[0] - p[0]) * t,
    p[1] + (q[1] - p[1]) * t,
    p[2] + (q[2] - p[2]) * t,
  ];
  for (let i = 0; i < line.length - 1; i++) {
    if (i > 0) out.push(mix(line[i]!, line[i + 1]!, 0.25));
    if (i < line.length - 2) out.push(mix(line[i]!, line[i + 1]!, 0.75));
  }
  out.push(line[line.length - 1]!);
  return out;
}

/**
 * Douglas–Peucker in local metres: x and y from degrees, and the elevation, so that a vertex that
 * carries a change of gradient is kept too.
 */
function simplify(line: Point3[], metresLon: number, metresLat: number, toleranceMetres: number): Point3[] {
  if (line.length < 3) return line;
  const keep = new Uint8Array(line.length);
  keep[0] = 1;
  keep[line.length - 1] = 1;
  const stack: [number, number][] = [[0, line.length - 1]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    const [ax, ay, az] = line[from]!;
    const [bx, by, bz] = line[to]!;
    const ux = (bx - ax) * metresLon;
    const uy = (by - ay) * metresLat;
    const uz = bz - az;
    const lengthSquared = ux * ux + uy * uy + uz * uz;
    let worst = -1;
    let worstDistance = toleranceMetres;
    for (let i = from + 1; i < to; i++) {
      const px = (line[i]![0] - ax) * metresLon;
      const py = (line[i]![1] - ay) * metresLat;
      const pz = line[i]![2] - az;
      const t = lengthSquared > 0 ? Math.max(0, Math.min(1, (px * ux + py * uy + pz * uz) / lengthSquared)) : 0;
      const distance = Math.hypot(px - t * ux, py - t * uy, pz - t * uz);
      if (distance > worstDistance) {
        worst = i;
        worstDistance = distance;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([from, worst], [worst, to]);
    }
  }
  return line.filter((_, i) => keep[i] === 1);
}

type Point3 = [number, number, number];

/** A cell's centre (rounded to 1e-7°) and elevation (to 0.1 m): a node's or a path vertex's coordinates. */
function cellPoint(spec: GridSpec, elevationMetres: Float32Array, cell: number): Point3 {
  const col = cell % spec.width;
  const [lon, lat] = cellCentre(spec, col, (cell - col) / spec.width);
  return [roundDegrees(lon), roundDegrees(lat), round(elevationMetres[cell]!, 1)];
}

function roundDegrees(degrees: number): number {
  return Math.round(degrees * 1e7) / 1e7;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function popCount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}

function directionsOf(mask: number): number[] {
  const out: number[] = [];
  for (let d = 0; d < 8; d++) if (mask & (1 << d)) out.push(d);
  return out;
}
