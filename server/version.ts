import fs from 'node:fs';

/** The application version from package.json. */
export const APP_VERSION: string = (
  JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
