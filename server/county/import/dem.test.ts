import { sql } from 'kysely';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/backends.js';
import { MapData } from '../../map/map-data.js';
import { buildRoadNetwork } from '../../routing/network.js';
import { loadRoadEdges } from '../../routing/repository.js';
import { readTerrains } from '../terrain.js';
import { importDem, previewDem } from './dem.js';
import { demTiff, hgt, withTag } from './dem-test-files.js';
import { snapshotTables, TEST_COUNTY, useTestCountyDatabase } from './test-county.js';

/** Heights of the projected test DEM, a function of EPSG:4549 metres. */
const heightGk = (x: number, y: number) => 600 + 300 * Math.sin(x / 1500) * Math.cos(y / 2000);
/** Heights of the geographic test DEMs, a function of degrees. */
const heightLonLat = (lon: number, lat: number) => 400 + 300 * Math.sin(lon * 60) * Math.cos(lat * 50);
const heightSrtm = (lon: number, lat: number) => 800 + 300 * Math.sin(lon * 20) * Math.cos(lat * 25);

/** A Terrarium tile's x, y at zoom z holding a point. */
function tileOf(z: number, lon: number, lat: number): [number, number] {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.asinh(Math.tan(rad)) / Math.PI) / 2) * n)];
}

describe.each(BACKENDS)('DEM import on %s', (kind) => {
  const database = useTestCountyDatabase(kind);
  const db = () => database().db;

  /** The county's box plus 3 km, in EPSG:4549 metres, on a 60 m lattice. */
  async function gkDem(keys = true): Promise<Uint8Array> {
    const box = await sql<{ xmin: number; ymin: number; xmax: number; ymax: number }>`
      select ST_XMin(b) as xmin, ST_YMin(b) as ymin, ST_XMax(b) as xmax, ST_YMax(b) as ymax
      from (select ST_Transform(geom, 4549) as b from counties where code = ${TEST_COUNTY.code}) q`.execute(db());
    const { xmin, ymin, xmax, ymax } = box.rows[0]!;
    const west = Math.floor((xmin - 3000) / 60) * 60;
    const north = Math.ceil((ymax + 3000) / 60) * 60;
    return demTiff({
      width: Math.ceil((xmax + 3000 - west) / 60),
      height: Math.ceil((north - (ymin - 3000)) / 60),
      origin: [west, north],
      pixelSize: [60, 60],
      ...(keys ? { crs: { epsg: 4549, geographic: false } } : {}),
      type: 'float32',
      heightAt: heightGk,
    });
  }

  const lonLatDem = (
    options: { keys?: boolean; heightAt?: (lon: number, lat: number) => number; width?: number } = {},
  ) =>
    demTiff({
      width: options.width ?? 1200,
      height: 1200,
      origin: [119.45, 27.85],
      pixelSize: [0.0005, 0.0005],
      ...(options.keys === false ? {} : { crs: { epsg: 4326, geographic: true } }),
      nodata: -9999,
      type: 'int16',
      compression: 'none',
      heightAt: options.heightAt ?? heightLonLat,
    });

  const run = (bytes: Uint8Array, fileName: string, crs?: 'wgs84' | 'EPSG:4549') =>
    importDem(db(), { bytes, fileName, importedBy: 'test', ...(crs ? { crs } : {}) });

  /** Stored heights against the function at 49 cell centres across the county: the largest difference. */
  async function worstDifference(expected: (lon: number, lat: number) => Promise<number[]>): Promise<number> {
    const [terrain] = await readTerrains(db(), TEST_COUNTY.code);
    const { grid } = terrain!;
    const cells: [number, number][] = [];
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < 7; j++) {
        const lon = 119.52 + (i * 0.46) / 6;
        const lat = 27.32 + (j * 0.46) / 6;
        cells.push([Math.floor((lon - grid.west) / grid.dLon), Math.floor((grid.north - lat) / grid.dLat)]);
      }
    }
    let worst = 0;
    for (const [col, row] of cells) {
      const lon = grid.west + (col + 0.5) * grid.dLon;
      const lat = grid.north - (row + 0.5) * grid.dLat;
      const [want] = await expected(lon, lat);
      worst = Math.max(worst, Math.abs(grid.elevationMetres[row * grid.width + col]! - want!));
    }
    return worst;
  }

  const gkHeightAt = async (lon: number, lat: number) => {
    const r = await sql<{ x: number; y: number }>`
      select ST_X(p) as x, ST_Y(p) as y from (select ST_Transform(ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326), 4549) as p) q`.execute(
      db(),
    );
    return [heightGk(r.rows[0]!.x, r.rows[0]!.y)];
  };

  /** A straight county road of 40 vertices across the county, as stored edges are. */
  async function seedRoad(): Promise<void> {
    const points = Array.from({ length: 40 }, (_, i) => `${119.6 + (0.3 * i) / 39} ${27.45 + (0.2 * i) / 39}`);
    await sql`insert into road_nodes (id, county_code, geom) values
      (1, ${TEST_COUNTY.code}, ST_SetSRID(ST_MakePoint(119.6, 27.45), 4326)),
      (2, ${TEST_COUNTY.code}, ST_SetSRID(ST_MakePoint(119.9, 27.65), 4326))`.execute(db());
    await sql`insert into road_edges (id, county_code, source, target, road_class, speed_kmh, length_m, geom)
      select 1, ${TEST_COUNTY.code}, 1, 2, 'county', 60, ST_Length(g::geography), g
      from (select ST_GeomFromText(${`LINESTRING(${points.join(', ')})`}, 4326) as g) q`.execute(db());
  }

  const driveSeconds = async () => {
    const network = buildRoadNetwork(await loadRoadEdges(db(), TEST_COUNTY.code));
    return network.forwardSeconds[0]! + network.backwardSeconds[0]!;
  };

  it('imports a GeoTIFF in EPSG:4549 (CGCS2000 GK 120°E): heights within 1 m, roads climb, the map changes', async () => {
    await seedRoad();
    // First the geographic DEM, so that there is a terrain and a tile to compare with.
    const first = await run(lonLatDem(), 'dem4326.tif');
    expect(first.report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(first.report.accepted).toBe(true);
    const flatSeconds = await driveSeconds();
    const map = new MapData(db());
    const [x, y] = tileOf(11, 119.75, 27.55);
    const tileBefore = await map.demTile(11, x, y);
    const shadeBefore = (await db().selectFrom('terrain').select('hillshade').executeTakeFirstOrThrow()).hillshade;

    const { report } = await run(await gkDem(), 'dem4549.tif');
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.accepted).toBe(true);
    expect(report.source).toMatchObject({ format: 'geotiff', sampleType: 'Float32', compression: 'Deflate' });
    expect(report.source!.crs).toBe('EPSG:4549');
    expect(report.source!.resolutionMetres).toBeGreaterThan(59);
    expect(report.source!.resolutionMetres).toBeLessThan(61);
    // The lattice's interpolated positions stay within a quarter of a source pixel (checked at box centres).
    expect(report.positionErrorPixels).toBeLessThan(0.25);
    expect(await worstDifference(gkHeightAt)).toBeLessThanOrEqual(1);
    const [terrain] = await readTerrains(db(), TEST_COUNTY.code);
    expect(terrain!.synthetic).toBe(false);

    // The road's climb is the function's rise summed along its vertices (1-2-1 smoothing of 60 m cells aside).
    const vertices = await sql<{ x: number; y: number }>`
      select ST_X(p) as x, ST_Y(p) as y from (
        select (ST_DumpPoints(ST_Transform(geom, 4549))).geom as p, (ST_DumpPoints(geom)).path[1] as i
        from road_edges where id = 1) q order by i`.execute(db());
    const z = vertices.rows.map((v) => heightGk(v.x, v.y));
    let climb = 0;
    for (let i = 1; i < z.length; i++) climb += Math.max(0, z[i]! - z[i - 1]!);
    const edge = await db().selectFrom('road_edges').select(['climb_m', 'descent_m']).executeTakeFirstOrThrow();
    expect(edge.climb_m).toBeGreaterThan(climb * 0.97);
    expect(edge.climb_m).toBeLessThan(climb * 1.03);
    expect(report.roads).toMatchObject({ edges: 1 });
    const node = await db()
      .selectFrom('road_nodes')
      .select('elevation_m')
      .where('id', '=', 2)
      .executeTakeFirstOrThrow();
    expect(Math.abs(node.elevation_m! - (await gkHeightAt(119.9, 27.65))[0]!)).toBeLessThan(1.5);
    expect(await driveSeconds()).not.toBe(flatSeconds);

    // The map's elevation tile and the stored hillshade are the new DEM's.
    map.invalidate();
    const tileAfter = await map.demTile(11, x, y);
    expect(tileBefore).not.toBeNull();
    expect(Buffer.compare(tileBefore!, tileAfter!)).not.toBe(0);
    const shadeAfter = (await db().selectFrom('terrain').select('hillshade').executeTakeFirstOrThrow()).hillshade;
    expect(Buffer.compare(Buffer.from(shadeBefore), Buffer.from(shadeAfter))).not.toBe(0);
    const imports = await db().selectFrom('imports').select(['layer', 'crs']).orderBy('id').execute();
    expect(imports).toEqual([
      { layer: 'terrain', crs: 'wgs84' },
      { layer: 'terrain', crs: 'EPSG:4549' },
    ]);
  });

  it('imports an EPSG:4326 Int16 GeoTIFF: heights within 1 m, climbs from flat to sloped', async () => {
    await seedRoad();
    const flatSeconds = await driveSeconds();
    const { report } = await run(lonLatDem(), 'dem.tif');
    expect(report.accepted).toBe(true);
    expect(report.positionErrorPixels).toBeLessThan(1e-6);
    expect(await worstDifference(async (lon, lat) => [heightLonLat(lon, lat)])).toBeLessThanOrEqual(1);
    const edge = await db().selectFrom('road_edges').select('climb_m').executeTakeFirstOrThrow();
    expect(edge.climb_m).toBeGreaterThan(100);
    expect(await driveSeconds()).toBeGreaterThan(flatSeconds);
  });

  it('imports a zipped SRTM .hgt: voids filled and counted, the margin beyond the tile filled', async () => {
    const bytes = hgt(1201, [119, 27], heightSrtm);
    // A void of 3 × 3 pixels near 119.7° E, 27.6° N.
    for (let row = 478; row < 481; row++) {
      for (let col = 838; col < 841; col++) new DataView(bytes.buffer).setInt16(2 * (row * 1201 + col), -32768, false);
    }
    const { report } = await run(zipSync({ 'dem/N27E119.hgt': bytes }), 'srtm.zip');
    expect(report.accepted).toBe(true);
    expect(report.source).toMatchObject({ format: 'hgt', fileName: 'N27E119.hgt', crs: 'wgs84', voids: 9 });
    // The grid reaches 1 km east of 120° E, beyond the tile: those cells are filled too.
    expect(report.filledCells).toBeGreaterThan(report.grid!.height);
    expect(await worstDifference(async (lon, lat) => [heightSrtm(lon, lat)])).toBeLessThanOrEqual(1);
  });

  it('previews a DEM: size, system, resolution, bounds, heights and voids, writing nothing', async () => {
    const before = await snapshotTables(db());
    const preview = await previewDem(db(), { bytes: lonLatDem(), fileName: 'dem.tif' });
    expect(preview.problems).toEqual([]);
    expect(preview.source).toMatchObject({
      width: 1200,
      height: 1200,
      crs: 'wgs84',
      crsSource: 'EPSG:4326 (GeoTIFF geographic GeoKey)',
      voids: 0,
    });
    expect(preview.source!.bounds!.map((v) => Number(v.toFixed(6)))).toEqual([119.45, 27.25, 120.05, 27.85]);
    expect(preview.source!.minMetres).toBe(100);
    expect(preview.source!.maxMetres).toBe(700);
    expect(preview.source!.resolutionMetres).toBeGreaterThan(50);
    expect(await snapshotTables(db())).toEqual(before);
  });

  it('refuses hostile and wrong DEMs with clear errors, leaving the terrain as it was', async () => {
    await seedRoad();
    expect((await run(lonLatDem(), 'dem.tif')).report.accepted).toBe(true);
    const before = await snapshotTables(db());
    const good = lonLatDem();
    const errorsOf = async (bytes: Uint8Array, fileName: string, crs?: 'wgs84' | 'EPSG:4549') => {
      const { report } = await run(bytes, fileName, crs);
      expect(report.accepted).toBe(false);
      return report.problems.filter((p) => p.severity === 'error').map((p) => p.reason);
    };
    expect(await errorsOf(good.slice(0, good.length / 2), 'half.tif')).toEqual([
      expect.stringMatching(/GeoTIFF 文件不完整.*is truncated: its strip \d+ ends at byte/),
    ]);
    expect(await errorsOf(withTag(withTag(good, 256, 40_000), 257, 30_000), 'huge.tif')).toEqual([
      expect.stringContaining('declares 40000 × 30000 = 1200000000 pixels'),
    ]);
    expect(await errorsOf(withTag(good, 259, 34712), 'jp2.tif')).toEqual([
      expect.stringContaining('uses compression 34712; read are none, LZW and Deflate'),
    ]);
    const bare = demTiff({
      width: 4,
      height: 4,
      origin: [0, 0],
      pixelSize: [1, 1],
      georeference: 'none',
      type: 'int16',
      heightAt: () => 5,
    });
    expect(await errorsOf(bare, 'bare.tif')).toEqual([expect.stringContaining('has no georeference')]);
    expect(await errorsOf(lonLatDem({ keys: false }), 'nokeys.tif')).toEqual([
      expect.stringContaining('does not say which coordinate system it is in (no GeoKeys): give crs'),
    ]);
    // Gauss–Krüger metres read as degrees: the likely system is named.
    expect(await errorsOf(await gkDem(false), 'gk.tif', 'wgs84')).toEqual([
      expect.stringMatching(/wrong coordinate system\?.*probably EPSG:4549/),
    ]);
    // Degrees read as Gauss–Krüger metres; a system other than the file's own.
    expect(await errorsOf(lonLatDem({ keys: false }), 'dem.tif', 'EPSG:4549')).toEqual([
      expect.stringMatching(
        /wrong coordinate system\? read as EPSG:4549, the features lie about \d+ km from the county; the coordinates are degrees/,
      ),
    ]);
    expect(await errorsOf(good, 'dem.tif', 'EPSG:4549')).toEqual([
      expect.stringContaining('the DEM says it is in wgs84'),
    ]);
    // 119.45–119.8° E of a county reaching 120° E.
    expect(await errorsOf(lonLatDem({ width: 700 }), 'west.tif')).toEqual([
      expect.stringMatching(
        /the DEM leaves 4\d\.\d% of the county without heights: it covers 119\.4500, 27\.2500, 119\.8000/,
      ),
    ]);
    expect(
      await errorsOf(
        hgt(1201, [119, 27], () => 0),
        'N27E119.hgt',
      ),
    ).toEqual([expect.stringContaining('every height of the DEM over the county is 0')]);
    expect(await errorsOf(lonLatDem({ heightAt: () => 9500 }), 'high.tif')).toEqual([
      expect.stringContaining('run from 9500 to 9500 m'),
    ]);
    expect(await errorsOf(hgt(1201, [119, 27], heightSrtm).slice(0, 1000), 'N27E119.hgt')).toEqual([
      expect.stringContaining('truncated or not SRTM'),
    ]);
    expect(await snapshotTables(db())).toEqual(before);
  });
});
