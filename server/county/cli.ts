import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { CliCommand, CommandIO } from '../cli/command.js';
import type { Database } from '../db/database.js';
import { countyCrsEpsg, createCounty, type CountySummary, epsgOf, listCounties, setCountyCrs } from './create.js';
import { DEMO_SEED } from './demo.js';
import { writeModel } from './export-model.js';
import { forEachGeneratedCounty, roundSeconds } from './generate/in-worker.js';
import { confirmJurisdictions, type Jurisdiction, listJurisdictions, proposeJurisdictions } from './jurisdictions.js';
import { loadCountyModel } from './load.js';
import { countyReadiness } from './readiness.js';
import { roadClassesSub } from './road-classes-cli.js';
import { countyStats } from './stats.js';
import { validateCounty } from './validate.js';

function scaleOption(value: string | undefined): number {
  const scale = Number(value ?? 1);
  if (!Number.isInteger(scale) || scale < 1 || scale > 100)
    throw new Error('--scale takes a whole number from 1 to 100');
  return scale;
}

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'Count every layer of the county model',
  usage: 'stats [--county CODE] [--json]',
  needsDatabase: true,
  async run({ args, io, database }) {
    const { values } = parseArgs({ args, options: { county: { type: 'string' } } });
    const stats = await countyStats(database!.db, values.county);
    for (const [key, value] of Object.entries(stats)) io.say(`${key.padEnd(16)} ${value}`);
    io.result(stats);
  },
};

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Check the model: households in one village, tiling, road reachability, codes',
  usage: 'validate [--county CODE] [--json]',
  needsDatabase: true,
  async run({ args, io, database }) {
    const { values } = parseArgs({ args, options: { county: { type: 'string' } } });
    const db = database!.db;
    const codes = values.county
      ? [values.county]
      : (await db.selectFrom('counties').select('code').orderBy('code').execute()).map((c) => c.code);
    if (codes.length === 0) throw new Error('No county is loaded: nothing to validate.');
    const report = { errors: [] as unknown[], warnings: [] as unknown[] };
    for (const code of codes) {
      io.progress(`validating county ${code}…`);
      const result = await validateCounty(db, code);
      report.errors.push(...result.errors.map((e) => ({ county: code, ...e })));
      report.warnings.push(...result.warnings.map((w) => ({ county: code, ...w })));
      for (const e of result.errors)
        io.say(`ERROR ${code} ${e.check}: ${e.message} (${e.count}) e.g. ${e.examples.join('; ')}`);
      for (const w of result.warnings)
        io.say(`warning ${code} ${w.check}: ${w.message} (${w.count}) e.g. ${w.examples.join('; ')}`);
    }
    io.say(`${report.errors.length} errors, ${report.warnings.length} warnings`);
    io.result(report);
    return report.errors.length > 0 ? 1 : 0;
  },
};

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'Generate the demo county (and --scale copies) and write its layers as GeoJSON',
  usage: 'generate --out DIR [--seed S] [--scale N] [--json]',
  needsDatabase: false,
  async run({ args, io }) {
    const { values } = parseArgs({
      args,
      options: { out: { type: 'string' }, seed: { type: 'string' }, scale: { type: 'string' } },
    });
    if (!values.out) throw new Error('generate needs --out DIR');
    const results: { code: string; dir: string; hash: string; seconds: number }[] = [];
    const options = { seed: values.seed ?? DEMO_SEED, scale: scaleOption(values.scale) };
    await forEachGeneratedCounty(options, io.progress, async (model, _variant, generateSeconds) => {
      const dir = `${values.out}/${model.county.code}`;
      const { hash } = writeModel(model, dir);
      io.say(
        `${model.county.name} (${model.county.code}): ${model.households.length} households, written to ${dir} (generated in ${generateSeconds} s)`,
      );
      results.push({ code: model.county.code, dir, hash, seconds: generateSeconds });
    });
    io.result({ counties: results });
  },
};

