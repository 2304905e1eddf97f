import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Logger } from './logger.js';

/** What every feature's routes are built from: the open database, the logger and settings. */
export interface AppContext {
  database: Database;
  logger: Logger;
  config: Pick<Config, 'webDir'>;
  /** Application version, from package.json. */
  version: string;
}
