import { describe, expect, it } from 'vitest';
import {
  initialPolicingState,
  updatePolicing,
  whatIfChanges,
  type NoTripReport,
  type NoTripVillage,
  type PolicingState,
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
const ready = <T>(data: T) => ({ kind: 'ready' as const, data });

describe('the no-trip what-if', () => {
  const start = deepFreeze(
    updatePolicing(initialPolicingState(), { type: 'policing/report', report: ready(saved) }),
  ) as PolicingState;

  it('keeps the saved rules’ report while a what-if is tried, and goes back to it without asking again', () => {
    expect(start.saved).toEqual(ready(saved));
    const trying = updatePolicing(start, {
      type: 'policing/report',
      report: { kind: 'idle' },
      whatIf: tried.settings,
    });
    expect(trying.saved).toBe(start.saved);
    const answered = updatePolicing(trying, { type: 'policing/report', report: ready(tried) });
    expect(answered.whatIf).toEqual(tried.settings);
    expect(answered.saved).toBe(start.saved);
    const back = updatePolicing(answered, { type: 'policing/backToSaved' });
    expect(back.whatIf).toBeNull();
    expect(back.report).toBe(start.saved);
  });

  it('asks for the saved report again when the data or the saved rules change', () => {
    // A designation, an import: the report is asked again without a what-if.
    expect(updatePolicing(start, { type: 'policing/report', report: { kind: 'idle' } }).saved).toEqual({
      kind: 'idle',
    });
    // Saved rules: the what-if ends.
    expect(updatePolicing(start, { type: 'policing/report', report: { kind: 'idle' }, whatIf: null }).saved).toEqual({
      kind: 'idle',
    });
    // Back to the saved rules before they were loaded: they are asked for.
    const early = updatePolicing(
      { ...initialPolicingState(), whatIf: tried.settings, report: ready(tried) },
      { type: 'policing/backToSaved' },
    );
    expect(early.report).toEqual({ kind: 'idle' });
  });

  it('lists the villages a what-if adds and removes, farthest first, in the list’s scope', () => {
    const state: PolicingState = { ...start, whatIf: tried.settings, report: ready(tried) };
    const changes = whatIfChanges(state)!;
    expect(changes.savedSettings).toEqual({ maxDriveMinutes: 60, maxBusWalkMetres: 1000 });
    expect(changes.added.map((v) => v.code)).toEqual(['C', 'B']);
    expect(changes.removed).toEqual([]);
    // The other way round: 45 saved, 60 tried.
    const reverse: PolicingState = { ...state, saved: ready(tried), whatIf: saved.settings, report: ready(saved) };
    expect(whatIfChanges(reverse)!.removed.map((v) => v.code)).toEqual(['C', 'B']);
    // One station chosen: its villages only.
    expect(whatIfChanges({ ...state, station: 'S1' })!.added.map((v) => v.code)).toEqual(['B']);
    // No what-if, or the saved report not there yet: nothing to compare.
    expect(whatIfChanges(start)).toBeNull();
    expect(whatIfChanges({ ...state, saved: { kind: 'loading' } })).toBeNull();
  });
});
