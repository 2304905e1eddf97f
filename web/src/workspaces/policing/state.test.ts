import { describe, expect, it } from 'vitest';
import { initialResourceState, updateResourceState, type ResourceState } from '../../frame/resource.js';
import {
  initialPolicingState,
  policingData,
  policingResources,
  policingView,
  updatePolicing,
  whatIfChanges,
  type NoTripReport,
  type NoTripVillage,
} from './state.js';
import { deepFreeze } from '../../../../test/deep-freeze.js';

const village = (code: string, stationCode: string, driveMinutes: number, noTrip: boolean): NoTripVillage =>
  ({ code, name: `村${code}`, townshipName: '乡', stationCode, driveMinutes, noTrip }) as NoTripVillage;

/** Four villages of two stations: their drive, and whether they are no-trip under 60 and under 45 minutes. */
const report = (maxDriveMinutes: number): NoTripReport =>
  ({
    settings: { maxDriveMinutes, maxBusWalkMetres: 1000 },
    villages: [
      village('A', 'S1', 80, true),
      village('B', 'S1', 50, maxDriveMinutes < 50),
      village('C', 'S2', 55, maxDriveMinutes < 55),
      village('D', 'S2', 20, false),
    ],
    stations: [],
    county: {},
  }) as unknown as NoTripReport;

const saved = deepFreeze(report(60));
const tried = deepFreeze(report(45));
const SAVED_URL = '/api/policing/no-trip';
const TRIED_URL = '/api/policing/no-trip?maxDriveMinutes=45&maxBusWalkMetres=1000';

/** The resource layer's state once these answers came in (name, URL, data). */
const answered = (...answers: [string, string, unknown][]): ResourceState =>
  deepFreeze(
    answers.reduce(
      (state, [name, key, data]) =>
        updateResourceState(updateResourceState(state, { type: 'resource/requested', name, key }), {
          type: 'resource/loaded',
          name,
          key,
          data,
        }),
      initialResourceState(),
    ),
  );

describe('what the commanders’ workspace asks the server', () => {
  const ready = { county: { state: 'ready' } };
  const start = deepFreeze(initialPolicingState());

  it('asks for the saved rules’ report and the visits once the county is there, and nothing before', () => {
    expect(policingResources(start, ready)).toEqual({
      [policingData.report.name]: SAVED_URL,
      [policingData.saved.name]: null,
      [policingData.summary.name]: '/api/policing/visits/summary',
      [policingData.isochrones.name]: null,
    });
    expect(policingResources(start, { county: { state: 'generating' } })[policingData.report.name]).toBeNull();
    expect(policingResources(start, { county: null })[policingData.summary.name]).toBeNull();
  });

  it('asks for a what-if’s report beside the saved one, and goes back to the saved URL (the cache has it)', () => {
    const trying = updatePolicing(start, { type: 'policing/tryRules', whatIf: tried.settings });
    expect(policingResources(trying, ready)[policingData.report.name]).toBe(TRIED_URL);
    expect(policingResources(trying, ready)[policingData.saved.name]).toBe(SAVED_URL);
    const back = updatePolicing({ ...trying, message: 'x' }, { type: 'policing/tryRules', whatIf: null });
    expect(back).toEqual(start);
    expect(policingResources(back, ready)[policingData.report.name]).toBe(SAVED_URL);
  });

  it('asks for a chosen station’s bands, and drops the plan of another station', () => {
    const plan = { kind: 'loading' } as const;
    const chosen = updatePolicing({ ...start, plan }, { type: 'policing/selectStation', station: 'S1' });
    expect(chosen.plan).toEqual({ kind: 'idle' });
    expect(policingResources(chosen, ready)[policingData.isochrones.name]).toBe(
      '/api/policing/stations/S1/isochrones?minutes=30,60,90',
    );
    expect(updatePolicing(chosen, { type: 'policing/selectStation', station: 'S1' })).toBe(chosen);
  });
});

describe('the no-trip what-if', () => {
  const whatIf = { ...initialPolicingState(), whatIf: tried.settings };
  const both = answered([policingData.report.name, TRIED_URL, tried], [policingData.saved.name, SAVED_URL, saved]);

  it('lists the villages a what-if adds and removes, farthest first, in the list’s scope', () => {
    const changes = whatIfChanges(policingView(whatIf, both))!;
    expect(changes.savedSettings).toEqual({ maxDriveMinutes: 60, maxBusWalkMetres: 1000 });
    expect(changes.added.map((v) => v.code)).toEqual(['C', 'B']);
    expect(changes.removed).toEqual([]);
    // The other way round: 45 saved, 60 tried.
    const reverse = answered(
      [policingData.report.name, SAVED_URL + '?maxDriveMinutes=60', saved],
      [policingData.saved.name, SAVED_URL, tried],
    );
    expect(whatIfChanges(policingView(whatIf, reverse))!.removed.map((v) => v.code)).toEqual(['C', 'B']);
    // One station chosen: its villages only.
    expect(whatIfChanges(policingView({ ...whatIf, station: 'S1' }, both))!.added.map((v) => v.code)).toEqual(['B']);
  });

  it('compares nothing without a what-if, before the saved report is there, or while the what-if’s loads', () => {
    expect(whatIfChanges(policingView(initialPolicingState(), both))).toBeNull();
    expect(whatIfChanges(policingView(whatIf, answered([policingData.report.name, TRIED_URL, tried])))).toBeNull();
    // Other rules tried: the last what-if's answer is still shown, but it is not compared.
    const loading = updateResourceState(both, {
      type: 'resource/requested',
      name: policingData.report.name,
      key: SAVED_URL + '?maxDriveMinutes=90',
    });
    expect(policingView(whatIf, loading).report.data).toBe(tried);
    expect(whatIfChanges(policingView(whatIf, loading))).toBeNull();
  });
});
