import { ValueError } from './errors.js';

/**
 * Up-front validation of options, in the style of PyTorch's "Invalid momentum value: -1" but with
 * the allowed range spelled out: `momentum must be ≥ 0, got -1`.
 */

/** Throws unless `value` is a finite number. */
export function requireFinite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** Throws unless `value` is a finite number ≥ `min`. */
export function requireAtLeast(name: string, value: unknown, min: number): number {
  const v = requireFinite(name, value);
  if (v < min) throw new ValueError(`${name} must be ≥ ${min}, got ${v}`);
  return v;
}

/** Throws unless `value` is a finite number > `min`. */
export function requireGreaterThan(name: string, value: unknown, min: number): number {
  const v = requireFinite(name, value);
  if (!(v > min)) throw new ValueError(`${name} must be > ${min}, got ${v}`);
  return v;
}

/** Throws unless `lo ≤ value < hi` (half-open, as for betas and dampening-like coefficients). */
export function requireInRange(name: string, value: unknown, lo: number, hi: number): number {
  const v = requireFinite(name, value);
  if (v < lo || v >= hi) throw new ValueError(`${name} must be in [${lo}, ${hi}), got ${v}`);
  return v;
}

/** Throws unless `lo ≤ value ≤ hi`. */
export function requireInClosedRange(name: string, value: unknown, lo: number, hi: number): number {
  const v = requireFinite(name, value);
  if (v < lo || v > hi) throw new ValueError(`${name} must be in [${lo}, ${hi}], got ${v}`);
  return v;
}

/** Throws unless `value` is an integer ≥ `min`. */
export function requireInteger(name: string, value: unknown, min = 0): number {
  const v = requireFinite(name, value);
  if (!Number.isInteger(v) || v < min) {
    throw new ValueError(`${name} must be an integer ≥ ${min}, got ${v}`);
  }
  return v;
}

/** Throws unless `value` is one of `allowed`. */
export function requireOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValueError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}
