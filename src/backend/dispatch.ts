import type { Backend } from './backend.js';
import type { TypedArray } from '../tensor/dtype.js';

/** The methods of {@link Backend} that compute on arrays: every entry a dispatch must order. */
export type KernelName = Exclude<
  { [K in keyof Backend]-?: NonNullable<Backend[K]> extends (...args: never[]) => unknown ? K : never }[keyof Backend],
  'alloc' | 'allocUninitialized' | 'openScope' | 'closeScope' | 'overlap'
>;

/**
 * Every kernel of the seam, checked by the compiler against the interface: a kernel added to
 * `Backend` tomorrow fails to compile until it is listed here, so no backend's dispatch can miss it.
 */
export const KERNEL_NAMES = {
  unary: true, binary: true, accumulate: true, matmul: true, reduce: true, argReduce: true,
  stridedCopy: true, gatherRows: true, scatterAddRows: true, select: true, matmulFused: true,
  sgdStep: true, adamStep: true, softmaxCrossEntropy: true, softmaxCrossEntropyBackward: true,
} as const satisfies Record<KernelName, true>;

/**
 * Calls `visit` on every typed array a kernel's arguments hold: the arrays passed directly, and
 * those inside argument arrays and plain objects one level down (the fused optimizer steps' items).
 * Scalars, shapes and strides are skipped. Returns true as soon as `visit` does.
 */
export function someArrayIn(args: ArrayLike<unknown>, visit: (array: TypedArray) => boolean): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (ArrayBuffer.isView(arg)) {
      if (visit(arg as TypedArray)) return true;
    } else if (Array.isArray(arg)) {
      for (const item of arg) {
        if (item !== null && typeof item === 'object' && !ArrayBuffer.isView(item)) {
          for (const field of Object.values(item as Record<string, unknown>)) {
            if (ArrayBuffer.isView(field) && visit(field as TypedArray)) return true;
          }
        }
      }
    }
  }
  return false;
}

/** What {@link routeKernels} asks before each kernel: whether work is open, and how to order a kernel after it. */
export interface KernelOrder {
  /** True while work the backend left running may still read or write arrays. */
  readonly open: boolean;
  /** Waits for the open work a kernel called with `args` must follow (called only while `open`). */
  order(name: KernelName, args: ArrayLike<unknown>): void;
}

/**
 * Routes every kernel of `backend` through `ordering`: while work is open, `order(name, args)` runs
 * ahead of the kernel with its arguments. This is the one dispatch path a backend with
 * asynchronous work orders its kernels in; methods the backend does not have (optional fused
 * kernels) stay absent.
 */
export function routeKernels<B extends Backend>(backend: B, ordering: KernelOrder): B {
  const target = backend as unknown as Record<KernelName, ((...args: unknown[]) => unknown) | undefined>;
  for (const name of Object.keys(KERNEL_NAMES) as KernelName[]) {
    const kernel = target[name];
    if (typeof kernel !== 'function') continue;
    target[name] = function routed(this: unknown): unknown {
      // `arguments` passed straight on: no array is made per call when nothing is open.
      if (ordering.open) ordering.order(name, arguments);
      return kernel.apply(backend, arguments as unknown as unknown[]);
    };
  }
  return backend;
}
