import { ValueError } from '../util/errors.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import type { AnyOptimizer, LearningRate } from './optimizer.js';
import type { NamedParams } from './params.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** The library's optimizer classes, by the name their `name` field and checkpoints use. */
export const optimizerClasses = { SGD, Adam, AdamW, RMSprop, Adagrad } as const;

const libraryClasses: ReadonlySet<unknown> = new Set(Object.values(optimizerClasses));

/** Whether `optimizer` is an instance of one of the library's own classes (not of a subclass). */
export function isLibraryOptimizer(optimizer: object): boolean {
  return libraryClasses.has(Object.getPrototypeOf(optimizer)?.constructor);
}

/** What an option of {@link optimizerByName} holds. */
export type OptimizerOptionKind = 'number' | 'boolean' | 'pair';

/** One optimizer a name stands for: its class, the options it takes, and those the name fixes. */
export interface OptimizerEntry {
  /** The class's name (`SGD`, `Adam`, …), as checkpoints record it. */
  readonly className: keyof typeof optimizerClasses;
  /** The options it accepts besides `lr`, with their kinds. */
  readonly options: Readonly<Record<string, OptimizerOptionKind>>;
  /** Options the name itself sets (`nesterov` sets nesterov: true). */
  readonly preset?: Readonly<Record<string, number | boolean>>;
  /** One line for help texts. */
  readonly summary: string;
}

const sgdOptions = { momentum: 'number', dampening: 'number', weightDecay: 'number', nesterov: 'boolean', maximize: 'boolean' } as const;
const adamOptions = { betas: 'pair', eps: 'number', weightDecay: 'number', amsgrad: 'boolean', maximize: 'boolean' } as const;

/**
 * Every optimizer by the name the CLI (`--optimizer`) and the playground use: one table, so both
 * build the same optimizer from a name and options, and checkpoints rebuild it.
 */
export const optimizerRegistry = {
  sgd: { className: 'SGD', options: sgdOptions, summary: 'stochastic gradient descent, v ← v − α∇L' },
  gd: { className: 'SGD', options: sgdOptions, summary: 'gradient descent (SGD on full batches)' },
  momentum: { className: 'SGD', options: sgdOptions, preset: { momentum: 0.9 }, summary: 'SGD with heavy-ball momentum (0.9 unless given)' },
  nesterov: { className: 'SGD', options: sgdOptions, preset: { momentum: 0.9, nesterov: true }, summary: 'SGD with Nesterov momentum (0.9 unless given)' },
  adam: { className: 'Adam', options: adamOptions, summary: 'Adam (Kingma & Ba)' },
  adamw: { className: 'AdamW', options: adamOptions, summary: 'AdamW: Adam with decoupled weight decay' },
  rmsprop: { className: 'RMSprop', options: { alpha: 'number', eps: 'number', weightDecay: 'number', momentum: 'number', centered: 'boolean', maximize: 'boolean' }, summary: 'RMSprop' },
  adagrad: { className: 'Adagrad', options: { lrDecay: 'number', weightDecay: 'number', initialAccumulatorValue: 'number', eps: 'number', maximize: 'boolean' }, summary: 'Adagrad' },
} as const satisfies Record<string, OptimizerEntry>;

/** A name {@link optimizerByName} knows. */
export type OptimizerName = keyof typeof optimizerRegistry;

/** Every name {@link optimizerByName} accepts. */
export const optimizerNames = Object.keys(optimizerRegistry) as OptimizerName[];

/** The public surface every library optimizer has (what the CLI, the playground and `fit` use). */
export type NamedOptimizer = Pick<AnyOptimizer, 'name' | 'zeroGrad' | 'step' | 'stepCount' | 'getLearningRate' | 'setLearningRate' | 'setLrScale' | 'stateDict' | 'loadStateDict' | 'paramGroups'>;

/** Options of {@link optimizerByName}: the learning rate (a number or a schedule) and the entry's own options. */
export type OptimizerOptionValues = { lr: LearningRate } & Record<string, number | boolean | readonly number[] | LearningRate>;

/**
 * The optimizer a name stands for, over `params`: the name's preset, then `options` (checked
 * against the entry's table first, so a misspelt option is an error naming the allowed ones), then
 * the class's own validation of the values. Also returns the class name and the options as given
 * to the constructor, for a checkpoint.
 *
 * @example
 * const { optimizer } = optimizerByName('momentum', model.namedParameters(), { lr: 0.05 });
 */
export function optimizerByName(name: string, params: NamedParams, options: OptimizerOptionValues): { optimizer: NamedOptimizer; className: string; options: Record<string, unknown> } {
  if (!Object.hasOwn(optimizerRegistry, name)) {
    throw new ValueError(`unknown optimizer '${name}'; expected one of ${optimizerNames.join(', ')}`);
  }
  const entry: OptimizerEntry = optimizerRegistry[name as OptimizerName];
  for (const [key, value] of Object.entries(options)) {
    if (key === 'lr') continue;
    const kind = entry.options[key];
    if (kind === undefined) throw new ValueError(`optimizer '${name}' has no option '${key}'; its options are lr, ${Object.keys(entry.options).join(', ')}`);
    const ok = kind === 'pair' ? Array.isArray(value) && value.length === 2 : typeof value === kind;
    if (!ok) throw new ValueError(`optimizer '${name}': option '${key}' must be ${kind === 'pair' ? 'a pair of numbers' : `a ${kind}`}, got ${JSON.stringify(value)}`);
  }
  const merged = { ...entry.preset, ...options };
  const Class = optimizerClasses[entry.className] as unknown as new (p: NamedParams, o: Record<string, unknown>) => NamedOptimizer;
  return { optimizer: new Class(params, merged), className: entry.className, options: merged };
}
