import type { Config } from './config.js';
import type { DemoCounty } from './county/demo.js';
import type { Database } from './db/database.js';
import type { Logger } from './logger.js';
import type { MapData } from './map/map-data.js';

/** What every feature's routes are built from: the open database, the logger and settings. */
export interface AppContext {
  database: Database;
  logger: Logger;
  config: Pick<Config, 'webDir'>;
  /** What the database is, read once at start (health must answer even while PGlite is busy). */
  databaseInfo: { postgis: string | null; migration: number };
  /** The demo county's generation and loading, when it runs. */
  demo: DemoCounty;
  /** Tiles of the map, built from the database and rebuilt after changes. */
  mapData: MapData;
  /** Application version, from package.json. */
  version: string;
}
