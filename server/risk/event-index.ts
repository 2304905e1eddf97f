/**
 * The event index behind the leaders' risk map: built once from all events, then every map query
 * (a time window, categories, townships or villages) is an O(1) lookup of the window's event range
 * plus one linear pass over it.
 *
 * Events are kept as typed arrays sorted by China day number (UTC+8 calendar day, see time.ts):
 * day (Int32), category code (Uint8), village index (Int32, −1 for none), projected position in
 * metres (Float64, see projection.ts) and, for each of a few H3 resolutions, the cell as an index
 * into a per-resolution cell dictionary (Int32). Converting points to H3 cells is the slow part
 * (~2.5 µs a point and resolution in h3-js), so it happens here, once, and only once per distinct
 * coordinate pair (events geocoded to the same address or village centre share the work).
 */
import { latLngToCell } from 'h3-js';
import type { EventCategory } from '../db/schema.js';
import { type LocalProjection, localProjectionForPoints, projectX, projectY } from './projection.js';
import { chinaDayOfEpochMs, firstChinaDayOfMonth, monthIndexOfChinaDay } from './time.js';

/** Risk categories in code order: the category code of an event is its position here. */
export const RISK_CATEGORIES: readonly EventCategory[] = [
  'incident',
  'dispute',
  'petition',
  'fraud',
  'traffic_accident',
];

/** A category mask that selects every category. */
export const ALL_CATEGORIES_MASK = (1 << RISK_CATEGORIES.length) - 1;

/** H3 resolutions indexed by default: ~36, 5.2, 0.74 and 0.11 km² cells, county to village scale. */
export const DEFAULT_RESOLUTIONS: readonly number[] = [6, 7, 8, 9];

/** Category code (0–4) of a category. */
export function categoryCode(category: EventCategory): number {
  const code = RISK_CATEGORIES.indexOf(category);
  if (code < 0) throw new RangeError(`Unknown event category: ${String(category)}`);
  return code;
}

/** Bit mask selecting the given categories (bit = category code); empty selects nothing. */
export function categoryMask(categories: readonly EventCategory[]): number {
  let mask = 0;
  for (const category of categories) mask |= 1 << categoryCode(category);
  return mask;
}

/** Events as parallel columns, one entry per event, in any order. */
export interface RiskEventColumns {
  lonDeg: ArrayLike<number>;
  latDeg: ArrayLike<number>;
  /** Instant of the event, epoch milliseconds; binned into China (UTC+8) calendar days. */
  occurredAtMs: ArrayLike<number>;
  /** Position in RISK_CATEGORIES. */
  categoryCode: ArrayLike<number>;
  /** Index of the event's village in the caller's village list, −1 when it has none. */
  villageIndex: ArrayLike<number>;
}

/** Options of buildEventIndex. */
export interface EventIndexOptions {
  /** H3 resolutions to precompute cells for; default DEFAULT_RESOLUTIONS. */
  resolutions?: readonly number[];
  /** Projection for positions in metres; default centred on the events' bounding box. */
  projection?: LocalProjection;
  /** Number of villages (for per-village arrays); default the largest village index + 1. */
  villageCount?: number;
}

/** The H3 cells of the indexed events at one resolution. */
export interface CellColumn {
  resolution: number;
  /** Cell dictionary: the distinct cells holding at least one event. */
  cells: readonly string[];
  /** Cell → position in `cells`. */
  cellIdOf: ReadonlyMap<string, number>;
  /** Per event (sorted order): position of its cell in `cells`. */
  cellOfEvent: Int32Array;
}

/** Events sorted by day, as typed arrays, with precomputed H3 cells. Immutable once built. */
export interface EventIndex {
  count: number;
  villageCount: number;
  /** First indexed day; `dayOffsets[d − firstDay]` is the first event on day d. */
  firstDay: number;
  /** Length (last − first day + 2): event range of day d is [dayOffsets[d − firstDay], dayOffsets[d − firstDay + 1]). */
  dayOffsets: Int32Array;
  day: Int32Array;
  category: Uint8Array;
  village: Int32Array;
  xMetres: Float64Array;
  yMetres: Float64Array;
  /** Per event (sorted order): its position in the input columns. */
  inputPosition: Int32Array;
  projection: LocalProjection;
  cellsByResolution: ReadonlyMap<number, CellColumn>;
  /** Distinct coordinate pairs among the events: one H3 conversion each per resolution. */
  distinctPoints: DistinctPoints;
}

