import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../test/deep-freeze.js';
import {
  calibrate,
  DEFAULT_CONSTANTS,
  drivingOf,
  fitConstants,
  modelTripSeconds,
  nelderMead,
  recostNetwork,
  seededOrder,
  type CalibratedConstants,
  type CalibrationTrip,
} from './calibration.js';
import { attachToRoad, buildRoadNetwork, costNetwork, prepareRoadNetwork, type RoadEdgeRecord } from './network.js';

// A 4 × 4 grid of villages 1.2 km apart (so 24 roads and 9 independent loops): the east–west roads
// are straight 60 km/h roads, the north–south roads 40 km/h roads winding with 25 m bends (the
// bends bind, so side friction shows), and the top row climbs 10 % eastwards (climbing shows).
// Every inner node is a junction of equals (the junction speed shows).
const LAT = 27.5;
const M_LON = 1 / (111_320 * Math.cos((LAT * Math.PI) / 180));
const M_LAT = 1 / 110_574;
const SPACING = 1200;
const at = (x: number, y: number): [number, number] => [120 + x * M_LON, LAT + y * M_LAT];
const node = (i: number, j: number) => 1 + i + 4 * j;

function gridRecords(): RoadEdgeRecord[] {
  const records: RoadEdgeRecord[] = [];
  for (let j = 0; j < 4; j++) {
    for (let i = 0; i < 3; i++) {
      records.push({
        id: records.length + 1,
        source: node(i, j),
        target: node(i + 1, j),
        speedKmh: 60,
        lengthMetres: SPACING,
        climbMetres: null,
        descentMetres: null,
        coordinates: [at(i * SPACING, j * SPACING), at((i + 1) * SPACING, j * SPACING)],
        vertexElevationsMetres: j === 3 ? [i * 0.1 * SPACING, (i + 1) * 0.1 * SPACING] : null,
      });
    }
  }
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 3; j++) {
      // A sine line of amplitude 40 m and wavelength 200 m: radius λ²/(4π²A) ≈ 25 m at its crests,
      // taken at √(9.81 × 0.22 × 25) = 7.3 m/s under the default side friction.
      const coordinates: [number, number][] = [];
      const elevations: number[] = [];
      let length = 0;
      let previous: [number, number] | null = null;
      for (let k = 0; k <= 240; k++) {
        const y = (k / 240) * SPACING;
        const x = i * SPACING + 40 * Math.sin((2 * Math.PI * y) / 200);
        if (previous) length += Math.hypot(x - previous[0], y - previous[1]);
        previous = [x, y];
        coordinates.push(at(x, j * SPACING + y));
        elevations.push(0);
      }
      records.push({
        id: records.length + 1,
        source: node(i, j),
        target: node(i, j + 1),
        speedKmh: 40,
        lengthMetres: length,
        climbMetres: null,
        descentMetres: null,
        coordinates,
        vertexElevationsMetres: elevations,
      });
    }
  }
  return records;
}

const records = deepFreeze(gridRecords());
const network = buildRoadNetwork(records);
const prepared = prepareRoadNetwork(records);
const TRUTH: CalibratedConstants = { speedFactor: 0.85, sideFriction: 0.3, junctionKmh: 18, climbingWattsPerKg: 11 };

/** Every ordered pair of distinct grid nodes as a trip, timed under `truth` with lognormal noise of `sigma`. */
function trips(truth: CalibratedConstants, sigma: number, seed: number): CalibrationTrip[] {
  const points = Array.from({ length: 16 }, (_, n) =>
    attachToRoad(network, ...at((n % 4) * SPACING + 1, Math.floor(n / 4) * SPACING + 1)),
  );
  const list: CalibrationTrip[] = [];
  for (let a = 0; a < 16; a++) {
    for (let b = 0; b < 16; b++) if (a !== b) list.push({ from: points[a]!, to: points[b]!, observedSeconds: 1 });
  }
  const truthSeconds = modelTripSeconds(recostNetwork(prepared, truth), list);
  const order = seededOrder(2 * list.length, seed);
  return list.map((trip, k) => {
    // Box–Muller from two deterministic uniforms.
    const u1 = (order[2 * k]! + 0.5) / order.length;
    const u2 = (order[2 * k + 1]! + 0.5) / order.length;
    const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return { ...trip, observedSeconds: truthSeconds[k]! * Math.exp(sigma * normal) };
  });
}

