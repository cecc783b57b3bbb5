/** What the views need from the page: the state and a way to change it. */
import type { SettingKey, State } from './state.js';

export interface App {
  /** The current state (replaced, never mutated, on every update). */
  readonly state: State;
  /** Changes settings (each value checked against the table); the URL follows. */
  update(patch: Partial<Record<SettingKey, unknown>>): void;
  /** Shows a message to the user. */
  notify(message: string, kind?: 'info' | 'error'): void;
}