export const loadCommand: CliCommand = {
  name: 'load',
  summary: 'Generate the demo county (and --scale copies) and load it into the database',
  usage: 'load [--seed S] [--scale N] [--replace] [--json]',
  needsDatabase: true,
  async run({ args, io, database }) {
    const { values } = parseArgs({
      args,
      options: { seed: { type: 'string' }, scale: { type: 'string' }, replace: { type: 'boolean' } },
    });
    const scale = scaleOption(values.scale);
    const results: { code: string; generateSeconds: number; loadSeconds: number }[] = [];
    await forEachGeneratedCounty(
      { seed: values.seed ?? DEMO_SEED, scale },
      io.progress,
      async (model, variant, generateSeconds) => {
        const start = performance.now();
        await loadCountyModel(database!.db, model, {
          replace: values.replace ?? false,
          onProgress: (p) => {
            if (p.done === p.total) io.progress(`county ${variant + 1}/${scale}: loaded ${p.layer} (${p.total})`);
          },
        });
        const loadSeconds = roundSeconds(performance.now() - start);
        io.say(
          `${model.county.name} (${model.county.code}) generated in ${generateSeconds} s, loaded in ${loadSeconds} s`,
        );
        results.push({ code: model.county.code, generateSeconds, loadSeconds });
      },
    );
    io.result({ counties: results });
  },
};

const COUNTY_USAGE = [
  'county create --code CODE --name NAME [--outline FILE] [--crs CRS] [--county-crs EPSG:N]',
  'county list',
  'county crs [--county CODE] [--set EPSG:N|default]',
  'county readiness --county CODE',
  'county road-classes [--county CODE] [--set G=class1,Y=county,class3=35,…]',
  'county jurisdictions --county CODE [--propose] [--confirm [--townships T1,T2]] [--set TOWNSHIP=STATION,…]',
].join(' | ');

/** The county given, or the only one loaded. */
async function countyOption(database: Database, code: string | undefined): Promise<string> {
  if (code) return code;
  const counties = await listCounties(database.db);
  if (counties.length === 1) return counties[0]!.code;
  throw new Error(
    counties.length === 0
      ? 'No county is loaded: create one with county create --code CODE --name NAME.'
      : `Say which county with --county (${counties.map((c) => c.code).join(', ')}).`,
  );
}

function sayCounty(io: CommandIO, c: CountySummary): void {
  const outline = {
    file: 'outline from a file',
    townships: 'outline = union of its townships',
    none: 'no outline yet',
  };
  io.say(
    `${c.code} ${c.name}${c.synthetic ? ' (synthetic)' : ''}: ${c.townships} townships, ${c.villages} villages, ${c.households} households, ${c.stations} stations; ${outline[c.outline]}`,
  );
}

async function createSub(args: string[], io: CommandIO, database: Database): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      code: { type: 'string' },
      name: { type: 'string' },
      outline: { type: 'string' },
      crs: { type: 'string' },
      'county-crs': { type: 'string' },
    },
  });
  if (!values.code || !values.name) throw new Error('county create needs --code CODE --name NAME');
  const countyCrs = values['county-crs'] === undefined ? null : epsgOf(values['county-crs']);
  if (values['county-crs'] !== undefined && countyCrs === null) {
    throw new Error(`--county-crs takes an EPSG code such as EPSG:4549 (got ${values['county-crs']})`);
  }
  const outline = values.outline ? (JSON.parse(fs.readFileSync(values.outline, 'utf8')) as unknown) : undefined;
  const created = await createCounty(database.db, {
    code: values.code,
    name: values.name,
    ...(outline !== undefined ? { outline } : {}),
    ...(values.crs ? { crs: values.crs } : {}),
    ...(countyCrs !== null ? { crsEpsg: countyCrs } : {}),
  });
  sayCounty(io, created);
  const { crsEpsg } = await countyCrsEpsg(database.db, created.code);
  io.say(crsEpsg === null ? '  own system: set when its outline is known' : `  own system: EPSG:${crsEpsg}`);
  io.result(created);
  return 0;
}

async function crsSub(args: string[], io: CommandIO, database: Database): Promise<number> {
  const { values } = parseArgs({ args, options: { county: { type: 'string' }, set: { type: 'string' } } });
  const county = await countyOption(database, values.county);
  let result;
  if (values.set === undefined) result = await countyCrsEpsg(database.db, county);
  else {
    const epsg = values.set === 'default' ? null : epsgOf(values.set);
    if (values.set !== 'default' && epsg === null) {
      throw new Error(`--set takes an EPSG code such as EPSG:4549, or default (got ${values.set})`);
    }
    result = await setCountyCrs(database.db, county, epsg);
  }
  io.say(
    `${result.code} ${result.name}: ${result.crsEpsg === null ? 'no system yet (no outline)' : `EPSG:${result.crsEpsg}`}`,
  );
  io.result(result);
  return 0;
}

