import type { RNG } from '../tensor/rng.js';
import { ValueError } from '../util/errors.js';
import { requireFinite, requireInClosedRange, requireInteger, requireOneOf } from '../util/validate.js';
import { Flatten, Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh } from './activations.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { type JsonValue, Module, type ModuleSpec } from './module.js';
import { Sequential } from './sequential.js';

/** Options of {@link moduleFromSpec}. */
export interface FromSpecOptions {
  /** Generator for the (placeholder) initial weights and for Dropout masks (default: the global one). */
  rng?: RNG;
}

/** Rebuilds one module type from its spec; `build` rebuilds nested specs. */
export type ModuleBuilder = (spec: ModuleSpec, options: FromSpecOptions, build: (child: JsonValue) => Module) => Module;

function field(spec: ModuleSpec, key: string, fallback?: JsonValue): JsonValue {
  const v = spec[key];
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ValueError(`moduleFromSpec: ${spec.type} spec needs '${key}'`);
  }
  return v;
}

const integer = (spec: ModuleSpec, key: string, min: number, fallback?: number): number =>
  requireInteger(`${spec.type} spec ${key}`, field(spec, key, fallback), min);
const axis = (spec: ModuleSpec, key: string, fallback: number): number =>
  integer(spec, key, -Number.MAX_SAFE_INTEGER, fallback);

const builders = new Map<string, ModuleBuilder>([
  ['Linear', (s, o) => {
    const bias = field(s, 'bias', true);
    if (typeof bias !== 'boolean') throw new ValueError(`moduleFromSpec: Linear spec bias must be a boolean, got ${JSON.stringify(bias)}`);
    const dtype = requireOneOf('Linear spec dtype', field(s, 'dtype', 'float32'), ['float32', 'float64'] as const);
    return new Linear(integer(s, 'inFeatures', 1), integer(s, 'outFeatures', 1), { bias, dtype, rng: o.rng });
  }],
  ['ReLU', () => new ReLU()],
  ['LeakyReLU', (s) => new LeakyReLU(requireFinite('LeakyReLU spec slope', field(s, 'slope', 0.01)))],
  ['Sigmoid', () => new Sigmoid()],
  ['Tanh', () => new Tanh()],
  ['Softplus', () => new Softplus()],
  ['Softmax', (s) => new Softmax(axis(s, 'axis', -1))],
  ['LogSoftmax', (s) => new LogSoftmax(axis(s, 'axis', -1))],
  ['Identity', () => new Identity()],
  ['Flatten', (s) => new Flatten(axis(s, 'startAxis', 1))],
  ['Dropout', (s, o) => new Dropout(requireInClosedRange('Dropout spec p', field(s, 'p', 0.5), 0, 1), { rng: o.rng })],
  ['Sequential', (s, _o, build) => {
    const layers = field(s, 'layers');
    if (!Array.isArray(layers)) throw new ValueError('moduleFromSpec: Sequential spec layers must be an array of specs');
    return new Sequential(...layers.map(build));
  }],
]);

/**
 * Teaches {@link moduleFromSpec} a custom module type (whose `toSpec()` returns `{ type, … }`).
 * Built-in types cannot be replaced.
 */
export function registerModuleType(type: string, builder: ModuleBuilder): void {
  if (typeof type !== 'string' || type.length === 0) throw new ValueError('registerModuleType: type must be a non-empty string');
  if (builtinTypes.includes(type)) throw new ValueError(`registerModuleType: '${type}' is a built-in module type`);
  builders.set(type, builder);
}

const builtinTypes: readonly string[] = [...builders.keys()];

/** Module types {@link moduleFromSpec} can build: the built-ins and any registered ones. */
export function moduleTypes(): string[] {
  return [...builders.keys()];
}

/**
 * Rebuilds a module from the JSON that `module.toSpec()` returned. The new module has fresh
 * (randomly initialised) weights; load the trained ones with `loadStateDict`.
 *
 * @example
 * const spec = JSON.parse(JSON.stringify(model.toSpec()));
 * const copy = moduleFromSpec(spec);
 * copy.loadStateDict(model.stateDict());
 */
export function moduleFromSpec(spec: ModuleSpec | JsonValue, options: FromSpecOptions = {}): Module {
  const build = (s: JsonValue): Module => {
    if (s === null || typeof s !== 'object' || Array.isArray(s) || typeof s.type !== 'string') {
      throw new ValueError(`moduleFromSpec: expected an object with a string 'type', got ${JSON.stringify(s)}`);
    }
    const builder = builders.get(s.type);
    if (builder === undefined) {
      throw new ValueError(`moduleFromSpec: unknown module type '${s.type}'; known types: ${moduleTypes().join(', ')} (register others with registerModuleType)`);
    }
    const m = builder(s as ModuleSpec, options, build);
    if (!(m instanceof Module)) throw new ValueError(`moduleFromSpec: the builder for '${s.type}' did not return a Module`);
    return m;
  };
  return build(spec);
}
