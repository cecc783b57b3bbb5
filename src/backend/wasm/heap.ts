import type { WasmMemory } from './host-types.js';

/**
 * What a host can offer the heap so that a loop that never yields still gets its memory back:
 * a finalization registry whose callbacks can run at once (`cleanupSome`), and a full collection on
 * demand. Node can (node/collector.ts); browsers cannot, and there a loop that never yields fails
 * early with a message saying what to do.
 */
export interface SyncCollector {
  /** Makes a registry whose cleanups `cleanupSome()` runs synchronously. */
  registry<T>(cleanup: (held: T) => void): FinalizationRegistry<T> & { cleanupSome(): void };
  /** Runs a full garbage collection now. */
  gc(): void;
}

/**
 * The float32 heap of the WebAssembly backend: blocks of one shared `WebAssembly.Memory`, handed out
 * as `Float32Array` views and taken back when the garbage collector reclaims the view.
 *
 * The memory is shared (backed by a SharedArrayBuffer), so growing it never detaches a live view:
 * every view keeps pointing at the same bytes, through whichever `memory.buffer` object was current
 * when it was made. That is why a view is recognised as ours by its buffer (one of the buffers this
 * memory has had), not by comparing against the current one.
 *
 * Allocation is segregated fits: sizes are rounded up to one of four steps per power of two (at
 * most 25% slack, 64-byte granules so every block is cache-line and SIMD aligned), each size class
 * keeps a stack of free blocks, and new blocks come from a bump pointer. Blocks never merge; a
 * training loop asks for the same few sizes over and over, which this serves in O(1).
 */
export class WasmHeap {
  readonly memory: WasmMemory;
  private current: SharedArrayBuffer;
  private readonly known = new WeakSet<ArrayBufferLike>();
  private top: number;
  private readonly maxBytes: number;
  private readonly freeLists = new Map<number, number[]>();
  private readonly registry: FinalizationRegistry<number> & { cleanupSome?(): void };
  private readonly collector: SyncCollector | null;
  /** Bytes left to the collector since a finalizer last gave a block back (see PRESSURE_STEP). */
  private waiting = 0;
  /** Bytes in blocks handed out and not yet reclaimed. */
  liveBytes = 0;
  /** Largest `liveBytes` seen. */
  peakLiveBytes = 0;
  /** Bytes of views handed out since the last pressure buffer (see PRESSURE_STEP). */
  private pressure = 0;
  private ballast: ArrayBuffer | null = null;
  /** Views handed out in each open scope (innermost last), not yet left to the collector. */
  private readonly scopes: Float32Array[][] = [];
  /** Blocks freed while frees are held (address, size pairs), or null; see {@link holdFrees}. */
  private held: number[] | null = null;

  /** Zeroes bytes of the memory (the kernels' bulk fill; TypedArray.fill is slow on shared memory). */
  private readonly zero: (ptr: number, bytes: number) => void;

  constructor(memory: WasmMemory, base: number, maxBytes: number, zero: (ptr: number, bytes: number) => void, collector: SyncCollector | null = null) {
    this.memory = memory;
    this.zero = zero;
    this.current = memory.buffer as unknown as SharedArrayBuffer;
    this.known.add(this.current);
    this.top = roundUp(base, 64);
    this.maxBytes = maxBytes;
    this.collector = collector;
    const cleanup = (token: number): void => this.release(token);
    this.registry = collector ? collector.registry(cleanup) : new FinalizationRegistry<number>(cleanup);
  }

  /** The memory's current buffer (it changes, as an object, when the memory grows). */
  get buffer(): SharedArrayBuffer {
    return this.current;
  }

  /** Bytes the memory spans now. */
  get reservedBytes(): number {
    return this.current.byteLength;
  }

  /**
   * A float32 view that returns to the heap when it is garbage-collected (or when its scope
   * releases it, see {@link openScope}): zero-filled, or (`zeroed` false) holding whatever the block
   * held before, for outputs a kernel overwrites entirely.
   */
  allocF32(length: number, zeroed = true): Float32Array {
    const size = sizeClass(length * 4);
    const reused = this.freeLists.get(size)?.pop();
    const ptr = reused ?? this.bump(size);
    // Fresh memory is zero; a reused block holds old values.
    if (reused !== undefined && zeroed) this.zero(ptr, length * 4);
    const view = new Float32Array(this.current, ptr, length);
    this.liveBytes += size;
    if (this.liveBytes > this.peakLiveBytes) this.peakLiveBytes = this.liveBytes;
    const scope = this.scopes.length > 0 ? this.scopes[this.scopes.length - 1] : null;
    if (scope !== null) {
      // The scope decides at its end: straight back to the free lists, or to the collector.
      scope.push(view);
    } else {
      this.leaveToCollector(view, ptr, size);
    }
    return view;
  }

