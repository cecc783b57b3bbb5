// Entry point of the WebAssembly kernels (compiled by scripts/build-wasm.mjs).
export { unary, binary, accumulate, select, reduce, zero, gatherRows } from './elementwise';
export { sgdBlocks, adamBlocks } from './optim';
export { gemmTiles, packBytes, roof } from './matmul';
export { packB } from './pack';
export { softmaxCrossEntropy } from './softmax';
