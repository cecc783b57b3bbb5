import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';
import { ValueError } from '../util/errors.js';

/**
 * Which backend ops compute on. The reference JS backend is always registered; faster ones
 * register themselves and can be chosen with {@link setBackend}.
 */
const backends = new Map<string, Backend>([[jsBackend.name, jsBackend]]);
let active: Backend = jsBackend;

/** Adds a backend under its name (replacing one of the same name). */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/** Makes the named backend the one all following ops use. */
export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) throw new ValueError(`setBackend: unknown backend '${name}'; registered: ${[...backends.keys()].join(', ')}`);
  active = b;
}

/** The backend ops compute on now. */
export function getBackend(): Backend {
  return active;
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...backends.keys()];
}
