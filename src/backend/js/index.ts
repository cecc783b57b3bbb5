import type { Backend } from '../backend.js';
import { allocArray } from '../../tensor/dtype.js';
import { accumulate, binary, select, unary } from './elementwise.js';
import { matmul } from './matmul.js';
import { argReduce, gatherRows, reduce, scatterAddRows, stridedCopy } from './indexing.js';
import { softmaxCrossEntropy, softmaxCrossEntropyBackward } from './softmax-cross-entropy.js';

/** The reference backend: plain TypeScript over typed arrays on the JS heap. Runs everywhere. */
export const jsBackend: Backend = {
  name: 'js',
  alloc: allocArray,
  unary,
  binary,
  accumulate,
  matmul,
  reduce,
  argReduce,
  stridedCopy,
  gatherRows,
  scatterAddRows,
  select,
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
};
