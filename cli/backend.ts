// `--backend auto|wasm|js`: the WebAssembly SIMD backend where this runtime has it, the reference
// TypeScript one otherwise (or when asked).
import { initWasmBackend, listBackends, setBackend, wasmUnavailableReason } from '../src/index.js';
import type { BackendName } from './config.js';
import { CliError } from './errors.js';

/** Makes `name` the backend every following op computes on; resolves to the one chosen. */
export async function selectBackend(name: BackendName): Promise<'wasm' | 'js'> {
  if (name === 'js') {
    setBackend('js');
    return 'js';
  }
  const ready = listBackends().includes('wasm') || (await initWasmBackend()) !== null;
  if (!ready) {
    if (name === 'auto') {
      setBackend('js');
      return 'js';
    }
    const why = (await wasmUnavailableReason()) ?? 'it did not start';
    throw new CliError(`--backend wasm is not available: ${why}; use --backend js`);
  }
  setBackend('wasm');
  return 'wasm';
}
