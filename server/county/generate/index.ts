import type { MultiPolygon, Polygon } from 'geojson';
import type { CountyModel, LonLat } from '../model.js';
import type { CountySources } from '../sources.js';
import { generateEvents } from './events.js';
import { observedTrips } from './observed-trips.js';
import { hillshade } from './hillshade.js';
import { extractRivers, fillDepressions, flowAccumulation, flowDirections } from './hydrology.js';
import { clipTiling, polygonizeLabels } from './polygonize.js';
import { Random } from './random.js';
import { gridForBounds, rasterizePolygon, type GridSpec } from './raster.js';
import { growRegions } from './regions.js';
import { buildRoadNetwork, DEFAULT_ROAD_LOOPS, type RoadRequest } from './roads.js';
import { bestValleyCell, indexCentre, spreadValleyCells, TAISHUN_SEAT_HINTS, type TerrainLayers } from './seats.js';
import { generateServices } from './services.js';
import { placeHouseholds, villageHouseholds, type SettlementVillage } from './settlements.js';
import { generateTerrain, slopeDegrees } from './terrain.js';

export interface GenerateOptions {
  seed: string;
  /** Raster cell size on the ground. */
  cellMetres?: number;
  /** First and last day (exclusive) of the event history. */
  eventsStart?: Date;
  eventsEnd?: Date;
  onProgress?: (step: string) => void;
}

export interface GeneratedCounty {
  model: CountyModel;
  hotspots: { villageCode: string; pattern: string }[];
}

/**
 * Design speeds (设计速度) by road class: the JTG B01 figure of the grade each class is built to,
 * 二级 60, 三级 40, 四级 30 km/h (server/routing/speed-model.ts, whose test checks these agree).
 * Routing slows them for bends, climbs and junctions.
 */
export const ROAD_CLASS_SPEED_KMH = { county: 60, township: 40, village: 30 } as const;

// The default event history: the three years before the demo's "today".
const DEFAULT_EVENTS_START = new Date('2023-11-01T00:00:00+08:00');
const DEFAULT_EVENTS_END = new Date('2026-11-01T00:00:00+08:00');

function bounds(outline: MultiPolygon, marginDegrees: number) {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const polygon of outline.coordinates) {
    for (const [lon, lat] of polygon[0]!) {
      west = Math.min(west, lon!);
      east = Math.max(east, lon!);
      south = Math.min(south, lat!);
      north = Math.max(north, lat!);
    }
  }
  return {
    west: west - marginDegrees,
    south: south - marginDegrees,
    east: east + marginDegrees,
    north: north + marginDegrees,
  };
}

/** Cost per metre of crossing a cell when growing administrative regions: ridges are expensive. */
function regionCost(elevation: Float32Array, slope: Float32Array): Float32Array {
  let low = Infinity;
  for (const e of elevation) low = Math.min(low, e);
  const cost = new Float32Array(elevation.length);
  for (let i = 0; i < cost.length; i++) {
    const height = (elevation[i]! - low) / 100;
    cost[i] = 1 + 0.08 * height * height + slope[i]! / 6;
  }
  return cost;
}

/** A window of the grid: its spec and the offset of its first cell in the full grid. */
function window(spec: GridSpec, cells: readonly number[], marginCells: number) {
  let minCol = Infinity;
  let maxCol = -Infinity;
  let minRow = Infinity;
  let maxRow = -Infinity;
  for (const index of cells) {
    const col = index % spec.width;
    const row = Math.floor(index / spec.width);
    minCol = Math.min(minCol, col);
    maxCol = Math.max(maxCol, col);
    minRow = Math.min(minRow, row);
    maxRow = Math.max(maxRow, row);
  }
  minCol = Math.max(0, minCol - marginCells);
  minRow = Math.max(0, minRow - marginCells);
  maxCol = Math.min(spec.width - 1, maxCol + marginCells);
  maxRow = Math.min(spec.height - 1, maxRow + marginCells);
  const sub: GridSpec = {
    west: spec.west + minCol * spec.dLon,
    north: spec.north - minRow * spec.dLat,
    dLon: spec.dLon,
    dLat: spec.dLat,
    width: maxCol - minCol + 1,
    height: maxRow - minRow + 1,
  };
  const toFull = (subIndex: number) =>
    (minRow + Math.floor(subIndex / sub.width)) * spec.width + minCol + (subIndex % sub.width);
  const toSub = (fullIndex: number) =>
    (Math.floor(fullIndex / spec.width) - minRow) * sub.width + ((fullIndex % spec.width) - minCol);
  return { sub, toFull, toSub };
}

