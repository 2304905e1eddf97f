/**
 * Holiday policing (假日警务): the input of the allocation of headquarters officers (机关警力) to
 * (station, day, shift, duty). Plain JSON-friendly data; `indexProblem` turns it into dense arrays.
 *
 * Time is a sequence of slots: slot = day × shiftsPerDay + shift, and consecutive slots are
 * consecutive in time (the last shift of one day is followed by the first shift of the next), so
 * the rest rules run across midnight.
 */

/** A duty (勤务), in priority order in `AllocationProblem.duties`; the weight prices one unmet officer-shift. */
export interface DutySpec {
  id: string;
  /** Price of one unmet officer-shift of this duty in objective 1; higher = more important. */
  priorityWeight: number;
  /** Qualification an officer needs for this duty (e.g. 'traffic'), or null when anyone can do it. */
  requiredQualification: string | null;
  nameZh?: string;
  nameEn?: string;
}

/** A war zone (战区): a group of stations. */
export interface ZoneSpec {
  id: string;
  nameZh?: string;
  nameEn?: string;
}

/** A police station (派出所): a post officers are sent to, and a home unit officers come from. */
export interface StationSpec {
  code: string;
  zoneId: string;
  nameZh?: string;
  nameEn?: string;
  /** WGS84 longitude, latitude (only for display and synthetic travel times). */
  lonLat?: readonly [number, number];
}

/** One headquarters officer of the pool. */
export interface OfficerSpec {
  id: string;
  /** Station code of the officer's home unit: travel limits are measured from here. */
  homeStation: string;
  qualifications: readonly string[];
  /** One flag per slot (length days × shiftsPerDay): may this officer be posted in that slot? */
  available: readonly boolean[];
}

/** What one station asks for: officers needed for one duty in one (day, shift). */
export interface DemandEntry {
  stationCode: string;
  day: number;
  shift: number;
  dutyId: string;
  officers: number;
}

/**
 * Rest rules over each officer's sequence of worked slots. A "block" is a maximal run of worked
 * slots. Before the holiday every officer counts as rested.
 */
export interface RestRules {
  /** Longest block, in shifts (2 = at most 16 h in a row with 8-h shifts). */
  maxConsecutiveShifts: number;
  /**
   * Fewest free shifts between two blocks. 1 adds nothing (blocks are maximal runs, so one free
   * shift always separates them); 2 demands a 16-h break with 8-h shifts.
   */
  minRestShiftsBetweenBlocks: number;
}

/** A war zone's bounds on officers posted to its stations in one slot (all slots when day/shift are absent). */
export interface ZoneLimit {
  zoneId: string;
  day?: number;
  shift?: number;
  /** At least this many officers in the zone's stations in the slot (soft only when the pool cannot). */
  minOfficers?: number;
  /** At most this many officers in the zone's stations in the slot (hard). */
  maxOfficers?: number;
}

/** A station's minimum cover: officers on post in one slot, whatever their duty (all slots when day/shift are absent). */
export interface StationCover {
  stationCode: string;
  day?: number;
  shift?: number;
  minOfficers: number;
}

/** The whole allocation problem for one holiday. */
export interface AllocationProblem {
  days: number;
  shiftsPerDay: number;
  zones: readonly ZoneSpec[];
  stations: readonly StationSpec[];
  /** Duties; each names its priority weight and required qualification (the duty → qualification map). */
  duties: readonly DutySpec[];
  officers: readonly OfficerSpec[];
  demand: readonly DemandEntry[];
  /**
   * Drive seconds from a home station (row) to a post station (column), both in `stations` order.
   * The app fills it from the road drive-time engine.
   */
  travelSeconds: readonly (readonly number[])[];
  /** An officer may only be posted to stations at most this far from the home station. */
  maxTravelSeconds: number;
  restRules: RestRules;
  zoneLimits?: readonly ZoneLimit[];
  stationCovers?: readonly StationCover[];
}

/** The three duties of the requirement, in priority order: incident response > traffic control > patrol. */
export const DEFAULT_DUTIES: readonly DutySpec[] = Object.freeze([
  Object.freeze({
    id: 'incident',
    priorityWeight: 3,
    requiredQualification: null,
    nameZh: '接处警',
    nameEn: 'incident response',
  }),
  Object.freeze({
    id: 'traffic',
    priorityWeight: 2,
    requiredQualification: 'traffic',
    nameZh: '交通秩序管理',
    nameEn: 'traffic control',
  }),
  Object.freeze({ id: 'patrol', priorityWeight: 1, requiredQualification: null, nameZh: '巡逻防控', nameEn: 'patrol' }),
]);

/** The default rest rules: at most two shifts in a row, one free shift between blocks. */
export const DEFAULT_REST_RULES: RestRules = Object.freeze({ maxConsecutiveShifts: 2, minRestShiftsBetweenBlocks: 1 });

