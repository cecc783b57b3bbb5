// The worker script of the wasm backend's threads under Node (worker_threads).
import { parentPort } from 'node:worker_threads';
import { serveWasmWorker } from '../src/backend/wasm/index.js';

if (!parentPort) throw new Error('wasm-worker: must run as a worker thread');
const port = parentPort;
serveWasmWorker({
  postMessage: (m) => port.postMessage(m),
  onMessage: (f) => port.on('message', f),
});
