import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalUrls } from './vite-offline.js';

const DIST = path.resolve('dist/web');

function builtFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? builtFiles(full) : [full];
  });
}

describe('the built web app', () => {
  it('names no external URL in any file (the county network may have no internet)', () => {
    const files = builtFiles(DIST);
    expect(files.some((file) => file.endsWith('index.html'))).toBe(true);
    const found = files.flatMap((file) =>
      externalUrls(fs.readFileSync(file, 'latin1')).map((url) => `${path.relative(DIST, file)}: ${url}`),
    );
    expect(found).toEqual([]);
  });

  it('finds external URLs where they are, and lets XML namespaces pass', () => {
    expect(externalUrls('a="https://unpkg.com/@loaders.gl/x" b="http://www.w3.org/2000/svg"')).toEqual([
      'https://unpkg.com/@loaders.gl/x',
    ]);
  });
});