  /** Frees the block of `view` when the collector reclaims the view. */
  private leaveToCollector(view: Float32Array, ptr: number, size: number): void {
    this.registry.register(view, blockToken(ptr, size));
    this.pressure += size;
    this.waiting += size;
    if (this.pressure >= PRESSURE_STEP) {
      this.pressure = 0;
      // Replaces the previous one, which becomes garbage for the collector to count and free.
      this.ballast = new ArrayBuffer(PRESSURE_BYTES);
      if (this.waiting >= 2 * PRESSURE_STEP) this.reclaimWithoutYield();
    }
  }

  /**
   * No finalizer has given a block back for two pressure steps: the caller is likely in a loop
   * that never lets the event loop turn, where finalizers cannot run. With a host's synchronous
   * collector, run them here (after a full collection if the ones due are too few). Without one,
   * the heap grows, and {@link grow} fails early, saying what to do.
   */
  private reclaimWithoutYield(): void {
    const collector = this.collector;
    if (collector === null) return;
    this.registry.cleanupSome?.();
    if (this.waiting >= 2 * PRESSURE_STEP) {
      collector.gc();
      this.registry.cleanupSome?.();
    }
  }

  /**
   * Opens a scope: views allocated from now on until the matching {@link closeScope} are not left
   * to the garbage collector (no finalizer, no pressure).
   */
  openScope(): void {
    this.scopes.push([]);
  }

  /**
   * Closes the innermost scope. Its views in `release` go back to the free lists at once, so the
   * next allocations of their sizes reuse blocks that are still in the CPU's cache; the caller
   * guarantees nothing reads them again. The others pass to the enclosing scope, or to the
   * collector when this was the outermost one.
   */
  closeScope(release: ReadonlySet<unknown>): void {
    const views = this.scopes.pop();
    if (views === undefined) throw new Error('WasmHeap.closeScope: no scope is open');
    const outer = this.scopes.length > 0 ? this.scopes[this.scopes.length - 1] : null;
    // Newest first: the free lists are stacks, so the next step's first allocations get back the
    // blocks this one allocated first, and each step lays its tensors out as the one before.
    for (let i = views.length - 1; i >= 0; i--) {
      const view = views[i];
      const size = sizeClass(view.length * 4);
      if (release.has(view)) this.pushFree(view.byteOffset, size);
      else if (outer !== null) outer.push(view);
      else this.leaveToCollector(view, view.byteOffset, size);
    }
  }

  /** A block managed by hand (scratch space): returns its byte address; give it back with {@link free}. */
  allocRaw(bytes: number): number {
    const size = sizeClass(bytes);
    const ptr = this.freeLists.get(size)?.pop() ?? this.bump(size);
    this.liveBytes += size;
    if (this.liveBytes > this.peakLiveBytes) this.peakLiveBytes = this.liveBytes;
    return ptr;
  }

  /** Returns a block from {@link allocRaw}. */
  free(ptr: number, bytes: number): void {
    this.pushFree(ptr, sizeClass(bytes));
  }

  /** Byte address of a view into this heap (the float32 views it hands out), or -1 for any other array. */
  addressOf(array: ArrayBufferView): number {
    const buffer = array.buffer;
    // Most views are of the current buffer: one comparison before the set lookup.
    return buffer === this.current || this.known.has(buffer) ? array.byteOffset : -1;
  }

  /** A float32 view of `length` elements at byte address `ptr` (not tracked). */
  view(ptr: number, length: number): Float32Array {
    return new Float32Array(this.current, ptr, length);
  }

  private release(token: number): void {
    this.waiting = 0;
    const size = (token % 2 ** 26) * 64;
    const ptr = Math.floor(token / 2 ** 26) * 64;
    this.pushFree(ptr, size);
  }

  /**
   * Holds every block freed from now on out of the free lists until {@link releaseHeld}: work left
   * running on other threads (an optimizer update) may still read what the caller frees meanwhile
   * (the gradients, at the end of the step's scope).
   */
  holdFrees(): void {
    this.held ??= [];
  }

