// Finalizers that run inside a synchronous loop, for the wasm backend's heap (src/backend/wasm/heap.ts).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { SyncCollector } from '../src/backend/wasm/index.js';

type SyncRegistry = new <T>(cleanup: (held: T) => void) => FinalizationRegistry<T> & { cleanupSome(): void };

let cached: SyncCollector | null | undefined;

/**
 * Node's synchronous collector, or null where this Node cannot offer one. A PyTorch-style loop
 * that never awaits leaves the WebAssembly memory of its tensors to finalizers, which normally run
 * only when the event loop turns; V8 can run them on demand (`cleanupSome`, behind a flag) and
 * collect on demand (`gc`). Both are switched on for a fresh context only — this process's own
 * globals are not changed — and the heap calls them only when no finalizer has run for a while.
 */
export function nodeSyncCollector(): SyncCollector | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    setFlagsFromString('--expose-gc');
    setFlagsFromString('--harmony-weak-refs-with-cleanup-some');
    const fresh = runInNewContext('({ gc: typeof gc === "function" ? gc : null, Registry: FinalizationRegistry })') as { gc: (() => void) | null; Registry: SyncRegistry };
    const { gc, Registry } = fresh;
    if (gc !== null && typeof Registry.prototype.cleanupSome === 'function') {
      cached = { registry: (cleanup) => new Registry(cleanup), gc };
    }
  } catch {
    // Flags unknown to this V8: no synchronous collector; the heap then fails early with advice.
  }
  return cached;
}
