import { loadConfig } from '../config.js';
import { openDatabase, targetFromConfig, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import type { CliCommand, CommandIO } from './command.js';
import { COMMANDS } from './commands.js';

function helpText(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'The database is the embedded one in DATA_DIR (default .data/) unless DATABASE_URL is set.',
  ].join('\n');
}

function createIO(json: boolean): CommandIO {
  return {
    json,
    say: (line) => {
      if (!json) process.stdout.write(`${line}\n`);
    },
    progress: (line) => process.stderr.write(`${line}\n`),
    result: (value) => {
      if (json) process.stdout.write(`${JSON.stringify(value)}\n`);
    },
  };
}

/** Run the CLI with the given arguments; returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${helpText(COMMANDS)}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command: ${name}\n\n${helpText(COMMANDS)}\n`);
    return 2;
  }
  const json = rest.includes('--json');
  const args = rest.filter((arg) => arg !== '--json');
  const io = createIO(json);
  let database: Database | undefined;
  try {
    if (command.needsDatabase) {
      const config = loadConfig();
      database = await openDatabase(targetFromConfig(config));
      await migrate(database.db, {
        onProgress: (p) => io.progress(`migration ${p.index + 1}/${p.total}: ${p.version}_${p.name}`),
      });
    }
    return (await command.run({ args, io, database })) ?? 0;
  } catch (err) {
    const message = (err as Error).message;
    if (json) process.stdout.write(`${JSON.stringify({ error: { message } })}\n`);
    process.stderr.write(`Error: ${message}\n`);
    return 1;
  } finally {
    await database?.close();
  }
}
