import type { Server } from 'node:http';
import { createApp } from './app.js';
import { openAppContext } from './context.js';
import { loadConfig, type Config } from './config.js';
import { openDatabase, targetFromConfig, type Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createLogger, type Logger } from './logger.js';
import { demoAccountsBanner, ensureDemoAccounts } from './auth/demo.js';
import { countUsers } from './auth/store.js';
import { startBackupSchedule } from './system/backup.js';

export interface RunningServer {
  server: Server;
  database: Database;
  url: string;
  close(): Promise<void>;
}

/** Open the database, bring it up to date and start listening. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const target = targetFromConfig(config);
  logger.info(
    { db: target.kind, where: target.kind === 'pglite' ? config.dataDir : 'DATABASE_URL' },
    target.kind === 'pglite'
      ? 'opening the embedded database (the first start takes ~15 s)'
      : 'connecting to PostgreSQL',
  );
  const database = await openDatabase(target);
  try {
    const version = await migrate(database.db, {
      onProgress: (p) => logger.info(`migration ${p.index + 1}/${p.total}: ${p.version}_${p.name}`),
    });
    logger.info({ migration: version }, 'database is up to date');
  } catch (err) {
    await database.close();
    throw err;
  }
  // The demo's accounts come before the county: logging in must not wait for the county to load.
  const demoAccounts = config.loadDemo ? await ensureDemoAccounts(database.db) : [];
  const ctx = await openAppContext(database, {
    logger,
    webDir: config.webDir,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    backupDir: config.backupDir,
    backupEveryMs: config.backupEveryMs,
    backupKeep: config.backupKeep,
  });
  const stopBackups = config.backupDir
    ? startBackupSchedule({
        database,
        url: config.databaseUrl,
        dir: config.backupDir,
        everyMs: config.backupEveryMs,
        keep: config.backupKeep,
        log: logger,
        status: ctx.backupStatus,
      })
    : () => {};
  const app = createApp(ctx);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  if (config.loadDemo) void ctx.demo.ensure(ctx.onDataChanged);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  if (!config.loadDemo && (await countUsers(database.db)) === 0) {
    logger.warn('no accounts yet: create the first admin with `npm run cli -- user add --username NAME --role admin`');
  }
  if (demoAccounts.length > 0) {
    logger.info({ accounts: demoAccounts.map((a) => a.username) }, 'created the demo accounts');
    process.stdout.write(`${demoAccountsBanner(demoAccounts)}\n`);
  }
  return {
    server,
    database,
    url,
    close: async () => {
      stopBackups();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}

/** Run the server until SIGINT/SIGTERM. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  let running: RunningServer;
  try {
    running = await startServer(config, logger);
  } catch (err) {
    logger.fatal({ err }, 'could not start');
    process.exit(1);
  }
  logger.info({ url: running.url }, `山网 Shanwang is running at ${running.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
