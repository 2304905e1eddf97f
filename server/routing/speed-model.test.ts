import { describe, expect, it } from 'vitest';
import { ROAD_CLASS_SPEED_KMH } from '../county/generate/index.js';
import {
  administrativeClassOf,
  designSpeedKmh,
  edgeDriveSeconds,
  edgeProfile,
  profileDriveSeconds,
  SPEED_MODEL,
  type SpeedModelEdge,
  technicalGradeOf,
} from './speed-model.js';

/*
 * Golden cases, worked by hand with the model's constants: design speed 60 km/h = 16.667 m/s
 * (v² = 277.8), acceleration 1 m/s², braking 2 m/s², g·(e + f) = 9.81 × 0.22 = 2.158 m/s²,
 * climbing power 15 W/kg, rolling resistance 0.015. Braking from v to u takes (v² − u²)/(2·2) m
 * and (v − u)/2 s; speeding up from u to v takes (v² − u²)/2 m and (v − u) s.
 */

const FREE_ENDS = { sourceEndKmh: Infinity, targetEndKmh: Infinity };

function lengthOf(points: readonly (readonly [number, number])[]): number {
  let metres = 0;
  for (let i = 1; i < points.length; i++) {
    metres += Math.hypot(points[i]![0] - points[i - 1]![0], points[i]![1] - points[i - 1]![1]);
  }
  return metres;
}

function road(points: readonly (readonly [number, number])[], extra: Partial<SpeedModelEdge> = {}): SpeedModelEdge {
  return { xy: points.flat(), lengthMetres: lengthOf(points), designSpeedKmh: 60, ...FREE_ENDS, ...extra };
}

/** A circular arc from angle a0 to a1 (radians) around (cx, cy), a vertex every 5°. */
function arc(cx: number, cy: number, radius: number, a0: number, a1: number): [number, number][] {
  const steps = Math.max(1, Math.round(Math.abs(a1 - a0) / ((5 * Math.PI) / 180)));
  return Array.from({ length: steps + 1 }, (_, i) => {
    const a = a0 + ((a1 - a0) * i) / steps;
    return [cx + radius * Math.cos(a), cy + radius * Math.sin(a)];
  });
}

/** 1 km due east with a vertex every 5 m. */
const straightVertices = Array.from({ length: 201 }, (_, i): [number, number] => [5 * i, 0]);

