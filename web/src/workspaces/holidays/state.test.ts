import { describe, expect, it } from 'vitest';
import { Random } from '../../../../server/county/generate/random.js';
import { COVERAGE_COLOURS, insideMultiPolygon, zoneFeatures, zoneLabelPoint } from './map-layers.js';
import {
  cellKey,
  coverageClass,
  coverageShare,
  currentDemand,
  dayDate,
  demandPutEntries,
  DUTIES,
  evidenceMark,
  typicalAskRatio,
  savedDemand,
  shiftHours,
  solveRequestOf,
  stationSummaries,
  zonePrintSheet,
  type DemandDraft,
} from './model.js';
import {
  compareIds,
  currentDetail,
  holidayQueries,
  initialHolidaysState,
  updateHolidays,
  type DemandEntry,
  type HolidayAction,
  type HolidayDetail,
  type HolidaysState,
  type HolidaySummary,
  type PlanDetail,
  type PlanSummary,
  type ZoneAreas,
} from './state.js';
import { deepFreeze } from '../../../../test/deep-freeze.js';

/** Apply actions one after another, freezing every state on the way (catches mutation). */
function run(state: HolidaysState, ...actions: HolidayAction[]): HolidaysState {
  let current = deepFreeze(state);
  for (const action of actions) current = deepFreeze(updateHolidays(current, deepFreeze(action)));
  return current;
}

const summary = (id: number, firstDay: string, status: 'draft' | 'published' = 'draft'): HolidaySummary => ({
  id,
  countyCode: '330329',
  name: `假日${id}`,
  firstDay,
  days: 2,
  shiftsPerDay: 2,
  maxTravelMinutes: 60,
  status,
  publishedPlanId: null,
  plans: 0,
});

/** Two days × two shifts; stations A and B in zone 1, C in zone 2. */
const DETAIL: HolidayDetail = deepFreeze({
  holiday: summary(7, '2027-02-06'),
  zones: [
    { id: 1, name: '第一战区', stationCodes: ['A', 'B'] },
    { id: 2, name: '第二战区', stationCodes: ['C'] },
  ],
  stations: [
    { code: 'A', name: '甲所', warZoneId: 1, ownOfficers: 10, lon: 119.7, lat: 27.5 },
    { code: 'B', name: '乙所', warZoneId: 1, ownOfficers: 8, lon: 119.8, lat: 27.6 },
    { code: 'C', name: '丙所', warZoneId: 2, ownOfficers: 6, lon: 119.9, lat: 27.4 },
  ],
  demands: [
    { stationCode: 'A', day: 0, shift: 0, duty: 'incident', officers: 2, ownOnDuty: 3 },
    { stationCode: 'A', day: 0, shift: 1, duty: 'traffic', officers: 4, ownOnDuty: 1 },
    { stationCode: 'A', day: 1, shift: 1, duty: 'patrol', officers: 1, ownOnDuty: 0 },
    { stationCode: 'B', day: 1, shift: 0, duty: 'incident', officers: 3, ownOnDuty: 2 },
    { stationCode: 'C', day: 0, shift: 0, duty: 'patrol', officers: 5, ownOnDuty: 1 },
  ],
  evidence: [
    { stationCode: 'A', day: 0, shift: 0, duty: 'incident', expectedOfficerHours: 16, expectedOfficers: 2 },
    { stationCode: 'A', day: 0, shift: 1, duty: 'traffic', expectedOfficerHours: 8, expectedOfficers: 1 },
    { stationCode: 'B', day: 1, shift: 0, duty: 'incident', expectedOfficerHours: 80, expectedOfficers: 10 },
    { stationCode: 'C', day: 0, shift: 0, duty: 'patrol', expectedOfficerHours: 36, expectedOfficers: 4.5 },
  ],
  evidenceFrom: ['2025-01-28', '2026-02-16'],
  zoneLimits: [],
  stationCovers: [],
  pool: { officers: 20, trafficQualified: 6, unavailableSlots: 3 },
});

const ZONES: ZoneAreas = deepFreeze({
  type: 'FeatureCollection',
  features: [1, 2].map((zoneId) => ({
    type: 'Feature' as const,
    geometry: {
      type: 'MultiPolygon' as const,
      coordinates: [
        [
          [
            [119, 27],
            [120, 27],
            [120, 28],
            [119, 27],
          ],
        ],
      ],
    },
    properties: { zoneId, name: `战区${zoneId}`, stationCodes: zoneId === 1 ? ['A', 'B'] : ['C'] },
  })),
});

