import { describe, expect, it } from 'vitest';
import { decodeText, detectFormat, FileReadError, parseFile, parseGeoJson, parsePointCsv } from './parse.js';

describe('reading a file', () => {
  it('tells CSV from GeoJSON by media type, then extension, then content', () => {
    expect(detectFormat('{}', { contentType: 'text/csv; charset=utf-8' })).toBe('csv');
    expect(detectFormat('a,b', { contentType: 'application/geo+json' })).toBe('geojson');
    expect(detectFormat('{}', { fileName: 'HOUSEHOLDS.CSV' })).toBe('csv');
    expect(detectFormat('  {"type":', { fileName: 'data.txt' })).toBe('geojson');
    expect(detectFormat('code,lon,lat')).toBe('csv');
  });

  it('refuses text that is not UTF-8 (a GBK spreadsheet export)', () => {
    const gbk = Uint8Array.from([0xbb, 0xa7, 0xba, 0xc5]); // 户号 in GBK
    expect(() => decodeText(gbk)).toThrow(FileReadError);
    expect(() => decodeText(gbk)).toThrow(/not UTF-8/);
  });

  it('reads a point CSV with Chinese coordinate headers, reporting bad coordinates by row', () => {
    const parsed = parsePointCsv('\ufeff户号,经度,纬度\r\nH1,119.6,27.5\r\nH2,,27.5\r\nH3,abc,27.5\r\nH4,200,27.5\r\n');
    expect(parsed.features.map((f) => f.geometry)).toEqual([
      { type: 'Point', coordinates: [119.6, 27.5] },
      null,
      null,
      null,
    ]);
    expect(parsed.features[0]!.properties).toEqual({ 户号: 'H1' });
    expect(parsed.problems.items).toEqual([
      { index: 1, field: 'lon', reason: 'missing; expected a longitude in decimal degrees', severity: 'error' },
      { index: 2, field: 'lon', reason: 'expected a longitude in decimal degrees, got "abc"', severity: 'error' },
      {
        index: 3,
        field: 'lon',
        reason: 'coordinates out of range: longitude 200 is not between -180 and 180',
        severity: 'error',
      },
    ]);
  });

  it('refuses a CSV without coordinate columns, and a JSON file that is not a FeatureCollection', () => {
    expect(() => parsePointCsv('code,a,b\n1,2,3\n')).toThrow(
      'the CSV has no longitude column (lon, lng, long, longitude, 经度)',
    );
    expect(() => parseGeoJson('{"type":"Feature"}')).toThrow(/expected a GeoJSON FeatureCollection/);
    expect(() => parseGeoJson('{"type":')).toThrow(/not valid JSON/);
  });

  it('reads the crs member of a GeoJSON file and flags items that are not features', () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'EPSG:4490' } },
      features: [{ type: 'Feature', properties: null, geometry: null }, 7],
    });
    const parsed = parseFile(new TextEncoder().encode(text), { fileName: 'x.geojson' });
    expect(parsed.declaredCrs).toBe('cgcs2000');
    expect(parsed.features).toEqual([
      { index: 0, properties: {}, geometry: null },
      { index: 1, properties: {}, geometry: undefined },
    ]);
    expect(parsed.problems.items).toEqual([{ index: 1, reason: 'not a GeoJSON Feature', severity: 'error' }]);
  });
});
