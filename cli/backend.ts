// `--backend auto|wasm|wasm-simd|js` and `--threads n`: the WebAssembly SIMD backend (on every core
// unless told otherwise; with fused multiply-add unless wasm-simd) where this runtime has it, the
// reference TypeScript one otherwise (or when asked).
import { useNodeBackend } from '../node/index.js';
import type { BackendName } from './config.js';
import { CliError } from './errors.js';

/** Makes `name` the backend every following op computes on; resolves to the one chosen. */
export async function selectBackend(name: BackendName, threads: number | null = null): Promise<'wasm' | 'js'> {
  try {
    const choice = name === 'wasm-simd' ? 'wasm' : name;
    return await useNodeBackend(choice, { ...(threads === null ? {} : { threads }), fma: name !== 'wasm-simd' });
  } catch (e) {
    throw new CliError(`--backend ${name} is not available: ${(e as Error).message.replace(/^useBackend: /, '')}; use --backend js`);
  }
}

/** The `--threads` flag of eval and predict (train validates it with its other options). */
export function threadsFlag(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new CliError(`--threads must be an integer from 1 to 64, got ${JSON.stringify(value)}`);
  return n;
}
