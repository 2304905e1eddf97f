import { cellToLatLng, getHexagonEdgeLengthAvg, gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { buildEventIndex, countByCell } from './event-index.js';
import {
  buildHexStudyArea,
  cellsCoveringPolygon,
  countHouseholdsPerCell,
  countsOnStudyArea,
  ratePerThousandHouseholds,
  resolutionForZoom,
  studyAreaCellMap,
} from './hex.js';

const centre = latLngToCell(27.556, 119.717, 8);

describe('resolution for zoom', () => {
  it('picks the resolution whose edge is closest to the on-screen target', () => {
    // Zoom 10 at 27.5° N: 40075016.686·cos 27.5°/(256·1024) = 135.6 m/px; 14 px → 1898 m edge.
    // Res 7 (1406 m, ratio 0.74) beats res 6 (3725 m, ratio 1.96).
    expect(getHexagonEdgeLengthAvg(7, 'm')).toBeCloseTo(1406.475763, 3);
    expect(resolutionForZoom(10, 27.5, [6, 7, 8, 9])).toBe(7);
    expect(resolutionForZoom(13, 27.5, [6, 7, 8, 9])).toBe(9);
    expect(resolutionForZoom(3, 27.5, [6, 7, 8, 9])).toBe(6);
    let previous = 0;
    for (let zoom = 0; zoom <= 20; zoom += 0.5) {
      const resolution = resolutionForZoom(zoom, 27.5, [6, 7, 8, 9]);
      expect(resolution).toBeGreaterThanOrEqual(previous);
      previous = resolution;
    }
    expect(() => resolutionForZoom(10, 27.5, [])).toThrow(RangeError);
  });
});

describe('study area', () => {
  it('links each cell to itself and its ring-1 neighbours inside the area', () => {
    const area = buildHexStudyArea(gridDisk(centre, 1));
    const sizes = area.cells.map((_, i) => area.neighbourStart[i + 1]! - area.neighbourStart[i]!);
    // Centre: 7; each ring cell: itself, the centre and its 2 ring neighbours = 4.
    expect(sizes).toEqual(area.cells.map((c) => (c === centre ? 7 : 4)));
    area.cells.forEach((_, i) => expect(area.neighbourCells[area.neighbourStart[i]!]).toBe(i));
    expect(() => buildHexStudyArea([centre, centre])).toThrow(RangeError);
    expect(() => buildHexStudyArea([centre, latLngToCell(27.556, 119.717, 7)])).toThrow(RangeError);
  });

  it('covers a polygon by cell centres', () => {
    // A ~3.3 km square around the centre cell at res 8 (~0.74 km² cells).
    const cells = cellsCoveringPolygon(
      [
        [
          [119.7, 27.54],
          [119.734, 27.54],
          [119.734, 27.57],
          [119.7, 27.57],
          [119.7, 27.54],
        ],
      ],
      8,
    );
    // Exactly the nearby cells whose centres lie inside the square.
    const expected = gridDisk(centre, 6).filter((cell) => {
      const [lat, lon] = cellToLatLng(cell);
      return lon > 119.7 && lon < 119.734 && lat > 27.54 && lat < 27.57;
    });
    expect(cells).toContain(centre);
    expect(new Set(cells)).toEqual(new Set(expected));
  });

  it('lays dictionary counts on the study area, dropping events outside it', () => {
    const inside = [27.556, 119.717] as const;
    const outside = [27.9, 120.3] as const;
    const index = buildEventIndex(
      {
        lonDeg: [inside[1], inside[1], outside[1]],
        latDeg: [inside[0], inside[0], outside[0]],
        occurredAtMs: [0, 0, 0],
        categoryCode: [0, 0, 0],
        villageIndex: [-1, -1, -1],
      },
      { resolutions: [8] },
    );
    const area = buildHexStudyArea(gridDisk(centre, 1));
    const counts = countByCell(index, { startDay: 0, endDay: 1, categoryMask: 1 }, 8);
    const onArea = countsOnStudyArea(counts, studyAreaCellMap(index, area));
    expect([...onArea]).toEqual(area.cells.map((c) => (c === centre ? 2 : 0)));
  });
});

describe('households', () => {
  it('counts household points per cell and gives rates per 1,000 households', () => {
    const lon = Object.freeze([119.717, 119.717, 119.7171, 120.3]);
    const lat = Object.freeze([27.556, 27.556, 27.5561, 27.9]);
    const households = countHouseholdsPerCell(lon, lat, 8);
    expect(households).toEqual(
      new Map([
        [centre, 3],
        [latLngToCell(27.9, 120.3, 8), 1],
      ]),
    );
    const cells = [centre, latLngToCell(27.9, 120.3, 8), 'ffffff'];
    expect([...ratePerThousandHouseholds(cells, [6, 0, 4], households)]).toEqual([2000, 0, NaN]);
    expect([...ratePerThousandHouseholds(cells, [6, 0, 4], households, 2)]).toEqual([2000, NaN, NaN]);
  });
});
