/**
 * Whether ops record the graph. Off inside {@link noGrad}, as in `torch.no_grad()`: evaluation and
 * optimizer updates then build no graph and keep no activations alive.
 */
let gradEnabled = true;

/** Whether ops currently record the graph: false inside {@link noGrad}, true otherwise (the default). */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` with gradient recording off and returns its result. `fn` must be synchronous: the mode
 * is restored when it returns (or throws).
 *
 * @example
 * const predictions = noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Runs `fn` with gradient recording on (inside a `noGrad` block, for example). */
export function enableGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}
