// `npm run cli -- <command>`: see server/cli/commands.ts for the commands.
import { runCli } from '../server/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