const totals = (demanded: number, met: number) => ({
  demanded,
  met,
  unmet: demanded - met,
  surplus: 0,
  weightedDemanded: demanded,
  weightedUnmet: demanded - met,
});

function planSummary(id: number, extra: Partial<PlanSummary> = {}): PlanSummary {
  return {
    id,
    holidayId: 7,
    label: `方案${id}`,
    createdAt: '2026-12-01T08:00:00Z',
    status: 'optimal',
    mipGap: 0,
    seconds: 3.2,
    poolSize: 20,
    whatIf: { poolSize: null, zoneCaps: [] },
    weightedUnmet: 4,
    unmet: 2,
    maxUnmetShare: 0.1,
    travelHours: 12,
    published: false,
    ...extra,
  };
}

/** Zone 1 gets 19 of 20 officer-shifts (95 %: green), zone 2 gets 4 of 5 (80 %: amber). */
const PLAN: PlanDetail = deepFreeze({
  ...planSummary(11),
  coverage: {
    cells: [
      { stationCode: 'A', zoneId: '1', day: 0, shift: 0, dutyId: 'incident', assigned: 2, ...totals(2, 2) },
      { stationCode: 'B', zoneId: '1', day: 1, shift: 0, dutyId: 'incident', assigned: 1, ...totals(3, 1) },
      { stationCode: 'C', zoneId: '2', day: 0, shift: 0, dutyId: 'patrol', assigned: 4, ...totals(5, 4) },
    ],
    byStation: [],
    byZone: [
      { zoneId: '1', ...totals(20, 19) },
      { zoneId: '2', ...totals(5, 4) },
    ],
    byDuty: [],
    byDay: [],
    byShift: [],
    byZoneSlot: [],
    total: totals(25, 23),
  },
  assignments: [
    {
      officerId: 'o1',
      officerName: '王一',
      homeStation: 'A',
      stationCode: 'A',
      stationName: '甲所',
      day: 0,
      shift: 0,
      duty: 'incident',
      travelMinutes: 0,
    },
    {
      officerId: 'o2',
      officerName: '李二',
      homeStation: 'C',
      stationCode: 'B',
      stationName: '乙所',
      day: 1,
      shift: 0,
      duty: 'incident',
      travelMinutes: 25,
    },
  ],
  explanations: [],
  baseline: { weightedUnmet: 9, unmet: 5, maxUnmetShare: 0.3, travelSeconds: 40_000 },
  variables: 1000,
  constraints: 800,
});

/** The workspace with the list, detail and zones of holiday 7 loaded. */
function opened(): HolidaysState {
  const state = run(
    initialHolidaysState(),
    { type: 'holidays/requested', resource: 'list', key: '/api/holidays' },
    {
      type: 'holidays/loaded',
      resource: 'list',
      key: '/api/holidays',
      // The published one is past; the draft one comes first.
      data: [summary(3, '2026-10-01', 'published'), summary(7, '2027-02-06')],
    },
    { type: 'holidays/requested', resource: 'detail', key: '/api/holidays/7' },
    { type: 'holidays/loaded', resource: 'detail', key: '/api/holidays/7', data: DETAIL },
  );
  return state;
}

