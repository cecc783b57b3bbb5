import type { TypedArray } from './dtype.js';

/**
 * Work a backend has started but not finished when the call that started it returned: a matrix
 * product or an optimizer update that worker threads finish while the caller moves on (to the
 * next batch, say), as a GPU framework's kernels run behind the host. Reading a tensor's elements
 * (`Tensor.data`) settles it first when the work may touch them, so every read sees finished
 * values; so does a kernel given such an array (it may not come through a tensor), the backend's
 * next product, and the optimizer's state accessors.
 */
export let pendingWork: (() => void) | null = null;

/** Whether the pending work reads or writes `array` (null: assume it may touch anything). */
let pendingTouches: ((array: TypedArray) => boolean) | null = null;

/**
 * Registers the function that finishes the work a backend has left running, and (optionally) one
 * that tells which arrays that work touches, so reads of others need not wait: one registration
 * at a time (any other is settled first); registering the same `finish` again, for more work,
 * changes nothing.
 */
export function leavePending(finish: () => void, touches: ((array: TypedArray) => boolean) | null = null): void {
  if (pendingWork === finish) return;
  settlePending();
  pendingWork = finish;
  pendingTouches = touches;
}

/** Finishes any work a backend has left running; returns at once when there is none. */
export function settlePending(): void {
  const finish = pendingWork;
  if (finish === null) return;
  pendingWork = null;
  pendingTouches = null;
  finish();
}

/** Finishes the work a backend has left running if it may read or write `array`. */
export function settleFor(array: TypedArray): void {
  if (pendingWork !== null && (pendingTouches === null || pendingTouches(array))) settlePending();
}