/** A map query: half-open window of China day numbers, categories and optionally places. */
export interface EventQuery {
  startDay: number;
  endDay: number;
  categoryMask: number;
  /** Per village index: 1 to include; null or absent for all events (also those without a village). */
  villageAllowed?: Uint8Array | null;
}

/** Builds the event index: sorts by day (counting sort, stable) and converts points to H3 cells. */
export function buildEventIndex(events: RiskEventColumns, options: EventIndexOptions = {}): EventIndex {
  const count = events.occurredAtMs.length;
  for (const column of [events.lonDeg, events.latDeg, events.categoryCode, events.villageIndex]) {
    if (column.length !== count) throw new RangeError('Event columns differ in length');
  }
  const inputDay = new Int32Array(count);
  let firstDay = Infinity;
  let lastDay = -Infinity;
  let maxVillage = -1;
  for (let i = 0; i < count; i++) {
    const ms = events.occurredAtMs[i]!;
    if (!Number.isFinite(ms)) throw new RangeError(`Event ${i} has no valid time`);
    const day = chinaDayOfEpochMs(ms);
    inputDay[i] = day;
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
    const code = events.categoryCode[i]!;
    if (!(code >= 0 && code < RISK_CATEGORIES.length) || !Number.isInteger(code)) {
      throw new RangeError(`Event ${i} has an unknown category code ${code}`);
    }
    const village = events.villageIndex[i]!;
    if (!Number.isInteger(village) || village < -1) throw new RangeError(`Event ${i} has a bad village index`);
    if (village > maxVillage) maxVillage = village;
    if (!Number.isFinite(events.lonDeg[i]!) || !Number.isFinite(events.latDeg[i]!)) {
      throw new RangeError(`Event ${i} has no valid position`);
    }
  }
  if (count === 0) firstDay = lastDay = 0;
  const villageCount = options.villageCount ?? maxVillage + 1;
  if (maxVillage >= villageCount) throw new RangeError('A village index is not below villageCount');

  // Counting sort by day: the day table doubles as the O(1) window lookup.
  const dayCount = lastDay - firstDay + 1;
  const dayOffsets = new Int32Array(dayCount + 1);
  for (let i = 0; i < count; i++) dayOffsets[inputDay[i]! - firstDay + 1]!++;
  for (let d = 0; d < dayCount; d++) dayOffsets[d + 1]! += dayOffsets[d]!;
  const next = dayOffsets.slice(0, dayCount);
  const inputPosition = new Int32Array(count);
  for (let i = 0; i < count; i++) inputPosition[next[inputDay[i]! - firstDay]!++] = i;

  const projection = options.projection ?? localProjectionForPoints(events.lonDeg, events.latDeg);
  const day = new Int32Array(count);
  const category = new Uint8Array(count);
  const village = new Int32Array(count);
  const xMetres = new Float64Array(count);
  const yMetres = new Float64Array(count);
  const lonDeg = new Float64Array(count);
  const latDeg = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const i = inputPosition[k]!;
    day[k] = inputDay[i]!;
    category[k] = events.categoryCode[i]!;
    village[k] = events.villageIndex[i]!;
    lonDeg[k] = events.lonDeg[i]!;
    latDeg[k] = events.latDeg[i]!;
    xMetres[k] = projectX(projection, lonDeg[k]!);
    yMetres[k] = projectY(projection, latDeg[k]!);
  }

  const distinct = distinctPoints(lonDeg, latDeg);
  const cellsByResolution = new Map<number, CellColumn>();
  for (const resolution of options.resolutions ?? DEFAULT_RESOLUTIONS) {
    cellsByResolution.set(resolution, cellColumn(distinct, resolution));
  }
  return {
    count,
    villageCount,
    firstDay,
    dayOffsets,
    day,
    category,
    village,
    xMetres,
    yMetres,
    inputPosition,
    projection,
    cellsByResolution,
    distinctPoints: distinct,
  };
}

/**
 * The index with one more H3 resolution (arrays shared, not copied), so a server can start with
 * the resolution it needs first and add the others later, e.g. between requests.
 */
export function addResolution(index: EventIndex, resolution: number): EventIndex {
  if (index.cellsByResolution.has(resolution)) return index;
  const cellsByResolution = new Map(index.cellsByResolution);
  cellsByResolution.set(resolution, cellColumn(index.distinctPoints, resolution));
  return { ...index, cellsByResolution };
}

/** Distinct coordinate pairs of the events and, per event (sorted order), its pair. */
export interface DistinctPoints {
  lonDeg: Float64Array;
  latDeg: Float64Array;
  pointOfEvent: Int32Array;
}

