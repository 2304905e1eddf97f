// Worker threads cannot load TypeScript directly: this entry loads the database thread through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./pglite-worker.ts', import.meta.url);
