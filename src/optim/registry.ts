import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** The library's optimizer classes, by the name their `name` field and checkpoints use. */
export const optimizerClasses = { SGD, Adam, AdamW, RMSprop, Adagrad } as const;

const libraryClasses: ReadonlySet<unknown> = new Set(Object.values(optimizerClasses));

/** Whether `optimizer` is an instance of one of the library's own classes (not of a subclass). */
export function isLibraryOptimizer(optimizer: object): boolean {
  return libraryClasses.has(Object.getPrototypeOf(optimizer)?.constructor);
}
