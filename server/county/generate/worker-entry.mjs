// Worker threads cannot load TypeScript directly: this entry loads the generator through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
