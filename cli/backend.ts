// `--backend auto|wasm|js`: the WebAssembly SIMD backend where this runtime has it, the reference
// TypeScript one otherwise (or when asked).
import { useBackend } from '../src/index.js';
import type { BackendName } from './config.js';
import { CliError } from './errors.js';

/** Makes `name` the backend every following op computes on; resolves to the one chosen. */
export async function selectBackend(name: BackendName): Promise<'wasm' | 'js'> {
  try {
    return await useBackend(name);
  } catch (e) {
    throw new CliError(`--backend wasm is not available: ${(e as Error).message.replace(/^useBackend: /, '')}; use --backend js`);
  }
}