/** Slot index of (day, shift). */
export function slotOf(problem: Pick<AllocationProblem, 'shiftsPerDay'>, day: number, shift: number): number {
  return day * problem.shiftsPerDay + shift;
}

/** Restricted duties (those with a qualification) are limited so the Hall constraints stay few (2^k − 1 per station-slot). */
export const MAX_QUALIFIED_DUTIES = 6;

/** Throws an Error naming the first inconsistency of the input (unknown codes, wrong lengths, negative numbers). */
export function validateProblem(problem: AllocationProblem): void {
  const fail = (message: string): never => {
    throw new Error(`allocation problem: ${message}`);
  };
  const { days, shiftsPerDay } = problem;
  if (!Number.isInteger(days) || days < 1) fail(`days must be a positive integer, got ${days}`);
  if (!Number.isInteger(shiftsPerDay) || shiftsPerDay < 1) fail(`shiftsPerDay must be a positive integer`);
  const slots = days * shiftsPerDay;
  const unique = (ids: readonly string[], what: string) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) fail(`duplicate ${what} '${id}'`);
      seen.add(id);
    }
    return seen;
  };
  const zones = unique(
    problem.zones.map((z) => z.id),
    'zone',
  );
  const stations = unique(
    problem.stations.map((s) => s.code),
    'station',
  );
  const duties = unique(
    problem.duties.map((d) => d.id),
    'duty',
  );
  unique(
    problem.officers.map((o) => o.id),
    'officer',
  );
  for (const station of problem.stations) {
    if (!zones.has(station.zoneId)) fail(`station ${station.code} is in unknown zone '${station.zoneId}'`);
  }
  for (const duty of problem.duties) {
    if (!(Number.isFinite(duty.priorityWeight) && duty.priorityWeight > 0)) {
      fail(`duty ${duty.id} needs a positive priority weight`);
    }
  }
  if (problem.duties.filter((d) => d.requiredQualification != null).length > MAX_QUALIFIED_DUTIES) {
    fail(`at most ${MAX_QUALIFIED_DUTIES} duties may require a qualification`);
  }
  for (const officer of problem.officers) {
    if (!stations.has(officer.homeStation)) fail(`officer ${officer.id} has unknown home station`);
    if (officer.available.length !== slots) fail(`officer ${officer.id} needs ${slots} availability flags`);
  }
  const checkSlot = (day: number | undefined, shift: number | undefined, what: string) => {
    if (day != null && !(Number.isInteger(day) && day >= 0 && day < days)) fail(`${what}: day ${day} out of range`);
    if (shift != null && !(Number.isInteger(shift) && shift >= 0 && shift < shiftsPerDay)) {
      fail(`${what}: shift ${shift} out of range`);
    }
  };
  for (const entry of problem.demand) {
    const what = `demand ${entry.stationCode}/${entry.dutyId}`;
    if (!stations.has(entry.stationCode)) fail(`${what}: unknown station`);
    if (!duties.has(entry.dutyId)) fail(`${what}: unknown duty`);
    checkSlot(entry.day, entry.shift, what);
    if (!(Number.isInteger(entry.officers) && entry.officers >= 0)) fail(`${what}: officers must be an integer ≥ 0`);
  }
  const n = problem.stations.length;
  if (problem.travelSeconds.length !== n || problem.travelSeconds.some((row) => row.length !== n)) {
    fail(`travelSeconds must be ${n} × ${n}`);
  }
  if (!(problem.maxTravelSeconds >= 0)) fail('maxTravelSeconds must be ≥ 0');
  const { maxConsecutiveShifts, minRestShiftsBetweenBlocks } = problem.restRules;
  if (!(Number.isInteger(maxConsecutiveShifts) && maxConsecutiveShifts >= 1)) fail('maxConsecutiveShifts must be ≥ 1');
  if (!(Number.isInteger(minRestShiftsBetweenBlocks) && minRestShiftsBetweenBlocks >= 1)) {
    fail('minRestShiftsBetweenBlocks must be ≥ 1');
  }
  for (const limit of problem.zoneLimits ?? []) {
    if (!zones.has(limit.zoneId)) fail(`zone limit for unknown zone '${limit.zoneId}'`);
    checkSlot(limit.day, limit.shift, `zone limit ${limit.zoneId}`);
    for (const value of [limit.minOfficers, limit.maxOfficers]) {
      if (value != null && !(Number.isInteger(value) && value >= 0)) fail(`zone limit ${limit.zoneId}: bad bound`);
    }
  }
  for (const cover of problem.stationCovers ?? []) {
    if (!stations.has(cover.stationCode)) fail(`cover for unknown station '${cover.stationCode}'`);
    checkSlot(cover.day, cover.shift, `cover ${cover.stationCode}`);
    if (!(Number.isInteger(cover.minOfficers) && cover.minOfficers >= 0)) fail(`cover ${cover.stationCode}: bad bound`);
  }
}
