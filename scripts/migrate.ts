// `npm run migrate`: apply pending migrations to the configured database.
import { runCli } from '../server/cli/main.js';

process.exitCode = await runCli(['migrate', ...process.argv.slice(2)]);