/** Borders: smoothed, and simplified to ~30 m so they do not look like the raster they came from. */
const BORDER_OPTIONS = { smoothIterations: 2, simplifyMetres: 30 };

/** The clipped polygons; slivers dropped at the boundary must be negligible (under 100 m² in all). */
function clipped(result: ReturnType<typeof clipTiling>): ReturnType<typeof clipTiling>['polygons'] {
  const dropped = result.dropped.reduce((sum, piece) => sum + piece.squareMetres, 0);
  if (dropped > 100) throw new Error(`Clipping the borders lost ${Math.round(dropped)} m², more than slivers`);
  return result.polygons;
}

function asMultiPolygon(geometry: Polygon | MultiPolygon): MultiPolygon {
  return geometry.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [geometry.coordinates] } : geometry;
}

/**
 * Generate a whole plausible county from its public sources (outline, names, codes) and a seed:
 * terrain, rivers, township and village boundaries following ridges, roads along valleys,
 * strip-shaped settlements, police, services and three years of events. Deterministic.
 */
export function generateCounty(sources: CountySources, options: GenerateOptions): GeneratedCounty {
  const progress = options.onProgress ?? (() => {});
  const random = new Random(options.seed);
  const spec = gridForBounds(bounds(sources.outline, 0.015), options.cellMetres ?? 60);
  const mask = rasterizePolygon(spec, sources.outline.coordinates);

  progress('terrain');
  const dem = generateTerrain(spec, {
    seed: `${options.seed}/terrain`,
    highlands: [
      { lon: 119.69, lat: 27.72, radiusMetres: 9000, liftMetres: 650 }, // Wuyanling, the highest
      { lon: 119.78, lat: 27.36, radiusMetres: 8000, liftMetres: 250 },
    ].map((h) => shiftHighland(h, sources)),
  });
  const slope = slopeDegrees(dem);
  progress('drainage');
  const filled = fillDepressions(dem);
  const directions = flowDirections({ spec, data: filled });
  const accumulation = flowAccumulation(directions, spec);
  const cellKm2 = (options.cellMetres ?? 60) ** 2 / 1e6;
  const rivers = extractRivers(directions, accumulation, spec, { minCells: Math.round(1.5 / cellKm2) }).filter(
    (river) =>
      river.coordinates.some(([lon, lat]) => {
        const col = Math.floor((lon - spec.west) / spec.dLon);
        const row = Math.floor((spec.north - lat) / spec.dLat);
        return mask[row * spec.width + col] === 1;
      }),
  );
  const terrain: TerrainLayers = { spec, slopeDegrees: slope, accumulation };

  progress('townships');
  const seatHint = (code: string): LonLat => {
    // Copies (`--scale`) keep Taishun's township numbers after their own county code.
    const hint = TAISHUN_SEAT_HINTS[`330329${code.slice(6)}`];
    if (!hint) throw new Error(`No seat position hint for township ${code}`);
    return shiftPoint(hint, sources);
  };
  const seatCells = new Map<string, number>();
  for (const township of sources.townships) {
    const [lon, lat] = seatHint(township.code);
    const taken = new Set(seatCells.values());
    const cell = bestValleyCell(terrain, lon, lat, 2500, (i) => mask[i] === 1 && !taken.has(i));
    if (cell === null) throw new Error(`Township ${township.name}'s seat falls outside the county`);
    seatCells.set(township.code, cell);
  }
  const cost = regionCost(dem.data, slope);
  const townshipLabels = growRegions(
    spec,
    cost,
    sources.townships.map((t, label) => ({
      col: seatCells.get(t.code)! % spec.width,
      row: Math.floor(seatCells.get(t.code)! / spec.width),
      label,
      weight: t.kind === 'reserve' ? 0.8 : 1,
    })),
  );
  const townshipPolygons = clipped(clipTiling(polygonizeLabels(spec, townshipLabels, BORDER_OPTIONS), sources.outline));

  progress('villages');
  const villageLabels = new Int32Array(spec.width * spec.height).fill(-1);
  const villageInfo: {
    source: CountySources['villages'][number];
    label: number;
    centreCell: number;
    hamletCells: number[];
    geometry: MultiPolygon;
    households: number;
  }[] = [];
  const cellsOfTownship = sources.townships.map(() => [] as number[]);
  for (let i = 0; i < townshipLabels.length; i++) {
    const label = townshipLabels[i]!;
    if (label >= 0 && mask[i] === 1) cellsOfTownship[label]!.push(i);
  }
  sources.townships.forEach((township, townshipLabel) => {
    const townshipRandom = random.fork(`villages/${township.code}`);
    const cells = cellsOfTownship[townshipLabel]!;
    const members = sources.villages.filter((v) => v.townshipCode === township.code);
    if (members.length === 0) return;
    const seat = seatCells.get(township.code)!;
    const communities = members.filter((v) => v.kind === 'community');
    const rural = members.filter((v) => v.kind === 'village');
    const near = cells.filter((index) => {
      const dc = (index % spec.width) - (seat % spec.width);
      const dr = Math.floor(index / spec.width) - Math.floor(seat / spec.width);
      return dc * dc + dr * dr < 30 * 30; // ~1.8 km around the seat
    });
    const communityCells = spreadValleyCells(terrain, near, communities.length, 500, townshipRandom, []);
    const areaM2 = cells.length * (options.cellMetres ?? 60) ** 2;
    const spacing = 0.7 * Math.sqrt(areaM2 / members.length);
    const ruralCells = spreadValleyCells(terrain, cells, rural.length, spacing, townshipRandom, communityCells);
    const centres = [...communityCells, ...ruralCells];
    const ordered = [...communities, ...rural];

    // Grow the villages over the township and a margin, then clip them to the township polygon.
    const inTownship = new Uint8Array(spec.width * spec.height);
    for (const index of cells) inTownship[index] = 1;
    const { sub, toFull, toSub } = window(spec, cells, 3);
    const allowed = new Uint8Array(sub.width * sub.height);
    const subCost = new Float32Array(sub.width * sub.height);
    for (let s = 0; s < allowed.length; s++) {
      const full = toFull(s);
      subCost[s] = cost[full]!;
      // The township's cells and a two-cell margin, so clipping leaves no gap at its border.
      const col = full % spec.width;
      const row = Math.floor(full / spec.width);
      let near2 = false;
      for (let dr = -2; dr <= 2 && !near2; dr++) {
        for (let dc = -2; dc <= 2 && !near2; dc++) {
          const r = row + dr;
          const c = col + dc;
          if (r >= 0 && c >= 0 && r < spec.height && c < spec.width && inTownship[r * spec.width + c] === 1)
            near2 = true;
        }
      }
      allowed[s] = near2 ? 1 : 0;
    }
    const subLabels = growRegions(
      sub,
      subCost,
      centres.map((cell, label) => ({
        col: toSub(cell) % sub.width,
        row: Math.floor(toSub(cell) / sub.width),
        label,
        weight: ordered[label]!.kind === 'community' ? 2.5 : 1,
      })),
      { allowed },
    );
    const townshipPolygon = townshipPolygons.get(townshipLabel);
    if (!townshipPolygon) throw new Error(`Township ${township.name} has no polygon`);
    const villagePolygons = clipped(clipTiling(polygonizeLabels(sub, subLabels, BORDER_OPTIONS), townshipPolygon));
    const baseLabel = villageInfo.length;
    for (let s = 0; s < subLabels.length; s++) {
      const full = toFull(s);
      if (subLabels[s]! >= 0 && inTownship[full] === 1) villageLabels[full] = baseLabel + subLabels[s]!;
    }
    ordered.forEach((village, label) => {
      const geometry = villagePolygons.get(label);
      if (!geometry) throw new Error(`Village ${village.name} has no polygon`);
      const villageCells: number[] = [];
      for (let s = 0; s < subLabels.length; s++) {
        if (subLabels[s] === label && inTownship[toFull(s)] === 1) villageCells.push(toFull(s));
      }
      const households = villageHouseholds(
        village.kind,
        township.code === sources.townships[0]!.code,
        township.kind === 'reserve',
        townshipRandom,
      );
      const hamletCount = village.kind === 'community' ? 1 : Math.min(4, 1 + Math.floor(households / 160));
      const hamletCells = [
        centres[label]!,
        ...spreadValleyCells(terrain, villageCells, hamletCount - 1, 450, townshipRandom, [centres[label]!]),
      ];
      villageInfo.push({
        source: village,
        label: baseLabel + label,
        centreCell: centres[label]!,
        hamletCells,
        geometry,
        households,
      });
    });
  });

  progress('roads');
  const seatPoint = (code: string) => indexCentre(spec, seatCells.get(code)!);
  const requests: RoadRequest[] = [];
  const countySeat = sources.townships[0]!;
  // County roads: link the seats, nearest to the growing network first (Prim's order).
  const linked = [countySeat.code];
  const pending = sources.townships.slice(1).map((t) => t.code);
  requests.push({
    id: `seat:${countySeat.code}`,
    lon: seatPoint(countySeat.code)[0],
    lat: seatPoint(countySeat.code)[1],
    roadClass: 'county',
  });
  while (pending.length > 0) {
    let best = 0;
    let bestDistance = Infinity;
    pending.forEach((code, i) => {
      const [x, y] = seatPoint(code);
      for (const other of linked) {
        const [ox, oy] = seatPoint(other);
        const d = (x - ox) ** 2 + (y - oy) ** 2;
        if (d < bestDistance) {
          bestDistance = d;
          best = i;
        }
      }
    });
    const code = pending.splice(best, 1)[0]!;
    linked.push(code);
    const township = sources.townships.find((t) => t.code === code)!;
    const [lon, lat] = seatPoint(code);
    requests.push({ id: `seat:${code}`, lon, lat, roadClass: township.kind === 'reserve' ? 'township' : 'county' });
  }
  const householdRank = [...villageInfo].sort((a, b) => b.households - a.households);
  const townshipClass = new Set(householdRank.slice(0, Math.round(villageInfo.length * 0.3)).map((v) => v.source.code));
  const byDistanceFromSeat = (cell: number, townshipCode: string) => {
    const seat = seatCells.get(townshipCode)!;
    return (
      ((cell % spec.width) - (seat % spec.width)) ** 2 +
      (Math.floor(cell / spec.width) - Math.floor(seat / spec.width)) ** 2
    );
  };
  const villagesInOrder = [...villageInfo].sort(
    (a, b) =>
      byDistanceFromSeat(a.centreCell, a.source.townshipCode) -
        byDistanceFromSeat(b.centreCell, b.source.townshipCode) || a.source.code.localeCompare(b.source.code),
  );
  for (const village of villagesInOrder) {
    const [lon, lat] = indexCentre(spec, village.centreCell);
    requests.push({
      id: `village:${village.source.code}`,
      lon,
      lat,
      roadClass: townshipClass.has(village.source.code) ? 'township' : 'village',
    });
  }
  for (const village of villagesInOrder) {
    village.hamletCells.slice(1).forEach((cell, i) => {
      const [lon, lat] = indexCentre(spec, cell);
      requests.push({ id: `hamlet:${village.source.code}:${i + 1}`, lon, lat, roadClass: 'village' });
    });
  }
  const network = buildRoadNetwork({
    spec,
    elevationMetres: dem.data,
    riverAccumulation: accumulation,
    requests,
    seed: `${options.seed}/roads`,
    loops: {
      ...DEFAULT_ROAD_LOOPS,
      // Streets through the county seat and the township seats of towns (镇).
      towns: sources.townships
        .filter((t, i) => i === 0 || t.kind === 'town')
        .map((t, i) => {
          const [lon, lat] = seatPoint(t.code);
          return { lon, lat, radiusMetres: i === 0 ? 1800 : 900, maxStreets: i === 0 ? 4 : 1 };
        }),
    },
  });

  progress('households');
  const settlementVillages: SettlementVillage[] = villageInfo.map((v) => ({
    code: v.source.code,
    kind: v.source.kind,
    label: v.label,
    hamlets: v.hamletCells.map((cell, i) => ({ point: indexCentre(spec, cell), share: i === 0 ? 2 : 1 })),
    households: v.households,
    polygon: v.geometry.coordinates,
  }));
  const roadLines = network.edges.map((e) => ({
    coordinates: e.coordinates.map(([lon, lat]) => [lon, lat] as LonLat),
  }));
  const households = placeHouseholds(spec, villageLabels, settlementVillages, roadLines, random.fork('households'));
  const householdsPerVillage = new Map<string, number>();
  for (const h of households)
    householdsPerVillage.set(h.villageCode, (householdsPerVillage.get(h.villageCode) ?? 0) + 1);

  progress('services');
  const nodeIndex = new Map(network.nodes.map((n, i) => [n.id, i]));
  const graphNode = (requestId: string) => nodeIndex.get(network.requestNode[requestId]!)!;
  const serviceRoads = {
    nodes: network.nodes.map((n, i) => ({ id: i, point: [n.lon, n.lat] as LonLat })),
    edges: network.edges.map((e, i) => ({
      id: i,
      source: nodeIndex.get(e.source)!,
      target: nodeIndex.get(e.target)!,
      lengthMetres: e.lengthMetres,
      coordinates: e.coordinates.map(([lon, lat]) => [lon, lat] as LonLat),
    })),
  };
  const services = generateServices(
    sources.code,
    sources.townships.map((t) => ({
      code: t.code,
      name: t.name,
      kind: t.kind,
      seat: seatPoint(t.code),
      seatNode: graphNode(`seat:${t.code}`),
    })),
    villageInfo.map((v) => ({
      code: v.source.code,
      name: v.source.name,
      townshipCode: v.source.townshipCode,
      kind: v.source.kind,
      centre: indexCentre(spec, v.centreCell),
      centreNode: graphNode(`village:${v.source.code}`),
      households: householdsPerVillage.get(v.source.code) ?? 0,
    })),
    serviceRoads,
    countySeat.code,
    random.fork('services'),
  );

  progress('events');
  const roadEdges = network.edges.map((e, i) => ({
    id: i + 1,
    source: nodeIndex.get(e.source)! + 1,
    target: nodeIndex.get(e.target)! + 1,
    roadClass: e.roadClass,
    name: null,
    speedKmh: ROAD_CLASS_SPEED_KMH[e.roadClass],
    lengthMetres: round(e.lengthMetres, 1),
    climbMetres: round(e.climbMetres, 1),
    descentMetres: round(e.descentMetres, 1),
    sinuosity: round(e.sinuosity, 3),
    turningDegreesPerKm: round(e.turningDegreesPerKm, 1),
    oneWay: e.oneWay,
    coordinates: e.coordinates.map(([lon, lat]) => [lon, lat] as LonLat),
  }));
  const generatedEvents = generateEvents(
    {
      villages: villageInfo.map((v) => ({
        code: v.source.code,
        townshipCode: v.source.townshipCode,
        kind: v.source.kind,
        centre: indexCentre(spec, v.centreCell),
        households: householdsPerVillage.get(v.source.code) ?? 0,
      })),
      households: households.map((h) => ({
        villageCode: h.villageCode,
        point: h.point,
        persons: h.persons,
        aged70Plus: h.aged70Plus,
      })),
      roadEdges,
      stationOfTownship: services.stationOfTownship,
      countySeatTownshipCode: countySeat.code,
    },
    {
      seed: `${options.seed}/events`,
      start: options.eventsStart ?? DEFAULT_EVENTS_START,
      end: options.eventsEnd ?? DEFAULT_EVENTS_END,
    },
  );

  progress('assemble');
  const elevationMetres = new Int16Array(dem.data.length);
  for (let i = 0; i < elevationMetres.length; i++) elevationMetres[i] = Math.round(dem.data[i]!);
  const roadNodes = network.nodes.map((n, i) => ({
    id: i + 1,
    elevationMetres: round(n.elevationMetres, 1),
    point: [n.lon, n.lat] as LonLat,
  }));

  const trips = observedTrips(
    {
      roadNodes,
      roadEdges,
      // The terrain as stored, which routing reads road gradients from.
      terrain: { ...spec, elevationMetres },
      stations: services.stations,
      villages: villageInfo.map((v) => ({
        code: v.source.code,
        townshipCode: v.source.townshipCode,
        centre: indexCentre(spec, v.centreCell),
      })),
      stationOfTownship: services.stationOfTownship,
      settlements: sources.townships.map((t, i) => ({ point: seatPoint(t.code), radiusMetres: i === 0 ? 1500 : 500 })),
    },
    { seed: `${options.seed}/observed-trips` },
  );
  const model: CountyModel = {
    county: { code: sources.code, name: sources.name, synthetic: true, seed: options.seed, geometry: sources.outline },
    terrain: { spec, elevationMetres, hillshade: hillshade(dem) },
    warZones: services.warZones,
    stations: services.stations,
    townships: sources.townships.map((t, label) => ({
      code: t.code,
      name: t.name,
      kind: t.kind,
      stationCode: services.stationOfTownship[t.code] ?? null,
      seat: seatPoint(t.code),
      geometry: asMultiPolygon(townshipPolygons.get(label)!),
    })),
    villages: villageInfo.map((v) => ({
      code: v.source.code,
      townshipCode: v.source.townshipCode,
      name: v.source.name,
      kind: v.source.kind,
      centre: indexCentre(spec, v.centreCell),
      geometry: v.geometry,
    })),
    households,
    roadNodes,
    roadEdges,
    rivers: rivers.map((r, i) => ({ id: i + 1, name: null, strahler: r.order, coordinates: r.coordinates })),
    busLines: services.busLines,
    busStops: services.busStops,
    mediationRooms: services.mediationRooms,
    sageRooms: services.sageRooms,
    events: generatedEvents.events,
    officers: services.officers,
    observedTrips: trips,
  };
  return { model, hotspots: generatedEvents.hotspots };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Offsets of a shifted county copy (`--scale`), recorded on its sources by `variantSources`. */
interface Shifted {
  shift?: { lon: number; lat: number };
}

function shiftPoint([lon, lat]: LonLat, sources: CountySources & Shifted): LonLat {
  return [lon + (sources.shift?.lon ?? 0), lat + (sources.shift?.lat ?? 0)];
}

function shiftHighland<T extends { lon: number; lat: number }>(highland: T, sources: CountySources & Shifted): T {
  const [lon, lat] = shiftPoint([highland.lon, highland.lat], sources);
  return { ...highland, lon, lat };
}

/**
 * The k-th copy of a county for growth benchmarks: new codes (county 3390kk), names marked as
 * a simulation, the outline shifted east by k × 0.8° (its own terrain comes from its own seed).
 */
export function variantSources(sources: CountySources, k: number): CountySources & Shifted {
  if (k === 0) return sources;
  const code = String(339000 + k);
  const shift = { lon: 0.8 * k, lat: 0 };
  const recode = (old: string) => code + old.slice(6);
  return {
    code,
    name: `${sources.name}（模拟${k}）`,
    outline: {
      type: 'MultiPolygon',
      coordinates: sources.outline.coordinates.map((polygon) =>
        polygon.map((ring) => ring.map(([lon, lat]) => [lon! + shift.lon, lat! + shift.lat])),
      ),
    },
    townships: sources.townships.map((t) => ({ ...t, code: recode(t.code) })),
    villages: sources.villages.map((v) => ({ ...v, code: recode(v.code), townshipCode: recode(v.townshipCode) })),
    shift,
  };
}