describe('holiday workspace transitions', () => {
  it('asks for the list first, then opens the next draft holiday with its detail, zones and plans', () => {
    const start = initialHolidaysState();
    expect(holidayQueries(start)).toEqual({
      list: '/api/holidays',
      detail: null,
      zones: null,
      officers: null,
      plans: null,
      plan: null,
      comparison: null,
    });
    const state = opened();
    expect(state.holidayId).toBe(7);
    expect(holidayQueries(state)).toMatchObject({
      detail: '/api/holidays/7',
      zones: '/api/holidays/7/zones.geojson',
      officers: null,
      plans: '/api/holidays/7/plans',
      plan: null,
    });
    expect(currentDetail(state)).toBe(DETAIL);
    // The pool is asked for with its tab only.
    expect(holidayQueries(run(state, { type: 'holidays/setTab', tab: 'pool' })).officers).toBe(
      '/api/holidays/7/officers',
    );
  });

  it('drops an answer to a question no longer asked, and another holiday’s detail is never shown', () => {
    const state = run(
      opened(),
      { type: 'holidays/select', holidayId: 3 },
      { type: 'holidays/requested', resource: 'detail', key: '/api/holidays/3' },
    );
    expect(currentDetail(state)).toBeNull();
    // Holiday 7's answer, late: dropped.
    expect(
      run(state, { type: 'holidays/loaded', resource: 'detail', key: '/api/holidays/7', data: DETAIL }).fetched.detail
        .status,
    ).toBe('loading');
    const failed = run(state, { type: 'holidays/failed', resource: 'detail', key: '/api/holidays/7', message: 'x' });
    expect(failed.fetched.detail.status).toBe('loading');
  });

  it('shows the published plan first, else the newest, and compares the shown plan with the newest other', () => {
    const loadPlans = (plans: PlanSummary[]) =>
      run(
        opened(),
        { type: 'holidays/requested', resource: 'plans', key: '/api/holidays/7/plans' },
        { type: 'holidays/loaded', resource: 'plans', key: '/api/holidays/7/plans', data: plans },
      );
    expect(loadPlans([planSummary(4), planSummary(9), planSummary(6)]).planId).toBe(9);
    const state = loadPlans([planSummary(4), planSummary(9), planSummary(6, { published: true })]);
    expect(state.planId).toBe(6);
    expect(holidayQueries(state).plan).toBe('/api/holidays/7/plans/6');
    expect(compareIds(state)).toEqual({ a: 9, b: 6 });
    const comparing = run(state, { type: 'holidays/setTab', tab: 'compare' });
    expect(holidayQueries(comparing).comparison).toBe('/api/holidays/7/plans/compare?a=9&b=6');
    // The same plan twice is no comparison.
    expect(holidayQueries(run(comparing, { type: 'holidays/setCompare', a: 6, b: 6 })).comparison).toBeNull();
  });

  it('shows a solved plan at once, compares it with the plan shown before, and asks for the lists again', () => {
    const state = run(
      opened(),
      { type: 'holidays/selectPlan', planId: 4 },
      { type: 'holidays/solveStarted', holidayId: 7, startedAtMs: 1000 },
    );
    expect(state.solve).toEqual({ status: 'running', holidayId: 7, startedAtMs: 1000 });
    const solved = run(state, { type: 'holidays/solved', holidayId: 7, plan: PLAN });
    expect(solved.solve).toEqual({ status: 'idle' });
    expect(solved.planId).toBe(11);
    expect(solved.compare).toEqual({ a: 4, b: 11 });
    expect(solved.fetched.plan).toMatchObject({ status: 'ready', key: '/api/holidays/7/plans/11', data: PLAN });
    expect(solved.fetched.plans.key).toBeNull();
    expect(solved.fetched.list.key).toBeNull();
    // The list stays on screen while it is asked for again.
    expect(solved.fetched.list.data).toHaveLength(2);
    // A solve answered after the commander moved to another holiday changes nothing there.
    const moved = run(state, { type: 'holidays/select', holidayId: 3 });
    const late = run(moved, { type: 'holidays/solved', holidayId: 7, plan: PLAN });
    expect(late.planId).toBeNull();
    expect(late.solve.status).toBe('idle');
  });

  it('keeps demand edits as a draft; an edit back to the saved value leaves it', () => {
    const edit = (field: 'officers' | 'ownOnDuty', value: number): HolidayAction => ({
      type: 'holidays/editDemand',
      stationCode: 'A',
      day: 0,
      shift: 0,
      duty: 'incident',
      field,
      value,
    });
    const edited = run(opened(), edit('officers', 5));
    expect(edited.demandDraft).toEqual({ 'A|0|0|incident': { officers: 5, ownOnDuty: 3 } });
    expect(run(edited, edit('officers', 2)).demandDraft).toEqual({});
    // Whole officers, never negative.
    expect(run(opened(), edit('ownOnDuty', -2.4)).demandDraft['A|0|0|incident']).toEqual({
      officers: 2,
      ownOnDuty: 0,
    });
    // The saved answer arrives: cells that now match leave the draft.
    const saved: HolidayDetail = {
      ...DETAIL,
      demands: DETAIL.demands.map((d, i) => (i === 0 ? { ...d, officers: 5 } : d)),
    };
    const after = run(
      edited,
      { type: 'holidays/requested', resource: 'detail', key: '/api/holidays/7' },
      { type: 'holidays/loaded', resource: 'detail', key: '/api/holidays/7', data: saved },
    );
    expect(after.demandDraft).toEqual({});
  });

  it('moves the pool’s unavailable count with an officer’s toggles at once', () => {
    const officers = [
      {
        id: 'o1',
        name: '王一',
        department: '治安大队',
        homeStation: 'A',
        homeIsNearest: false,
        qualifications: ['traffic'],
        unavailable: [[0, 0]] as [number, number][],
      },
    ];
    const state = run(
      opened(),
      { type: 'holidays/setTab', tab: 'pool' },
      { type: 'holidays/requested', resource: 'officers', key: '/api/holidays/7/officers' },
      { type: 'holidays/loaded', resource: 'officers', key: '/api/holidays/7/officers', data: officers },
      {
        type: 'holidays/setAvailability',
        officerId: 'o1',
        unavailable: [
          [0, 0],
          [1, 1],
          [1, 0],
        ],
      },
    );
    expect(state.fetched.officers.data![0]!.unavailable).toEqual([
      [0, 0],
      [1, 1],
      [1, 0],
    ]);
    expect(currentDetail(state)!.pool.unavailableSlots).toBe(5);
  });

  it('chooses a station’s zone with the station, and forgets a station of another zone', () => {
    const state = run(opened(), { type: 'holidays/selectStation', station: 'C' });
    expect(state.zoneId).toBe(2);
    expect(run(state, { type: 'holidays/selectZone', zoneId: 1 }).station).toBeNull();
    expect(run(state, { type: 'holidays/selectZone', zoneId: 2 })).toBe(state);
  });

  it('returns the same object when nothing changes', () => {
    const state = opened();
    expect(updateHolidays(state, { type: 'holidays/select', holidayId: 7 })).toBe(state);
    expect(updateHolidays(state, { type: 'holidays/setTab', tab: 'demands' })).toBe(state);
    expect(updateHolidays(state, { type: 'holidays/discardDemands' })).toBe(state);
  });
});

