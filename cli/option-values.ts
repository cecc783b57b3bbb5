// Validation of single option values, with messages that name the option as the user wrote it:
// `--batch-size` on the command line, `'batchSize'` (and the file) in a config file.
import { CliError } from './errors.js';

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** How a value is named in messages: `--batch-size` on the command line, `batchSize` in a file. */
export interface Origin {
  label: string;
  where?: string;
}

export function originOf(key: string, file?: string): Origin {
  return file ? { label: `'${key}'`, where: file } : { label: `--${kebab(key)}` };
}

export function fail(origin: Origin, why: string): never {
  throw new CliError(`${origin.label} ${why}`, origin.where);
}

export function asNumber(value: unknown, o: Origin, min: number, opts: { integer?: boolean; exclusiveMin?: boolean; max?: number; exclusiveMax?: boolean } = {}): number {
  const v = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  const range = `${opts.exclusiveMin ? '>' : '≥'} ${min}${opts.max !== undefined ? ` and ${opts.exclusiveMax ? '<' : '≤'} ${opts.max}` : ''}`;
  const kind = opts.integer ? 'an integer' : 'a number';
  if (!Number.isFinite(v)) fail(o, `must be ${kind} ${range}, got ${JSON.stringify(value)}`);
  if (opts.integer && !Number.isInteger(v)) fail(o, `must be ${kind} ${range}, got ${v}`);
  if (opts.exclusiveMin ? v <= min : v < min) fail(o, `must be ${kind} ${range}, got ${v}`);
  if (opts.max !== undefined && (opts.exclusiveMax ? v >= opts.max : v > opts.max)) fail(o, `must be ${kind} ${range}, got ${v}`);
  return v;
}

export function asChoice<T extends string>(value: unknown, o: Origin, choices: readonly T[]): T {
  const found = typeof value === 'string' ? choices.find((c) => c.toLowerCase() === value.trim().toLowerCase()) : undefined;
  if (found === undefined) fail(o, `must be one of ${choices.join(', ')}; got ${JSON.stringify(value)}`);
  return found;
}

export function asString(value: unknown, o: Origin): string {
  if (typeof value !== 'string' || value.trim() === '') fail(o, `must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

export function asLayers(value: unknown, o: Origin): number[] {
  if (Array.isArray(value)) return value.map((v) => asNumber(v, { ...o, label: `${o.label} entry` }, 1, { integer: true }));
  if (typeof value === 'number') return [asNumber(value, o, 1, { integer: true })];
  if (typeof value !== 'string') fail(o, `must be comma-separated hidden layer sizes such as 128,64, got ${JSON.stringify(value)}`);
  const text = value.trim();
  if (text === 'none' || text === '0') return [];
  if (text === '') fail(o, `is empty; give comma-separated hidden layer sizes such as 128,64, or 'none' for no hidden layer`);
  return text.split(',').map((part) => {
    const n = Number(part.trim());
    if (part.trim() === '' || !Number.isInteger(n) || n < 1) fail(o, `must be comma-separated positive integers such as 128,64 (or 'none'), got ${JSON.stringify(value)}`);
    return n;
  });
}

/** Column names: `a,b,c` on the command line, a list or such a string in a config file. */
export function asColumns(value: unknown, o: Origin): string[] {
  // An empty list is what config.json holds for no columns; on the command line '' is an error.
  if (Array.isArray(value) && value.length === 0) return [];
  const names = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (names === null || names.length === 0 || names.some((n) => typeof n !== 'string' || n.trim() === '')) {
    fail(o, `must be comma-separated column names such as age,city, got ${JSON.stringify(value)}`);
  }
  return (names as string[]).map((n) => n.trim());
}

/** `none`, `balanced`, weights in class order (`2,1,1`) or by class (`rain=2,sun=1`). */
export function asClassWeight(value: unknown, o: Origin): string {
  const text = asString(value, o).trim();
  if (text === 'none' || text === 'balanced') return text;
  const parts = text.split(',').map((p) => p.trim());
  const ok = parts.every((p) => {
    const m = /^(?:(.+)=)?([^=]+)$/.exec(p);
    const w = m ? Number(m[2]) : NaN;
    return m !== null && m[2].trim() !== '' && Number.isFinite(w) && w >= 0;
  });
  const named = parts.filter((p) => p.includes('=')).length;
  if (!ok || (named > 0 && named < parts.length)) {
    fail(o, `must be 'balanced', 'none', weights ≥ 0 in class order such as 2,1,1, or by class such as rain=2,sun=1; got ${JSON.stringify(value)}`);
  }
  return text;
}

export function asBoolean(value: unknown, o: Origin): boolean {
  if (typeof value === 'boolean') return value;
  return fail(o, `must be true or false, got ${JSON.stringify(value)}`);
}
