/**
 * Observed trips from files (issue 16.2), read without a database: a table of trips (CSV or XLSX)
 * or GPS tracks (GPX, or a CSV of track id, time, lon, lat), each trip resolved to two places of
 * the county and an observed time in seconds.
 *
 * **Tables.** One trip a row: a from column (出发地, 起点, 派出所, from, origin…), a to column
 * (目的地, 终点, 村, to, destination…) and a time column. A place is a station or village code, a
 * station or village name (a name two places share is refused: give the code), or a "lon,lat" pair
 * in WGS84 degrees. The time column's header gives its unit: minutes (用时（分钟）, 分钟, minutes,
 * min), seconds (用时（秒）, 秒, seconds) or none (用时, 时间, time, duration), whose values must then
 * say it themselves: H:MM or H:MM:SS, or a number with a unit (45分钟, 1小时5分, 45 min, 300 s).
 *
 * **Tracks.** A trip is a track's first and last *moving* point and the time between them: the
 * start is the last point before the car first gets more than {@link STILL_METRES} from where the
 * track begins, the end the first point after which it stays within that distance of where the
 * track ends (a car left running in the yard before or after does not count). Each end is snapped to
 * the nearest station or village centre within `snapMetres` (default {@link DEFAULT_SNAP_METRES});
 * a track whose end has none is a problem of its own. Limits: a stop on the way (lunch, a visit)
 * is counted as driving; a patrol through several villages is one trip from the first place to the
 * last; a track must have a time at every point; points are not map-matched to roads.
 */
import { parseCsv } from '../county/import/csv.js';
import { detectEncoding, decodeAs } from '../county/import/encoding.js';
import { normaliseKey } from '../county/import/parse.js';
import { readXlsx } from '../county/import/xlsx.js';

/** A place a trip may start or end at. */
export interface TripPlace {
  kind: 'station' | 'village';
  code: string;
  name: string;
  lon: number;
  lat: number;
}

/** One trip read from a file, its places resolved. */
export interface ImportedTrip {
  /** Row in the file (CSV line, XLSX data row counted from 1 under the header, or track number). */
  row: number;
  fromLabel: string;
  toLabel: string;
  fromLon: number;
  fromLat: number;
  toLon: number;
  toLat: number;
  observedSeconds: number;
}

/** A problem of one row: which file, row and field, the value, and why (Chinese and English). */
export interface TripProblem {
  file: string;
  /** 0 for the whole file. */
  row: number;
  field: string | null;
  value: string | null;
  reason: string;
}

export interface TripFileResult {
  format: 'csv' | 'xlsx' | 'gpx' | 'track-csv';
  trips: ImportedTrip[];
  problems: TripProblem[];
  /** Rows that had a problem (none of them is in `trips`). */
  badRows: number[];
}

export const DEFAULT_SNAP_METRES = 300;
/** How far a car must move from where its track begins (or ends) to count as driving. */
export const STILL_METRES = 50;
/** Longest trip taken: 12 hours. Shortest: 30 seconds. */
const MAX_SECONDS = 12 * 3600;
const MIN_SECONDS = 30;

const FROM_COLUMNS = ['出发地', '起点', '出发', '始发地', '派出所', 'from', 'origin', 'start'];
const TO_COLUMNS = ['目的地', '终点', '到达地', '村', '行政村', 'to', 'destination', 'end'];
const MINUTE_COLUMNS = [
  '用时（分钟）',
  '用时(分钟)',
  '用时（分）',
  '用时(分)',
  '分钟',
  '时长（分钟）',
  '时长(分钟)',
  'minutes',
  'min',
  'mins',
];
const SECOND_COLUMNS = ['用时（秒）', '用时(秒)', '秒', '时长（秒）', '时长(秒)', 'seconds', 'sec', 'secs'];
const TIME_COLUMNS = ['用时', '时间', '时长', '耗时', 'time', 'duration', 'traveltime', 'drivetime'];
const TRACK_COLUMNS = ['轨迹', '轨迹编号', '轨迹号', '车辆', 'track', 'trackid', 'vehicle'];
const POINT_TIME_COLUMNS = ['时间', '定位时间', 'time', 'timestamp', 'datetime'];
const LON_COLUMNS = ['lon', 'lng', 'long', 'longitude', '经度'];
const LAT_COLUMNS = ['lat', 'latitude', '纬度'];

const find = (header: readonly string[], names: readonly string[]) => {
  const keys = names.map(normaliseKey);
  return header.findIndex((h) => keys.includes(normaliseKey(h)));
};

