import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INPUTS = ['web', 'vite.config.ts', 'scripts/vite-offline.ts', 'package-lock.json'];

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** True when dist/web is missing or older than any of its sources. */
export function webBuildIsStale(outDir = path.join(ROOT, 'dist/web')): boolean {
  const built = path.join(outDir, 'index.html');
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  return INPUTS.some((input) => newestMtime(path.join(ROOT, input)) > builtAt);
}

/** Build the web app with Vite when it is missing or stale; quiet when it is up to date. */
export async function ensureWebBuild(log: (message: string) => void = console.log): Promise<void> {
  if (!webBuildIsStale()) return;
  log('Building the web app (vite build)…');
  const { build } = await import('vite');
  await build({ root: path.join(ROOT, 'web'), configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  log('Web app built into dist/web.');
}
