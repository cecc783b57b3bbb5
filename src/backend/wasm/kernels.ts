import type { BinaryOp, ReduceOp, UnaryOp } from '../backend.js';
import { kernelsFmaWasmBase64 } from './kernels-fma.generated.js';
import { kernelsWasmBase64 } from './kernels-simd.generated.js';
import type { WasmMemory, WasmModule } from './host-types.js';

/** The exports of the compiled kernels (asm/index.ts); addresses are bytes, counts are elements. */
export interface WasmKernels {
  unary(op: number, x: number, out: number, n: number, p: number, q: number): void;
  binary(op: number, a: number, sa0: number, sa1: number, b: number, sb0: number, sb1: number, out: number, rows: number, cols: number): void;
  accumulate(dst: number, src: number, n: number): void;
  select(cond: number, a: number, b: number, out: number, n: number): void;
  reduce(op: number, x: number, out: number, outer: number, length: number, inner: number): void;
  /** The SGD updates of blocks [b0, b1) of a table of parameters (asm/optim.ts). */
  sgdBlocks(table: number, b0: number, b1: number): void;
  /** The Adam updates of blocks [b0, b1) of a table of parameters (asm/optim.ts). */
  adamBlocks(table: number, b0: number, b1: number): void;
  packB(b: number, m: number, k: number, n: number, transB: number, dst: number, jb0: number, jb1: number): void;
  /** A is read in place, and an untransposed B's full panels unless the product is large (asm packsFullPanels); other panels of B come from `pb`, packed by packB. */
  gemmTiles(a: number, transA: number, b: number, transB: number, pb: number, out: number, m: number, k: number, n: number, jb0: number, jb1: number, bias: number, mode: number): void;
  packBytes(k: number, n: number): number;
  /** Softmax cross-entropy of (n, c) logits with int32 labels: writes probs, returns the mean loss; `e` is scratch for c float64. */
  softmaxCrossEntropy(logits: number, labels: number, n: number, c: number, probs: number, e: number): number;
  zero(ptr: number, bytes: number): void;
  /** Rows of `rowBytes` bytes of x picked by `count` int32 indices at `indices`, copied one after another to out. */
  gatherRows(x: number, indices: number, count: number, rowBytes: number, out: number): void;
  /** Register-only SIMD multiply-adds (96 flops a round), for measuring the machine's roof. */
  roof(iters: number, seed: number): number;
  /** The optimizer tables' header and item sizes in bytes, and the update kernels' flag bits (asm/optim.ts). */
  readonly SGD_HEADER: WasmGlobal; readonly SGD_ITEM: WasmGlobal; readonly ADAM_HEADER: WasmGlobal; readonly ADAM_ITEM: WasmGlobal;
  readonly SGD_MAXIMIZE: WasmGlobal; readonly SGD_MOMENTUM: WasmGlobal; readonly SGD_FIRST: WasmGlobal; readonly SGD_NESTEROV: WasmGlobal;
  readonly ADAM_MAXIMIZE: WasmGlobal; readonly ADAM_DECOUPLED: WasmGlobal; readonly ADAM_AMSGRAD: WasmGlobal; readonly ADAM_LERP_FROM_END: WasmGlobal;
}

/** An exported constant of the kernels (a WebAssembly global). */
export interface WasmGlobal {
  readonly value: number;
}

/** Column panel width of the matmul micro-kernel (asm/tiles.ts NR). */
export const MATMUL_NR = 8;

/** Unary ops with a SIMD kernel, by their code in asm/elementwise.ts; the rest run the JS kernels on the views. */
export const unaryCodes: Partial<Record<UnaryOp, number>> = {
  copy: 0, neg: 1, abs: 2, square: 3, sqrt: 4, relu: 5, reluMask: 6, leakyRelu: 7, leakyReluSlope: 8, clamp: 9, sign: 10,
};

/** Binary ops with a SIMD kernel (pow runs the JS kernel). */
export const binaryCodes: Partial<Record<BinaryOp, number>> = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, eq: 6, ne: 7, lt: 8, le: 9, gt: 10, ge: 11, reluGrad: 12,
};

export const reduceCodes: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2 };

/** Matmul epilogues (gemmTiles `mode`). */
export const GEMM_PLAIN = 0;
export const GEMM_BIAS = 1;
export const GEMM_BIAS_RELU = 2;
export const GEMM_RELU = 3;

/**
 * Which build of the kernels: `'fma'` computes matrix products with relaxed SIMD's fused
 * multiply-add (where the CPU has FMA: twice the multiply-add rate, each product rounded once);
 * `'simd'` with a multiply then an add, which gives the same bits on every machine.
 */
export type KernelBuild = 'fma' | 'simd';

const decoded = new Map<KernelBuild, Uint8Array<ArrayBuffer>>();

/** The wasm bytes of one build of the kernels, decoded from the generated module once per realm. */
export function kernelBytes(build: KernelBuild = 'simd'): Uint8Array<ArrayBuffer> {
  let bytes = decoded.get(build);
  if (!bytes) {
    const text = atob(build === 'fma' ? kernelsFmaWasmBase64 : kernelsWasmBase64);
    bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    decoded.set(build, bytes);
  }
  return bytes;
}

/**
 * Whether this runtime takes the relaxed-SIMD build (Chromium ≥ 114, Node ≥ 22; Node 20 only with
 * V8's relaxed-SIMD flag on, which `downhill/node` turns on). Asked anew each time, since the flag
 * can be switched on after start.
 */
export function relaxedSimdAvailable(): boolean {
  return typeof WebAssembly !== 'undefined' && WebAssembly.validate(kernelBytes('fma'));
}

const compiled = new Map<KernelBuild, Promise<WebAssembly.Module>>();

/** Compiles a build of the kernels once per realm. Rejects where WebAssembly SIMD or threads (or, for 'fma', relaxed SIMD) are missing. */
export function compileKernels(build: KernelBuild = 'simd'): Promise<WasmModule> {
  let module = compiled.get(build);
  if (!module) {
    module = WebAssembly.compile(kernelBytes(build));
    compiled.set(build, module);
  }
  return module;
}

/** Instantiates the kernels over `memory` (each thread has its own instance of the same memory). */
export async function instantiateKernels(module: WasmModule, memory: WasmMemory): Promise<WasmKernels> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return instance.exports as unknown as WasmKernels;
}
