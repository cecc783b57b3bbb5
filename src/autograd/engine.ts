import { getBackend } from '../backend/registry.js';
import { type FloatArray, isFloat } from '../tensor/dtype.js';
import { shapesEqual, sizeOf, stridesOf } from '../tensor/shape.js';
import { type GradNode, Tensor } from '../tensor/tensor.js';
import { ShapeError, formatShape } from '../util/errors.js';
import { noGrad } from './grad-mode.js';
import { noteGradOwner } from './tidy.js';

/** Options for {@link backward}. */
export interface BackwardOptions {
  /** Keep the graph so `backward` can run through it again (default false: it is freed). */
  retainGraph?: boolean;
}

/** Stands in for a node whose graph was freed by an earlier `backward`. */
function freedNode(op: string): GradNode {
  return {
    op,
    inputs: [],
    vjp() {
      throw new Error(`backward: the graph through '${op}' was already freed by an earlier backward(); pass { retainGraph: true } to the first call to backward through it twice`);
    },
  };
}

/**
 * Reverse-mode differentiation from `root`. Fills `.grad` on every leaf that requires grad,
 * accumulating (`+=`) into gradients already there.
 *
 * The walk is iterative (a topological order built with an explicit stack), so graphs of any depth
 * work. Each input gradient is reduced over broadcast dimensions here — the only place broadcasting's
 * gradient is handled — and then checked against its input's shape, naming the op on a mismatch.
 */
export function backward(root: Tensor, gradOutput?: Tensor, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new Error('backward: this tensor does not require grad; create its inputs with { requiresGrad: true }');
  }
  let seed: Tensor;
  if (gradOutput === undefined) {
    if (root.size !== 1) {
      throw new ShapeError(`backward: a gradient must be given for a non-scalar output of shape ${formatShape(root.shape)}`);
    }
    const ones = getBackend().alloc(floatDType(root), 1);
    ones[0] = 1;
    seed = new Tensor(ones, root.shape);
  } else {
    if (!shapesEqual(gradOutput.shape, root.shape)) {
      throw new ShapeError(`backward: gradOutput has shape ${formatShape(gradOutput.shape)} but the output has shape ${formatShape(root.shape)}`);
    }
    seed = gradOutput;
  }

  // Gradient rules compute with ordinary ops; they must not record a graph of their own.
  noGrad(() => walk(root, seed, options));
}

function walk(root: Tensor, seed: Tensor, options: BackwardOptions): void {
  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  // Gradient buffers that belong to someone already (the caller's seed, a .grad filled in this
  // walk): a leaf whose gradient is one of these gets a copy; any other fresh buffer it may keep.
  const taken = new Set<unknown>([seed.data]);
  for (let t = order.length - 1; t >= 0; t--) {
    const tensor = order[t];
    const g = grads.get(tensor);
    if (g === undefined) continue;
    grads.delete(tensor);
    const node = tensor.gradNode;
    if (node === null) {
      accumulateInto(tensor, g, taken);
      continue;
    }
    if (tensor.retainsGrad) accumulateInto(tensor, g, taken);
    const inputGrads = node.vjp(g);
    for (let i = 0; i < node.inputs.length; i++) {
      const input = node.inputs[i];
      const gi = inputGrads[i];
      if (!input.requiresGrad || gi === null || gi === undefined) continue;
      const fitted = fitGradient(gi, input, node.op, i);
      const previous = grads.get(input);
      grads.set(input, previous === undefined ? fitted : addFresh(previous, fitted));
    }
    if (!options.retainGraph) tensor.gradNode = freedNode(node.op);
  }
}

/** Tensors reachable from `root` through grad nodes, inputs before the tensors made from them. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  const stack: Array<{ tensor: Tensor; next: number }> = [{ tensor: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top.tensor.gradNode?.inputs ?? [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++];
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push({ tensor: child, next: 0 });
      }
    } else {
      order.push(top.tensor);
      stack.pop();
    }
  }
  return order;
}

function floatDType(t: Tensor): 'float32' | 'float64' {
  return t.dtype === 'float64' ? 'float64' : 'float32';
}

/** Reduces broadcast dimensions, matches the input's dtype, and checks the final shape. */
function fitGradient(g: Tensor, input: Tensor, op: string, index: number): Tensor {
  let out = g;
  if (!shapesEqual(out.shape, input.shape)) {
    out = reduceToShape(out, input.shape, op, index);
  }
  if (out.dtype !== input.dtype && isFloat(input.dtype)) {
    const cast = getBackend().alloc(input.dtype, out.size);
    cast.set(out.data);
    out = new Tensor(cast, out.shape);
  }
  return out;
}

/** Sums `g` over the dimensions that broadcasting added or stretched to reach `g`'s shape. */
export function reduceToShape(g: Tensor, shape: readonly number[], op = 'reduceToShape', index = 0): Tensor {
  const rank = g.rank;
  const offset = rank - shape.length;
  const compatible = offset >= 0 && shape.every((d, i) => d === g.shape[i + offset] || d === 1);
  if (!compatible) {
    throw new ShapeError(`backward of '${op}': gradient for input ${index} has shape ${formatShape(g.shape)} but the input has shape ${formatShape(shape)}`);
  }
  const backend = getBackend();
  let data = g.data as FloatArray;
  let current = [...g.shape];
  // Reduce one broadcast dimension at a time, from the last, as (outer, length, inner) blocks.
  for (let d = rank - 1; d >= 0; d--) {
    const target = d < offset ? 1 : shape[d - offset];
    if (current[d] === target) continue;
    const outer = sizeOf(current.slice(0, d));
    const inner = sizeOf(current.slice(d + 1));
    const next = backend.alloc(g.dtype === 'float64' ? 'float64' : 'float32', outer * inner);
    backend.reduce('sum', data, next, outer, current[d], inner);
    data = next;
    current[d] = 1;
  }
  return new Tensor(data, shape);
}

/**
 * Fills or adds to `.grad`. A first gradient is adopted without a copy when its buffer is fresh
 * from this walk (ops like add pass one buffer to several inputs, hence the `taken` check): on a
 * 784×128 layer that saves an allocation and a 400 KB copy per step.
 */
function accumulateInto(leaf: Tensor, g: Tensor, taken: Set<unknown>): void {
  if (!leaf.requiresGrad) return;
  if (leaf.grad === null) {
    noteGradOwner(leaf);
    const data = g.data;
    if (g.dtype === floatDType(leaf) && data.length === leaf.size && !taken.has(data)) {
      taken.add(data);
      leaf.grad = new Tensor(data, leaf.shape);
      return;
    }
    const copy = getBackend().alloc(floatDType(leaf), leaf.size);
    copy.set(g.data);
    leaf.grad = new Tensor(copy, leaf.shape);
  } else {
    getBackend().accumulate(leaf.grad.data as FloatArray, g.data as FloatArray);
  }
}

function addFresh(a: Tensor, b: Tensor): Tensor {
  const backend = getBackend();
  const out = backend.alloc(floatDType(a), a.size);
  const strides = stridesOf(a.shape);
  backend.binary('add', a.data as FloatArray, strides, b.data as FloatArray, strides, out, a.shape);
  return new Tensor(out, a.shape);
}