const shown = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const text = value instanceof Date ? value.toISOString() : String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/** Places by code and by name, and which names are shared. */
class PlaceIndex {
  private readonly byCode = new Map<string, TripPlace>();
  private readonly byName = new Map<string, TripPlace[]>();
  constructor(readonly places: readonly TripPlace[]) {
    for (const place of places) {
      this.byCode.set(place.code, place);
      this.byName.set(place.name, [...(this.byName.get(place.name) ?? []), place]);
    }
  }

  /** A place from a cell: code, name or "lon,lat"; a reason when it is none. */
  resolve(text: string): { lon: number; lat: number; label: string } | string {
    const value = text.trim();
    if (value === '') return '为空（is empty）';
    const pair = /^(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)$/.exec(value);
    if (pair) {
      const lon = Number(pair[1]);
      const lat = Number(pair[2]);
      if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) return '不是经度,纬度（is not a lon,lat pair in degrees）';
      const near = this.nearest(lon, lat);
      if (!near || near.metres > 50_000)
        return '离本县的地点都超过 50 公里（lies over 50 km from every place of the county）';
      return { lon, lat, label: `${lon},${lat}` };
    }
    const coded = this.byCode.get(value);
    if (coded) return { lon: coded.lon, lat: coded.lat, label: `${coded.name} ${coded.code}` };
    const named = this.byName.get(value) ?? [];
    if (named.length === 1)
      return { lon: named[0]!.lon, lat: named[0]!.lat, label: `${named[0]!.name} ${named[0]!.code}` };
    if (named.length > 1) {
      return `有 ${named.length} 处同名，请填代码（${named.length} places have this name: give the code, e.g. ${named[0]!.code}）`;
    }
    return '不是本县派出所或村的代码、名称，也不是经度,纬度（is no station or village code or name of the county, nor a lon,lat pair）';
  }

  nearest(lon: number, lat: number): { place: TripPlace; metres: number } | null {
    let best: { place: TripPlace; metres: number } | null = null;
    for (const place of this.places) {
      const metres = metresBetween(lon, lat, place.lon, place.lat);
      if (!best || metres < best.metres) best = { place, metres };
    }
    return best;
  }
}

/** Metres between two WGS84 points (equirectangular: exact enough within a county). */
export function metresBetween(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const k = Math.PI / 180;
  const x = (lon2 - lon1) * k * Math.cos(((lat1 + lat2) / 2) * k);
  const y = (lat2 - lat1) * k;
  return 6_371_000 * Math.sqrt(x * x + y * y);
}

/**
 * Seconds from a time cell, in the unit its column gives ('minutes', 'seconds') or says itself
 * ('any'); a reason when it cannot be read.
 */
export function readDuration(value: unknown, unit: 'minutes' | 'seconds' | 'any'): number | string {
  if (value instanceof Date) {
    // Excel keeps an H:MM cell as a time of day on 1899-12-30.
    if (value.getUTCFullYear() > 1900) return '是日期，不是用时（is a date, not a duration）';
    return value.getUTCHours() * 3600 + value.getUTCMinutes() * 60 + value.getUTCSeconds();
  }
  const text = String(value ?? '')
    .trim()
    .replace(/\s+/g, ' ');
  if (text === '') return '为空（is empty）';
  // The XLSX reader writes an H:MM cell as its time on Excel's day 0 (1899-12-30).
  const excelTime = /^1899-12-(30|31)[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (excelTime) {
    const day = excelTime[1] === '31' ? 86_400 : 0;
    return day + Number(excelTime[2]) * 3600 + Number(excelTime[3]) * 60 + Number(excelTime[4] ?? 0);
  }
  const clock = /^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$/.exec(text);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3] ?? 0);
  if (/^\d+(\.\d+)?$/.test(text)) {
    if (unit === 'any') {
      return '没有单位：请写 H:MM 或 45分钟，或把列名写成 用时（分钟）（has no unit: write H:MM or 45分钟, or name the column minutes）';
    }
    return Number(text) * (unit === 'minutes' ? 60 : 1);
  }
  const parts =
    /^(?:(\d+(?:\.\d+)?) ?(?:小时|时|h|hr|hrs|hours?))? ?(?:(\d+(?:\.\d+)?) ?(?:分钟|分|m|min|mins|minutes?))? ?(?:(\d+(?:\.\d+)?) ?(?:秒钟|秒|s|sec|secs|seconds?))?$/i.exec(
      text,
    );
  if (parts && (parts[1] ?? parts[2] ?? parts[3]) !== undefined) {
    return Number(parts[1] ?? 0) * 3600 + Number(parts[2] ?? 0) * 60 + Number(parts[3] ?? 0);
  }
  return '不是用时（is not a duration: write 45, 1:05 or 45分钟）';
}

