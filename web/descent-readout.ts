/**
 * The descent view's words and numbers: the race table (step, loss, status per optimizer), the
 * readout for the selected optimizer, and the hint about the chosen learning rate.
 */
import { el, formatNumber } from './controls.js';
import { RUNNERS, type Race, type Runner, type RunnerKind } from './descent.js';
import type { State } from './state.js';
import type { Surface } from './surfaces.js';

/** The rows of the race table: one per runner, refreshed every frame. */
export class RaceTable {
  // Cells are written only when their text changes: rewriting all of them every frame costs DOM work for nothing.
  private readonly cache = new Map<string, string>();

  constructor(private readonly body: HTMLTableSectionElement) {}

  /** One row per runner; its radio button makes that runner the one whose arrows are drawn. */
  reset(runners: readonly Runner[], selected: RunnerKind | null, onSelect: (kind: RunnerKind) => void): void {
    this.cache.clear();
    this.body.replaceChildren(...runners.map((r) => row(r, selected === r.kind, () => onSelect(r.kind))));
  }

  update(race: Race, surface: Surface): void {
    const set = (row: Element, cls: string, text: string): void => {
      const key = `${row.id}.${cls}`;
      if (this.cache.get(key) === text) return;
      this.cache.set(key, text);
      row.querySelector(`.${cls}`)!.textContent = text;
    };
    for (const r of race.runners) {
      const row = this.body.querySelector(`#descent-row-${r.kind}`);
      if (!row) continue;
      row.setAttribute('data-status', r.status);
      row.setAttribute('data-steps', String(r.steps));
      set(row, 'steps', r.kind === 'sgd' ? `${r.steps} (epoch ${r.epoch})` : String(r.steps));
      set(row, 'loss', formatNumber(r.loss));
      const [w, b] = r.point;
      const dist = Math.hypot(w - surface.minimum.w, b - surface.minimum.b);
      row.setAttribute('data-distance', String(dist));
      row.setAttribute('data-loss', String(r.loss));
      set(row, 'status', r.message || (r.status === 'running' ? `running — ${formatNumber(dist)} from the minimum` : r.status));
    }
  }
}

function row(r: Runner, selected: boolean, onSelect: () => void): HTMLTableRowElement {
  const info = RUNNERS[r.kind];
  const tr = el('tr', { id: `descent-row-${r.kind}`, 'data-kind': r.kind });
  const name = el('td');
  const radio = el('input', { type: 'radio', name: 'descent-selected', id: `descent-select-${r.kind}`, 'aria-label': `Show arrows for ${info.label}` });
  radio.checked = selected;
  radio.addEventListener('change', onSelect);
  const swatch = el('span', { class: 'swatch' });
  swatch.style.background = info.color;
  name.append(radio, swatch, document.createTextNode(info.label));
  tr.append(name, el('td', { class: 'steps' }), el('td', { class: 'loss' }), el('td', { class: 'status' }));
  return tr;
}

export function stepCountText(race: Race): string {
  return `step ${race.steps} of ${race.options.maxSteps}`;
}

/** Where the selected runner is, its gradient and its last step. */
export function readoutText(sel: Runner | undefined): string {
  if (!sel) return 'Choose at least one optimizer.';
  const [w, b] = sel.point;
  const [gw, gb] = sel.grad;
  return `${RUNNERS[sel.kind].label} at (w, b) = (${formatNumber(w)}, ${formatNumber(b)}): L = ${formatNumber(sel.loss)}, ∇L = (${formatNumber(gw)}, ${formatNumber(gb)}), |∇L| = ${formatNumber(Math.hypot(gw, gb))}; last step (Δw, Δb) = (${formatNumber(sel.lastStep[0])}, ${formatNumber(sel.lastStep[1])})${sel.kind === 'sgd' ? ` from a mini-batch gradient (${formatNumber(sel.stepGrad[0])}, ${formatNumber(sel.stepGrad[1])})` : ''}.`;
}

/** What to expect from the chosen learning rate, judged against the surface's stability limit. */
export function learningRateHint(s: Surface, state: State, kinds: readonly RunnerKind[]): string {
  const notes: string[] = [];
  if (s.stableLr !== undefined && kinds.some((k) => k === 'gd' || k === 'sgd')) {
    const ratio = state.dLr / s.stableLr;
    if (ratio > 1) notes.push(`α = ${formatNumber(state.dLr)} is above 2/λmax = ${formatNumber(s.stableLr)}: each GD step overshoots by more than it corrects — watch the loss rise.`);
    else if (ratio > 0.5) notes.push(`α = ${formatNumber(state.dLr)} is close to the limit 2/λmax = ${formatNumber(s.stableLr)}: GD overshoots the steep direction and zig-zags.`);
    else if (ratio < 0.1) notes.push(`α = ${formatNumber(state.dLr)} is tiny next to the limit ${formatNumber(s.stableLr)}: the ball crawls.`);
  }
  if (state.dSGD && s.samples === 0) notes.push('Mini-batch SGD needs data points: choose the linear-regression surface to see it.');
  return notes.join(' ');
}