describe('demand edits to PUT entries', () => {
  it('sends each edited station whole, without cells that ask for nothing', () => {
    const draft: DemandDraft = {
      'A|0|1|traffic': { officers: 0, ownOnDuty: 0 },
      'A|1|0|patrol': { officers: 2, ownOnDuty: 1 },
    };
    expect(demandPutEntries(DETAIL, draft)).toEqual([
      { stationCode: 'A', day: 0, shift: 0, duty: 'incident', officers: 2, ownOnDuty: 3 },
      { stationCode: 'A', day: 1, shift: 0, duty: 'patrol', officers: 2, ownOnDuty: 1 },
      { stationCode: 'A', day: 1, shift: 1, duty: 'patrol', officers: 1, ownOnDuty: 0 },
    ]);
  });

  it('sends a station edited down to nothing with one zero cell, so its old entries are cleared', () => {
    expect(demandPutEntries(DETAIL, { 'C|0|0|patrol': { officers: 0, ownOnDuty: 0 } })).toEqual([
      { stationCode: 'C', day: 0, shift: 0, duty: 'patrol', officers: 0, ownOnDuty: 0 },
    ]);
  });

  it('makes the server hold what the editor shows, for random edit sequences (replace-by-station semantics)', () => {
    const random = new Random('holiday-demands');
    const stations = DETAIL.stations.map((s) => s.code);
    for (let round = 0; round < 40; round++) {
      let state = opened();
      const edits = random.int(1, 12);
      for (let i = 0; i < edits; i++) {
        state = run(state, {
          type: 'holidays/editDemand',
          stationCode: stations[random.int(0, stations.length - 1)]!,
          day: random.int(0, 1),
          shift: random.int(0, 1),
          duty: DUTIES[random.int(0, 2)]!,
          field: random.chance(0.7) ? 'officers' : 'ownOnDuty',
          value: random.chance(0.3) ? 0 : random.int(0, 6),
        });
      }
      const entries = demandPutEntries(DETAIL, state.demandDraft);
      // What the server does with them: the stations present are replaced.
      const present = new Set(entries.map((e) => e.stationCode));
      const serverDemands: DemandEntry[] = [...DETAIL.demands.filter((d) => !present.has(d.stationCode)), ...entries];
      const server: HolidayDetail = { ...DETAIL, demands: serverDemands };
      for (const station of stations) {
        for (let day = 0; day < 2; day++) {
          for (let shift = 0; shift < 2; shift++) {
            for (const duty of DUTIES) {
              const key = cellKey(station, day, shift, duty);
              expect(savedDemand(server, key)).toEqual(currentDemand(DETAIL, state.demandDraft, key));
            }
          }
        }
      }
      // Stations not edited are not sent.
      const editedStations = new Set(Object.keys(state.demandDraft).map((k) => k.split('|')[0]));
      expect(present).toEqual(editedStations);
    }
  });
});

