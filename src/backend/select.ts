import { listBackends, setBackend } from './registry.js';
import { type WasmBackendOptions, initWasmBackend, wasmUnavailableReason } from './wasm/index.js';
import { ValueError } from '../util/errors.js';

/** A backend choice: `auto` takes WebAssembly SIMD where the runtime has it, TypeScript otherwise. */
export type BackendChoice = 'auto' | 'wasm' | 'js';

/**
 * Makes the chosen backend the one every following op computes on, starting the WebAssembly one
 * first if needed, and resolves to the name of the backend in use. `'auto'` falls back to `'js'`
 * where WebAssembly SIMD or SharedArrayBuffer is missing, and says why once, with `console.warn`
 * (in a page: the two headers that make it cross-origin isolated, which the wasm backend needs);
 * `'wasm'` throws there instead. Tensors made before the switch stay usable.
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
  const reason = (await wasmUnavailableReason()) ?? 'it did not start';
  if (choice === 'wasm') throw new ValueError(`useBackend: the wasm backend is not available here: ${reason}`);
  explainFallback(reason);
  setBackend('js');
  return 'js';
}

/** Whether 'auto' has said why it fell back (it says so once). */
let fallbackExplained = false;

/** The one warning of a fallback to 'js': why, and in a page without SharedArrayBuffer, the cure. */
function explainFallback(reason: string): void {
  if (fallbackExplained) return;
  fallbackExplained = true;
  const cure = typeof SharedArrayBuffer === 'undefined'
    ? ' For the WebAssembly backend, serve the page cross-origin isolated, with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.'
    : '';
  console.warn(`downhill: useBackend('auto') runs on the slower TypeScript backend ('js'): ${reason}.${cure}`);
}
