import { describe, expect, it } from 'vitest';
import { CLIMB_PENALTY, DESCENT_PENALTY, edgeTravelSeconds, HALF_SPEED_TURNING_DEG_PER_KM } from './costs.js';

const flat = { lengthMetres: 1000, speedKmh: 36, turningDegreesPerKm: 0, climbMetres: 0, descentMetres: 0 };

describe('edge travel times on mountain roads', () => {
  it('are length ÷ speed on a straight, flat road, the same both ways', () => {
    expect(edgeTravelSeconds(flat)).toEqual({ forwardSeconds: 100, backwardSeconds: 100 });
    expect(edgeTravelSeconds({ ...flat, turningDegreesPerKm: null, climbMetres: null, descentMetres: null })).toEqual({
      forwardSeconds: 100,
      backwardSeconds: 100,
    });
  });

  it('are doubled by bends of the half-speed turning', () => {
    const winding = edgeTravelSeconds({ ...flat, turningDegreesPerKm: HALF_SPEED_TURNING_DEG_PER_KM });
    expect(winding.forwardSeconds).toBeCloseTo(200, 9);
    expect(winding.backwardSeconds).toBeCloseTo(200, 9);
  });

  it('slow the climb more than the descent, and steep descents a little', () => {
    // 80 m up over 1 km (8%) from source to target.
    const hill = edgeTravelSeconds({ ...flat, climbMetres: 80, descentMetres: 0 });
    expect(hill.forwardSeconds).toBeCloseTo(100 * (1 + CLIMB_PENALTY * 0.08), 9);
    expect(hill.backwardSeconds).toBeCloseTo(100 * (1 + DESCENT_PENALTY * (0.08 - 0.03)), 9);
    expect(hill.forwardSeconds).toBeGreaterThan(hill.backwardSeconds);
    // A gentle 2% descent costs nothing extra.
    expect(edgeTravelSeconds({ ...flat, climbMetres: 0, descentMetres: 20 }).forwardSeconds).toBeCloseTo(100, 9);
  });

  it('make a winding mountain trip far slower than the map distance suggests', () => {
    // A village road: 25 km/h base, 500°/km of bends, 6% average climb.
    const village = edgeTravelSeconds({
      lengthMetres: 5000,
      speedKmh: 25,
      turningDegreesPerKm: 500,
      climbMetres: 300,
      descentMetres: 0,
    });
    const naive = 5000 / (25 / 3.6);
    expect(village.forwardSeconds / naive).toBeGreaterThan(2.5);
  });

  it('refuse a road without a speed', () => {
    expect(() => edgeTravelSeconds({ ...flat, speedKmh: 0 })).toThrow(RangeError);
    expect(edgeTravelSeconds({ ...flat, lengthMetres: 0 })).toEqual({ forwardSeconds: 0, backwardSeconds: 0 });
  });
});
