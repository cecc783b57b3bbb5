/**
 * Errors thrown by downhill. Each names what was wrong and where, so a user can fix the call
 * without reading the library's source.
 */

/** A tensor had the wrong shape for an operation; the message names the op and the shapes. */
export class ShapeError extends Error {
  /** Always `'ShapeError'`. */
  override name = 'ShapeError';
}

/** A tensor had the wrong dtype for an operation. */
export class DTypeError extends Error {
  /** Always `'DTypeError'`. */
  override name = 'DTypeError';
}

/** An option or argument was outside its allowed range; the message names the value. */
export class ValueError extends Error {
  /** Always `'ValueError'`. */
  override name = 'ValueError';
}

/**
 * A tensor was used after the `tidy()` scope that made it ended and reclaimed its memory; the
 * message says how to keep it (return it from the scope, or `keep()` it).
 */
export class ReleasedTensorError extends Error {
  /** Always `'ReleasedTensorError'`. */
  override name = 'ReleasedTensorError';
}

/** Formats a shape the way NumPy and PyTorch users read it: `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
