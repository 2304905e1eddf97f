import { readDatabaseInfo } from '../db/info.js';
import { currentMigration, readMigrations } from '../db/migrate.js';
import { APP_VERSION } from '../version.js';
import { countyCommand, generateCommand, loadCommand, statsCommand, validateCommand } from '../county/cli.js';
import { importCommand } from '../county/import/cli.js';
import { exportCommand } from '../county/export/cli.js';
import { userCommand } from '../auth/cli.js';
import { backupCommand, restoreCommand } from '../system/backup-cli.js';
import { calibrateCommand } from '../routing/calibration-cli.js';
import type { CliCommand } from './command.js';

const infoCommand: CliCommand = {
  name: 'info',
  summary: 'Show the database backend, PostGIS version and schema version',
  usage: 'info [--json]',
  needsDatabase: true,
  async run({ io, database }) {
    const info = {
      version: APP_VERSION,
      db: database!.kind,
      ...(await readDatabaseInfo(database!.db)),
      migrationsKnown: readMigrations().length,
    };
    io.say(`山网 Shanwang ${info.version}`);
    io.say(`database: ${info.db === 'pglite' ? 'embedded (PGlite)' : 'PostgreSQL server'}, PostGIS ${info.postgis}`);
    io.say(`schema version: ${info.migration}`);
    io.result(info);
  },
};

const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Apply pending migrations (also done at every start)',
  usage: 'migrate [--json]',
  needsDatabase: true,
  async run({ io, database }) {
    const migration = await currentMigration(database!.db);
    io.say(`schema version: ${migration}`);
    io.result({ migration });
  },
};

/** Every CLI command. Features add theirs here. */
export const COMMANDS: readonly CliCommand[] = [
  infoCommand,
  migrateCommand,
  statsCommand,
  validateCommand,
  generateCommand,
  loadCommand,
  countyCommand,
  importCommand,
  exportCommand,
  userCommand,
  backupCommand,
  restoreCommand,
  calibrateCommand,
];
