import { describe, expect, it } from 'vitest';
import type { LonLat } from './crs.js';
import { checkGeometry } from './geometry.js';

const same = (p: LonLat): LonLat => p;
const square = [
  [
    [119.6, 27.5],
    [119.7, 27.5],
    [119.7, 27.6],
    [119.6, 27.5],
  ],
];

describe('checkGeometry', () => {
  it('accepts a geometry of the layer, dropping heights and converting positions', () => {
    const shift = ([lon, lat]: LonLat): LonLat => [lon + 1, lat];
    expect(checkGeometry({ type: 'Point', coordinates: [119.6, 27.5, 300] }, 'point', shift)).toEqual({
      geometry: { type: 'Point', coordinates: [120.6, 27.5] },
      problems: [],
    });
    expect(checkGeometry({ type: 'Polygon', coordinates: square }, 'polygon', same).problems).toEqual([]);
  });

  it('reports a position out of range and a wrong type together', () => {
    expect(checkGeometry({ type: 'Point', coordinates: [200, 27.5] }, 'polygon', same)).toEqual({
      geometry: null,
      problems: [
        'coordinates out of range: longitude 200 is not between -180 and 180',
        'wrong geometry type: expected Polygon or MultiPolygon, got Point',
      ],
    });
    expect(checkGeometry({ type: 'Point', coordinates: [119, -91] }, 'point', same).problems).toEqual([
      'coordinates out of range: latitude -91 is not between -90 and 90',
    ]);
  });

  it('names missing, malformed and unknown geometries', () => {
    expect(checkGeometry(null, 'point', same).problems).toEqual(['missing geometry; expected Point']);
    expect(checkGeometry('POINT(1 2)', 'point', same).problems).toEqual(['not a GeoJSON geometry']);
    expect(checkGeometry({ type: 'Circle', coordinates: [1, 2] }, 'point', same).problems).toEqual([
      'unknown geometry type "Circle"',
    ]);
    expect(checkGeometry({ type: 'Point', coordinates: ['119', 27] }, 'point', same).problems).toEqual([
      'malformed coordinates: each position must be [longitude, latitude] in numbers',
    ]);
    expect(checkGeometry({ type: 'GeometryCollection', geometries: [] }, 'line', same).problems).toEqual([
      'wrong geometry type: expected LineString or MultiLineString, got GeometryCollection',
    ]);
  });

  it('refuses open or short rings, empty geometries and zero-length lines', () => {
    const open = [square[0]!.slice(0, 3).concat([[119.6, 27.6]])];
    expect(checkGeometry({ type: 'Polygon', coordinates: open }, 'polygon', same).problems).toEqual([
      'a polygon ring is not closed (its first and last positions differ)',
    ]);
    expect(checkGeometry({ type: 'Polygon', coordinates: [square[0]!.slice(1)] }, 'polygon', same).problems).toEqual([
      'a polygon ring has fewer than 4 positions',
    ]);
    expect(checkGeometry({ type: 'MultiPolygon', coordinates: [] }, 'polygon', same).problems).toEqual([
      'the geometry is empty',
    ]);
    const zero = [
      [119.6, 27.5],
      [119.6, 27.5],
    ];
    expect(checkGeometry({ type: 'LineString', coordinates: zero }, 'line', same).problems).toEqual([
      'a line has fewer than 2 distinct positions',
    ]);
  });
});
