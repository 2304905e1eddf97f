import { parseArgs } from 'node:util';
import type { CliCommand } from '../cli/command.js';
import { DEMO_SEED } from './demo.js';
import { writeModel } from './export-model.js';
import { forEachGeneratedCounty, roundSeconds } from './generate/in-worker.js';
import { loadCountyModel } from './load.js';
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
