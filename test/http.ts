import type { Server } from 'node:http';
import path from 'node:path';
import { createApp } from '../server/app.js';
import { createAppContext } from '../server/context.js';
import { readDatabaseInfo } from '../server/db/info.js';
import type { Database } from '../server/db/database.js';
import { createLogger } from '../server/logger.js';
import { APP_VERSION } from '../server/version.js';

export interface TestServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** The real application on an ephemeral loopback port, over the given database. */
export async function startTestServer(database: Database): Promise<TestServer> {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const app = createApp(
    createAppContext({
      database,
      logger,
      config: { webDir: path.resolve('dist/web') },
      databaseInfo: await readDatabaseInfo(database.db),
      version: APP_VERSION,
    }),
  );
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  // Longer than the client's keep-alive: a slow request on PGlite must not race a closing socket (ECONNRESET).
  server.keepAliveTimeout = 60_000;
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
