// Worker thread entry: the emulator runs from TypeScript source (tsx, vitest, Playwright), and a
// worker thread does not inherit its parent's loader, so the worker loads its module via tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./unit-worker.ts', import.meta.url);
