// `npm start`: build the web app if needed, then run the server on the configured database.
import { main } from '../server/main.js';
import { ensureWebBuild } from './web-build.js';

await ensureWebBuild();
await main();
