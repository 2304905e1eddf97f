import { sql } from 'kysely';
import { importDem } from '../../server/county/import/dem.js';
import { hgt } from '../../server/county/import/dem-test-files.js';
import { openBenchDatabase, type Benchmark } from './harness.js';

/**
 * A county of 0.5° × 0.5° (about 49 × 55 km at 27.5° N) given an SRTM 1″ tile (3601² heights,
 * N27E119.hgt, 26 MB) in an empty database: demImportSeconds (read, place, resample to ~30 m,
 * check, fill, hillshade and write in one transaction) and the process's peak resident memory.
 */
export const demBenchmark: Benchmark = {
  summary: 'importing a 3601² SRTM .hgt into a county of 0.5° × 0.5° (embedded, or DATABASE_URL)',
  async run(_args, log) {
    const database = await openBenchDatabase(log);
    try {
      await sql`delete from counties where code = '990001'`.execute(database.db);
      await sql`insert into counties (code, name, geom) values ('990001', 'DEM bench',
        ST_Multi(ST_GeomFromText('POLYGON((119.5 27.3, 120 27.3, 120 27.8, 119.5 27.8, 119.5 27.3))', 4326)))`.execute(
        database.db,
      );
      const bytes = hgt(3601, [119, 27], (lon, lat) => 800 + 300 * Math.sin(lon * 20) * Math.cos(lat * 25));
      log(`N27E119.hgt: ${bytes.length} bytes`);
      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
      const started = performance.now();
      const { report } = await importDem(database.db, {
        bytes,
        fileName: 'N27E119.hgt',
        countyCode: '990001',
        importedBy: 'bench',
        onProgress: ({ stage, done, total }) =>
          log(`${((performance.now() - started) / 1000).toFixed(2)} s ${stage} ${done}/${total}`),
      });
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (!report.accepted) throw new Error(`the DEM was rejected: ${report.problems.map((p) => p.reason).join('; ')}`);
      log(`grid ${report.grid!.width} × ${report.grid!.height} of ${report.grid!.cellMetres.toFixed(1)} m`);
      return {
        sourcePixels: 3601 * 3601,
        gridCells: report.grid!.width * report.grid!.height,
        cellMetres: Math.round(report.grid!.cellMetres * 10) / 10,
        positionErrorPixels: report.positionErrorPixels,
        demImportSeconds: Math.round(seconds * 100) / 100,
        peakRssMiB: Math.round(peakRss / 1024 / 1024),
        rssBeforeMiB: Math.round(rssBefore / 1024 / 1024),
      };
    } finally {
      await sql`delete from counties where code = '990001'`.execute(database.db);
      await database.close();
    }
  },
};
