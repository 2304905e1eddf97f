import { describe, expect, it } from 'vitest';
import { readTaishunSources } from '../sources.js';
import { generateCounty, variantSources } from './index.js';

describe('scaled copies of the county (--scale)', () => {
  const sources = readTaishunSources();

  it('get their own codes and a shifted outline', () => {
    const copy = variantSources(sources, 3);
    expect(copy.code).toBe('339003');
    expect(copy.name).toBe('泰顺县（模拟3）');
    expect(copy.townships.every((t) => t.code.startsWith('339003'))).toBe(true);
    expect(copy.villages.every((v) => v.code.startsWith('339003') && v.townshipCode.startsWith('339003'))).toBe(true);
    expect(copy.outline.coordinates[0]![0]![0]![0]).toBeCloseTo(sources.outline.coordinates[0]![0]![0]![0]! + 2.4, 9);
    expect(variantSources(sources, 0)).toBe(sources);
  });

  it('generate a whole county of their own (coarse grid, for speed)', () => {
    const { model } = generateCounty(variantSources(sources, 2), {
      seed: 'variant-test',
      cellMetres: 200,
      eventsStart: new Date('2026-01-01T00:00:00+08:00'),
      eventsEnd: new Date('2026-02-01T00:00:00+08:00'),
    });
    expect(model.county.code).toBe('339002');
    expect(model.townships).toHaveLength(20);
    expect(model.villages).toHaveLength(290);
    expect(model.households.every((h) => h.code.startsWith('339002'))).toBe(true);
    // Shifted 1.6° east of Taishun.
    expect(model.townships[0]!.seat![0]).toBeGreaterThan(121);
  }, 120_000);
});
