// Structural stand-ins for the WebAssembly objects that public signatures mention, so the published
// types compile without the DOM lib (lib: ["ES2022"], types: []). The runtime's WebAssembly.Module
// and WebAssembly.Memory are assignable to them, and they to the runtime's.

/** A compiled WebAssembly module (`WebAssembly.Module`): opaque, only passed on to be instantiated. */
export type WasmModule = object;

/** A WebAssembly memory (`WebAssembly.Memory`; the backend's is shared): its bytes, and growth in 64 KiB pages. */
export interface WasmMemory {
  /** The memory's bytes (a SharedArrayBuffer for shared memory; a new object after each growth). */
  readonly buffer: ArrayBuffer;
  /** Grows the memory by `delta` pages and returns its previous size in pages. */
  grow(delta: number): number;
}
