import type { CountyModel, LonLat } from '../model.js';
import type { Random } from './random.js';
import { metresPerDegree } from './raster.js';
import { pathEdges, shortestPaths, type GraphEdge } from './road-paths.js';

/** A township with its seat attached to the road graph. */
export interface ServiceTownship {
  code: string;
  name: string;
  kind: 'town' | 'township' | 'reserve';
  seat: LonLat;
  seatNode: number;
}

/** A village with its centre attached to the road graph. */
export interface ServiceVillage {
  code: string;
  name: string;
  townshipCode: string;
  kind: 'village' | 'community';
  centre: LonLat;
  centreNode: number;
  households: number;
}

export interface ServiceRoads {
  nodes: { id: number; point: LonLat }[];
  edges: (GraphEdge & { coordinates: LonLat[] })[];
}

type Services = Pick<
  CountyModel,
  'warZones' | 'stations' | 'mediationRooms' | 'sageRooms' | 'officers' | 'busLines' | 'busStops'
> & { stationOfTownship: Record<string, string> };

/** 司前畲族镇 → 司前, 罗阳镇 → 罗阳: the short name used in station and line names. */
export function shortName(townshipName: string): string {
  return townshipName.replace(/(畲族)?(镇|乡)$/, '').replace(/自然保护区$/, '');
}

const DIRECTIONS = ['东', '东北', '北', '西北', '西', '西南', '南', '东南'];

function distanceMetres(a: LonLat, b: LonLat): number {
  const m = metresPerDegree((a[1] + b[1]) / 2);
  const dx = (a[0] - b[0]) * m.lon;
  const dy = (a[1] - b[1]) * m.lat;
  return Math.sqrt(dx * dx + dy * dy);
}

/** k-means on points with a deterministic farthest-point start; returns the cluster of each point. */
export function kMeans(points: readonly LonLat[], k: number, first: number): number[] {
  const centres: LonLat[] = [points[first]!];
  while (centres.length < k) {
    let best = 0;
    let bestDistance = -1;
    points.forEach((p, i) => {
      const d = Math.min(...centres.map((c) => distanceMetres(p, c)));
      if (d > bestDistance) {
        bestDistance = d;
        best = i;
      }
    });
    centres.push(points[best]!);
  }
  let assignment = points.map(() => 0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const next = points.map((p) => {
      let best = 0;
      centres.forEach((c, j) => {
        if (distanceMetres(p, c) < distanceMetres(p, centres[best]!)) best = j;
      });
      return best;
    });
    for (let j = 0; j < k; j++) {
      const members = points.filter((_, i) => next[i] === j);
      if (members.length > 0) {
        centres[j] = [
          members.reduce((s, p) => s + p[0], 0) / members.length,
          members.reduce((s, p) => s + p[1], 0) / members.length,
        ];
      }
    }
    const stable = next.every((c, i) => c === assignment[i]);
    assignment = next;
    if (stable) break;
  }
  return assignment;
}

const SURNAMES = '陈林吴张王李黄周徐蔡包夏胡董曾刘潘郑翁季钟雷蓝赖叶'.split('');
const GIVEN = '建国伟明华军平杰峰磊斌强勇涛超鹏辉毅静敏丽芳燕红霞玲晓海波东'.split('');

/** A plausible Chinese name: a common local surname and one or two given characters. */
function personName(random: Random): string {
  const surname = SURNAMES[random.int(0, SURNAMES.length - 1)]!;
  const given = Array.from({ length: random.chance(0.7) ? 2 : 1 }, () => GIVEN[random.int(0, GIVEN.length - 1)]!);
  return surname + given.join('');
}

/** Headquarters departments and their share of the pool, with the duties they are qualified for. */
const DEPARTMENTS: { name: string; count: number; qualifications: string[] }[] = [
  { name: '指挥中心', count: 30, qualifications: ['incident'] },
  { name: '治安大队', count: 40, qualifications: ['incident', 'patrol'] },
  { name: '交警大队', count: 60, qualifications: ['traffic', 'patrol'] },
  { name: '刑侦大队', count: 45, qualifications: ['incident', 'patrol'] },
  { name: '巡特警大队', count: 50, qualifications: ['patrol', 'incident'] },
  { name: '网安大队', count: 15, qualifications: ['patrol'] },
  { name: '禁毒大队', count: 15, qualifications: ['patrol', 'incident'] },
  { name: '法制大队', count: 12, qualifications: ['patrol'] },
  { name: '政治处', count: 15, qualifications: ['patrol'] },
  { name: '警务保障室', count: 18, qualifications: ['patrol'] },
];

/**
 * Police stations at town seats with whole-township jurisdictions (remote townships served from
 * the nearest station by road), four war zones of neighbouring stations, mediation and
 * village-sage rooms, the headquarters officer pool, and bus lines from the county seat.
 */
