/**
 * Labelled, keyboard-usable form controls generated from the settings table. Each control reports
 * changes through `onChange(key, value)` and can be updated from a new state without rebuilding.
 */
import { SETTINGS, type SettingKey, type State } from './state.js';

export interface Control {
  key: SettingKey;
  /** The wrapper element (label, inputs, caption). */
  element: HTMLElement;
  /** Shows a state's value. */
  set(state: State): void;
}

export type OnChange = (key: SettingKey, value: unknown) => void;

const LOG_STEPS = 1000;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A compact number for display. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/**
 * A control for setting `key`. `options` overrides a string setting's free text with a select
 * (e.g. the CSV's columns).
 */
export function makeControl(key: SettingKey, onChange: OnChange, choices?: () => string[]): Control {
  const spec = SETTINGS[key];
  const id = `ctl-${key}`;
  const wrap = el('div', { class: `control control-${spec.type}`, 'data-key': key });
  const label = el('label', { for: id }, spec.label);
  const caption = spec.help ? el('p', { class: 'caption', id: `${id}-help` }, spec.help) : null;
  const described: Record<string, string> = caption ? { 'aria-describedby': `${id}-help` } : {};

  if (spec.type === 'bool') {
    const input = el('input', { type: 'checkbox', id, ...described });
    input.addEventListener('change', () => onChange(key, input.checked));
    label.prepend(input);
    wrap.append(label);
    if (caption) wrap.append(caption);
    return { key, element: wrap, set: (s) => void (input.checked = s[key] as boolean) };
  }

  if (spec.type === 'enum' || (spec.type === 'string' && choices)) {
    const select = el('select', { id, ...described });
    const fill = (values: readonly string[], labels?: Partial<Record<string, string>>): void => {
      select.replaceChildren(...values.map((v) => el('option', { value: v }, labels?.[v] ?? (v === '' ? '—' : v))));
    };
    if (spec.type === 'enum') fill(spec.options, spec.optionLabels as Partial<Record<string, string>> | undefined);
    select.addEventListener('change', () => onChange(key, select.value));
    wrap.append(label, select);
    if (caption) wrap.append(caption);
    return {
      key, element: wrap,
      set: (s) => {
        if (spec.type === 'string' && choices) {
          const values = choices();
          const current = String(s[key]);
          fill(values.includes(current) || current === '' ? values : [...values, current]);
        }
        select.value = String(s[key]);
      },
    };
  }

  if (spec.type === 'number' || spec.type === 'int') {
    const isLog = spec.type === 'number' && spec.step === 'log';
    const slider = spec.type === 'int' && spec.max - spec.min > 1000 ? null : el('input', { type: 'range', id: `${id}-range`, 'aria-label': `${spec.label} slider`, ...described });
    const number = el('input', { type: 'number', id, ...described });
    const toSlider = (v: number): string => isLog ? String(Math.round((Math.log(v / spec.min) / Math.log(spec.max / spec.min)) * LOG_STEPS)) : String(v);
    const fromSlider = (t: string): number => isLog ? Number((spec.min * (spec.max / spec.min) ** (Number(t) / LOG_STEPS)).toPrecision(3)) : Number(t);
    if (slider) {
      if (isLog) Object.assign(slider, { min: '0', max: String(LOG_STEPS), step: '1' });
      else Object.assign(slider, { min: String(spec.min), max: String(spec.max), step: spec.type === 'int' ? '1' : String(spec.step) });
      slider.addEventListener('input', () => {
        const v = fromSlider(slider.value);
        number.value = String(v);
        onChange(key, v);
      });
    }
    Object.assign(number, { min: String(spec.min), max: String(spec.max), step: spec.type === 'int' ? '1' : 'any' });
    number.addEventListener('change', () => onChange(key, number.value));
    const row = el('div', { class: 'inputs' });
    if (slider) row.append(slider);
    row.append(number);
    wrap.append(label, row);
    if (caption) wrap.append(caption);
    return {
      key, element: wrap,
      set: (s) => {
        const v = s[key] as number;
        if (slider) slider.value = toSlider(v);
        if (document.activeElement !== number) number.value = String(v);
      },
    };
  }

  // Free text: int lists and strings.
  const input = el('input', { type: 'text', id, ...described, spellcheck: 'false' });
  input.addEventListener('change', () => onChange(key, input.value));
  wrap.append(label, input);
  if (caption) wrap.append(caption);
  return {
    key, element: wrap,
    set: (s) => {
      const v = s[key];
      if (document.activeElement !== input) input.value = Array.isArray(v) ? v.join(', ') : String(v);
    },
  };
}

/** A fieldset of controls with a legend. */
export function fieldset(legend: string, controls: Control[]): HTMLFieldSetElement {
  const f = el('fieldset');
  f.append(el('legend', {}, legend), ...controls.map((c) => c.element));
  return f;
}

export { el };
