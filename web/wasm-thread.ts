/**
 * A compute thread of the wasm engine, started by the training worker (engine.ts): it instantiates
 * the kernels over the shared memory it is sent and takes its share of large matrix products.
 */
import { serveWasmWorker } from '../src/index.js';

interface ThreadScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

const scope = self as unknown as ThreadScope;
serveWasmWorker({
  postMessage: (m) => scope.postMessage(m),
  onMessage: (f) => scope.addEventListener('message', (e) => f(e.data)),
});
