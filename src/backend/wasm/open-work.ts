import { type KernelName, type KernelOrder, someArrayIn } from '../dispatch.js';
import type { TypedArray } from '../../tensor/dtype.js';
import type { WasmHeap } from './heap.js';

/** Kernels that share the workers' job slots or the optimizer table with any open work. */
const SETTLES_ALWAYS: ReadonlySet<KernelName> = new Set<KernelName>(['matmul', 'matmulFused', 'sgdStep', 'adamStep']);

/**
 * The work the WebAssembly backend has left running on its workers, private to the backend: an
 * optimizer step posted inside an {@link overlap} scope returns before it is done, and this keeps
 * the heap ranges it reads and writes. Every kernel passes through {@link order} (the backend's
 * dispatch, dispatch.ts) and waits only if it touches one of those ranges; leaving the scope
 * finishes everything, so no public call ever returns with work half done.
 */
export class OpenWork implements KernelOrder {
  /** Heap byte ranges [start, end) the open work reads or writes, as flat pairs. */
  private readonly ranges: number[] = [];
  private depth = 0;
  open = false;

  constructor(private readonly heap: WasmHeap, private readonly join: () => void) {}

  /** Whether work may be left running now (inside an overlap scope). */
  get allowed(): boolean {
    return this.depth > 0;
  }

  /**
   * Records posted work as running past its call, with the heap ranges it touches. Frees are held
   * meanwhile: the work may still read blocks the caller frees (a step's gradients, as its
   * `tidy()` scope ends).
   */
  leave(ranges: readonly number[]): void {
    for (let i = 0; i < ranges.length; i++) this.ranges.push(ranges[i]);
    this.heap.holdFrees();
    this.open = true;
  }

  /** Finishes all open work, then gives the heap the blocks freed meanwhile. */
  settle(): void {
    if (!this.open) return;
    this.open = false;
    this.join();
    this.ranges.length = 0;
    this.heap.releaseHeld();
  }

  /** Whether the open work may read or write `array`. */
  touches(array: TypedArray): boolean {
    const start = this.heap.addressOf(array);
    if (start < 0) return false;
    const end = start + array.byteLength;
    const r = this.ranges;
    for (let i = 0; i < r.length; i += 2) if (start < r[i + 1] && r[i] < end) return true;
    return false;
  }

  /**
   * Before a kernel: waits for the open work if the kernel's arrays touch it, or if the kernel
   * needs what it holds — the workers' job slots (products) or the optimizer's table (steps).
   */
  order(name: KernelName, args: ArrayLike<unknown>): void {
    if (SETTLES_ALWAYS.has(name) || someArrayIn(args, this.touchesArray)) this.settle();
  }

  private readonly touchesArray = (array: TypedArray): boolean => this.touches(array);

  /** Runs `fn` with leaving work open allowed, and settles when the outermost scope ends. */
  overlap<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      if (--this.depth === 0) this.settle();
    }
  }
}