/** Distinct coordinate pairs, by an open-addressing hash table on the coordinates' bits. */
function distinctPoints(lonDeg: Float64Array, latDeg: Float64Array): DistinctPoints {
  const count = lonDeg.length;
  let capacity = 16;
  while (capacity < 2 * count) capacity *= 2;
  const slots = new Int32Array(capacity).fill(-1);
  const uniqueLon = new Float64Array(count);
  const uniqueLat = new Float64Array(count);
  const pointOfEvent = new Int32Array(count);
  const lonBits = new Uint32Array(lonDeg.buffer, lonDeg.byteOffset, 2 * count);
  const latBits = new Uint32Array(latDeg.buffer, latDeg.byteOffset, 2 * count);
  let unique = 0;
  for (let i = 0; i < count; i++) {
    let h = Math.imul(lonBits[2 * i]! ^ Math.imul(lonBits[2 * i + 1]!, 0x9e3779b1), 0x85ebca6b);
    h = Math.imul(h ^ latBits[2 * i]! ^ (h >>> 15), 0xc2b2ae35) ^ Math.imul(latBits[2 * i + 1]!, 0x27d4eb2f);
    h ^= h >>> 16;
    let slot = h & (capacity - 1);
    for (;;) {
      const id = slots[slot]!;
      if (id < 0) {
        slots[slot] = unique;
        uniqueLon[unique] = lonDeg[i]!;
        uniqueLat[unique] = latDeg[i]!;
        pointOfEvent[i] = unique++;
        break;
      }
      if (uniqueLon[id] === lonDeg[i] && uniqueLat[id] === latDeg[i]) {
        pointOfEvent[i] = id;
        break;
      }
      slot = (slot + 1) & (capacity - 1);
    }
  }
  return { lonDeg: uniqueLon.slice(0, unique), latDeg: uniqueLat.slice(0, unique), pointOfEvent };
}

function cellColumn(points: DistinctPoints, resolution: number): CellColumn {
  const cells: string[] = [];
  const cellIdOf = new Map<string, number>();
  const cellOfPoint = new Int32Array(points.lonDeg.length);
  for (let p = 0; p < points.lonDeg.length; p++) {
    const cell = latLngToCell(points.latDeg[p]!, points.lonDeg[p]!, resolution);
    let id = cellIdOf.get(cell);
    if (id === undefined) {
      id = cells.length;
      cells.push(cell);
      cellIdOf.set(cell, id);
    }
    cellOfPoint[p] = id;
  }
  const cellOfEvent = new Int32Array(points.pointOfEvent.length);
  for (let i = 0; i < cellOfEvent.length; i++) cellOfEvent[i] = cellOfPoint[points.pointOfEvent[i]!]!;
  return { resolution, cells, cellIdOf, cellOfEvent };
}

/** The cell column of a resolution, or an error naming the indexed ones. */
export function cellColumnOf(index: EventIndex, resolution: number): CellColumn {
  const column = index.cellsByResolution.get(resolution);
  if (!column) {
    throw new RangeError(`H3 resolution ${resolution} is not indexed (have ${[...index.cellsByResolution.keys()]})`);
  }
  return column;
}

/** Half-open range of sorted event positions whose day lies in [startDay, endDay). */
export function eventRange(index: EventIndex, startDay: number, endDay: number): [number, number] {
  const lastSlot = index.dayOffsets.length - 1;
  const from = Math.min(Math.max(startDay - index.firstDay, 0), lastSlot);
  const to = Math.min(Math.max(endDay - index.firstDay, 0), lastSlot);
  return to <= from ? [0, 0] : [index.dayOffsets[from]!, index.dayOffsets[to]!];
}

/**
 * Per village index: 1 when the village is among `villages` or its township among `townships`.
 * Null when neither is given (no place filter). `villageTownship[v]` is village v's township index.
 */
export function placeFilter(
  villageTownship: ArrayLike<number>,
  selection: { townships?: readonly number[]; villages?: readonly number[] },
): Uint8Array | null {
  if (!selection.townships && !selection.villages) return null;
  const allowed = new Uint8Array(villageTownship.length);
  const townships = new Set(selection.townships ?? []);
  for (let v = 0; v < villageTownship.length; v++) if (townships.has(villageTownship[v]!)) allowed[v] = 1;
  for (const v of selection.villages ?? []) {
    if (v >= 0 && v < allowed.length) allowed[v] = 1;
  }
  return allowed;
}

/**
 * Calls `visit(position)` for every event matching the query, in day order: the one linear pass
 * all aggregations share (the window's range comes from the day table, no search).
 */
