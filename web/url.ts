/**
 * The state ⇄ URL query string. Only settings that differ from their defaults are written, in the
 * table's order, so links stay short and stable; reading checks every value (clamping or falling
 * back to the default with a reason). Pure: works on strings, not on `location`.
 */
import { SETTINGS, SETTING_KEYS, type SettingKey, type State, checkSetting, defaultState, sameValue } from './state.js';

/** One setting's value as URL text. */
export function encodeValue(key: SettingKey, value: unknown): string {
  const spec = SETTINGS[key];
  if (spec.type === 'bool') return value ? '1' : '0';
  if (spec.type === 'intList') return (value as number[]).join(',');
  return String(value);
}

/** The query string (without '?') for `state`: the non-default settings. */
export function stateToQuery(state: State): string {
  const params = new URLSearchParams();
  for (const key of SETTING_KEYS) {
    if (!sameValue(state[key], SETTINGS[key].default)) params.set(key, encodeValue(key, state[key]));
  }
  return params.toString();
}

/** The state a query string describes (with or without a leading '?' or '#'), and what was wrong with it. */
export function stateFromQuery(query: string): { state: State; problems: string[] } {
  const params = new URLSearchParams(query.replace(/^[?#]/, ''));
  const state = defaultState() as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, raw] of params) {
    if (!(key in SETTINGS)) {
      problems.push(`unknown setting '${key}' ignored`);
      continue;
    }
    const r = checkSetting(key as SettingKey, raw);
    state[key] = r.value;
    if (r.problem) problems.push(r.problem);
  }
  return { state: state as State, problems };
}
