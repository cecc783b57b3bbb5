import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import type { TypedArray } from '../tensor/dtype.js';
import { Tensor, markReleased, tensorScope } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';

/** One open `tidy()` call: the tensors made in it, and what it must keep when it ends. */
interface Scope {
  made: Tensor[];
  /** Tensors passed to keep() while it ran. */
  kept: Tensor[];
  /** Tensors whose `.grad` a backward pass in this scope set (their gradient may be one of ours). */
  gradOwners: Tensor[];
  /** The backend whose memory scope was opened with this one (closed on the same one). */
  backend: Backend;
  parent: Scope | null;
}

let current: Scope | null = null;

/**
 * Runs `fn` and, when it returns, hands the memory of the tensors it made back to the backend at
 * once, instead of when the garbage collector gets to them. A training step run this way reuses the
 * same memory step after step, while it is still in the CPU's cache: on the wasm backend that is
 * faster, and keeps the heap small without waiting for the collector.
 *
 * Kept (still usable afterwards): the tensors in `fn`'s result (a tensor, or arrays and plain
 * objects holding tensors) with the graph they were computed through; gradients that a
 * `backward()` in `fn` left in `.grad` (of parameters, or of tensors with `retainGrad`);
 * parameters (leaves that require grad) made in `fn`; and tensors passed to {@link keep}. Every
 * other tensor made in `fn` is released: using it afterwards throws a `ReleasedTensorError`, so a
 * tensor stored outside by mistake fails loudly instead of reading reused memory. Optimizer state
 * is not a tensor and is never released. Scopes nest; what an inner scope keeps belongs to the outer
 * one. `fn` must be synchronous.
 *
 * @example
 * for (const { x, y } of loader) {
 *   const loss = tidy(() => {
 *     const loss = crossEntropyLoss(model.forward(x), y);
 *     opt.zeroGrad();
 *     loss.backward();
 *     opt.step();
 *     return loss.item();
 *   });
 * }
 */
export function tidy<T>(fn: () => T): T {
  const backend = getBackend();
  const scope: Scope = { made: [], kept: [], gradOwners: [], backend, parent: current };
  const outerMade = tensorScope.made;
  current = scope;
  tensorScope.made = scope.made;
  backend.openScope?.();
  let result: T | undefined;
  let ok = false;
  try {
    result = fn();
    ok = true;
  } finally {
    current = scope.parent;
    tensorScope.made = outerMade;
    close(scope, ok ? result : undefined);
  }
  if (result instanceof Promise) {
    throw new ValueError('tidy: the function returned a Promise; tidy() scopes are synchronous (await outside, and tidy each synchronous step)');
  }
  return result as T;
}

/**
 * Keeps `t` past the end of the innermost `tidy()` scope (it then belongs to the enclosing scope,
 * or to the garbage collector). Outside a scope it does nothing. Returns `t`.
 */
export function keep<T extends Tensor>(t: T): T {
  current?.kept.push(t);
  return t;
}

/** Called by backward when it sets `owner.grad`, so the scope can keep that gradient. */
export function noteGradOwner(owner: Tensor): void {
  current?.gradOwners.push(owner);
}

function close(scope: Scope, result: unknown): void {
  const mine = new Set(scope.made);
  const keepers = new Set<Tensor>();
  // A kept tensor keeps its gradient and the graph it came from, with what each node's backward
  // reads besides its inputs (so backward can still run through it).
  const keepTensor = (t: Tensor): void => {
    const stack = [t];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (keepers.has(x) || !mine.has(x)) continue;
      keepers.add(x);
      if (x.grad !== null) stack.push(x.grad);
      if (x.gradNode !== null) {
        stack.push(...x.gradNode.inputs);
        if (x.gradNode.saved) stack.push(...x.gradNode.saved);
      }
    }
  };
  collectTensors(result, keepTensor);
  for (const t of scope.kept) keepTensor(t);
  for (const owner of scope.gradOwners) if (owner.grad !== null) keepTensor(owner.grad);
  for (const t of scope.made) if (t.requiresGrad && t.gradNode === null) keepTensor(t);

  const keptData = new Set<TypedArray>();
  for (const t of keepers) keptData.add(t.data);
  const release = new Set<TypedArray>();
  for (const t of scope.made) if (!keptData.has(t.data)) release.add(t.data);
  scope.backend.closeScope?.(release);
  for (const t of scope.made) {
    if (release.has(t.data)) markReleased(t);
    else scope.parent?.made.push(t);
  }
  if (scope.parent) scope.parent.gradOwners.push(...scope.gradOwners);
}

/** Calls `visit` on every tensor in `value`: a tensor, or arrays, Maps and plain objects holding them. */
function collectTensors(value: unknown, visit: (t: Tensor) => void, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Tensor) {
    visit(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, visit, seen);
  } else if (value instanceof Map) {
    for (const v of value.values()) collectTensors(v, visit, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, visit, seen);
  }
}
