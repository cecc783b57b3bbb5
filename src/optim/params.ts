import { isFloat } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { DTypeError, ValueError } from '../util/errors.js';

/**
 * The ways to hand parameters to an optimizer: tensors (named "0", "1", … in order),
 * `[name, tensor]` pairs (what `module.namedParameters()` returns), or a `Record<string, Tensor>`.
 */
export type NamedParams = Iterable<Tensor> | Iterable<readonly [string, Tensor]> | Readonly<Record<string, Tensor>>;

/** A param group: its parameters plus options that override the optimizer's defaults. */
export type ParamGroup<O> = {
  /** The group's parameters, in any form {@link NamedParams} allows. */
  params: NamedParams;
} & O;

/** Parameters for an optimizer: one set (a single group) or an array of {@link ParamGroup}s. */
export type ParamsArg<O> = NamedParams | readonly ParamGroup<O>[];

interface ParsedGroup<O> {
  params: Tensor[];
  names: string[];
  options: O;
}

function isIterable(x: unknown): x is Iterable<unknown> {
  return x !== null && typeof x === 'object' && typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

function isGroup(x: unknown): x is { params: unknown } {
  return x !== null && typeof x === 'object' && !(x instanceof Tensor) && !Array.isArray(x) && 'params' in x;
}

/** Checks that a parameter can be optimized: a floating leaf tensor. */
function checkParam(where: string, p: unknown, name: string): Tensor {
  if (!(p instanceof Tensor)) {
    throw new ValueError(`${where}: parameter '${name}' must be a Tensor, got ${p === null ? 'null' : Array.isArray(p) ? 'an array' : typeof p}`);
  }
  if (!isFloat(p.dtype)) throw new DTypeError(`${where}: parameter '${name}' must be float32 or float64, got ${p.dtype}`);
  if (!p.isLeaf) throw new ValueError(`${where}: parameter '${name}' is not a leaf tensor (an op computed it); optimize the tensors it was computed from`);
  return p;
}

/**
 * Splits the optimizer's `params` argument into groups of named tensors. Unnamed tensors are
 * numbered across all groups; names and tensors must be unique.
 */
export function groupsFrom<O>(where: string, params: ParamsArg<O>): ParsedGroup<Partial<O>>[] {
  if (params === null || typeof params !== 'object') {
    throw new ValueError(`${where}: params must be tensors, [name, tensor] pairs, a record of tensors or param groups, got ${params === null ? 'null' : typeof params}`);
  }
  const items: unknown[] = isIterable(params) ? [...params] : [params];
  const rawGroups: Array<{ params: unknown; options: Partial<O> }> = isIterable(params) && items.length > 0 && items.every(isGroup)
    ? items.map((g) => {
        const { params: ps, ...options } = g as { params: unknown };
        return { params: ps, options: options as Partial<O> };
      })
    : [{ params: isIterable(params) ? items : params, options: {} }];

  let counter = 0;
  const seenNames = new Set<string>();
  const seenTensors = new Set<Tensor>();
  const groups = rawGroups.map(({ params: ps, options }, gi) => {
    const entries: Array<[string, unknown]> = [];
    if (isIterable(ps)) {
      for (const item of ps) {
        if (Array.isArray(item) && item.length === 2 && typeof item[0] === 'string') entries.push([item[0], item[1]]);
        else if (isGroup(item)) throw new ValueError(`${where}: param groups must all be at the top level, each as { params, ...options }`);
        else entries.push([String(counter++), item]);
      }
    } else if (ps !== null && typeof ps === 'object' && !(ps instanceof Tensor)) {
      entries.push(...Object.entries(ps));
    } else {
      throw new ValueError(`${where}: group ${gi} params must be tensors, [name, tensor] pairs or a record of tensors, got ${ps instanceof Tensor ? 'a single Tensor (wrap it in an array)' : String(ps)}`);
    }
    const names: string[] = [];
    const tensors: Tensor[] = [];
    for (const [name, p] of entries) {
      const t = checkParam(where, p, name);
      if (seenNames.has(name)) throw new ValueError(`${where}: parameter name '${name}' appears more than once`);
      if (seenTensors.has(t)) throw new ValueError(`${where}: parameter '${name}' is the same tensor as an earlier parameter; each tensor may appear only once`);
      seenNames.add(name);
      seenTensors.add(t);
      names.push(name);
      tensors.push(t);
    }
    return { params: tensors, names, options };
  });
  if (groups.every((g) => g.params.length === 0)) throw new ValueError(`${where}: got an empty list of parameters`);
  return groups;
}