async function readinessSub(args: string[], io: CommandIO, database: Database): Promise<number> {
  const { values } = parseArgs({ args, options: { county: { type: 'string' } } });
  const readiness = await countyReadiness(database.db, await countyOption(database, values.county));
  io.say(`${readiness.county.code} ${readiness.county.name}`);
  for (const l of readiness.layers) {
    const share = l.estimatedShare === null ? '' : `, ${Math.round(l.estimatedShare * 100)}% estimated`;
    io.say(
      `  ${l.layer.padEnd(14)} ${String(l.count).padStart(8)}${l.importedAt ? `  imported ${l.importedAt}` : ''}${share}`,
    );
  }
  for (const c of readiness.capabilities) {
    io.say(`${c.ready ? 'READY  ' : 'BLOCKED'} ${c.capability} (needs ${c.needs.join(', ')})`);
    for (const p of c.problems) io.say(`    ${p}`);
  }
  io.result(readiness);
  return 0;
}

function sayJurisdictions(io: CommandIO, rows: readonly Jurisdiction[]): void {
  for (const j of rows) {
    const station = j.stationCode ? `${j.stationCode} ${j.stationName}` : '—';
    const state = j.stationCode ? (j.confirmed ? 'confirmed' : 'PROPOSED') : 'none';
    const drive = j.driveSeconds === null ? '' : ` (${Math.round(j.driveSeconds / 60)} min by road)`;
    io.say(`  ${j.townshipCode} ${j.townshipName}: ${station} [${state}${j.source ? `, ${j.source}` : ''}]${drive}`);
  }
}

async function jurisdictionsSub(args: string[], io: CommandIO, database: Database): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      county: { type: 'string' },
      propose: { type: 'boolean' },
      confirm: { type: 'boolean' },
      townships: { type: 'string' },
      set: { type: 'string' },
    },
  });
  const county = await countyOption(database, values.county);
  const result: Record<string, unknown> = {};
  if (values.propose) {
    const proposal = await proposeJurisdictions(database.db, county, 'cli');
    io.say(`${proposal.proposed} townships proposed a station by drive time`);
    for (const p of proposal.problems) io.say(`  problem: ${p}`);
    result.proposed = proposal.proposed;
    result.problems = proposal.problems;
  }
  const links = (values.set ?? '')
    .split(',')
    .filter((pair) => pair.trim() !== '')
    .map((pair) => {
      const [townshipCode, stationCode] = pair.split('=').map((s) => s.trim());
      if (!townshipCode || !stationCode) throw new Error(`--set takes TOWNSHIP=STATION pairs, got "${pair}"`);
      return { townshipCode, stationCode };
    });
  if (values.confirm || links.length > 0) {
    const townships = values.townships ? values.townships.split(',').map((t) => t.trim()) : 'all';
    const done = await confirmJurisdictions(database.db, county, 'cli', {
      ...(values.confirm ? { townships } : {}),
      links,
    });
    io.say(`${done.confirmed} proposals confirmed, ${done.set} links set by hand`);
    result.confirmed = done.confirmed;
    result.set = done.set;
  }
  const rows = await listJurisdictions(database.db, county);
  sayJurisdictions(io, rows);
  io.result({ county, ...result, jurisdictions: rows });
  return 0;
}

export const countyCommand: CliCommand = {
  name: 'county',
  summary: 'Create a county from its own data, list counties, their readiness and police jurisdictions',
  usage: COUNTY_USAGE,
  needsDatabase: true,
  async run({ args, io, database }) {
    const [sub, ...rest] = args;
    if (sub === 'create') return createSub(rest, io, database!);
    if (sub === 'readiness') return readinessSub(rest, io, database!);
    if (sub === 'road-classes') return roadClassesSub(rest, io, database!, (code) => countyOption(database!, code));
    if (sub === 'crs') return crsSub(rest, io, database!);
    if (sub === 'jurisdictions') return jurisdictionsSub(rest, io, database!);
    if (sub === 'list') {
      const counties = await listCounties(database!.db);
      for (const c of counties) sayCounty(io, c);
      if (counties.length === 0) io.say('No county is loaded.');
      io.result({ counties });
      return 0;
    }
    throw new Error(`county takes create, list, crs, readiness or jurisdictions: ${COUNTY_USAGE}`);
  },
};
