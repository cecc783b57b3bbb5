/**
 * The descent view's page structure: the settings sidebar, the play/step/reset buttons, the race
 * table and the figure's canvases. Builds elements and wires buttons to the handlers it is given;
 * owns no race state.
 */
import { type Control, type OnChange, el, fieldset, makeControl } from './controls.js';
import type { SettingKey, State } from './state.js';

export interface DescentPanelHandlers {
  onChange: OnChange;
  togglePlay(): void;
  step(): void;
  reset(): void;
}

export interface DescentPanel {
  controls: Control[];
  canvas: HTMLCanvasElement;
  chart: HTMLCanvasElement;
  dataCanvas: HTMLCanvasElement;
  legendBody: HTMLTableSectionElement;
  readout: HTMLParagraphElement;
  caption: HTMLParagraphElement;
  hint: HTMLParagraphElement;
  playButton: HTMLButtonElement;
  stepLabel: HTMLSpanElement;
}

/** Builds the view into `root` (a sidebar and a main column). */
export function buildDescentPanel(root: HTMLElement, on: DescentPanelHandlers): DescentPanel {
  const controls: Control[] = [];
  const c = (key: SettingKey): Control => {
    const control = makeControl(key, on.onChange);
    controls.push(control);
    return control;
  };
  const p: DescentPanel = {
    controls,
    canvas: el('canvas', { id: 'descent-canvas', tabindex: '0', role: 'img', 'aria-label': 'Loss surface. Click, or use the arrow keys, to move the start point; Enter plays or pauses.' }),
    chart: el('canvas', { id: 'descent-chart', role: 'img', 'aria-label': 'Loss per step for each optimizer' }),
    dataCanvas: el('canvas', { id: 'descent-data', role: 'img', 'aria-label': 'The data and each optimizer’s current line' }),
    legendBody: el('tbody'),
    readout: el('p', { id: 'descent-readout', class: 'readout', 'aria-live': 'polite' }),
    caption: el('p', { id: 'descent-caption', class: 'caption lecture' }),
    hint: el('p', { id: 'descent-hint', class: 'hint', 'aria-live': 'polite' }),
    playButton: el('button', { id: 'descent-play', type: 'button' }, 'Pause'),
    stepLabel: el('span', { id: 'descent-steps' }),
  };

  const side = el('div', { class: 'sidebar' });
  side.append(
    fieldset('Surface', [c('surface'), c('dPoints'), c('dNoise'), c('dSeed')]),
    fieldset('Step size and batch', [c('dLr'), c('dAdamLr'), c('dMomentum'), c('dBatch')]),
    fieldset('Optimizers', [c('dGD'), c('dSGD'), c('dMom'), c('dNest'), c('dAdam')]),
    fieldset('Run', [c('dStartW'), c('dStartB'), c('dSteps'), c('dSpeed')]),
  );
  const buttons = el('div', { class: 'buttons', role: 'group', 'aria-label': 'Descent controls' });
  const stepButton = el('button', { id: 'descent-step', type: 'button' }, 'Step');
  const resetButton = el('button', { id: 'descent-reset', type: 'button' }, 'Reset');
  p.playButton.addEventListener('click', () => on.togglePlay());
  stepButton.addEventListener('click', () => on.step());
  resetButton.addEventListener('click', () => on.reset());
  buttons.append(p.playButton, stepButton, resetButton, p.stepLabel);

  const table = el('table', { class: 'legend', id: 'descent-legend' });
  const head = el('thead');
  head.innerHTML = '<tr><th scope="col">Optimizer</th><th scope="col">Step</th><th scope="col">Loss</th><th scope="col">Status</th></tr>';
  table.append(head, p.legendBody);

  const main = el('div', { class: 'main' });
  const lecture = el('p', { class: 'caption lecture' });
  lecture.innerHTML = 'The loss is a height map over the parameters (w, b). Gradient descent rolls a ball downhill: <b>v ← v − α∇L(v)</b>. The dashed arrow is −∇L (steepest descent) at the current point, the solid one the step just taken.';
  const figure = el('div', { class: 'figure-row' });
  const right = el('div', { class: 'figure-side' });
  right.append(table, p.readout, p.dataCanvas);
  figure.append(p.canvas, right);
  main.append(lecture, p.caption, buttons, p.hint, figure, p.chart);
  root.append(side, main);
  return p;
}

/** Data and batch settings only mean something on a surface made from data points. */
export function showDataControls(controls: readonly Control[], state: State): void {
  const sgdPossible = state.surface === 'linreg';
  for (const c of controls) {
    if (['dPoints', 'dNoise', 'dSeed', 'dBatch'].includes(c.key)) c.element.hidden = !sgdPossible;
    if (c.key === 'dSGD') {
      const input = c.element.querySelector('input')!;
      input.disabled = !sgdPossible;
      c.element.title = sgdPossible ? '' : 'Mini-batches need data: choose the linear-regression surface.';
    }
  }
}
