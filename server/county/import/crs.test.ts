import { describe, expect, it } from 'vitest';
import {
  bd09ToGcj02,
  bd09ToWgs84,
  crsFromGeoJsonMember,
  gcj02ToBd09,
  gcj02ToWgs84,
  type LonLat,
  outsideChina,
  parseCrs,
  toWgs84,
  wgs84ToGcj02,
} from './crs.js';

// Published test pairs of the public GCJ-02 formula: [WGS84 lon, lat] → [GCJ-02 lon, lat].
const KNOWN_PAIRS: [LonLat, LonLat][] = [
  [
    [121.5272106, 31.1774276],
    [121.531541859215, 31.17530398364597],
  ], // Shanghai
  [
    [113.912316, 22.543847],
    [113.9171764808363, 22.540796131694766],
  ], // Shenzhen
  [
    [116.377817, 39.911954],
    [116.38404722455657, 39.91334545536069],
  ], // Beijing
];

const TAISHUN_SEAT: LonLat = [119.7196, 27.5569];

/** Ground distance in metres between two nearby points. */
function metresBetween([lon1, lat1]: LonLat, [lon2, lat2]: LonLat): number {
  const dx = (lon2 - lon1) * 111_320 * Math.cos((lat1 * Math.PI) / 180);
  const dy = (lat2 - lat1) * 110_574;
  return Math.hypot(dx, dy);
}

describe('GCJ-02', () => {
  it.each(KNOWN_PAIRS)('converts WGS84 %j forward to the published GCJ-02 %j', (wgs, gcj) => {
    const [lon, lat] = wgs84ToGcj02(wgs);
    expect(lon).toBeCloseTo(gcj[0], 9);
    expect(lat).toBeCloseTo(gcj[1], 9);
  });

  it.each(KNOWN_PAIRS)('converts GCJ-02 back to WGS84 %j within 1e-7°', (wgs, gcj) => {
    const [lon, lat] = gcj02ToWgs84(gcj);
    expect(Math.abs(lon - wgs[0])).toBeLessThan(1e-7);
    expect(Math.abs(lat - wgs[1])).toBeLessThan(1e-7);
  });

  it('shifts a point in Taishun by a few hundred metres, and the inverse brings it back', () => {
    const gcj = wgs84ToGcj02(TAISHUN_SEAT);
    const offset = metresBetween(TAISHUN_SEAT, gcj);
    expect(offset).toBeGreaterThan(400);
    expect(offset).toBeLessThan(700);
    const back = gcj02ToWgs84(gcj);
    expect(Math.abs(back[0] - TAISHUN_SEAT[0])).toBeLessThan(1e-7);
    expect(Math.abs(back[1] - TAISHUN_SEAT[1])).toBeLessThan(1e-7);
  });

  it('leaves points outside China unchanged', () => {
    expect(outsideChina([2.35, 48.85])).toBe(true);
    expect(wgs84ToGcj02([2.35, 48.85])).toEqual([2.35, 48.85]);
    expect(gcj02ToWgs84([2.35, 48.85])).toEqual([2.35, 48.85]);
  });
});

describe('the crs member of a GeoJSON file', () => {
  const named = (name: string) => ({ type: 'name', properties: { name } });
  it('names WGS84, CGCS2000 or GCJ-02, or a system we cannot take', () => {
    expect(crsFromGeoJsonMember(undefined)).toBeUndefined();
    expect(crsFromGeoJsonMember(named('urn:ogc:def:crs:OGC:1.3:CRS84'))).toBe('wgs84');
    expect(crsFromGeoJsonMember(named('EPSG:4326'))).toBe('wgs84');
    expect(crsFromGeoJsonMember(named('urn:ogc:def:crs:EPSG::4326'))).toBe('wgs84');
    expect(crsFromGeoJsonMember(named('urn:ogc:def:crs:EPSG::4490'))).toBe('cgcs2000');
    expect(crsFromGeoJsonMember(named('EPSG:4490'))).toBe('cgcs2000');
    expect(crsFromGeoJsonMember(named('GCJ-02'))).toBe('gcj02');
    expect(crsFromGeoJsonMember(named('gcj02'))).toBe('gcj02');
    expect(crsFromGeoJsonMember(named('urn:ogc:def:crs:EPSG::3857'))).toBe('EPSG:3857');
    expect(crsFromGeoJsonMember(named('urn:ogc:def:crs:EPSG::4549'))).toBe('EPSG:4549');
    expect(crsFromGeoJsonMember(named('BD-09'))).toBe('bd09');
    expect(crsFromGeoJsonMember(named('Gauss-Kruger'))).toBeNull();
    expect(crsFromGeoJsonMember({ type: 'link' })).toBeNull();
  });
});

describe('BD-09 (Baidu)', () => {
  it('converts the published example and comes back to GCJ-02 within 1e-7°', () => {
    // Baidu's own example: GCJ-02 (116.404, 39.915) is BD-09 (116.41036949, 39.92133699).
    const bd = gcj02ToBd09([116.404, 39.915]);
    expect(bd[0]).toBeCloseTo(116.41036949, 6);
    expect(bd[1]).toBeCloseTo(39.92133699, 6);
    for (const point of [
      [116.404, 39.915],
      [119.72, 27.56],
      [113.91, 22.54],
    ] as LonLat[]) {
      const back = bd09ToGcj02(gcj02ToBd09(point));
      expect(Math.abs(back[0] - point[0])).toBeLessThan(1e-7);
      expect(Math.abs(back[1] - point[1])).toBeLessThan(1e-7);
      const wgs = bd09ToWgs84(gcj02ToBd09(wgs84ToGcj02(point)));
      expect(Math.abs(wgs[0] - point[0])).toBeLessThan(1e-7);
      expect(Math.abs(wgs[1] - point[1])).toBeLessThan(1e-7);
    }
    expect(toWgs84('bd09')([119.72, 27.56])).toEqual(bd09ToWgs84([119.72, 27.56]));
  });
});

describe('a crs as written', () => {
  it('takes the names and EPSG codes, 4326 and 4490 by their names', () => {
    expect(parseCrs('GCJ-02')).toBe('gcj02');
    expect(parseCrs('bd09')).toBe('bd09');
    expect(parseCrs('EPSG:4549')).toBe('EPSG:4549');
    expect(parseCrs('epsg:4528')).toBe('EPSG:4528');
    expect(parseCrs('4326')).toBe('wgs84');
    expect(parseCrs('EPSG:4490')).toBe('cgcs2000');
    expect(parseCrs('mercator')).toBeNull();
  });
});
