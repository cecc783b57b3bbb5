import type { TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, formatShape } from '../util/errors.js';

/** A JSON value: what a {@link ModuleSpec} may hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A plain-JSON description of a module's architecture (no weights): its `type` plus the
 * constructor arguments needed to rebuild it, e.g. `{ type: 'Linear', inFeatures: 2, outFeatures: 3,
 * bias: true, dtype: 'float32' }`. Saved next to a state dict, it lets a checkpoint rebuild the model
 * with `moduleFromSpec(spec)` and then `loadStateDict(weights)`.
 */
export type ModuleSpec = {
  /** The module's type name, e.g. `'Linear'`, as registered for {@link moduleFromSpec}. */
  type: string;
} & { [key: string]: JsonValue };

/**
 * A trainable tensor: a leaf with `requiresGrad` that a {@link Module} field holding it registers as
 * a parameter (PyTorch's `nn.Parameter`). Plain tensors in fields are not parameters (use them for
 * constants); a `Parameter` is still a `Tensor` everywhere else.
 */
export class Parameter extends Tensor {
  constructor(data: TypedArray, shape: Shape) {
    super(data, shape, true);
  }

  /** A parameter sharing `t`'s data (no copy). */
  static from(t: Tensor): Parameter {
    return t instanceof Parameter ? t : new Parameter(t.data, t.shape);
  }
}

/** Options for {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Require exactly the module's keys (default true); when false, missing and extra keys are reported, not thrown. */
  strict?: boolean;
}

/** What {@link Module.loadStateDict} did not match (both empty after a strict load). */
export interface LoadStateDictResult {
  /** Parameter names of the module that the dict has no entry for (left unchanged). */
  missingKeys: string[];
  /** Keys of the dict that name no parameter of the module (ignored). */
  unexpectedKeys: string[];
}

const NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Base class of layers and models, like PyTorch's `nn.Module`, but with no registration
 * boilerplate: parameters and submodules are found in the module's own fields, in field order.
 *
 * - a field holding a {@link Parameter} (make one with `this.param(tensor)`) is a parameter;
 * - a field holding a `Module` is a submodule; its parameters are named `field.sub.name`;
 * - a field holding an array is scanned element by element: a `Module` or `Parameter` at index i is
 *   named `field.i` (so a `Sequential`'s layers give `layers.0.weight`);
 * - anything else (numbers, plain tensors, `null`, an `RNG`, ES `#private` fields) is ignored.
 *
 * `registerParameter` / `registerModule` add one under a computed name; they simply define the field,
 * so there is one mechanism and one order (the order in which fields were first assigned). A tensor
 * or module reached twice (shared weights) is listed once, under its first name.
 *
 * @example
 * class Affine extends Module {
 *   w = this.param(randn([3, 2], { rng }));
 *   b = this.param(zeros([3]));
 *   forward(x: Tensor) { return linear(x, this.w, this.b); }
 * }
 * new Affine().namedParameters().map(([n]) => n);  // ['w', 'b']
 */
export abstract class Module {
  /** True in training mode (the default); Dropout is active only then. Set with {@link train}/{@link eval}. */
  training = true;

  /** The module's computation. */
  abstract forward(x: Tensor): Tensor;

  /** Marks `t` as a parameter (sharing its data) so a field holding it is registered. */
  protected param(t: Tensor): Parameter {
    return Parameter.from(t);
  }

  /** Registers `t` (or `null`, for an absent optional parameter) as the parameter `name`, defining the field. */
  registerParameter(name: string, t: Tensor | null): Parameter | null {
    const p = t === null ? null : Parameter.from(t);
    this.define(name, p, 'registerParameter');
    return p;
  }

  /** Registers `m` as the submodule `name`, defining the field. */
  registerModule<M extends Module>(name: string, m: M): M {
    if (!(m instanceof Module)) throw new ValueError(`registerModule: '${name}' must be a Module`);
    this.define(name, m, 'registerModule');
    return m;
  }

  private define(name: string, value: unknown, op: string): void {
    if (!NAME.test(name)) throw new ValueError(`${op}: name must be an identifier (letters, digits, _ or $, no dots), got ${JSON.stringify(name)}`);
    if (name === 'training' || typeof (this as unknown as Record<string, unknown>)[name] === 'function') {
      throw new ValueError(`${op}: '${name}' would hide a property or method of ${this.constructor.name}; choose another name`);
    }
    (this as unknown as Record<string, unknown>)[name] = value;
  }

  /** Direct submodules with their field names (`fc`, `layers.0`, …), in field order. */
  namedChildren(): Array<[string, Module]> {
    return this.entries().filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  /** Direct submodules, in field order. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module (named '') and every submodule below it, depth first, with dotted names. */
  namedModules(): Array<[string, Module]> {
    const out: Array<[string, Module]> = [];
    const seen = new Set<Module>();
    const visit = (m: Module, prefix: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([prefix, m]);
      for (const [name, child] of m.namedChildren()) visit(child, prefix === '' ? name : `${prefix}.${name}`);
    };
    visit(this, '');
    return out;
  }

  /** Every parameter with its dotted name (`layers.0.weight`), in field order, each tensor once. */
  namedParameters(): Array<[string, Parameter]> {
    const out: Array<[string, Parameter]> = [];
    const seenParams = new Set<Tensor>();
    const seenModules = new Set<Module>();
    const visit = (m: Module, prefix: string): void => {
      seenModules.add(m);
      for (const [key, value] of m.entries()) {
        const name = prefix === '' ? key : `${prefix}.${key}`;
        if (value instanceof Module) {
          if (!seenModules.has(value)) visit(value, name);
        } else if (!seenParams.has(value)) {
          seenParams.add(value);
          out.push([name, value]);
        }
      }
    };
    visit(this, '');
    return out;
  }

  /** Every parameter, in the order of {@link namedParameters} (what an optimizer takes). */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Total number of parameter elements. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /**
   * A snapshot of the weights: dotted name → a copy of each parameter (not tracking gradients), so
   * later training does not change it.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, p] of this.namedParameters()) out[name] = new Tensor(p.data.slice(), p.shape);
    return out;
  }

  /**
   * Copies weights into the parameters, in place (optimizers holding them keep working). Checks
   * everything before copying anything: a shape mismatch always throws a ShapeError naming the key
   * and both shapes; missing or unexpected keys throw a ValueError listing them when `strict` (the
   * default), and are returned otherwise. Values are converted to each parameter's dtype.
   */
  loadStateDict(dict: Record<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    const params = this.namedParameters();
    const own = new Set(params.map(([n]) => n));
    const missingKeys = params.map(([n]) => n).filter((n) => !Object.prototype.hasOwnProperty.call(dict, n));
    const unexpectedKeys = Object.keys(dict).filter((k) => !own.has(k));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts: string[] = [];
      if (missingKeys.length > 0) parts.push(`missing keys: ${missingKeys.join(', ')}`);
      if (unexpectedKeys.length > 0) parts.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
      throw new ValueError(`loadStateDict: the state dict does not match ${this.constructor.name} (${parts.join('; ')})`);
    }
    const copies: Array<[Parameter, Tensor]> = [];
    for (const [name, p] of params) {
      if (!Object.prototype.hasOwnProperty.call(dict, name)) continue;
      const value = dict[name];
      if (!(value instanceof Tensor)) throw new ValueError(`loadStateDict: '${name}' must be a Tensor, got ${typeof value}`);
      if (value.shape.length !== p.shape.length || value.shape.some((d, i) => d !== p.shape[i])) {
        throw new ShapeError(`loadStateDict: shape mismatch for '${name}': the state dict has ${formatShape(value.shape)}, the module has ${formatShape(p.shape)}`);
      }
      copies.push([p, value]);
    }
    for (const [p, value] of copies) p.data.set(value.data);
    return { missingKeys, unexpectedKeys };
  }

  /** Sets training mode (default) or evaluation mode on this module and all submodules; returns this. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient (sets `grad` to null, as PyTorch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * The architecture as plain JSON, for {@link moduleFromSpec}. Built-in modules implement it; a
   * custom module must override it (and be registered with `registerModuleType`) to be rebuilt.
   */
  toSpec(): ModuleSpec {
    throw new ValueError(`${this.constructor.name}.toSpec: this module does not describe its architecture; override toSpec() and register a builder with registerModuleType`);
  }

  /** Own fields holding parameters or modules (arrays expanded to `field.i`), in field order. */
  private entries(): Array<[string, Parameter | Module]> {
    const out: Array<[string, Parameter | Module]> = [];
    for (const key of Object.keys(this)) {
      const value: unknown = (this as unknown as Record<string, unknown>)[key];
      if (value instanceof Parameter || value instanceof Module) out.push([key, value]);
      else if (Array.isArray(value)) {
        value.forEach((v: unknown, i) => {
          if (v instanceof Parameter || v instanceof Module) out.push([`${key}.${i}`, v]);
        });
      }
    }
    return out;
  }

  /** Extra text shown inside the parentheses by {@link toString} (e.g. `in=2, out=3`). */
  protected extraRepr(): string {
    return '';
  }

  /** A readable tree of the module, like PyTorch's repr. */
  toString(): string {
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    const kids = this.namedChildren().map(([n, m]) => `  (${n}): ${m.toString().replace(/\n/g, '\n  ')}`);
    return kids.length === 0 ? `${head})` : `${head}\n${kids.join('\n')}\n)`;
  }
}
