import { describe, expect, it } from 'vitest';
import { parseCsvLine, readTaishunSources, townshipKind, villageKind } from './sources.js';

describe('the Taishun sources', () => {
  const sources = readTaishunSources();

  it('have the county, its 19 townships plus the nature reserve, and 290 villages with 17 communities', () => {
    expect(sources.code).toBe('330329');
    expect(sources.name).toBe('泰顺县');
    expect(sources.townships).toHaveLength(20);
    expect(sources.townships.filter((t) => t.kind === 'town')).toHaveLength(12);
    expect(sources.townships.filter((t) => t.kind === 'township')).toHaveLength(7);
    expect(sources.townships.find((t) => t.kind === 'reserve')?.name).toBe('乌岩岭自然保护区');
    expect(sources.villages).toHaveLength(290);
    expect(sources.villages.filter((v) => v.kind === 'community')).toHaveLength(17);
    expect(sources.villages.filter((v) => v.townshipCode === '330329100')).toHaveLength(70);
  });

  it('have unique 9- and 12-digit codes, every village under a known township', () => {
    const townshipCodes = new Set(sources.townships.map((t) => t.code));
    expect(townshipCodes.size).toBe(20);
    expect(new Set(sources.villages.map((v) => v.code)).size).toBe(290);
    for (const village of sources.villages) {
      expect(village.code).toMatch(/^330329\d{6}$/);
      expect(townshipCodes.has(village.townshipCode)).toBe(true);
      expect(village.code.startsWith(village.townshipCode)).toBe(true);
    }
  });

  it('have an outline around the county seat', () => {
    const ring = sources.outline.coordinates[0]![0]!;
    expect(ring.length).toBeGreaterThan(1000);
    const lons = ring.map((p) => p[0]!);
    const lats = ring.map((p) => p[1]!);
    expect(Math.min(...lons)).toBeCloseTo(119.63, 1);
    expect(Math.max(...lons)).toBeCloseTo(120.25, 1);
    expect(Math.min(...lats)).toBeCloseTo(27.3, 1);
    expect(Math.max(...lats)).toBeCloseTo(27.81, 1);
  });

  it('classify by code and name', () => {
    expect(townshipKind('330329101')).toBe('town');
    expect(townshipKind('330329225')).toBe('township');
    expect(townshipKind('330329400')).toBe('reserve');
    expect(villageKind('飞云湖居委会')).toBe('community');
    expect(villageKind('新北社区')).toBe('community');
    expect(villageKind('社区村')).toBe('village');
    expect(parseCsvLine('1,"a,""b""",c')).toEqual(['1', 'a,"b"', 'c']);
  });
});
