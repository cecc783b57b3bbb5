/**
 * Starts the training worker's engine: the wasm backend where the browser can run it (WebAssembly
 * SIMD and SharedArrayBuffer, i.e. a cross-origin isolated page), the reference js backend
 * otherwise. Large matrix products are shared with nested Web Workers (wasm-thread.ts); results are
 * bit-identical for any thread count, so Node on one thread computes the same numbers.
 *
 * Worker-only (it starts Web Workers); the handler in protocol.ts takes it as an option.
 */
import { WasmBackend, type WasmWorkerFactory, getBackend, useBackend, wasmUnavailableReason } from '../src/index.js';
import type { EngineChoice, EngineEvent } from './protocol.js';

/** More threads gain the playground's small networks nothing and cost a wasm instance each. */
const MAX_THREADS = 8;
/** How long the helper threads may take to start before the engine settles for one thread. */
const THREAD_START_MS = 15000;

interface WorkerNavigatorLike {
  hardwareConcurrency?: number;
}

/** Threads to ask for: one per core the browser reports, capped. */
function wantedThreads(): number {
  const cores = (globalThis.navigator as WorkerNavigatorLike | undefined)?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(MAX_THREADS, Math.floor(cores)));
}

/**
 * A factory of nested Web Workers. `failed` resolves with the reason when one fails to load;
 * `abandon()` makes the workers it started stay silent, so a pool that gave up waiting for them can
 * never finish starting and switch the backend later.
 */
function webWorkerFactory(): { factory: WasmWorkerFactory; failed: Promise<string>; abandon(): void } {
  let abandoned = false;
  const started: Worker[] = [];
  let fail!: (why: string) => void;
  const failed = new Promise<string>((resolve) => (fail = resolve));
  const factory: WasmWorkerFactory = () => {
    const worker = new Worker(new URL('./wasm-thread.ts', import.meta.url), { type: 'module', name: 'downhill-wasm-thread' });
    started.push(worker);
    worker.addEventListener('error', (e) => {
      // Handled here (fall back to one thread): keep it from surfacing as the training worker's error.
      e.preventDefault();
      fail(`a helper thread failed to load (${e.message || 'no reason given'})`);
    });
    return {
      postMessage: (m) => worker.postMessage(m),
      onMessage: (f) => worker.addEventListener('message', (e) => {
        if (!abandoned) f(e.data);
      }),
      terminate: () => worker.terminate(),
    };
  };
  return {
    factory,
    failed,
    abandon() {
      abandoned = true;
      for (const w of started) w.terminate();
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Why the engine last chosen is not the one asked for, or null. */
let lastNote: string | null = null;

function describe(note: string | null): EngineEvent {
  lastNote = note;
  const backend = getBackend();
  const name = backend instanceof WasmBackend ? 'wasm' : 'js';
  const wasm = backend instanceof WasmBackend ? backend : null;
  return { type: 'engine', name, threads: wasm ? wasm.threads : 1, build: wasm ? wasm.build : null, note, sharedJobs: wasm?.pool?.jobs ?? 0 };
}

/** The engine in use now, as the last {@link startEngine} described it, with its counts up to date. */
export function describeEngine(): EngineEvent {
  return describe(lastNote);
}

/** The wasm backend's registered name (null: it cannot run here) and why it runs as it does. */
interface WasmStart {
  name: string | null;
  note: string | null;
}

/** Starts (once per worker) the wasm backend, with helper threads where nested workers start. */
async function startWasm(): Promise<WasmStart> {
  const reason = await wasmUnavailableReason();
  if (reason !== null) return { name: null, note: reason };
  const threads = typeof Worker === 'undefined' ? 1 : wantedThreads();
  try {
    if (threads > 1) {
      const workers = webWorkerFactory();
      // null: the pool started; else why not (a helper failed to load, or took too long).
      const problem = await Promise.race([
        useBackend('wasm', { threads, createWorker: workers.factory }).then(() => null),
        workers.failed,
        sleep(THREAD_START_MS).then(() => `the helper threads did not start within ${THREAD_START_MS / 1000} s`),
      ]);
      if (problem === null) return { name: 'wasm', note: null };
      workers.abandon();
      await useBackend('wasm', { name: 'wasm-1' });
      return { name: 'wasm-1', note: `${problem}; using one thread` };
    }
    await useBackend('wasm');
    return { name: 'wasm', note: null };
  } catch (e) {
    return { name: null, note: `the wasm engine did not start: ${e instanceof Error ? e.message : String(e)}` };
  }
}

let wasm: Promise<WasmStart> | null = null;

/**
 * Makes `choice` the backend every following op of this worker computes on and describes it.
 * 'auto' takes wasm where it runs and falls back to js quietly (the event's note says why); nothing
 * here throws.
 */
export async function startEngine(choice: EngineChoice): Promise<EngineEvent> {
  if (choice === 'js') {
    await useBackend('js');
    return describe(null);
  }
  wasm ??= startWasm();
  const { name, note } = await wasm;
  if (name === null) await useBackend('js');
  else await useBackend('auto', { name });
  return describe(note);
}
