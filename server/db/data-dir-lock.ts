import fs from 'node:fs';
import path from 'node:path';

const LOCK_FILE = 'shanwang.lock';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Create the lock file with our pid; false when it exists already. */
function tryCreate(file: string): boolean {
  try {
    fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Take the embedded database's folder for this process. PGlite has no locking of its own and two
 * processes writing one folder would corrupt it, so a second opener (a CLI command while
 * `npm start` runs) gets a clear error instead. A lock left by a dead process is taken over.
 * Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(file)) {
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
    }
    const holder = Number(fs.readFileSync(file, 'utf8'));
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${holder} (is \`npm start\` running?). ` +
          'Stop it first, or use a PostgreSQL server (DATABASE_URL) for concurrent access.',
      );
    }
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not lock the embedded database folder ${dataDir}.`);
}
