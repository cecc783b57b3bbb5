import type { GradNode, Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';

/**
 * Attaches a gradient node to `output` when recording is on and some input requires grad.
 * Ops call this once, after computing their forward value; `vjp` maps the output's gradient to
 * the inputs' gradients (in the inputs' own shapes, or in the output's broadcast shape — the
 * engine reduces broadcast dimensions in one place). `saved` lists the other tensors `vjp` reads
 * (see GradNode.saved), so a tidy() scope keeps them with the graph.
 */
export function record(output: Tensor, op: string, inputs: readonly Tensor[], vjp: GradNode['vjp'], saved?: readonly Tensor[]): Tensor {
  if (!isGradEnabled()) return output;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) { needed = true; break; }
  if (!needed) return output;
  output.requiresGrad = true;
  output.gradNode = saved === undefined ? { op, inputs, vjp } : { op, inputs, vjp, saved };
  return output;
}

/** Whether `backward` should produce a gradient for input `i` of a node. */
export function needsGrad(node: GradNode, i: number): boolean {
  return node.inputs[i].requiresGrad;
}
