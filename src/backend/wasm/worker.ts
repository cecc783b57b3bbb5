import { CONTROL_ADDRESS, DONE, F, GEN, JOB_GEMM, QUIT, slotOf } from './control.js';
import { instantiateKernels } from './kernels.js';

/**
 * The two ends of a worker's message channel, as the host gives them (`parentPort` in Node's
 * worker_threads, `self` in a Web Worker), so this module needs no host API.
 */
export interface WorkerEndpoint {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** What the main thread sends a new worker. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  index: number;
}

/** How long a worker polls for the next job before it sleeps (Atomics.load iterations, a few µs: longer spins steal the core from the main thread when cores are shared). */
const SPIN = 2000;

/**
 * Runs a compute worker of the WebAssembly backend: instantiates the kernels over the shared memory
 * it is sent, reports ready, then loops forever running the jobs the main thread posts in its slot
 * of the control block. Call this from the worker script the host's worker factory starts.
 *
 * @example
 * // a Web Worker script
 * serveWasmWorker({ postMessage: (m) => self.postMessage(m), onMessage: (f) => self.addEventListener('message', (e) => f(e.data)) });
 */
export function serveWasmWorker(endpoint: WorkerEndpoint): void {
  let started = false;
  endpoint.onMessage((message) => {
    if (started) return;
    started = true;
    const init = message as WorkerInit;
    void instantiateKernels(init.module, init.memory).then((kernels) => {
      const ctrl = new Int32Array(init.memory.buffer, CONTROL_ADDRESS, 16 * 80);
      const slot = slotOf(init.index);
      let seen = Atomics.load(ctrl, GEN);
      endpoint.postMessage({ ready: init.index });
      for (;;) {
        let gen = Atomics.load(ctrl, GEN);
        for (let spins = 0; gen === seen && spins < SPIN; spins++) gen = Atomics.load(ctrl, GEN);
        if (gen === seen) {
          // Wake now and then, so a host that terminates the worker (at exit) is not kept waiting.
          Atomics.wait(ctrl, GEN, seen, 200);
          gen = Atomics.load(ctrl, GEN);
          if (gen === seen) continue;
        }
        seen = gen;
        if (Atomics.load(ctrl, QUIT) !== 0) return;
        if (ctrl[slot + F.kind] === JOB_GEMM) {
          const [pa, pb, out, m, k, n, jb0, jb1, bias, mode, b, transB] = [
            ctrl[slot + F.pa], ctrl[slot + F.pb], ctrl[slot + F.out], ctrl[slot + F.m], ctrl[slot + F.k], ctrl[slot + F.n],
            ctrl[slot + F.jb0], ctrl[slot + F.jb1], ctrl[slot + F.bias], ctrl[slot + F.mode], ctrl[slot + F.b], ctrl[slot + F.transB],
          ];
          if (jb1 > jb0) {
            kernels.packB(b, k, n, transB, pb, jb0, jb1);
            kernels.gemmTiles(pa, pb, out, m, k, n, jb0, jb1, bias, mode);
          }
        }
        Atomics.add(ctrl, DONE, 1);
      }
    });
  });
}
