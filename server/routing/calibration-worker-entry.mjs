// Worker threads cannot load TypeScript directly: this entry loads the calibration worker through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./calibration-worker.ts', import.meta.url);