describe('calibration of the speed model', () => {
  it('re-costs edges exactly as the network does, the default constants and each county its own', () => {
    const recosted = recostNetwork(prepared, DEFAULT_CONSTANTS);
    expect(Array.from(recosted.forwardSeconds)).toEqual(Array.from(network.forwardSeconds));
    expect(Array.from(recosted.backwardSeconds)).toEqual(Array.from(network.backwardSeconds));
    expect(Array.from(recosted.drive.arcSeconds)).toEqual(Array.from(network.drive.arcSeconds));

    // The east–west roads are county A's, calibrated to TRUTH; the winding north–south ones B's, on the default.
    const counties = records.map((r) => ({ ...r, countyCode: r.speedKmh === 60 ? 'A' : 'B' }));
    const both = buildRoadNetwork(counties, { drivingByCounty: new Map([['A', drivingOf(TRUTH)]]) });
    const truth = buildRoadNetwork(records, { driving: drivingOf(TRUTH) });
    counties.forEach((r, e) => {
      const expected = r.countyCode === 'A' ? truth : network;
      expect([both.forwardSeconds[e], both.backwardSeconds[e]]).toEqual([
        expected.forwardSeconds[e],
        expected.backwardSeconds[e],
      ]);
    });
    // TRUTH drives slower everywhere, so A's edges did change.
    expect(truth.forwardSeconds[0]).toBeGreaterThan(network.forwardSeconds[0]! * 1.1);
    // The graph's arcs carry the same times as their edges.
    for (let arc = 0; arc < both.drive.arcEdge.length; arc++) {
      const e = both.drive.arcEdge[arc]!;
      expect([both.forwardSeconds[e], both.backwardSeconds[e]]).toContain(both.drive.arcSeconds[arc]);
    }
    expect(costNetwork(prepared).forwardSeconds).toEqual(network.forwardSeconds);
  });

  it('finds the minimum of a bowl with Nelder–Mead, inside its box', () => {
    const result = nelderMead((u) => (u[0]! - 0.3) ** 2 + 4 * (u[1]! - 0.7) ** 2, [0.9, 0.1], {
      maxEvaluations: 400,
      tolerance: 1e-6,
    });
    expect(result.point[0]).toBeCloseTo(0.3, 3);
    expect(result.point[1]).toBeCloseTo(0.7, 3);
    // A minimum outside the box ends on its wall.
    const walled = nelderMead((u) => (u[0]! - 1.5) ** 2, [0.2], { maxEvaluations: 200, tolerance: 1e-6 });
    expect(walled.point[0]).toBeCloseTo(1, 4);
  });

  it('recovers known constants from trips with 5 % noise, and predicts held-out trips within 5 %', () => {
    const observed = trips(TRUTH, 0.05, 7);
    const { constants, metrics } = calibrate(prepared, observed, { evaluationsPerRound: 80 });
    // The default constants are well off the truth; the fit is near it.
    expect(metrics.before.medianApe).toBeGreaterThan(0.1);
    expect(metrics.heldOut.medianApe).toBeLessThan(0.05);
    expect(metrics.inSample.medianApe).toBeLessThan(0.05);
    expect(constants.speedFactor).toBeGreaterThan(0.85 - 0.04);
    expect(constants.speedFactor).toBeLessThan(0.85 + 0.04);
    // Side friction is the least determined: a bend's time goes with √(e + f), and braking into and
    // out of it blurs that further: ±0.09 (±30 %, ±14 % in curve speed).
    expect(constants.sideFriction).toBeGreaterThan(0.3 - 0.09);
    expect(constants.sideFriction).toBeLessThan(0.3 + 0.09);
    expect(constants.junctionKmh).toBeGreaterThan(18 - 5);
    expect(constants.junctionKmh).toBeLessThan(18 + 5);
    expect(constants.climbingWattsPerKg).toBeGreaterThan(11 - 3);
    expect(constants.climbingWattsPerKg).toBeLessThan(11 + 3);
    // The ratio range covers the noise: about exp(±1.28 × 0.05).
    expect(metrics.ratioP10).toBeGreaterThan(0.88);
    expect(metrics.ratioP10).toBeLessThan(0.98);
    expect(metrics.ratioP90).toBeGreaterThan(1.02);
    expect(metrics.ratioP90).toBeLessThan(1.12);
  });

  it('gives no weight to 10 % gross outliers (trips logged 2–3 × too long)', () => {
    const observed = trips(TRUTH, 0.02, 11);
    const spoiled = observed.map((trip, k) =>
      k % 10 === 3 ? { ...trip, observedSeconds: trip.observedSeconds * (2 + (k % 7) / 7) } : trip,
    );
    const fit = fitConstants(prepared, spoiled, { evaluationsPerRound: 80 });
    const outliers = spoiled.flatMap((_, k) => (k % 10 === 3 ? [k] : []));
    for (const k of outliers) expect(fit.weights[k]).toBe(0);
    expect(Math.abs(fit.constants.speedFactor - 0.85)).toBeLessThan(0.04);
    expect(Math.abs(fit.constants.sideFriction - 0.3)).toBeLessThan(0.09);
    // The good trips are predicted as if the outliers were not there.
    const good = spoiled.flatMap((trip, k) =>
      k % 10 === 3 ? [] : [Math.abs(fit.modelSeconds[k]! / trip.observedSeconds - 1)],
    );
    good.sort((a, b) => a - b);
    expect(good[Math.floor(good.length / 2)]).toBeLessThan(0.03);
  });
});
