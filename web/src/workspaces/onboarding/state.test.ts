import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../../test/deep-freeze.js';
import type { ImportPreview } from '../../../../contracts/imports.js';
import {
  defaultCounty,
  importQuery,
  initialOnboardingState,
  onboardingResources,
  previewWanted,
  problemValue,
  updateOnboarding,
  type OnboardingAction,
  type OnboardingState,
} from './state.js';
import { uploadBody } from './upload.js';

const run = (state: OnboardingState, ...actions: OnboardingAction[]) =>
  actions.reduce((current, action) => updateOnboarding(deepFreeze(current), action), deepFreeze(state));

const county = (code: string, synthetic: boolean) => ({
  code,
  name: `县${code}`,
  synthetic,
  outline: 'file' as const,
  townships: 0,
  villages: 0,
  households: 0,
  stations: 0,
  bbox: null,
});

const preview: ImportPreview = {
  layer: 'townships',
  format: 'shapefile',
  encoding: 'gbk',
  encodingSource: 'detected',
  crs: 'EPSG:4549',
  crsSource: 'the .prj',
  table: null,
  coordinateColumns: null,
  fieldMapping: {
    fields: [
      { field: 'code', column: '编码', expected: '9 digits', aliases: ['编码'] },
      { field: 'name', column: '名称', expected: 'text', aliases: ['名称'] },
    ],
    unrecognised: ['所'],
  },
  featureCount: 2,
  sample: {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', id: 0, properties: { 编码: '330328100', 名称: '罗阳镇' }, geometry: null },
      { type: 'Feature', id: 1, properties: { 编码: '33032810', 名称: '镇' }, geometry: null },
    ],
  },
  problems: [],
};

describe('the onboarding reducer', () => {
  it("onboards the first county that is not the demo; asks for the chosen county's readiness, and its road classes for roads", () => {
    expect(defaultCounty([county('330329', true), county('330328', false)])).toBe('330328');
    expect(defaultCounty([county('330329', true)])).toBe('330329');
    expect(defaultCounty([])).toBeNull();
    const none = initialOnboardingState();
    expect(onboardingResources(none)).toEqual({
      'onboarding/counties': '/api/counties',
      'onboarding/readiness': null,
      'onboarding/roadClasses': null,
    });
    const chosen = run(none, { type: 'onboarding/selectCounty', county: '330328' });
    expect(onboardingResources(chosen)['onboarding/readiness']).toBe('/api/counties/330328/readiness');
    expect(onboardingResources(chosen)['onboarding/roadClasses']).toBeNull();
    const roads = run(chosen, { type: 'onboarding/chooseLayer', layer: 'roads' });
    expect(onboardingResources(roads)['onboarding/roadClasses']).toBe('/api/counties/330328/road-classes');
    // The same county again: the same state (nothing redrawn).
    expect(updateOnboarding(chosen, { type: 'onboarding/selectCounty', county: '330328' })).toBe(chosen);
  });

  it('moves to a county it created', () => {
    const created = run(initialOnboardingState(), {
      type: 'onboarding/create',
      create: { kind: 'created', code: '330328' },
    });
    expect(created.county).toBe('330328');
    expect(created.create).toEqual({ kind: 'created', code: '330328' });
  });

  it('asks for a new preview when the files or the reading options change, and drops an older answer', () => {
    const base = run(initialOnboardingState(), {
      type: 'onboarding/create',
      create: { kind: 'created', code: '330328' },
    });
    const chosen = run(base, { type: 'onboarding/chooseFiles', files: ['乡镇.shp', '乡镇.dbf', '乡镇.shx'] });
    expect(previewWanted(chosen)).toBe(true);
    const asked = chosen.version;
    const overridden = run(chosen, { type: 'onboarding/setOptions', options: { encoding: 'gbk' } });
    expect(overridden.version).toBe(asked + 1);
    // The answer to the request before the override arrives late: dropped.
    const late = run(overridden, {
      type: 'onboarding/preview',
      version: asked,
      preview: { kind: 'ready', data: preview },
    });
    expect(late).toBe(overridden);
    const answered = run(late, {
      type: 'onboarding/preview',
      version: overridden.version,
      preview: { kind: 'ready', data: preview },
    });
    expect(answered.preview.kind).toBe('ready');
    expect(previewWanted(answered)).toBe(false);
    // The write mode does not change what is read: no new preview.
    const mode = run(answered, { type: 'onboarding/setOptions', options: { mode: 'replace' } });
    expect(mode.preview).toBe(answered.preview);
    expect(mode.options.mode).toBe('replace');
  });

  it('maps an unrecognised column, reads again with it, and unmaps it', () => {
    const base = run(
      initialOnboardingState(),
      { type: 'onboarding/create', create: { kind: 'created', code: '330328' } },
      { type: 'onboarding/chooseFiles', files: ['a.zip'] },
      { type: 'onboarding/setOptions', options: { crs: 'EPSG:4549' } },
      { type: 'onboarding/mapField', column: '所', field: 'name' },
    );
    expect(base.options.fields).toEqual({ 所: 'name' });
    expect(importQuery(base, 'a.zip', true).toString()).toBe(
      new URLSearchParams({
        layer: 'townships',
        fileName: 'a.zip',
        county: '330328',
        crs: 'EPSG:4549',
        fields: '所:name',
        mode: 'append',
      }).toString(),
    );
    expect(run(base, { type: 'onboarding/mapField', column: '所', field: '' }).options.fields).toEqual({});
  });

  it('forgets the file of another layer, and keeps it with the report after an accepted import', () => {
    const base = run(
      initialOnboardingState(),
      { type: 'onboarding/create', create: { kind: 'created', code: '330328' } },
      { type: 'onboarding/chooseFiles', files: ['a.zip'] },
    );
    const roads = run(base, { type: 'onboarding/chooseLayer', layer: 'roads' });
    expect(roads.files).toEqual([]);
    expect(roads.layer).toBe('roads');
    const report = {
      accepted: true,
      layer: 'townships' as const,
      crs: 'EPSG:4549',
      encoding: 'gbk' as const,
      counts: { features: 2, imported: 2, repaired: 0, rejected: 0 },
      problems: [],
    };
    const done = run(base, { type: 'onboarding/commit', commit: { kind: 'accepted', report } });
    expect(done.commit).toEqual({ kind: 'accepted', report });
    expect(done.files).toEqual(['a.zip']);
  });

  it('edits the road class mapping as a draft, kept when saving fails and dropped once saved', () => {
    const mapping = {
      administrative: { X: { roadClass: 'county', grade: 'class3' } },
      technical: { class3: { roadClass: 'township', designSpeedKmh: 30 } },
    };
    const start = initialOnboardingState();
    const edited = run(
      start,
      {
        type: 'onboarding/editRoadClass',
        saved: mapping,
        table: 'technical',
        key: 'class3',
        change: { designSpeedKmh: 35 },
      },
      {
        type: 'onboarding/editRoadClass',
        saved: mapping,
        table: 'administrative',
        key: 'X',
        change: { roadClass: 'township' },
      },
    );
    expect(edited.roadClassDraft).toEqual({
      administrative: { X: { roadClass: 'township', grade: 'class3' } },
      technical: { class3: { roadClass: 'township', designSpeedKmh: 35 } },
    });
    // An unknown row changes nothing.
    expect(
      updateOnboarding(edited, {
        type: 'onboarding/editRoadClass',
        saved: mapping,
        table: 'technical',
        key: 'class9',
        change: {},
      }),
    ).toBe(edited);
    const failed = run(edited, { type: 'onboarding/roadClassSave', save: { kind: 'error', message: 'no' } });
    expect(failed.roadClassDraft).toBe(edited.roadClassDraft);
    const saved = run(edited, { type: 'onboarding/roadClassSave', save: { kind: 'saved', edges: 12 } });
    expect(saved.roadClassDraft).toBeNull();
  });

  it("finds a problem's value in the previewed feature, through the field mapping", () => {
    expect(problemValue(preview, { index: 1, field: 'code' })).toBe('33032810');
    expect(problemValue(preview, { index: 1, field: '名称' })).toBe('镇');
    expect(problemValue(preview, { index: 5, field: 'code' })).toBeNull();
    expect(problemValue(preview, { index: -1, field: 'code' })).toBeNull();
  });
});

