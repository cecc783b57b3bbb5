// Entry point of the WebAssembly kernels (compiled by scripts/build-wasm.mjs).
export { unary, binary, accumulate, select, reduce, sgdStep, momentumStep, adamStep, zero } from './elementwise';
export { packA, packB, gemmTiles, packBytes, roof } from './matmul';
