// The run's train / validation / test split: seeded, stratified for classification, and rebuilt
// identically by `eval` and `--resume` from the saved config.
import { type Dataset, type Split, ValueError, trainValTestSplit } from '../src/index.js';
import type { TrainConfig } from './config.js';
import { CliError } from './errors.js';

export function splitData(dataset: Dataset, config: Pick<TrainConfig, 'valSplit' | 'testSplit' | 'seed'>, where: string): Split {
  if (config.valSplit + config.testSplit >= 1) {
    throw new CliError(`--val-split ${config.valSplit} plus --test-split ${config.testSplit} leave no training data; their sum must be < 1`);
  }
  try {
    return trainValTestSplit(dataset, { val: config.valSplit, test: config.testSplit, seed: config.seed });
  } catch (e) {
    if (e instanceof ValueError) {
      // The library's advice names its own options; say it with the command line's flags.
      const message = e.message.replace(/^trainValTestSplit: /, 'cannot split the data: ')
        .replace('use smaller val/test fractions, more data, or stratify: false', 'use a smaller --val-split or --test-split, or more data');
      throw new CliError(message, where);
    }
    throw e;
  }
}
