import fs from 'node:fs';
import v8 from 'node:v8';
import { describe, expect, inject, it } from 'vitest';
import { demoPercent } from './demo.js';
import { modelCounts, modelHash } from './export-model.js';
import type { CountyModel } from './model.js';

const reference = JSON.parse(fs.readFileSync('gis-data/demo-county-summary.json', 'utf8')) as {
  counts: Record<string, number>;
  hash: string;
};

describe('the demo county', () => {
  const model = v8.deserialize(fs.readFileSync(inject('demoModelPath'))) as CountyModel;

  it('is byte-identical to the committed reference: one seed, one county, on every machine', () => {
    // After an intended change of the generator: `npm run cli -- generate --out /tmp/demo`, review,
    // and copy /tmp/demo/330329/summary.json to gis-data/demo-county-summary.json.
    expect(modelCounts(model)).toEqual(reference.counts);
    expect(modelHash(model)).toBe(reference.hash);
  });

  it('has villages without a bus stop, as mountain counties do, and most with one', () => {
    const served = new Set(model.busStops.map((s) => s.villageCode).filter(Boolean));
    expect(served.size).toBeGreaterThan(model.villages.length * 0.25);
    expect(served.size).toBeLessThan(model.villages.length);
  });

  it('has an ageing population and every no-trip group present', () => {
    const persons = model.households.reduce((s, h) => s + h.persons, 0);
    const aged = model.households.reduce((s, h) => s + h.aged70Plus, 0);
    expect(aged / persons).toBeGreaterThan(0.08);
    expect(aged / persons).toBeLessThan(0.25);
    for (const group of ['disabled', 'leftBehind', 'lowIncome', 'needsAssistance'] as const) {
      expect(
        model.households.some((h) => h[group] > 0),
        group,
      ).toBe(true);
    }
  });

  it('reports loading progress as one rising percentage', () => {
    expect(demoPercent({ state: 'generating', step: 'terrain', startedAt: '' })).toBe(0);
    expect(demoPercent({ state: 'generating', step: 'roads', startedAt: '' })).toBeGreaterThan(20);
    expect(demoPercent({ state: 'loading', layer: 'events', overallDone: 50, overallTotal: 100, startedAt: '' })).toBe(
      85,
    );
    expect(demoPercent({ state: 'ready', counties: 1 })).toBe(100);
  });
});