/** Read a file of observed trips (format from its content and name). */
export async function readTripFile(
  bytes: Uint8Array,
  fileName: string,
  places: readonly TripPlace[],
  options: { snapMetres?: number } = {},
): Promise<TripFileResult> {
  const index = new PlaceIndex(places);
  const problems: TripProblem[] = [];
  const problem = (row: number, field: string | null, value: unknown, reason: string) =>
    problems.push({ file: fileName, row, field, value: shown(value), reason });
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  let result: { format: TripFileResult['format']; trips: ImportedTrip[] };
  if (isZip) {
    result = { format: 'xlsx', trips: await readXlsxTrips(bytes, index, problem) };
  } else {
    const text = decodeAs(bytes, detectEncoding(bytes));
    const start = text.replace(/^\uFEFF/, '').trimStart();
    if (start.startsWith('<')) {
      result = { format: 'gpx', trips: readGpx(start, index, problem, options.snapMetres ?? DEFAULT_SNAP_METRES) };
    } else {
      result = readCsvTrips(text, index, problem, options.snapMetres ?? DEFAULT_SNAP_METRES);
    }
  }
  const badRows = [...new Set(problems.map((p) => p.row))].sort((a, b) => a - b);
  const bad = new Set(badRows);
  return { ...result, trips: result.trips.filter((t) => !bad.has(t.row)), problems, badRows };
}

type Problem = (row: number, field: string | null, value: unknown, reason: string) => void;

/** One table row of a trip into a trip, or problems. */
function tableTrip(
  row: number,
  cells: { from: unknown; to: unknown; time: unknown },
  columns: { from: string; to: string; time: string; unit: 'minutes' | 'seconds' | 'any' },
  index: PlaceIndex,
  problem: Problem,
): ImportedTrip | null {
  const from = index.resolve(String(cells.from ?? ''));
  const to = index.resolve(String(cells.to ?? ''));
  const seconds = readDuration(cells.time, columns.unit);
  if (typeof from === 'string') problem(row, columns.from, cells.from, `出发地${from}`);
  if (typeof to === 'string') problem(row, columns.to, cells.to, `目的地${to}`);
  if (typeof seconds === 'string') problem(row, columns.time, cells.time, `用时${seconds}`);
  else if (!(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS)) {
    problem(row, columns.time, cells.time, '用时须在 30 秒到 12 小时之间（a trip takes 30 seconds to 12 hours）');
    return null;
  }
  if (typeof from === 'string' || typeof to === 'string' || typeof seconds === 'string') return null;
  if (metresBetween(from.lon, from.lat, to.lon, to.lat) < 1) {
    problem(row, columns.to, cells.to, '出发地和目的地相同（the trip starts and ends at the same place）');
    return null;
  }
  return {
    row,
    fromLabel: from.label,
    toLabel: to.label,
    fromLon: from.lon,
    fromLat: from.lat,
    toLon: to.lon,
    toLat: to.lat,
    observedSeconds: seconds,
  };
}

/** The trip table's columns from a header, or a reason. */
function tripColumns(header: readonly string[]) {
  const from = find(header, FROM_COLUMNS);
  const to = find(header, TO_COLUMNS);
  let time = find(header, MINUTE_COLUMNS);
  let unit: 'minutes' | 'seconds' | 'any' = 'minutes';
  if (time < 0) {
    time = find(header, SECOND_COLUMNS);
    unit = 'seconds';
  }
  if (time < 0) {
    time = find(header, TIME_COLUMNS);
    unit = 'any';
  }
  const missing = [
    from < 0 ? '出发地/from' : null,
    to < 0 ? '目的地/to' : null,
    time < 0 ? '用时（分钟）/minutes' : null,
  ].filter((m) => m !== null);
  return { from, to, time, unit, missing };
}