export function forEachMatchingEvent(index: EventIndex, query: EventQuery, visit: (position: number) => void): void {
  const [from, to] = eventRange(index, query.startDay, query.endDay);
  const { category, village } = index;
  const mask = query.categoryMask;
  const allowed = query.villageAllowed;
  if (allowed) {
    for (let k = from; k < to; k++) {
      const v = village[k]!;
      if ((mask >> category[k]!) & 1 && v >= 0 && allowed[v] === 1) visit(k);
    }
  } else {
    for (let k = from; k < to; k++) if ((mask >> category[k]!) & 1) visit(k);
  }
}

/** Number of events matching the query. */
export function countEvents(index: EventIndex, query: EventQuery): number {
  let total = 0;
  forEachMatchingEvent(index, query, () => total++);
  return total;
}

/** Matching events per cell of the resolution's dictionary (`cellColumnOf(index, r).cells`). */
export function countByCell(index: EventIndex, query: EventQuery, resolution: number): Int32Array {
  const column = cellColumnOf(index, resolution);
  const counts = new Int32Array(column.cells.length);
  const cellOfEvent = column.cellOfEvent;
  forEachMatchingEvent(index, query, (k) => counts[cellOfEvent[k]!]!++);
  return counts;
}

/** Matching events per village index (events without a village are not counted). */
export function countByVillage(index: EventIndex, query: EventQuery): Int32Array {
  const counts = new Int32Array(index.villageCount);
  const village = index.village;
  forEachMatchingEvent(index, query, (k) => {
    const v = village[k]!;
    if (v >= 0) counts[v]!++;
  });
  return counts;
}

/** Non-zero cells of a dictionary-aligned count array, as H3 cell and count. */
export function nonZeroCells(
  index: EventIndex,
  resolution: number,
  counts: ArrayLike<number>,
): { cell: string; count: number }[] {
  const cells = cellColumnOf(index, resolution).cells;
  const result: { cell: string; count: number }[] = [];
  for (let id = 0; id < cells.length; id++)
    if (counts[id]! !== 0) result.push({ cell: cells[id]!, count: counts[id]! });
  return result;
}

/**
 * Event counts per calendar month (UTC+8) and location, month-major: `counts[m * locationCount + l]`.
 * Month m is month index `firstMonth + m`.
 */
export interface MonthlyCounts {
  firstMonth: number;
  monthCount: number;
  locationCount: number;
  counts: Int32Array;
}

/**
 * Monthly counts per location over the query window's months (partial first and last months count
 * only their days inside the window). `locationOfEvent(k)` maps a sorted event position to a
 * location in [0, locationCount), or −1 to skip it.
 */
export function monthlyCounts(
  index: EventIndex,
  query: EventQuery,
  locationCount: number,
  locationOfEvent: (position: number) => number,
): MonthlyCounts {
  if (query.endDay <= query.startDay) return { firstMonth: 0, monthCount: 0, locationCount, counts: new Int32Array(0) };
  const firstMonth = monthIndexOfChinaDay(query.startDay);
  const monthCount = monthIndexOfChinaDay(query.endDay - 1) - firstMonth + 1;
  const counts = new Int32Array(monthCount * locationCount);
  for (let m = 0; m < monthCount; m++) {
    const startDay = Math.max(query.startDay, firstChinaDayOfMonth(firstMonth + m));
    const endDay = Math.min(query.endDay, firstChinaDayOfMonth(firstMonth + m + 1));
    const row = m * locationCount;
    forEachMatchingEvent(index, { ...query, startDay, endDay }, (k) => {
      const location = locationOfEvent(k);
      if (location >= 0) counts[row + location]!++;
    });
  }
  return { firstMonth, monthCount, locationCount, counts };
}

/** Monthly counts per cell of the resolution's dictionary, or per study-area cell through `cellMap`. */
export function monthlyCountsByCell(
  index: EventIndex,
  query: EventQuery,
  resolution: number,
  cellMap?: { studyIndexOfCellId: Int32Array; studyCellCount: number },
): MonthlyCounts {
  const cellOfEvent = cellColumnOf(index, resolution).cellOfEvent;
  if (!cellMap)
    return monthlyCounts(index, query, cellColumnOf(index, resolution).cells.length, (k) => cellOfEvent[k]!);
  const map = cellMap.studyIndexOfCellId;
  return monthlyCounts(index, query, cellMap.studyCellCount, (k) => map[cellOfEvent[k]!]!);
}

/** Monthly counts per village index (events without a village are skipped). */
export function monthlyCountsByVillage(index: EventIndex, query: EventQuery): MonthlyCounts {
  const village = index.village;
  return monthlyCounts(index, query, index.villageCount, (k) => village[k]!);
}
