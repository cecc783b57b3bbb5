/**
 * Work a backend has started but not finished when the call that started it returned: an
 * optimizer update that worker threads finish while the caller moves on (to the next batch, say),
 * as a GPU framework's kernels run behind the host. Reading any tensor's elements (`Tensor.data`)
 * settles it first, so every read sees the finished update; so do the optimizer's state
 * accessors and the backend's next job, whose arrays may not come through a tensor.
 */
export let pendingWork: (() => void) | null = null;

/**
 * Registers the function that finishes the work a backend has left running: one at a time (any
 * other is settled first); registering the same one again, for more work, changes nothing.
 */
export function leavePending(finish: () => void): void {
  if (pendingWork === finish) return;
  settlePending();
  pendingWork = finish;
}

/** Finishes any work a backend has left running; returns at once when there is none. */
export function settlePending(): void {
  const finish = pendingWork;
  if (finish === null) return;
  pendingWork = null;
  finish();
}