describe('evidence marks', () => {
  it('marks a request much more (> 1.5×) or much less (< 0.5×) than past holidays, by one officer at least', () => {
    expect(evidenceMark(3, 2)).toBe('none'); // exactly 1.5×
    expect(evidenceMark(4, 2)).toBe('over');
    expect(evidenceMark(1, 0)).toBe('over'); // nothing expected, one asked
    expect(evidenceMark(1, 0.4)).toBe('none'); // 2.5×, but 0.6 officer apart
    expect(evidenceMark(2, 5)).toBe('under');
    expect(evidenceMark(0, 1)).toBe('under');
    expect(evidenceMark(0, 0.8)).toBe('none');
    expect(evidenceMark(0, 0)).toBe('none');
    expect(evidenceMark(5, 4.5)).toBe('none');
  });

  it('sums each station’s request and evidence, with the draft, and marks the totals', () => {
    const rows = stationSummaries(DETAIL, { 'A|1|0|patrol': { officers: 4, ownOnDuty: 0 } });
    expect(rows.map((r) => [r.code, r.requested, r.expected, r.mark, r.edited])).toEqual([
      ['A', 11, 3, 'over', 1], // 2 + 4 + 1 + 4 asked against 2 + 1 expected
      ['B', 3, 10, 'under', 0],
      ['C', 5, 4.5, 'none', 0],
    ]);
    expect(rows[0]!.byDuty).toEqual({
      incident: { requested: 2, expected: 2, mark: 'none' },
      traffic: { requested: 4, expected: 1, mark: 'over' },
      patrol: { requested: 5, expected: 0, mark: 'over' },
    });
    expect(rows[0]!.ratio).toBeCloseTo(11 / 3, 10);
  });
});

describe('coverage colours', () => {
  it('classes the share of demand met: green from 95 %, amber from 80 %, red below', () => {
    expect(coverageShare({ demanded: 20, met: 19 })).toBe(0.95);
    expect(coverageShare({ demanded: 0, met: 0 })).toBeNull();
    expect(coverageClass(1)).toBe('good');
    expect(coverageClass(0.95)).toBe('good');
    expect(coverageClass(0.9499)).toBe('warn');
    expect(coverageClass(0.8)).toBe('warn');
    expect(coverageClass(0.7999)).toBe('bad');
    expect(coverageClass(0)).toBe('bad');
    expect(coverageClass(null)).toBe('none');
  });

  it('colours each zone on the map by the shown plan’s coverage, by its own colour without a plan', () => {
    let state = run(
      opened(),
      { type: 'holidays/setTab', tab: 'plan' },
      { type: 'holidays/requested', resource: 'zones', key: '/api/holidays/7/zones.geojson' },
      { type: 'holidays/loaded', resource: 'zones', key: '/api/holidays/7/zones.geojson', data: ZONES },
    );
    const before = zoneFeatures(state)!.features.map((f) => f.properties);
    expect(before.map((p) => p?.coverageClass)).toEqual(['none', 'none']);
    expect(new Set(before.map((p) => p?.colour)).size).toBe(2);
    state = run(state, { type: 'holidays/solved', holidayId: 7, plan: PLAN });
    const after = zoneFeatures(state)!.features.map((f) => f.properties);
    expect(after.map((p) => [p?.zoneId, p?.coverageClass, p?.colour, p?.coverageShare])).toEqual([
      [1, 'good', COVERAGE_COLOURS.good, 0.95],
      [2, 'warn', COVERAGE_COLOURS.warn, 0.8],
    ]);
  });
});

