// Entry point of the WebAssembly kernels (compiled by scripts/build-wasm.mjs).
export { unary, binary, accumulate, select, reduce, zero, gatherRows } from './elementwise';
export {
  sgdBlocks, adamBlocks, SGD_HEADER, SGD_ITEM, ADAM_HEADER, ADAM_ITEM,
  SGD_MAXIMIZE, SGD_MOMENTUM, SGD_FIRST, SGD_NESTEROV, ADAM_MAXIMIZE, ADAM_DECOUPLED, ADAM_AMSGRAD, ADAM_LERP_FROM_END,
} from './optim';
export { gemmTiles, packBytes, roof } from './matmul';
export { packB } from './pack';
export { softmaxCrossEntropy } from './softmax';