function readCsvTrips(
  text: string,
  index: PlaceIndex,
  problem: Problem,
  snapMetres: number,
): { format: 'csv' | 'track-csv'; trips: ImportedTrip[] } {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    problem(0, null, null, `CSV 无法读取（the CSV cannot be read: ${(err as Error).message}）`);
    return { format: 'csv', trips: [] };
  }
  const header = records[0]?.fields ?? [];
  const rows = records.slice(1);
  const track = find(header, TRACK_COLUMNS);
  const lon = find(header, LON_COLUMNS);
  const lat = find(header, LAT_COLUMNS);
  const pointTime = find(header, POINT_TIME_COLUMNS);
  if (track >= 0 && lon >= 0 && lat >= 0 && pointTime >= 0) {
    const points = new Map<string, TrackPoint[]>();
    for (const record of rows) {
      const id = (record.fields[track] ?? '').trim();
      const point = trackPoint(record.fields[lon], record.fields[lat], record.fields[pointTime]);
      if (typeof point === 'string') {
        problem(record.line, header[pointTime]!, record.fields.join(','), point);
        continue;
      }
      points.set(id, [...(points.get(id) ?? []), { ...point, row: record.line }]);
    }
    const trips: ImportedTrip[] = [];
    for (const [id, list] of points) {
      list.sort((a, b) => a.ms - b.ms);
      const trip = trackTrip(id, list, list[0]!.row, index, problem, snapMetres);
      if (trip) trips.push(trip);
    }
    return { format: 'track-csv', trips };
  }
  const columns = tripColumns(header);
  if (columns.missing.length) {
    problem(
      0,
      null,
      header.join(','),
      `第一行缺少列 ${columns.missing.join('、')}（the header lacks ${columns.missing.join(', ')}; a track file needs track, time, lon, lat）`,
    );
    return { format: 'csv', trips: [] };
  }
  const names = {
    from: header[columns.from]!,
    to: header[columns.to]!,
    time: header[columns.time]!,
    unit: columns.unit,
  };
  const trips = rows.flatMap((record) => {
    const trip = tableTrip(
      record.line,
      { from: record.fields[columns.from], to: record.fields[columns.to], time: record.fields[columns.time] },
      names,
      index,
      problem,
    );
    return trip ? [trip] : [];
  });
  if (rows.length === 0) problem(0, null, null, '文件里没有行程（the file holds no trips）');
  return { format: 'csv', trips };
}

async function readXlsxTrips(bytes: Uint8Array, index: PlaceIndex, problem: Problem): Promise<ImportedTrip[]> {
  let parsed;
  try {
    parsed = await readXlsx(bytes, undefined, true);
  } catch (err) {
    problem(0, null, null, (err as Error).message);
    return [];
  }
  const header = [...new Set(parsed.features.flatMap((f) => Object.keys(f.properties)))];
  const columns = tripColumns(header);
  if (columns.missing.length) {
    problem(
      0,
      null,
      header.join(','),
      `表头缺少列 ${columns.missing.join('、')}（the header lacks ${columns.missing.join(', ')}）`,
    );
    return [];
  }
  for (const item of parsed.problems.items) {
    if (item.severity === 'error') problem(item.index + 1, item.field ?? null, null, item.reason);
  }
  const names = {
    from: header[columns.from]!,
    to: header[columns.to]!,
    time: header[columns.time]!,
    unit: columns.unit,
  };
  if (parsed.features.length === 0) problem(0, null, null, '工作表里没有行程（the sheet holds no trips）');
  return parsed.features.flatMap((feature) => {
    const trip = tableTrip(
      feature.index + 1,
      { from: feature.properties[names.from], to: feature.properties[names.to], time: feature.properties[names.time] },
      names,
      index,
      problem,
    );
    return trip ? [trip] : [];
  });
}

interface TrackPoint {
  lon: number;
  lat: number;
  ms: number;
  row: number;
}

function trackPoint(lonText: unknown, latText: unknown, timeText: unknown): Omit<TrackPoint, 'row'> | string {
  const lon = Number(String(lonText ?? '').trim());
  const lat = Number(String(latText ?? '').trim());
  if (!(
    String(lonText ?? '').trim() !== '' &&
    Math.abs(lon) <= 180 &&
    Math.abs(lat) <= 90 &&
    String(latText ?? '').trim() !== ''
  )) {
    return '经纬度不是度数（lon/lat is not a position in degrees）';
  }
  const ms = Date.parse(String(timeText ?? '').trim());
  if (!Number.isFinite(ms))
    return '时间无法读取，请用 2026-05-01 08:30:00 或 ISO 8601（the time cannot be read: use ISO 8601）';
  return { lon, lat, ms };
}

