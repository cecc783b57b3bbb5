// Starts the TypeScript worker script through tsx's loader (worker threads do not inherit it on
// Node 20), then removes the loader again (the worker imports nothing more).
import { register } from 'tsx/esm/api';

const unregister = register();
await import('./wasm-worker.ts');
await unregister();
