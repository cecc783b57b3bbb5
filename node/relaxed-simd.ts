// WebAssembly relaxed SIMD (the fused multiply-add the wasm backend's products use) is on by default
// from Node 22 (V8 11.4); Node 20's V8 has it complete behind a flag, which V8 reads at each
// compile, so switching it on before the kernels compile is enough.
import { setFlagsFromString } from 'node:v8';
import { relaxedSimdAvailable } from '../src/index.js';

/**
 * Turns on WebAssembly relaxed SIMD where this Node has it behind a flag (Node 20) and says
 * whether the runtime now takes it. `useNodeBackend` calls it unless asked for `fma: false`.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdAvailable()) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return relaxedSimdAvailable();
}