export function generateServices(
  countyCode: string,
  townships: readonly ServiceTownship[],
  villages: readonly ServiceVillage[],
  roads: ServiceRoads,
  countySeatCode: string,
  random: Random,
): Services {
  const nodeCount = roads.nodes.length;
  const seatTownship = townships.find((t) => t.code === countySeatCode)!;

  // Stations: every town, plus the 乡 farthest by road from any town (a station of its own).
  const stationTownships = townships.filter((t) => t.kind === 'town');
  const fromStations = stationTownships.map((t) => shortestPaths(nodeCount, roads.edges, t.seatNode));
  const nearestStation = (node: number) => {
    let best = 0;
    fromStations.forEach((paths, i) => {
      if (paths.distanceMetres[node]! < fromStations[best]!.distanceMetres[node]!) best = i;
    });
    return best;
  };
  const remote = townships
    .filter((t) => t.kind === 'township')
    .map((t) => ({ t, d: fromStations[nearestStation(t.seatNode)]!.distanceMetres[t.seatNode]! }))
    .sort((a, b) => b.d - a.d)[0];
  if (remote) {
    stationTownships.push(remote.t);
    fromStations.push(shortestPaths(nodeCount, roads.edges, remote.t.seatNode));
  }

  const stationOfTownship: Record<string, string> = {};
  const stationCode = (i: number) => `${countyCode}-PS${String(i + 1).padStart(2, '0')}`;
  for (const township of townships) {
    stationOfTownship[township.code] = stationCode(nearestStation(township.seatNode));
  }

  const households = new Map<string, number>();
  for (const village of villages) {
    const station = stationOfTownship[village.townshipCode]!;
    households.set(station, (households.get(station) ?? 0) + village.households);
  }

  // Four war zones of neighbouring stations, named by direction from the county seat.
  const stationPoints = stationTownships.map((t) => t.seat);
  const zoneOf = kMeans(stationPoints, Math.min(4, stationPoints.length), 0);
  const zoneIds = [...new Set(zoneOf)];
  const usedNames = new Set<string>();
  const warZones = zoneIds.map((zone, index) => {
    const members = stationPoints.filter((_, i) => zoneOf[i] === zone);
    const centre: LonLat = [
      members.reduce((s, p) => s + p[0], 0) / members.length,
      members.reduce((s, p) => s + p[1], 0) / members.length,
    ];
    let name: string;
    if (zoneOf[0] === zone) name = '中心战区';
    else {
      const angle = Math.atan2(centre[1] - seatTownship.seat[1], centre[0] - seatTownship.seat[0]);
      const octant = ((Math.round(angle / (Math.PI / 4)) % 8) + 8) % 8;
      name = `${DIRECTIONS[octant]}部战区`;
      if (usedNames.has(name)) name = `${DIRECTIONS[octant]}部第二战区`;
    }
    usedNames.add(name);
    return { id: index + 1, name, zone };
  });

  const stations = stationTownships.map((township, i) => {
    const served = households.get(stationCode(i)) ?? 0;
    return {
      code: stationCode(i),
      name: `${shortName(township.name)}派出所`,
      warZoneId: warZones.find((z) => z.zone === zoneOf[i])!.id,
      officers: township.code === countySeatCode ? 45 : 6 + Math.round(served / 700),
      point: offset(township.seat, 40, 30),
    };
  });

  const mediationRooms = townships
    .filter((t) => t.kind !== 'reserve')
    .map((t) => ({
      id: `MR-${t.code}`,
      name: `${t.name}矛盾纠纷调解中心`,
      townshipCode: t.code,
      point: offset(t.seat, -35, 25),
    }));

  // Village-sage police rooms in the largest rural village of sixteen townships.
  const sageRooms = townships
    .filter((t) => t.kind !== 'reserve')
    .map(
      (t) =>
        villages
          .filter((v) => v.townshipCode === t.code && v.kind === 'village')
          .sort((a, b) => b.households - a.households || a.code.localeCompare(b.code))[0],
    )
    .filter((v): v is ServiceVillage => v !== undefined)
    .slice(0, 16)
    .map((v) => ({
      id: `SR-${v.code}`,
      name: `${v.name}乡贤警务室`,
      villageCode: v.code,
      point: offset(v.centre, 25, -20),
    }));

  const officers: CountyModel['officers'] = [];
  const officerRandom = random.fork('officers');
  const headquarters = offset(seatTownship.seat, 150, -80);
  for (const department of DEPARTMENTS) {
    for (let n = 0; n < department.count; n++) {
      const livesInTown = officerRandom.chance(0.2);
      const home = livesInTown ? stations[officerRandom.int(1, stations.length - 1)] : undefined;
      const qualifications = [...department.qualifications];
      if (!qualifications.includes('traffic') && officerRandom.chance(0.15)) qualifications.push('traffic');
      officers.push({
        id: `${countyCode}-HQ${String(officers.length + 1).padStart(4, '0')}`,
        name: personName(officerRandom),
        department: department.name,
        homeStationCode: home?.code ?? null,
        qualifications,
        point: home ? home.point : headquarters,
      });
    }
  }

  const { busLines, busStops } = busNetwork(townships, villages, roads, seatTownship);
  return {
    warZones: warZones.map(({ id, name }) => ({ id, name })),
    stations,
    stationOfTownship,
    mediationRooms,
    sageRooms,
    officers,
    busLines,
    busStops,
  };
}

