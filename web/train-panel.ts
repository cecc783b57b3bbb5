/**
 * The train view's page structure: the settings sidebar (data, model, training, stopping, CSV and
 * checkpoint files), the training buttons, and the figure's canvases and readouts. Builds elements
 * and wires inputs to the handlers it is given; owns no training state.
 */
import { type Control, type OnChange, el, fieldset, makeControl } from './controls.js';
import type { SettingKey, State } from './state.js';

export interface TrainPanelHandlers {
  onChange: OnChange;
  /** The loaded CSV's column names, for the target and plotted-column selects. */
  csvColumns(): string[];
  loadCsv(file: File): void;
  importCheckpoint(file: File): void;
  exportCheckpoint(): void;
  togglePlay(): void;
  step(unit: 'batch' | 'epoch'): void;
  reset(): void;
}

export interface TrainPanel {
  controls: Control[];
  csvBox: HTMLDivElement;
  canvas: HTMLCanvasElement;
  lossChart: HTMLCanvasElement;
  scoreChart: HTMLCanvasElement;
  playButton: HTMLButtonElement;
  counters: HTMLParagraphElement;
  scores: HTMLParagraphElement;
  statusText: HTMLParagraphElement;
  stopReason: HTMLParagraphElement;
  notes: HTMLDivElement;
  confusion: HTMLTableElement;
  markerLegend: HTMLParagraphElement;
}

