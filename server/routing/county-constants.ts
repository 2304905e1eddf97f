import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { DEFAULT_CONSTANTS, drivingOf, PRIOR_RATIO_RANGE, type CalibratedConstants } from './calibration.js';
import { activeCalibrations, type StoredCalibration } from './calibration-repository.js';
import type { Driving } from './speed-model.js';

/** Which constants a county's drive times use, for every list that shows them. */
export interface ConstantsInUse {
  /** The calibration's id, or null for the model's default constants. */
  calibrationId: number | null;
  /** 'default', or 'calibration <id> of <date>'. */
  label: string;
  /** When the calibration was fitted and when it was applied (null for the default). */
  calibratedAt: string | null;
  appliedAt: string | null;
  constants: CalibratedConstants;
  /** The drive's range as ratios of the model's time (observed / model, 10th and 90th percentile). */
  ratioLow: number;
  ratioHigh: number;
  /** Where the range comes from: the calibration's held-out trips, or the documented prior. */
  rangeSource: 'held-out trips' | 'prior ±25 %';
}

/** The constants a county uses without a calibration. */
export const DEFAULT_IN_USE: Readonly<ConstantsInUse> = Object.freeze({
  calibrationId: null,
  label: 'default',
  calibratedAt: null,
  appliedAt: null,
  constants: DEFAULT_CONSTANTS,
  ratioLow: PRIOR_RATIO_RANGE.low,
  ratioHigh: PRIOR_RATIO_RANGE.high,
  rangeSource: 'prior ±25 %',
});

/** A stored calibration as the constants a county uses. */
export function calibrationInUse(calibration: StoredCalibration): ConstantsInUse {
  return {
    calibrationId: calibration.id,
    label: `calibration ${calibration.id} of ${calibration.createdAt.slice(0, 10)}`,
    calibratedAt: calibration.createdAt,
    appliedAt: calibration.appliedAt,
    constants: calibration.constants,
    ratioLow: calibration.metrics.ratioP10,
    ratioHigh: calibration.metrics.ratioP90,
    rangeSource: 'held-out trips',
  };
}

/**
 * The constants of every county with an active calibration (the others use the default), with
 * their driving for the network's costing and a signature that changes whenever a county's
 * calibration does (for caches).
 */
export async function countyConstants(db: Kysely<DB>): Promise<{
  signature: string;
  inUse: Map<string, ConstantsInUse>;
  drivingByCounty: Map<string, Driving>;
}> {
  const active = [...(await activeCalibrations(db)).values()].sort((a, b) => a.id - b.id);
  return {
    signature: active.map((c) => `${c.countyCode}:${c.id}`).join(','),
    inUse: new Map(active.map((c) => [c.countyCode, calibrationInUse(c)])),
    drivingByCounty: new Map(active.map((c) => [c.countyCode, drivingOf(c.constants)])),
  };
}