/** A track's trip by the rule of the module doc, or a problem. */
function trackTrip(
  id: string,
  points: readonly TrackPoint[],
  row: number,
  index: PlaceIndex,
  problem: Problem,
  snapMetres: number,
): ImportedTrip | null {
  if (points.length < 2) {
    problem(row, 'track', id, '轨迹少于 2 个点（the track has fewer than 2 points）');
    return null;
  }
  const first = points[0]!;
  const last = points[points.length - 1]!;
  let start = 0;
  while (
    start < points.length - 1 &&
    metresBetween(first.lon, first.lat, points[start + 1]!.lon, points[start + 1]!.lat) <= STILL_METRES
  ) {
    start++;
  }
  let end = points.length - 1;
  while (end > 0 && metresBetween(last.lon, last.lat, points[end - 1]!.lon, points[end - 1]!.lat) <= STILL_METRES)
    end--;
  if (end <= start) {
    problem(row, 'track', id, `车辆没有移动超过 ${STILL_METRES} 米（the car never moved over ${STILL_METRES} m）`);
    return null;
  }
  const from = index.nearest(points[start]!.lon, points[start]!.lat);
  const to = index.nearest(points[end]!.lon, points[end]!.lat);
  const snap = (which: string, near: typeof from, p: TrackPoint) => {
    if (near && near.metres <= snapMetres) return near.place;
    problem(
      row,
      'track',
      `${id} ${p.lon},${p.lat}`,
      `${which} ${snapMetres} 米内没有派出所或村（no station or village within ${snapMetres} m of the track's ${which === '起点' ? 'start' : 'end'}）`,
    );
    return null;
  };
  const fromPlace = snap('起点', from, points[start]!);
  const toPlace = snap('终点', to, points[end]!);
  if (!fromPlace || !toPlace) return null;
  if (fromPlace === toPlace) {
    problem(row, 'track', id, `起点和终点都在 ${fromPlace.name}（the track starts and ends at ${fromPlace.name}）`);
    return null;
  }
  const seconds = (points[end]!.ms - points[start]!.ms) / 1000;
  if (!(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS)) {
    problem(row, 'track', id, '用时须在 30 秒到 12 小时之间（a trip takes 30 seconds to 12 hours）');
    return null;
  }
  return {
    row,
    fromLabel: `${fromPlace.name} ${fromPlace.code}`,
    toLabel: `${toPlace.name} ${toPlace.code}`,
    fromLon: fromPlace.lon,
    fromLat: fromPlace.lat,
    toLon: toPlace.lon,
    toLat: toPlace.lat,
    observedSeconds: seconds,
  };
}

/** Tracks of a GPX file (trk, its trkseg joined; rte and wpt are not tracks and are ignored). */
function readGpx(text: string, index: PlaceIndex, problem: Problem, snapMetres: number): ImportedTrip[] {
  if (!/<gpx[\s>]/.test(text)) {
    problem(0, null, null, '不是 GPX 文件（the file is XML but not GPX）');
    return [];
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    problem(0, null, null, 'GPX 不能含 DOCTYPE/ENTITY（a GPX file may not declare a DOCTYPE or entities）');
    return [];
  }
  const tracks = [...text.matchAll(/<trk[\s>][\s\S]*?<\/trk>/g)];
  if (tracks.length === 0) problem(0, null, null, 'GPX 文件里没有轨迹 <trk>（the GPX file holds no track）');
  const trips: ImportedTrip[] = [];
  tracks.forEach((match, t) => {
    const row = t + 1;
    const name = /<name>([^<]*)<\/name>/.exec(match[0])?.[1]?.trim() || `track ${row}`;
    const points: TrackPoint[] = [];
    for (const pt of match[0].matchAll(/<trkpt\b([^>]*?)(?:\/>|>([\s\S]*?)<\/trkpt>)/g)) {
      const lat = /\blat\s*=\s*["']([^"']*)["']/.exec(pt[1]!)?.[1];
      const lon = /\blon\s*=\s*["']([^"']*)["']/.exec(pt[1]!)?.[1];
      const time = /<time>([^<]*)<\/time>/.exec(pt[2] ?? '')?.[1];
      const point = trackPoint(lon, lat, time);
      if (typeof point === 'string') {
        problem(row, 'trkpt', `${lon},${lat} ${time ?? ''}`, `第 ${points.length + 1} 个点：${point}`);
        return;
      }
      points.push({ ...point, row });
    }
    points.sort((a, b) => a.ms - b.ms);
    const trip = trackTrip(name, points, row, index, problem, snapMetres);
    if (trip) trips.push(trip);
  });
  return trips;
}