/** Builds the view into `root` (a sidebar and a main column). */
export function buildTrainPanel(root: HTMLElement, state: () => State, on: TrainPanelHandlers): TrainPanel {
  const controls: Control[] = [];
  const c = (key: SettingKey, choices?: () => string[]): Control => {
    const control = makeControl(key, on.onChange, choices);
    controls.push(control);
    return control;
  };
  const p: TrainPanel = {
    controls,
    csvBox: el('div', { class: 'csv-box' }),
    canvas: el('canvas', { id: 'train-canvas', role: 'img', 'aria-label': 'The data and the model’s decision regions or fitted curve' }),
    lossChart: el('canvas', { id: 'train-loss-chart', role: 'img', 'aria-label': 'Training, validation and test loss per epoch' }),
    scoreChart: el('canvas', { id: 'train-score-chart', role: 'img', 'aria-label': 'Accuracy or R² per epoch' }),
    playButton: el('button', { id: 'train-play', type: 'button' }, 'Play'),
    counters: el('p', { id: 'train-counters', class: 'counters', 'aria-live': 'off' }),
    scores: el('p', { id: 'train-scores', class: 'scores' }),
    statusText: el('p', { id: 'train-status', class: 'status', 'aria-live': 'polite' }),
    stopReason: el('p', { id: 'train-stop-reason', class: 'stop-reason', 'aria-live': 'polite' }),
    notes: el('div', { id: 'train-notes', class: 'notes', 'aria-live': 'polite' }),
    confusion: el('table', { id: 'train-confusion', class: 'confusion' }),
    markerLegend: el('p', { class: 'marker-legend' }),
  };
  // The target cannot also be a feature; '' (shown as —) leaves a plotted axis unchosen.
  const featureColumns = (): string[] => ['', ...on.csvColumns().filter((h) => h !== state().csvTarget)];

  const fileInput = el('input', { type: 'file', id: 'train-csv', accept: '.csv,.tsv,.txt,text/csv' });
  fileInput.addEventListener('change', () => {
    const f = fileInput.files?.[0];
    if (f) on.loadCsv(f);
  });
  const fileLabel = el('label', { for: 'train-csv', class: 'file-label' }, 'Load a CSV file (or drop it anywhere on this view)');
  p.csvBox.append(fileLabel, fileInput, ...[c('csvTarget', () => on.csvColumns()), c('csvX', featureColumns), c('csvY', featureColumns), c('csvAll')].map((x) => x.element));

  const side = el('div', { class: 'sidebar' });
  const dataSet = fieldset('Data', [c('dataset'), c('n'), c('noise'), c('classes'), c('valFrac'), c('testFrac'), c('seed'), c('standardize')]);
  dataSet.append(p.csvBox);
  side.append(
    dataSet,
    fieldset('Model', [c('hidden'), c('activation'), c('loss'), c('l2')]),
    fieldset('Training', [c('optimizer'), c('lr'), c('momentum'), c('beta1'), c('beta2'), c('weightDecay'), c('alpha'), c('schedule'), c('gamma'), c('stepSize'), c('batch'), c('fullBatch')]),
    fieldset('Stopping', [c('maxEpochs'), c('patience'), c('targetLoss'), c('pace')]),
  );
  const io = el('fieldset');
  const exportButton = el('button', { id: 'train-export', type: 'button' }, 'Export model (.safetensors)');
  exportButton.addEventListener('click', () => on.exportCheckpoint());
  const importInput = el('input', { type: 'file', id: 'train-import', accept: '.safetensors' });
  importInput.addEventListener('change', () => {
    const f = importInput.files?.[0];
    if (f) on.importCheckpoint(f);
    // Cleared so that choosing the same file again still fires 'change'.
    importInput.value = '';
  });
  io.append(el('legend', {}, 'Checkpoint'), exportButton, el('label', { for: 'train-import', class: 'file-label' }, 'Import a checkpoint'), importInput,
    el('p', { class: 'caption' }, 'One safetensors file with the architecture, weights, optimizer state and preprocessing — the format the command line reads.'));
  side.append(io);

  const buttons = el('div', { class: 'buttons', role: 'group', 'aria-label': 'Training controls' });
  const stepBatch = el('button', { id: 'train-step-batch', type: 'button', title: 'One optimizer step on one mini-batch' }, 'Step batch');
  const stepEpoch = el('button', { id: 'train-step-epoch', type: 'button', title: 'The rest of the current epoch' }, 'Step epoch');
  const reset = el('button', { id: 'train-reset', type: 'button', title: 'Back to the initial weights' }, 'Reset');
  p.playButton.addEventListener('click', () => on.togglePlay());
  stepBatch.addEventListener('click', () => on.step('batch'));
  stepEpoch.addEventListener('click', () => on.step('epoch'));
  reset.addEventListener('click', () => on.reset());
  buttons.append(p.playButton, stepBatch, stepEpoch, reset);

  const lecture = el('p', { class: 'caption lecture' });
  lecture.innerHTML = 'Each <b>step</b> computes the gradient of the loss on a <b>mini-batch</b> of m samples and moves every weight a little downhill; an <b>epoch</b> is one pass over all training samples (⌈n/m⌉ steps). The validation set watches for over-fitting; the test set is the honest score.';
  const main = el('div', { class: 'main' });
  const figure = el('div', { class: 'figure-row' });
  const side2 = el('div', { class: 'figure-side' });
  const confusionBox = el('div', { class: 'confusion-box' });
  confusionBox.append(el('h3', {}, 'Confusion matrix'), p.confusion);
  side2.append(p.counters, p.scores, p.statusText, p.stopReason, confusionBox);
  const plotBox = el('div');
  plotBox.append(p.canvas, p.markerLegend);
  figure.append(plotBox, side2);
  main.append(lecture, buttons, p.notes, figure, p.lossChart, p.scoreChart);
  root.append(side, main);
  return p;
}

/** Shows only the settings that the chosen dataset, optimizer and schedule use. */
export function showRelevantControls(p: TrainPanel, s: State): void {
  const show: Partial<Record<SettingKey, boolean>> = {
    n: s.dataset !== 'csv',
    noise: s.dataset !== 'csv',
    classes: s.dataset === 'spirals' || s.dataset === 'blobs',
    momentum: s.optimizer === 'momentum' || s.optimizer === 'nesterov',
    beta1: s.optimizer === 'adam' || s.optimizer === 'adamw',
    beta2: s.optimizer === 'adam' || s.optimizer === 'adamw',
    weightDecay: s.optimizer === 'adamw',
    alpha: s.optimizer === 'rmsprop',
    gamma: s.schedule === 'step' || s.schedule === 'exponential',
    stepSize: s.schedule === 'step' || s.schedule === 'exponential' || s.schedule === 'inverse',
    batch: s.optimizer !== 'gd' && !s.fullBatch,
    fullBatch: s.optimizer !== 'gd',
  };
  for (const c of p.controls) if (c.key in show) c.element.hidden = !show[c.key];
  p.csvBox.hidden = s.dataset !== 'csv';
}