describe('days, shifts, what-if and the printed zone plan', () => {
  it('names days by date and shifts by their hours', () => {
    expect(dayDate('2027-02-06', 0)).toBe('2027-02-06');
    expect(dayDate('2027-02-06', 23)).toBe('2027-03-01');
    expect(shiftHours(3, 0)).toBe('08–16');
    expect(shiftHours(3, 1)).toBe('16–24');
    expect(shiftHours(3, 2)).toBe('00–08');
    expect(shiftHours(2, 1)).toBe('20–08');
  });

  it('sends only what a what-if changes', () => {
    expect(solveRequestOf({ label: '  ', poolSize: null, zoneCaps: {} })).toEqual({});
    expect(solveRequestOf({ label: '少20人', poolSize: 280, zoneCaps: { '3': 20, '1': 12 } })).toEqual({
      label: '少20人',
      poolSize: 280,
      zoneCaps: [
        { warZoneId: 1, maxOfficers: 12 },
        { warZoneId: 3, maxOfficers: 20 },
      ],
    });
    const capped = run(
      opened(),
      { type: 'holidays/setZoneCap', warZoneId: 2, maxOfficers: 7.6 },
      { type: 'holidays/setZoneCap', warZoneId: 1, maxOfficers: 3 },
      { type: 'holidays/setZoneCap', warZoneId: 1, maxOfficers: null },
    );
    expect(capped.whatIf.zoneCaps).toEqual({ '2': 8 });
  });

  it('lays out a zone’s one-page plan: its stations, per duty and slot posted vs demanded, and the totals', () => {
    const sheet = zonePrintSheet(DETAIL, PLAN, 1);
    expect(sheet.zoneName).toBe('第一战区');
    expect(sheet.stations.map((s) => s.code)).toEqual(['A', 'B']);
    const incidentB = sheet.stations[1]!.rows[0]!;
    expect(incidentB.duty).toBe('incident');
    // Slot 2 = day 1, shift 0.
    expect(incidentB.cells.map((c) => c.short)).toEqual([0, 0, 2, 0]);
    expect(incidentB.cells[2]).toEqual({ posted: 1, demanded: 3, short: 2 });
    expect([sheet.demanded, sheet.met, sheet.short, sheet.officers]).toEqual([5, 3, 2, 2]);
  });
});

describe('zone labels', () => {
  /** An L: the unit square's left column and bottom row of a 2 × 2 grid (the top-right cell is cut out). */
  const L = [
    [
      [
        [0, 0],
        [2, 0],
        [2, 1],
        [1, 1],
        [1, 2],
        [0, 2],
        [0, 0],
      ],
    ],
  ];

  it('tests points against every ring of a multipolygon', () => {
    expect(insideMultiPolygon([0.5, 0.5], L)).toBe(true);
    expect(insideMultiPolygon([1.5, 1.5], L)).toBe(false);
    expect(insideMultiPolygon([1.5, 0.5], L)).toBe(true);
    // A second piece with a hole: inside the piece, outside the hole only.
    const withHole = [
      ...L,
      [
        [
          [10, 10],
          [14, 10],
          [14, 14],
          [10, 14],
          [10, 10],
        ],
        [
          [11, 11],
          [13, 11],
          [13, 13],
          [11, 13],
          [11, 11],
        ],
      ],
    ];
    expect(insideMultiPolygon([10.5, 10.5], withHole)).toBe(true);
    expect(insideMultiPolygon([12, 12], withHole)).toBe(false);
  });

  it('puts a zone’s name inside its area, far from its edges', () => {
    const square = [
      [
        [
          [0, 0],
          [4, 0],
          [4, 4],
          [0, 4],
          [0, 0],
        ],
      ],
    ];
    // Near the equator a degree is a degree both ways: the middle of the square (to a sample).
    const [x, y] = zoneLabelPoint(square, 8)!;
    expect(Math.abs(x - 2)).toBeLessThanOrEqual(0.25);
    expect(Math.abs(y - 2)).toBeLessThanOrEqual(0.25);
    // In the L, never in the cut-out corner, and at least a quarter unit from every edge.
    for (const samples of [6, 12, 24]) {
      const point = zoneLabelPoint(structuredClone(L), samples)!;
      expect(insideMultiPolygon(point, L)).toBe(true);
      expect(Math.min(point[0], point[1], 2 - point[0], 2 - point[1])).toBeGreaterThanOrEqual(0.25);
      expect(point[0] <= 1 || point[1] <= 1).toBe(true);
    }
    expect(zoneLabelPoint([])).toBeNull();
  });
});

describe('evidence marks against the typical ask', () => {
  it('scale the evidence by what stations typically ask per unit of it', () => {
    expect(
      typicalAskRatio([
        { requested: 60, expected: 10 },
        { requested: 50, expected: 10 },
        { requested: 200, expected: 10 },
        { requested: 5, expected: 0 },
      ]),
    ).toBe(6);
    expect(evidenceMark(60, 10, 6)).toBe('none');
    expect(evidenceMark(100, 10, 6)).toBe('over');
    expect(evidenceMark(25, 10, 6)).toBe('under');
    expect(typicalAskRatio([])).toBe(1);
  });
});
