import { describe, expect, it } from 'vitest';
import { localProjection, localProjectionForPoints, projectX, projectY, unproject } from './projection.js';

describe('local equirectangular projection', () => {
  it('has the WGS84 length of a degree at the centre latitude', () => {
    // Series for 27.5° N: 111132.92 − 559.82 cos 2φ + 1.175 cos 4φ = 110811.42 m per degree of
    // latitude; 111412.84 cos φ − 93.5 cos 3φ + 0.118 cos 5φ = 98812.10 m per degree of longitude.
    const projection = localProjection(119.7, 27.5);
    expect(projection.metresPerDegreeLat).toBeCloseTo(110811.42, 0);
    expect(projection.metresPerDegreeLon).toBeCloseTo(98812.1, 0);
  });

  it('centres on the bounding box and round-trips', () => {
    const projection = localProjectionForPoints([119.6, 120.0, 119.8], [27.3, 27.5, 27.8]);
    expect(projection.lon0Deg).toBeCloseTo(119.8, 12);
    expect(projection.lat0Deg).toBeCloseTo(27.55, 12);
    const x = projectX(projection, 119.95);
    const y = projectY(projection, 27.4);
    const [lon, lat] = unproject(projection, x, y);
    expect(lon).toBeCloseTo(119.95, 12);
    expect(lat).toBeCloseTo(27.4, 12);
    expect(projectX(projection, 119.8)).toBe(0);
  });
});
