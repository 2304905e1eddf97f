import type { Config } from './config.js';
import { readDatabaseInfo } from './db/info.js';
import { APP_VERSION } from './version.js';
import { DemoCounty } from './county/demo.js';
import type { Database } from './db/database.js';
import type { Logger } from './logger.js';
import { MapData } from './map/map-data.js';
import { PolicingService } from './policing/service.js';
import { RoadRouting } from './routing/service.js';
import { RiskService } from './risk/service.js';
import { HolidayService } from './holidays/service.js';
import { GridService } from './grids/service.js';
import { Sessions } from './auth/session.js';
import type { BackupScheduleStatus } from './system/backup.js';

/** What every feature's routes are built from: the open database, the logger and settings. */
export interface AppContext {
  database: Database;
  logger: Logger;
  config: Pick<Config, 'webDir' | 'trustProxy' | 'publicUrl'> &
    Partial<Pick<Config, 'backupDir' | 'backupEveryMs' | 'backupKeep'>>;
  /** What the scheduled backups last did (none scheduled: never changes). */
  backupStatus: BackupScheduleStatus;
  /** What the database is, read once at start (health must answer even while PGlite is busy). */
  databaseInfo: { postgis: string | null; migration: number };
  /** The demo county's generation and loading, when it runs. */
  demo: DemoCounty;
  /** Tiles of the map, built from the database and rebuilt after changes. */
  mapData: MapData;
  /** Backpack policing over the routing engine (its network and attached places, kept until the data changes). */
  policing: PolicingService;
  /** Holiday policing: problems built with road drive times, solved with HiGHS. */
  holidays: HolidayService;
  /** Grid planning: units built per county and kept in memory with their road graph, plans and edits. */
  grids: GridService;
  /** The risk map's event indexes (built per county on first use, kept until the data changes). */
  risk: RiskService;
  /** Sessions of logged-in users (cookies, CSRF tokens, a short cache). */
  sessions: Sessions;
  /** Tell every cache built from the database that the data changed (after an import or a county load). */
  onDataChanged(): void;
  /** Application version, from package.json. */
  version: string;
}

/** The context of an open database: the caches built from it, and one signal that resets them all. */
export function createAppContext(
  base: Pick<AppContext, 'database' | 'logger' | 'config' | 'databaseInfo' | 'version'>,
): AppContext {
  const mapData = new MapData(base.database.db);
  const routing = new RoadRouting(base.database.db);
  const policing = new PolicingService(base.database.db, routing);
  const holidays = new HolidayService(base.database.db, routing);
  const risk = new RiskService(base.database.db);
  const grids = new GridService(base.database.db, routing);
  return {
    ...base,
    demo: new DemoCounty(base.database.db, base.logger),
    mapData,
    policing,
    risk,
    holidays,
    grids,
    sessions: new Sessions(base.database.db),
    backupStatus: { lastError: null, running: false },
    onDataChanged: () => {
      mapData.invalidate();
      policing.invalidate();
      holidays.invalidate();
      risk.invalidate();
      grids.invalidate();
    },
  };
}

/** The context of an open, migrated database, with what it is read from it now and this version of the app. */
export async function openAppContext(
  database: Database,
  options: { logger: Logger; webDir: string } & Partial<
    Pick<Config, 'trustProxy' | 'publicUrl' | 'backupDir' | 'backupEveryMs' | 'backupKeep'>
  >,
): Promise<AppContext> {
  const { backupDir, backupEveryMs, backupKeep } = options;
  return createAppContext({
    database,
    logger: options.logger,
    config: {
      webDir: options.webDir,
      trustProxy: options.trustProxy ?? false,
      publicUrl: options.publicUrl,
      ...(backupDir ? { backupDir, backupEveryMs, backupKeep } : {}),
    },
    databaseInfo: await readDatabaseInfo(database.db),
    version: APP_VERSION,
  });
}