describe('the upload body', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('zips a loose Shapefile set, with a .cpg naming a forced encoding in place of the one chosen', () => {
    const body = uploadBody(
      [
        { name: 'towns.shp', bytes: bytes('shp') },
        { name: 'towns.dbf', bytes: bytes('dbf') },
        { name: 'towns.shx', bytes: bytes('shx') },
        { name: 'towns.cpg', bytes: bytes('UTF-8') },
      ],
      'gbk',
    );
    expect(body.fileName).toBe('towns.zip');
    expect(body.contentType).toBe('application/zip');
    const members = unzipSync(body.bytes);
    expect(Object.keys(members).sort()).toEqual(['towns.cpg', 'towns.dbf', 'towns.shp', 'towns.shx']);
    expect(new TextDecoder().decode(members['towns.cpg'])).toBe('GBK');
  });

  it('refuses files that are not one layer', () => {
    expect(() =>
      uploadBody(
        [
          { name: 'a.shp', bytes: bytes('1') },
          { name: 'b.dbf', bytes: bytes('2') },
        ],
        '',
      ),
    ).toThrow(/b\.dbf/);
    expect(() =>
      uploadBody(
        [
          { name: 'a.csv', bytes: bytes('1') },
          { name: 'b.csv', bytes: bytes('2') },
        ],
        '',
      ),
    ).toThrow(/Shapefile set/);
  });

  it('re-encodes a CSV read as GBK into UTF-8, and sends other files as they are', () => {
    // 名称 in GBK.
    const gbk = Uint8Array.from([0xc3, 0xfb, 0xb3, 0xc6, 0x0a]);
    expect(new TextDecoder().decode(uploadBody([{ name: 'h.csv', bytes: gbk }], 'gbk').bytes)).toBe('名称\n');
    const json = uploadBody([{ name: 'v.geojson', bytes: bytes('{}') }], '');
    expect(json).toMatchObject({ fileName: 'v.geojson', contentType: 'application/geo+json' });
    expect(new TextDecoder().decode(json.bytes)).toBe('{}');
  });
});
