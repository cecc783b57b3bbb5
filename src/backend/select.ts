import { listBackends, setBackend } from './registry.js';
import { type WasmBackendOptions, initWasmBackend, wasmUnavailableReason } from './wasm/index.js';
import { ValueError } from '../util/errors.js';

/** A backend choice: `auto` takes WebAssembly SIMD where the runtime has it, TypeScript otherwise. */
export type BackendChoice = 'auto' | 'wasm' | 'js';

/**
 * Makes the chosen backend the one every following op computes on, starting the WebAssembly one
 * first if needed, and resolves to the name of the backend in use. `'auto'` falls back to `'js'`
 * quietly; `'wasm'` throws where WebAssembly SIMD or SharedArrayBuffer is missing (in browsers, the
 * page must be cross-origin isolated). Tensors made before the switch stay usable.
 *
 * @example
 * await useBackend('auto');   // 'wasm' in Node ≥ 20 and isolated pages, else 'js'
 */
export async function useBackend(choice: BackendChoice = 'auto', options: WasmBackendOptions = {}): Promise<'wasm' | 'js'> {
  if (choice !== 'auto' && choice !== 'wasm' && choice !== 'js') {
    throw new ValueError(`useBackend: the choice must be 'auto', 'wasm' or 'js', got ${JSON.stringify(choice)}`);
  }
  if (choice === 'js') {
    setBackend('js');
    return 'js';
  }
  const name = options.name ?? 'wasm';
  const ready = listBackends().includes(name) || (await initWasmBackend(options)) !== null;
  if (ready) {
    setBackend(name);
    return 'wasm';
  }
  if (choice === 'wasm') throw new ValueError(`useBackend: the wasm backend is not available here: ${(await wasmUnavailableReason()) ?? 'it did not start'}`);
  setBackend('js');
  return 'js';
}
