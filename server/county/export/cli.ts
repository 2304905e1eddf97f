/**
 * `npm run cli -- export <layer|grids|no-trip> --format shp|gpkg [--encoding gbk|utf-8]
 * [--plan ID] [--county CODE] --out FILE`: the same files as the export routes, written to disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../../cli/command.js';
import { PolicingService } from '../../policing/service.js';
import { RoadRouting } from '../../routing/service.js';
import { resolveCounty } from '../resolve.js';
import { writeExport, type ExportFormat } from './export.js';
import {
  countyCrs,
  EXPORT_LAYERS,
  gridPlanHead,
  gridPlanTable,
  layerTable,
  noTripTable,
  type ExportLayer,
} from './layers.js';
import { ENCODINGS, type ExportEncoding, type ExportTable } from './table.js';

const USAGE = `export <${EXPORT_LAYERS.join('|')}|grids|no-trip> --format shp|gpkg [--encoding gbk|utf-8] [--plan ID] [--county CODE] --out FILE`;

export const exportCommand: CliCommand = {
  name: 'export',
  summary:
    "Export a layer, a grid plan's grids or the no-trip list as a zipped Shapefile or a GeoPackage in the county's own system",
  usage: USAGE,
  needsDatabase: true,
  async run({ args, io, database }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        encoding: { type: 'string' },
        plan: { type: 'string' },
        county: { type: 'string' },
        out: { type: 'string' },
      },
    });
    const what = positionals[0];
    if (positionals.length !== 1 || !what) throw new Error(`export takes one layer: ${USAGE}`);
    const format: ExportFormat | null =
      values.format === 'shp' || values.format === 'zip' ? 'zip' : values.format === 'gpkg' ? 'gpkg' : null;
    if (!format) throw new Error(`--format takes shp or gpkg (got ${values.format ?? 'nothing'}): ${USAGE}`);
    const encoding = (values.encoding ?? 'gbk').toLowerCase().replace(/^utf8$/, 'utf-8') as ExportEncoding;
    if (!(ENCODINGS as readonly string[]).includes(encoding))
      throw new Error(`--encoding takes gbk or utf-8 (got ${values.encoding})`);
    if (!values.out) throw new Error(`export needs --out FILE: ${USAGE}`);
    const db = database!.db;
    const start = performance.now();
    let table: ExportTable;
    if (what === 'grids') {
      const plan = Number(values.plan);
      if (!values.plan || !Number.isInteger(plan) || plan < 1)
        throw new Error('export grids needs --plan ID (a grid plan number)');
      const head = await gridPlanHead(db, plan);
      table = await gridPlanTable(db, plan, await countyCrs(db, head.county));
    } else if (what === 'no-trip') {
      const county = await resolveCounty(db, values.county);
      const report = await new PolicingService(db, new RoadRouting(db)).report(county);
      table = await noTripTable(db, report, await countyCrs(db, county));
    } else if ((EXPORT_LAYERS as readonly string[]).includes(what)) {
      const county = await resolveCounty(db, values.county);
      table = await layerTable(db, what as ExportLayer, await countyCrs(db, county));
    } else {
      throw new Error(`Unknown layer "${what}": ${USAGE}`);
    }
    const bytes = await writeExport(table, format, encoding);
    fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    fs.writeFileSync(values.out, bytes);
    const seconds = Math.round((performance.now() - start) / 10) / 100;
    io.say(
      `${table.features.length} ${table.name} written to ${values.out} (${format === 'zip' ? `Shapefile, ${encoding.toUpperCase()}` : 'GeoPackage'}, EPSG:${table.srid}, ${bytes.length} bytes, ${seconds} s)`,
    );
    io.result({
      layer: table.name,
      features: table.features.length,
      srid: table.srid,
      format,
      encoding,
      bytes: bytes.length,
      seconds,
      out: values.out,
    });
  },
};