  /** Puts the blocks freed since {@link holdFrees} on the free lists, in the order they were freed. */
  releaseHeld(): void {
    const held = this.held;
    if (held === null) return;
    this.held = null;
    for (let i = 0; i < held.length; i += 2) this.pushFree(held[i], held[i + 1]);
  }

  private pushFree(ptr: number, size: number): void {
    if (this.held !== null) {
      this.held.push(ptr, size);
      return;
    }
    this.liveBytes -= size;
    let list = this.freeLists.get(size);
    if (list === undefined) {
      list = [];
      this.freeLists.set(size, list);
    }
    list.push(ptr);
  }

  private bump(size: number): number {
    const ptr = this.top;
    const end = ptr + size;
    if (end > this.maxBytes && this.collector !== null) {
      // Before giving up, give back every block whose view is garbage, and look again.
      this.collector.gc();
      this.registry.cleanupSome?.();
      const reused = this.freeLists.get(size)?.pop();
      if (reused !== undefined) {
        // Callers take a bumped block as fresh, zeroed memory.
        this.zero(reused, size);
        return reused;
      }
    }
    if (end > this.current.byteLength) this.grow(end);
    this.top = end;
    return ptr;
  }

  private grow(end: number): void {
    // Without a synchronous collector, memory waiting for finalizers that cannot run (a loop that
    // never yields) fails here, early and with the fix, rather than at the limit with a bigger-heap hint.
    if (this.collector === null && this.waiting >= STALL_BYTES && (end > STALL_HEAP_BYTES || end > this.maxBytes)) {
      throw new RangeError(stallMessage(this.waiting));
    }
    if (end > this.maxBytes) {
      throw new RangeError(`wasm backend: out of memory (needs ${mib(end)} MiB, the limit is ${mib(this.maxBytes)} MiB); pass a larger maxMemoryMiB to initWasmBackend`);
    }
    const have = this.current.byteLength;
    // Grow by at least a quarter (amortised O(1)) and 16 MiB, never past the limit.
    const want = Math.min(this.maxBytes, Math.max(end, have + have / 4, have + 16 * 2 ** 20));
    this.memory.grow(Math.ceil((want - have) / 65536));
    this.current = this.memory.buffer as unknown as SharedArrayBuffer;
    this.known.add(this.current);
  }
}

/**
 * The garbage collector cannot see WebAssembly memory, and weak references (the finalizers that
 * free blocks) are only cleared by full collections, which a small JS heap rarely needs: left alone,
 * a training loop grows the heap by every step's tensors. So after every PRESSURE_STEP bytes of
 * views the heap allocates (and drops) an ArrayBuffer of PRESSURE_BYTES. The collector counts it as
 * external memory, which brings on a full collection about every 64–128 MiB of tensors; being large, it
 * is mapped lazily and never touched, so it costs neither time nor resident memory. Finalizers
 * still run only when the event loop turns, so long loops should `await` now and then (fit does).
 */
const PRESSURE_STEP = 64 * 2 ** 20;
const PRESSURE_BYTES = 64 * 2 ** 20;

/**
 * Without a synchronous collector, the heap refuses to grow past STALL_HEAP_BYTES while at least
 * STALL_BYTES wait for finalizers: a loop that never yields then fails at 1 GiB, well before the
 * 4 GiB limit, with the fix in the message.
 */
const STALL_BYTES = 512 * 2 ** 20;
const STALL_HEAP_BYTES = 2 ** 30;

function stallMessage(waiting: number): string {
  return `wasm backend: ${mib(waiting)} MiB of tensors made outside tidy() are waiting for the garbage collector, which gives WebAssembly memory back only when the event loop turns; wrap each step in tidy(() => …), or await between steps (await new Promise((r) => setTimeout(r)))`;
}

/** A block's address and size in one number, the finalizer's held value (both multiples of 64). */
function blockToken(ptr: number, size: number): number {
  return (ptr / 64) * 2 ** 26 + size / 64;
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/** Block size for `bytes`: a multiple of 64 up to 1 KiB, then four steps per power of two. */
export function sizeClass(bytes: number): number {
  if (bytes <= 1024) return Math.max(64, roundUp(bytes, 64));
  const e = 31 - Math.clz32(bytes - 1); // 2^e < bytes ≤ 2^(e+1)
  const step = 2 ** (e - 2);
  return roundUp(bytes, step);
}