/** A point moved by metres east and north. */
function offset(point: LonLat, eastMetres: number, northMetres: number): LonLat {
  const m = metresPerDegree(point[1]);
  return [point[0] + eastMetres / m.lon, point[1] + northMetres / m.lat];
}

// A village is served by a line when its centre is this close to a node the line passes.
const BUS_CATCHMENT_METRES = 1200;

/** Rural feeder lines (乡村公交) each township runs from its seat towards its farthest unserved villages. */
const FEEDER_LINES_PER_TOWNSHIP = 3;
/** A feeder line is only worth running to a village this far from the seat by road. */
const FEEDER_MIN_METRES = 3000;

/**
 * Trunk lines from the county seat to every other township seat along the shortest road, then
 * up to three feeder lines per township from its seat to its farthest villages no line serves yet.
 * Every line stops at the villages whose centre is near a node it passes; dead-end valleys off
 * the lines stay without a bus, as in mountain counties.
 */
function busNetwork(
  townships: readonly ServiceTownship[],
  villages: readonly ServiceVillage[],
  roads: ServiceRoads,
  seat: ServiceTownship,
): Pick<CountyModel, 'busLines' | 'busStops'> {
  const stops = new Map<string, CountyModel['busStops'][number]>();
  const busLines: CountyModel['busLines'] = [];
  const servedVillages = new Set<string>();

  const addLine = (
    from: ServiceTownship,
    edgeIndices: number[],
    id: string,
    name: string,
    ends: { first: [string, string]; last: [string, string] | null },
    candidates: readonly ServiceVillage[],
  ) => {
    // Nodes along the line in order, from its start.
    const lineNodes = [from.seatNode];
    for (const index of edgeIndices) {
      const edge = roads.edges[index]!;
      const last = lineNodes[lineNodes.length - 1]!;
      lineNodes.push(edge.source === last ? edge.target : edge.source);
    }
    const served: { id: string; order: number }[] = [];
    const addStop = (stopId: string, stopName: string, villageCode: string | null, node: number, order: number) => {
      if (!stops.has(stopId))
        stops.set(stopId, { id: stopId, name: stopName, villageCode, point: roads.nodes[node]!.point });
      served.push({ id: stopId, order });
    };
    addStop(ends.first[0], ends.first[1], null, from.seatNode, -1);
    for (const village of candidates) {
      let bestOrder = -1;
      let bestDistance = BUS_CATCHMENT_METRES;
      lineNodes.forEach((node, order) => {
        const d = distanceMetres(village.centre, roads.nodes[node]!.point);
        if (d < bestDistance) {
          bestDistance = d;
          bestOrder = order;
        }
      });
      if (bestOrder >= 0) {
        addStop(`BS-${village.code}`, `${village.name}站`, village.code, lineNodes[bestOrder]!, bestOrder);
        servedVillages.add(village.code);
      }
    }
    if (ends.last) addStop(ends.last[0], ends.last[1], null, lineNodes[lineNodes.length - 1]!, lineNodes.length);
    const stopIds = [...new Map(served.sort((a, b) => a.order - b.order).map((s) => [s.id, s])).keys()];
    busLines.push({ id, name, coordinates: edgeIndices.map((index) => roads.edges[index]!.coordinates), stopIds });
  };

  const fromSeat = shortestPaths(roads.nodes.length, roads.edges, seat.seatNode);
  for (const township of townships) {
    if (township.code === seat.code || township.kind === 'reserve') continue;
    const edgeIndices = pathEdges(roads.edges, fromSeat.viaEdge, township.seatNode);
    if (edgeIndices.length === 0) continue;
    addLine(
      seat,
      edgeIndices,
      `BL-${township.code}`,
      `${shortName(seat.name)}—${shortName(township.name)}线`,
      {
        first: [`BS-T${seat.code}`, `${shortName(seat.name)}客运站`],
        last: [`BS-T${township.code}`, `${shortName(township.name)}站`],
      },
      villages,
    );
  }

  for (const township of townships) {
    if (township.kind === 'reserve') continue;
    const own = villages.filter((v) => v.townshipCode === township.code);
    const paths = shortestPaths(roads.nodes.length, roads.edges, township.seatNode);
    for (let line = 1; line <= FEEDER_LINES_PER_TOWNSHIP; line++) {
      const farthest = own
        .filter((v) => !servedVillages.has(v.code) && paths.distanceMetres[v.centreNode]! < Infinity)
        .sort(
          (a, b) =>
            paths.distanceMetres[b.centreNode]! - paths.distanceMetres[a.centreNode]! || (a.code < b.code ? -1 : 1),
        )[0];
      if (!farthest || paths.distanceMetres[farthest.centreNode]! < FEEDER_MIN_METRES) break;
      addLine(
        township,
        pathEdges(roads.edges, paths.viaEdge, farthest.centreNode),
        `BL-${township.code}-${line}`,
        `${shortName(township.name)}—${farthest.name}线`,
        { first: [`BS-T${township.code}`, `${shortName(township.name)}站`], last: null },
        own,
      );
    }
  }
  return { busLines, busStops: [...stops.values()] };
}
