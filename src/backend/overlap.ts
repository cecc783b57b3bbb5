import { getBackend } from './registry.js';

/**
 * Runs `fn` letting the active backend leave work (an optimizer step on its worker threads) running
 * past a kernel's return, and returns once all of it has finished: see `Backend.overlap`. For the
 * library's own loops only, around code whose every element read goes through kernels; on a
 * backend without asynchrony it just calls `fn`.
 */
export function overlapped<T>(fn: () => T): T {
  const backend = getBackend();
  return backend.overlap ? backend.overlap(fn) : fn();
}
