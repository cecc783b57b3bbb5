import { CONTROL_ADDRESS, CONTROL_WORDS, F, GEN, QUIT, SLEEPERS, slotOf } from './control.js';
import { isDone, runShare } from './gemm-share.js';
import { instantiateKernels } from './kernels.js';
import type { WasmMemory, WasmModule } from './host-types.js';

/**
 * The two ends of a worker's message channel, as the host gives them (`parentPort` in Node's
 * worker_threads, `self` in a Web Worker), so this module needs no host API.
 */
export interface WorkerEndpoint {
  /** Sends a message to the main thread (the worker posts `{ ready: index }` once, when its kernels are instantiated). */
  postMessage(message: unknown): void;
  /** Registers a listener for the main thread's messages; only the first (module, shared memory, worker index) is used. */
  onMessage(listener: (message: unknown) => void): void;
}

/** What the main thread sends a new worker. */
export interface WorkerInit {
  module: WasmModule;
  memory: WasmMemory;
  index: number;
}

/**
 * How long a worker polls for the next job before it sleeps, in Atomics.load iterations (about
 * 7 ns each: some 150 µs). A training step's products come a few tens of µs apart, and waking from
 * a sleep costs some tens of µs; in the benchmark about one job in thirty still finds the worker
 * asleep (after the loop's own work between steps), and spinning 2.5× longer measured the same.
 * Much longer spins steal the core from other work: on two cores, polling for 1 ms made a run's
 * first epochs slower on two threads than on one (bench/threads-short.ts), as the spinning worker
 * took the core V8's background compiler and collector were using.
 */
const SPIN = 20000;

/**
 * Runs a compute worker of the WebAssembly backend: instantiates the kernels over the shared memory
 * it is sent, reports ready, then loops forever taking its share of the jobs the main thread posts
 * in the control block. Call this from the worker script the host's worker factory starts.
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
      const ctrl = new Int32Array(init.memory.buffer, CONTROL_ADDRESS, CONTROL_WORDS);
      let seen = Atomics.load(ctrl, GEN);
      endpoint.postMessage({ ready: init.index });
      for (;;) {
        let gen = Atomics.load(ctrl, GEN);
        for (let spins = 0; gen === seen && spins < SPIN; spins++) gen = Atomics.load(ctrl, GEN);
        if (gen === seen) {
          // Announced before waiting (and GEN checked again after), so a job posted meanwhile is
          // either seen here or notified: the poster notifies only while SLEEPERS > 0. Wake now
          // and then, so a host that terminates the worker (at exit) is not kept waiting.
          Atomics.add(ctrl, SLEEPERS, 1);
          if (Atomics.load(ctrl, GEN) === seen) Atomics.wait(ctrl, GEN, seen, 200);
          Atomics.sub(ctrl, SLEEPERS, 1);
          continue;
        }
        // Every job posted since, in order (the two job slots hold at most two).
        while (seen !== gen) {
          const job = (seen + 1) | 0;
          seen = job;
          if (Atomics.load(ctrl, QUIT) !== 0) return;
          // Workers past the pool's active thread count sit this job out.
          if (init.index + 1 >= ctrl[slotOf(job) + F.threads]) continue;
          // Job g may read what job g − 1 writes: wait until it is done (its units are all claimed,
          // this thread's among them, so only others' last claims remain).
          while (!isDone(ctrl, (job - 1) | 0)) { /* spin */ }
          runShare(ctrl, job, kernels);
        }
      }
    });
  });
}
