import { parseArgs } from 'node:util';
import type { CliCommand } from '../cli/command.js';
import { loadConfig } from '../config.js';
import { openDatabase, targetFromConfig } from '../db/database.js';
import { backupDatabase, restoreBackup, type RestoreTarget } from './backup.js';

/** `npm run cli -- backup --out FILE`: the configured database into one checked file. */
export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'Back up the database into one file (embedded: its data folder; server: pg_dump -Fc)',
  usage: 'backup --out FILE',
  // Opened here, not migrated: a backup takes the database as it is.
  needsDatabase: false,
  async run({ args, io }) {
    const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
    if (!values.out) throw new Error('Name the backup file: backup --out FILE');
    const config = loadConfig();
    const database = await openDatabase(targetFromConfig(config));
    try {
      const result = await backupDatabase(database, {
        out: values.out,
        ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
        onProgress: io.progress,
      });
      io.say(
        `backup of ${result.header.backend === 'pglite' ? 'the embedded database' : 'the server database'} ` +
          `(migration ${result.header.migration}) in ${result.file}: ${(result.bytes / 1e6).toFixed(1)} MB, ` +
          `${result.seconds.toFixed(1)} s, sha256 ${result.header.sha256}`,
      );
      io.result(result);
    } finally {
      await database.close();
    }
  },
};

/** `npm run cli -- restore FILE [--force]`: a backup into the configured database. */
export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'Restore a backup into the database (refuses one holding a county or accounts unless --force)',
  usage: 'restore FILE [--force]',
  needsDatabase: false,
  async run({ args, io }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { force: { type: 'boolean', default: false } },
    });
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new Error('Name one backup file: restore FILE [--force]');
    const config = loadConfig();
    const target: RestoreTarget = config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : { kind: 'pglite', dataDir: config.dataDir };
    const result = await restoreBackup(target, file, { force: values.force, onProgress: io.progress });
    io.say(
      `restored ${file} (made ${result.header.createdAt} by version ${result.header.appVersion}, ` +
        `migration ${result.header.migration}) in ${result.seconds.toFixed(1)} s`,
    );
    io.result(result);
  },
};
