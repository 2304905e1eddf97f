import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/backends.js';
import type { CommandIO } from '../../cli/command.js';
import { importCommand, parseImportArgs } from './cli.js';
import { FIXTURES, snapshotTables, useTestCountyDatabase } from './test-county.js';

/** A CommandIO that keeps what the command writes. */
function captureIO(json: boolean) {
  const out = { said: [] as string[], progress: [] as string[], results: [] as unknown[] };
  const io: CommandIO = {
    json,
    say: (line) => out.said.push(line),
    progress: (line) => out.progress.push(line),
    result: (value) => out.results.push(value),
  };
  return { io, out };
}

describe('the import command line', () => {
  it('reads the file, the layer and the options', () => {
    expect(parseImportArgs(['h.csv', '--layer', 'households', '--crs', 'gcj02', '--county', '330329'])).toEqual({
      file: 'h.csv',
      layer: 'households',
      crs: 'gcj02',
      county: '330329',
      mode: 'append',
    });
    expect(parseImportArgs(['--mode=replace', '--layer=roads', 'r.geojson'])).toMatchObject({
      file: 'r.geojson',
      layer: 'roads',
      mode: 'replace',
    });
  });

  it('explains a missing layer, an unknown value and an unknown option', () => {
    expect(() => parseImportArgs(['h.csv'])).toThrow(
      /^Say which layer the file holds with --layer\. Usage: import <file>/,
    );
    expect(() => parseImportArgs(['h.csv', '--layer', 'houses'])).toThrow(
      /^--layer must be one of townships, villages, households, roads, stations, events, .*terrain, dem \(got "houses"\)/,
    );
    expect(() => parseImportArgs(['h.csv', '--layer', 'households', '--crs', 'bd10'])).toThrow(
      /^--crs must be wgs84, cgcs2000, gcj02, bd09 or EPSG:<code>/,
    );
    expect(parseImportArgs(['a.shp', '--layer', 'villages', '--crs', 'epsg:4549', '--fields', '村名:name'])).toEqual({
      file: 'a.shp',
      layer: 'villages',
      crs: 'EPSG:4549',
      mode: 'append',
      fields: { 村名: 'name' },
    });
    expect(() => parseImportArgs(['a.shp', '--layer', 'villages', '--fields', '村名:names'])).toThrow(
      /the villages layer has no field "names"/,
    );
    expect(() => parseImportArgs(['h.csv', '--layer', 'households', '--srid', '4326'])).toThrow(
      /Unknown option '--srid'/,
    );
    expect(() => parseImportArgs(['--layer', 'households'])).toThrow(/^Give one file to import/);
  });
});

describe.each(BACKENDS)('npm run cli -- import on %s', (kind) => {
  const database = useTestCountyDatabase(kind);

  it('exits 0 on an accepted import, printing the report and progress, recorded as the CLI’s', async () => {
    const { io, out } = captureIO(false);
    const args = [`${FIXTURES}stations.csv`, '--layer', 'stations', '--crs', 'wgs84'];
    expect(await importCommand.run({ args, io, database: database() })).toBe(0);
    expect(out.said).toEqual([
      [
        'Imported stations from stations.csv into county 330329.',
        'Coordinates: wgs84',
        'Encoding: utf-8',
        'Features: 3, imported 3, repaired 0, rejected 0',
      ].join('\n'),
    ]);
    expect(out.progress[0]).toBe('import: reading 0/1');
    expect(out.progress).toContain('import: staging 3/3');
    expect(out.progress.at(-1)).toBe('import: writing 3/3');
    const imports = await sql<{
      imported_by: string;
      file_name: string;
    }>`select imported_by, file_name from imports`.execute(database().db);
    expect(imports.rows).toEqual([{ imported_by: 'cli', file_name: 'stations.csv' }]);
  });

  it('exits 1 on a rejected import, listing each problem; --json prints the report', async () => {
    const before = await snapshotTables(database().db);
    const text = captureIO(false);
    const args = [`${FIXTURES}broken-villages.geojson`, '--layer', 'villages'];
    expect(await importCommand.run({ args, io: text.io, database: database() })).toBe(1);
    expect(text.out.said[0]!.split('\n')).toEqual([
      'Rejected: 4 problems in broken-villages.geojson; nothing was written.',
      'Coordinates: gcj02 (converted to WGS84)',
      'Encoding: utf-8',
      'Features: 4, imported 0, repaired 0, rejected 3',
      '  error #1 330329101204 geometry: invalid geometry (Self-intersection at 119.875, 27.55); not repaired, because repairing would split it into 2 polygons (as for a bow-tie): fix it in the source',
      '  error #2 330329101205 geometry: coordinates out of range: longitude 200 is not between -180 and 180',
      '  error #2 330329101205 geometry: wrong geometry type: expected Polygon or MultiPolygon, got Point',
      '  error #3 code: expected a 12-digit village code, got "33032910120"',
    ]);
    const json = captureIO(true);
    expect(await importCommand.run({ args, io: json.io, database: database() })).toBe(1);
    expect(json.out.results).toEqual([expect.objectContaining({ accepted: false, layer: 'villages', crs: 'gcj02' })]);
    expect(await snapshotTables(database().db)).toEqual(before);
  });

  it('says which file it cannot read', async () => {
    const { io } = captureIO(false);
    await expect(
      importCommand.run({ args: [`${FIXTURES}missing.csv`, '--layer', 'stations'], io, database: database() }),
    ).rejects.toThrow(/^Cannot read .*missing\.csv: ENOENT/);
  });
});