describe('the speed model', () => {
  it('drives a straight, level road at its design speed: 1000 m / 16.667 m/s = 60 s', () => {
    const times = edgeDriveSeconds(
      road([
        [0, 0],
        [1000, 0],
      ]),
    );
    expect(times.forwardSeconds).toBeCloseTo(60, 6);
    expect(times.backwardSeconds).toBeCloseTo(60, 6);
  });

  it('starts and stops at dead ends: 72.5 s for the same kilometre', () => {
    // Speeding up 0 → 16.667: 138.9 m, 16.667 s; braking to 0: 69.4 m, 8.333 s; the other
    // 791.7 m at 16.667 m/s: 47.5 s. 16.667 + 8.333 + 47.5 = 72.5 s.
    const times = edgeDriveSeconds(
      road(
        [
          [0, 0],
          [1000, 0],
        ],
        { sourceEndKmh: 0, targetEndKmh: 0 },
      ),
    );
    expect(times.forwardSeconds).toBeCloseTo(72.5, 1);
  });

  it('slows for a junction at one end: 1000 m with a 30 km/h end takes 63.1 s', () => {
    // Braking 16.667 → 8.333 m/s: (277.8 − 69.4)/4 = 52.1 m in 4.167 s; the other 947.9 m at
    // 16.667 m/s: 56.875 s. 4.167 + 56.875 = 61.04 s. Backward (speeding up from the junction):
    // (277.8 − 69.4)/2 = 104.2 m in 8.333 s, 895.8 m in 53.75 s: 62.08 s.
    const times = edgeDriveSeconds(
      road(
        [
          [0, 0],
          [1000, 0],
        ],
        { targetEndKmh: 30 },
      ),
    );
    expect(times.forwardSeconds).toBeCloseTo(61.04, 1);
    expect(times.backwardSeconds).toBeCloseTo(62.08, 1);
  });

  it('does not slow a straight road for digitising noise (±2 m every 5 m: thousands of °/km of raw turning)', () => {
    // The worst noise: every vertex 2 m off the line, alternately left and right. Averaged over
    // ±10 m it is ±0.4 m; over a ±25 m chord that reads as R ≈ 50² / (8 × 0.8) ≈ 390 m, above
    // the 129 m at which a bend would slow 60 km/h (277.8 / 2.158). The car drives the smoothed
    // line, not the 1,281 m of zigzag, so 60 s as the straight road (within 0.05 s: what is left
    // of the wiggle after smoothing lengthens it by a few hundredths of a percent).
    const zigzag = straightVertices.map(([x], i): [number, number] => [x, i === 0 || i === 200 ? 0 : i % 2 ? 2 : -2]);
    expect(edgeDriveSeconds(road(zigzag)).forwardSeconds).toBeCloseTo(60, 1);
    // Seeded random noise of up to ±2 m: within 0.5 % (its smoothed remains read as the odd
    // gentle bend of a few hundred metres' radius).
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const noisy = straightVertices.map(([x], i): [number, number] => [
      x,
      i === 0 || i === 200 ? 0 : (2 * random() - 1) * 2,
    ]);
    const noisySeconds = edgeDriveSeconds(road(noisy)).forwardSeconds;
    expect(noisySeconds).toBeGreaterThanOrEqual(60);
    expect(noisySeconds).toBeLessThan(60.3);
  });

  it('brakes for a hairpin and speeds up after it: between 44.3 and 49.7 s', () => {
    // 300 m straight, a 180° bend of R = 15 m (47.1 m of arc), 300 m straight back: 647.1 m.
    // Curve speed √(2.158 × 15) = 5.690 m/s (20.5 km/h). Braking 16.667 → 5.690: 61.35 m,
    // 5.488 s; speeding up after: 122.7 m, 10.977 s.
    // Held at 5.690 m/s over the whole arc (8.28 s), the rest 415.9 m at 16.667 m/s (24.96 s):
    // 5.488 + 8.28 + 10.977 + 24.96 = 49.7 s. Slowed only at the apex: 463.1 m at 16.667 m/s
    // (27.78 s) + 5.488 + 10.977 = 44.25 s. The ±25 m chord reads the arc's ends wider than
    // 15 m, so the model lies between.
    const hairpin = [
      [-300, -15] as [number, number],
      ...arc(0, 0, 15, -Math.PI / 2, Math.PI / 2),
      [-300, 15] as [number, number],
    ];
    const times = edgeDriveSeconds(road(hairpin));
    expect(times.forwardSeconds).toBeGreaterThan(44.25);
    expect(times.forwardSeconds).toBeLessThan(49.7);
    expect(times.backwardSeconds).toBeCloseTo(times.forwardSeconds, 9);
    // Without the hairpin the same length takes 647.1 / 16.667 = 38.8 s.
  });

  it('holds a chain of S-bends near its curve speed: between 60.8 and 67.1 s', () => {
    // 200 m straight, six 90° bends of R = 40 m turning left and right in turn (62.8 m each,
    // 377 m), 200 m straight: 777 m. Curve speed √(2.158 × 40) = 9.29 m/s (33.4 km/h).
    // Braking 16.667 → 9.29: 47.9 m, 3.69 s; speeding up after: 95.7 m, 7.38 s.
    // Upper bound, held at 9.29 m/s through all six (40.6 s): 3.69 + 40.6 + 7.38 + 256.4 m at
    // 16.667 (15.38 s) = 67.05 s.
    // Lower bound from what the ±25 m chord sees: only the middle 12.8 m of each bend reads
    // R = 40 (76.8 m, 8.27 s); across each of the 5 gaps of 50 m between them the car may speed
    // up to 12.37 m/s and brake back (33.3 m + 16.7 m: 3.08 + 1.54 = 4.62 s, ×5 = 23.1 s); the
    // 225 m before the first middle: 177.1 m at 16.667 + braking = 14.32 s; the 225 m after the
    // last: 7.38 s + 129.3 m at 16.667 = 15.14 s. 8.27 + 23.1 + 14.32 + 15.14 = 60.83 s.
    const points: [number, number][] = [
      [0, 0],
      [200, 0],
    ];
    let heading = 0;
    for (let bend = 0; bend < 6; bend++) {
      const side = bend % 2 === 0 ? 1 : -1;
      const [x, y] = points[points.length - 1]!;
      const cx = x - side * 40 * Math.sin(heading);
      const cy = y + side * 40 * Math.cos(heading);
      const a0 = Math.atan2(y - cy, x - cx);
      points.push(...arc(cx, cy, 40, a0, a0 + (side * Math.PI) / 2).slice(1));
      heading += (side * Math.PI) / 2;
    }
    const [x, y] = points[points.length - 1]!;
    points.push([x + 200 * Math.cos(heading), y + 200 * Math.sin(heading)]);
    const seconds = edgeDriveSeconds(road(points)).forwardSeconds;
    expect(seconds).toBeGreaterThan(60.83);
    expect(seconds).toBeLessThan(67.05);
  });

  it('reads a bend drawn with few vertices as the bend, not as sharp corners: 28.3–32.5 s', () => {
    // Three quarters of a circle of R = 100 m (471.2 m of road) drawn with a vertex every 45°
    // (76.5 m segments), as a coarse digitiser or a simplified line does. Each vertex stands for
    // a bend of 76.5 m / 0.785 rad = 97.4 m: curve speed √(2.158 × 97.4) = 14.50 m/s, held all
    // round 471.2 / 14.50 = 32.5 s. Mid-segment, away from any vertex, the line is straight and
    // the car may speed up: at best to 16.667 m/s everywhere, 28.3 s. Read on the corners alone
    // (R ≈ 25 / (2 sin 22.5°) = 33 m, 8.4 m/s) it would be far slower.
    const coarse = arc(0, 0, 100, -Math.PI / 2, Math.PI).filter((_, i) => i % 9 === 0);
    expect(coarse).toHaveLength(7);
    const seconds = edgeDriveSeconds(road(coarse, { lengthMetres: 1.5 * Math.PI * 100 })).forwardSeconds;
    expect(seconds).toBeGreaterThan(28.3);
    expect(seconds).toBeLessThan(32.5);
  });

  it('slows a steep climb to what the engine holds, and not a gentle one', () => {
    // 1 km at 12 %: 15 / (9.81 × (0.12 + 0.015)) = 11.326 m/s (40.8 km/h): 88.29 s up; down as
    // level, 60 s.
    const elevations = straightVertices.map(([x]) => 0.12 * x);
    const climb = edgeDriveSeconds(road(straightVertices, { vertexElevationsMetres: elevations }));
    expect(climb.forwardSeconds).toBeCloseTo(88.29, 2);
    expect(climb.backwardSeconds).toBeCloseTo(60, 6);
    // The same from the edge's totals alone.
    const totals = edgeDriveSeconds(
      road(
        [
          [0, 0],
          [1000, 0],
        ],
        { climbMetres: 120, descentMetres: 0 },
      ),
    );
    expect(totals.forwardSeconds).toBeCloseTo(88.29, 2);
    // Half up and half down at 12 %: the harmonic mean, 500 m at 11.326 + 500 m at 16.667 = 74.15 s.
    const upAndDown = edgeDriveSeconds(
      road(
        [
          [0, 0],
          [1000, 0],
        ],
        { climbMetres: 60, descentMetres: 60 },
      ),
    );
    expect(upAndDown.forwardSeconds).toBeCloseTo(74.15, 1);
    expect(upAndDown.backwardSeconds).toBeCloseTo(74.15, 1);
    // 5 % holds 15 / (9.81 × 0.065) = 23.5 m/s, above the design speed: no slower.
    expect(
      edgeDriveSeconds(
        road(
          [
            [0, 0],
            [1000, 0],
          ],
          { climbMetres: 50 },
        ),
      ).forwardSeconds,
    ).toBeCloseTo(60, 6);
    // A bridge or tunnel is level.
    const bridge = edgeDriveSeconds(
      road(straightVertices, { vertexElevationsMetres: elevations, structure: 'bridge' }),
    );
    expect(bridge.forwardSeconds).toBeCloseTo(60, 6);
  });

  it('drives a settlement at 30 km/h: 1000 m in 120 s', () => {
    expect(
      edgeDriveSeconds(
        road(
          [
            [0, 0],
            [1000, 0],
          ],
          { inSettlement: true },
        ),
      ).forwardSeconds,
    ).toBeCloseTo(120, 6);
  });

  it('takes design speeds from JTG B01 grades, administrative classes and the demo classes', () => {
    expect(technicalGradeOf('二级公路')).toBe('class2');
    expect(technicalGradeOf('等外公路')).toBe('substandard');
    expect(technicalGradeOf('高速公路')).toBe('expressway');
    expect(technicalGradeOf('泥路')).toBeNull();
    expect(administrativeClassOf('X101')).toBe('X');
    expect(administrativeClassOf('乡道')).toBe('Y');
    expect(designSpeedKmh({ technicalGrade: 'class3', administrativeClass: 'G' })).toBe(40);
    expect(designSpeedKmh({ administrativeClass: 'G' })).toBe(60);
    expect(designSpeedKmh({ administrativeClass: 'C' })).toBe(30);
    expect(designSpeedKmh({ roadClass: 'county' })).toBe(60);
    expect(designSpeedKmh({ roadClass: 'village' })).toBe(30);
    expect(designSpeedKmh({})).toBeNull();
    // The demo generator writes these as its roads' speed_kmh.
    for (const roadClass of ['county', 'township', 'village'] as const) {
      expect(ROAD_CLASS_SPEED_KMH[roadClass]).toBe(designSpeedKmh({ roadClass }));
    }
  });

  it('refuses an edge without a speed or a line, and takes no time on none', () => {
    expect(() =>
      edgeDriveSeconds(
        road(
          [
            [0, 0],
            [1000, 0],
          ],
          { designSpeedKmh: 0 },
        ),
      ),
    ).toThrow(RangeError);
    expect(() =>
      edgeDriveSeconds({
        ...road([
          [0, 0],
          [1000, 0],
        ]),
        xy: [0, 0],
      }),
    ).toThrow(RangeError);
    expect(
      edgeDriveSeconds({
        ...road([
          [0, 0],
          [1000, 0],
        ]),
        lengthMetres: 0,
      }),
    ).toEqual({
      forwardSeconds: 0,
      backwardSeconds: 0,
    });
    expect(SPEED_MODEL.sideFriction).toBe(0.22);
  });

  it('times a profile measured once under any constants as the model run afresh', () => {
    const straight = road([
      [0, 0],
      [1000, 0],
    ]);
    // Design speeds driven at half: 30 km/h on 1000 m is 120 s.
    expect(profileDriveSeconds(edgeProfile(straight), SPEED_MODEL, Infinity, Infinity, 0.5).forwardSeconds).toBeCloseTo(
      120,
      9,
    );
    const hairpin = road(
      [[-300, -15] as [number, number], ...arc(0, 0, 15, -Math.PI / 2, Math.PI / 2), [-300, 15] as [number, number]],
      { vertexElevationsMetres: null, climbMetres: 30, descentMetres: 10 },
    );
    const climb = road(
      Array.from({ length: 101 }, (_, i): [number, number] => [10 * i, 0]),
      { vertexElevationsMetres: Array.from({ length: 101 }, (_, i) => (i < 50 ? i : 100 - i) * 1.2) },
    );
    const other = { ...SPEED_MODEL, sideFriction: 0.3, climbingWattsPerKg: 9, junctionKmh: 18, settlementKmh: 25 };
    const profiles = [hairpin, climb, straight].map((edge) => ({ edge, profile: edgeProfile(edge) }));
    // Each profile is timed twice, after the others (the passes share scratch arrays).
    for (const round of [0, 1]) {
      for (const { edge, profile } of profiles) {
        for (const [constants, factor] of [
          [SPEED_MODEL, 1],
          [other, 0.85],
        ] as const) {
          const fresh = edgeDriveSeconds(
            { ...edge, designSpeedKmh: edge.designSpeedKmh * factor, sourceEndKmh: 0, targetEndKmh: 18 },
            constants,
          );
          expect(profileDriveSeconds(profile, constants, 0, 18, factor), `round ${round}`).toEqual(fresh);
        }
      }
    }
    // A profile is only valid for the sampling it was measured with.
    expect(() => profileDriveSeconds(edgeProfile(straight), { ...SPEED_MODEL, sampleMetres: 10 }, 0, 0)).toThrow(
      RangeError,
    );
  });
});
