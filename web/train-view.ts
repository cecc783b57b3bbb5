/**
 * The train view: pick data, a network and an optimizer; train in a Web Worker; watch the decision
 * boundary (or the regression fit), the loss curves, the scores and the confusion matrix live.
 */
import { decodeCheckpoint } from '../src/index.js';
import type { App } from './app.js';
import { drawChart, type Series } from './chart.js';
import { CLASS_COLORS, VIRIDIS_LUT, classColor, hexToRgb, viridis } from './colormap.js';
import { contourSegments } from './contours.js';
import { type Control, el, fieldset, formatNumber, makeControl } from './controls.js';
import { csvHeader } from './experiment.js';
import type { BoundaryEvent, Command, EpochEvent, ReadyEvent, Status, TrainEvent } from './protocol.js';
import { PlotArea, setupCanvas } from './plot.js';
import { type SettingKey, type State, isTrainSetting, trainSettings } from './state.js';
import { stateFromQuery, stateToQuery } from './url.js';

const SIZE = 480;
const CSV_STORAGE_KEY = 'downhill.playground.csv';
const SERIES_STYLE = {
  train: { color: '#0072B2', dash: [] as number[] },
  val: { color: '#E69F00', dash: [7, 4] },
  test: { color: '#009E73', dash: [2, 3] },
};

export class TrainView {
  readonly root: HTMLElement;
  private readonly app: App;
  private readonly controls: Control[] = [];
  private readonly worker: Worker;
  private readonly canvas = el('canvas', { id: 'train-canvas', role: 'img', 'aria-label': 'The data and the model’s decision regions or fitted curve' });
  private readonly lossChart = el('canvas', { id: 'train-loss-chart', role: 'img', 'aria-label': 'Training, validation and test loss per epoch' });
  private readonly scoreChart = el('canvas', { id: 'train-score-chart', role: 'img', 'aria-label': 'Accuracy or R² per epoch' });
  private readonly playButton = el('button', { id: 'train-play', type: 'button' }, 'Play');
  private readonly counters = el('p', { id: 'train-counters', class: 'counters', 'aria-live': 'off' });
  private readonly scores = el('p', { id: 'train-scores', class: 'scores' });
  private readonly statusText = el('p', { id: 'train-status', class: 'status', 'aria-live': 'polite' });
  private readonly stopReason = el('p', { id: 'train-stop-reason', class: 'stop-reason', 'aria-live': 'polite' });
  private readonly notes = el('div', { id: 'train-notes', class: 'notes', 'aria-live': 'polite' });
  private readonly confusion = el('table', { id: 'train-confusion', class: 'confusion' });
  private readonly markerLegend = el('p', { class: 'marker-legend' });
  private readonly csvBox = el('div', { class: 'csv-box' });
  private csvText: string | undefined;
  private csvColumns: string[] = [];
  private ready: ReadyEvent | null = null;
  private boundary: BoundaryEvent | null = null;
  private boundaryImage: HTMLCanvasElement | null = null;
  private epochs: EpochEvent[] = [];
  private status: Status = 'idle';
  private dirty = true;
  private chartsDirty = true;
  private lastCharts = 0;
  private configureTimer: ReturnType<typeof setTimeout> | null = null;
  private playAfterReset = false;
  /** Latest numbers, for tests and screen readers: epoch, step, scores. */
  private progress = { epoch: 0, step: 0, batch: 0, numBatches: 0, lr: 0 };

  constructor(root: HTMLElement, app: App) {
    this.root = root;
    this.app = app;
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<TrainEvent>) => this.onEvent(e.data);
    this.worker.onerror = (e) => this.showError(`The training worker failed: ${e.message}`);
    try {
      this.csvText = sessionStorage.getItem(CSV_STORAGE_KEY) ?? undefined;
      if (this.csvText) this.csvColumns = csvHeader(this.csvText);
    } catch {
      // Storage may be unavailable (private mode); the CSV then lives only in memory.
    }
    this.build();
    this.configureNow();
  }

  private send(command: Command, transfer: Transferable[] = []): void {
    // A setting changed a moment ago: configure first, so this command acts on the new experiment.
    if (command.type !== 'configure' && this.configureTimer) this.configureNow();
    this.worker.postMessage(command, transfer);
  }

  private build(): void {
    const onChange = (key: SettingKey, value: unknown): void => this.app.update({ [key]: value });
    const c = (key: SettingKey, choices?: () => string[]): Control => {
      const control = makeControl(key, onChange, choices);
      this.controls.push(control);
      return control;
    };
    const columns = (): string[] => this.csvColumns;
    const featureColumns = (): string[] => ['', ...this.csvColumns.filter((h) => h !== this.app.state.csvTarget)];

    const fileInput = el('input', { type: 'file', id: 'train-csv', accept: '.csv,.tsv,.txt,text/csv' });
    fileInput.addEventListener('change', () => {
      const f = fileInput.files?.[0];
      if (f) void this.loadCsv(f);
    });
    const fileLabel = el('label', { for: 'train-csv', class: 'file-label' }, 'Load a CSV file (or drop it anywhere on this view)');
    this.csvBox.append(fileLabel, fileInput, ...[c('csvTarget', columns), c('csvX', featureColumns), c('csvY', featureColumns), c('csvAll')].map((x) => x.element));

    const side = el('div', { class: 'sidebar' });
    const dataSet = fieldset('Data', [c('dataset'), c('n'), c('noise'), c('classes'), c('valFrac'), c('testFrac'), c('seed'), c('standardize')]);
    dataSet.append(this.csvBox);
    side.append(
      dataSet,
      fieldset('Model', [c('hidden'), c('activation'), c('loss'), c('l2')]),
      fieldset('Training', [c('optimizer'), c('lr'), c('momentum'), c('beta1'), c('beta2'), c('weightDecay'), c('alpha'), c('schedule'), c('gamma'), c('stepSize'), c('batch'), c('fullBatch')]),
      fieldset('Stopping', [c('maxEpochs'), c('patience'), c('targetLoss'), c('pace')]),
    );
    const io = el('fieldset');
    const exportButton = el('button', { id: 'train-export', type: 'button' }, 'Export model (.safetensors)');
    exportButton.addEventListener('click', () => this.send({ type: 'export', info: { playground: stateToQuery(this.app.state) } }));
    const importInput = el('input', { type: 'file', id: 'train-import', accept: '.safetensors' });
    importInput.addEventListener('change', () => {
      const f = importInput.files?.[0];
      if (f) void this.importCheckpoint(f);
      importInput.value = '';
    });
    io.append(el('legend', {}, 'Checkpoint'), exportButton, el('label', { for: 'train-import', class: 'file-label' }, 'Import a checkpoint'), importInput,
      el('p', { class: 'caption' }, 'One safetensors file with the architecture, weights, optimizer state and preprocessing — the format the command line reads.'));
    side.append(io);

    const buttons = el('div', { class: 'buttons', role: 'group', 'aria-label': 'Training controls' });
    const stepBatch = el('button', { id: 'train-step-batch', type: 'button', title: 'One optimizer step on one mini-batch' }, 'Step batch');
    const stepEpoch = el('button', { id: 'train-step-epoch', type: 'button', title: 'The rest of the current epoch' }, 'Step epoch');
    const reset = el('button', { id: 'train-reset', type: 'button', title: 'Back to the initial weights' }, 'Reset');
    this.playButton.addEventListener('click', () => this.togglePlay());
    stepBatch.addEventListener('click', () => this.send({ type: 'step', unit: 'batch' }));
    stepEpoch.addEventListener('click', () => this.send({ type: 'step', unit: 'epoch' }));
    reset.addEventListener('click', () => this.send({ type: 'reset' }));
    buttons.append(this.playButton, stepBatch, stepEpoch, reset);

    const lecture = el('p', { class: 'caption lecture' });
    lecture.innerHTML = 'Each <b>step</b> computes the gradient of the loss on a <b>mini-batch</b> of m samples and moves every weight a little downhill; an <b>epoch</b> is one pass over all training samples (⌈n/m⌉ steps). The validation set watches for over-fitting; the test set is the honest score.';
    const main = el('div', { class: 'main' });
    const figure = el('div', { class: 'figure-row' });
    const side2 = el('div', { class: 'figure-side' });
    const confusionBox = el('div', { class: 'confusion-box' });
    confusionBox.append(el('h3', {}, 'Confusion matrix'), this.confusion);
    side2.append(this.counters, this.scores, this.statusText, this.stopReason, confusionBox);
    const plotBox = el('div');
    plotBox.append(this.canvas, this.markerLegend);
    figure.append(plotBox, side2);
    main.append(lecture, buttons, this.notes, figure, this.lossChart, this.scoreChart);
    this.root.append(side, main);

    this.root.addEventListener('dragover', (e) => {
      e.preventDefault();
      this.root.classList.add('dragging');
    });
    this.root.addEventListener('dragleave', () => this.root.classList.remove('dragging'));
    this.root.addEventListener('drop', (e) => {
      e.preventDefault();
      this.root.classList.remove('dragging');
      const f = e.dataTransfer?.files?.[0];
      if (f) void this.loadCsv(f);
    });
  }

  private togglePlay(): void {
    if (this.status === 'running') this.send({ type: 'pause' });
    else if (this.status === 'stopped' || this.status === 'error') {
      this.playAfterReset = true;
      this.send({ type: 'reset' });
    } else this.send({ type: 'start' });
  }

  /** Reads a CSV, makes it the dataset and picks a target and two plotted columns. */
  async loadCsv(file: File): Promise<void> {
    const text = await file.text();
    this.csvText = text;
    this.csvColumns = csvHeader(text);
    try {
      if (text.length < 4e6) sessionStorage.setItem(CSV_STORAGE_KEY, text);
    } catch {
      // Too big or no storage: keep it in memory only.
    }
    const s = this.app.state;
    const target = this.csvColumns.includes(s.csvTarget) ? s.csvTarget : this.csvColumns[this.csvColumns.length - 1];
    const features = this.csvColumns.filter((h) => h !== target);
    this.app.update({ dataset: 'csv', csvTarget: target, csvX: features[0] ?? '', csvY: features[1] ?? '' });
    this.configureNow();
    this.app.notify(`Loaded ${file.name}: ${this.csvColumns.length} columns. Target: ${target}.`);
  }

  private async importCheckpoint(file: File): Promise<void> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      const ckpt = decodeCheckpoint(bytes, file.name);
      const info = ckpt.info as { playground?: unknown } | undefined;
      if (info && typeof info.playground === 'string') {
        // Restore the experiment's settings first, so the architecture matches.
        const { state } = stateFromQuery(info.playground);
        const patch: Partial<Record<SettingKey, unknown>> = {};
        for (const [k, v] of Object.entries(state)) if (isTrainSetting(k as SettingKey)) patch[k as SettingKey] = v;
        this.app.update(patch);
        this.configureNow();
      }
      this.send({ type: 'import', bytes, fileName: file.name }, [bytes.buffer]);
      this.app.notify(`Imported ${file.name}.`);
    } catch (e) {
      this.showError(e instanceof Error ? e.message : String(e));
    }
  }

  onState(state: State, changed: ReadonlySet<SettingKey>): void {
    for (const c of this.controls) c.set(state);
    this.updateVisibility(state);
    if ([...changed].some((k) => isTrainSetting(k))) {
      if (this.configureTimer) clearTimeout(this.configureTimer);
      this.configureTimer = setTimeout(() => this.configureNow(), 120);
    }
  }

  private configureNow(): void {
    if (this.configureTimer) clearTimeout(this.configureTimer);
    this.configureTimer = null;
    const settings = trainSettings(this.app.state);
    this.send({ type: 'configure', settings, ...(settings.dataset === 'csv' && this.csvText ? { csvText: this.csvText } : {}) });
  }

  private updateVisibility(s: State): void {
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
    for (const c of this.controls) if (c.key in show) c.element.hidden = !show[c.key];
    this.csvBox.hidden = s.dataset !== 'csv';
  }

  private onEvent(e: TrainEvent): void {
    switch (e.type) {
      case 'ready':
        this.ready = e;
        this.boundary = null;
        this.boundaryImage = null;
        this.epochs = [];
        this.stopReason.textContent = '';
        this.notes.replaceChildren(...e.notes.map((n) => el('p', { class: 'note' }, n)));
        this.markerLegend.innerHTML = `<span class="mk circle"></span> train (${e.counts.train}) <span class="mk square"></span> validation (${e.counts.val}) <span class="mk triangle"></span> test (${e.counts.test}) · ${e.parameters} weights · loss: ${e.lossName}`;
        this.progress = { epoch: 0, step: 0, batch: 0, numBatches: e.numBatches, lr: 0 };
        this.dirty = true;
        this.chartsDirty = true;
        break;
      case 'boundary':
        this.boundary = e;
        this.boundaryImage = null;
        this.dirty = true;
        break;
      case 'epoch':
        if (e.epoch === 0 || this.epochs.length === 0 || e.epoch > this.epochs[this.epochs.length - 1].epoch) this.epochs.push(e);
        else this.epochs[this.epochs.length - 1] = e; // re-evaluated (restored or imported weights)
        this.progress.epoch = e.epoch;
        this.progress.step = e.step;
        this.progress.lr = e.lr;
        this.chartsDirty = true;
        break;
      case 'progress':
        this.progress = { epoch: e.epoch, step: e.step, batch: e.batch, numBatches: e.numBatches, lr: e.lr };
        this.chartsDirty = true;
        break;
      case 'status':
        this.status = e.status;
        this.playButton.textContent = e.status === 'running' ? 'Pause' : e.status === 'stopped' ? 'Restart' : 'Play';
        this.playButton.setAttribute('aria-pressed', String(e.status === 'running'));
        this.root.setAttribute('data-status', e.status);
        this.statusText.textContent = { idle: 'Ready: press Play, or step one batch at a time.', running: 'Training…', paused: 'Paused.', stopped: 'Stopped.', error: 'Error.' }[e.status];
        if (e.status === 'idle' && this.playAfterReset) {
          this.playAfterReset = false;
          this.send({ type: 'start' });
        }
        break;
      case 'stopped':
        this.stopReason.textContent = `Why it stopped: ${e.message}${e.restoredEpoch !== null ? ` — the weights of epoch ${e.restoredEpoch} were restored.` : '.'}`;
        this.stopReason.setAttribute('data-rule', e.rule);
        break;
      case 'checkpoint':
        this.download(e.bytes, e.fileName);
        break;
      case 'error':
        this.showError(e.message);
        break;
    }
  }

  private showError(message: string): void {
    this.notes.replaceChildren(el('p', { class: 'error', role: 'alert' }, message));
  }

  private download(bytes: Uint8Array, fileName: string): void {
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
    const a = el('a', { href: url, download: fileName });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  /** Called every animation frame while the view is visible. */
  frame(now: number): void {
    if (this.dirty) {
      this.dirty = false;
      this.drawPlot();
    }
    if (this.chartsDirty && now - this.lastCharts > 100) {
      this.chartsDirty = false;
      this.lastCharts = now;
      this.updateNumbers();
      this.drawCharts();
    }
  }

  private updateNumbers(): void {
    const p = this.progress;
    this.counters.innerHTML = `Epoch <b id="train-epoch">${p.epoch}</b> · step <b id="train-step">${p.step}</b> · batch ${p.batch}/${p.numBatches} · α = ${formatNumber(p.lr)}`;
    const last = this.epochs[this.epochs.length - 1];
    if (!last) return;
    const name = last.scoreName === 'accuracy' ? 'Accuracy' : 'R²';
    const f = (v: number | null): string => (v === null ? '—' : last.scoreName === 'accuracy' ? `${(100 * v).toFixed(1)}%` : v.toFixed(3));
    this.scores.innerHTML = `${name}: train <b id="train-train-score" data-value="${last.score.train ?? ''}">${f(last.score.train)}</b> · validation <b id="train-val-score" data-value="${last.score.val ?? ''}">${f(last.score.val)}</b> · test <b id="train-test-score" data-value="${last.score.test ?? ''}">${f(last.score.test)}</b><br>Loss: train ${formatNumber(last.loss)} · validation ${last.valLoss === null ? '—' : formatNumber(last.valLoss)} · test ${last.testLoss === null ? '—' : formatNumber(last.testLoss)}`;
    this.drawConfusion(last);
  }

  private drawConfusion(e: EpochEvent): void {
    if (!e.confusion || !this.ready) {
      this.confusion.replaceChildren(el('caption', {}, 'Only for classification.'));
      return;
    }
    const names = this.ready.classNames;
    const caption = el('caption', {}, `On the ${e.confusionOf} split: rows are true classes, columns predicted.`);
    const head = el('tr');
    head.append(el('th', { scope: 'col' }, 'true ↓ / predicted →'), ...names.map((n) => el('th', { scope: 'col' }, n)));
    const rows = e.confusion.map((row, i) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      const tr = el('tr');
      tr.append(el('th', { scope: 'row' }, names[i]));
      row.forEach((v, j) => {
        const td = el('td', {}, String(v));
        const share = v / total;
        td.style.background = i === j ? `rgba(0,114,178,${0.15 + 0.7 * share})` : share > 0 ? `rgba(213,94,0,${0.15 + 0.7 * share})` : '';
        if (share > 0.55) td.style.color = '#fff';
        tr.append(td);
      });
      return tr;
    });
    this.confusion.replaceChildren(caption, head, ...rows);
  }

  private drawCharts(): void {
    const x = this.epochs.map((e) => e.epoch);
    const width = SIZE + 320;
    const series = (pick: (e: EpochEvent, k: 'train' | 'val' | 'test') => number | null): Series[] => (['train', 'val', 'test'] as const)
      .filter((k) => this.epochs.some((e) => pick(e, k) !== null))
      .map((k) => ({ name: k === 'val' ? 'validation' : k, ...SERIES_STYLE[k], x, y: this.epochs.map((e) => pick(e, k) ?? NaN) }));
    const loss = (e: EpochEvent, k: 'train' | 'val' | 'test'): number | null => (k === 'train' ? e.loss : k === 'val' ? e.valLoss : e.testLoss);
    drawChart(this.lossChart, width, 190, series(loss), { title: 'Loss per epoch (log scale)', xLabel: 'epoch', log: true, maxDecades: 6 });
    const acc = this.epochs[0]?.scoreName === 'accuracy';
    drawChart(this.scoreChart, width, 170, series((e, k) => e.score[k]), { title: acc ? 'Accuracy per epoch' : 'R² per epoch', xLabel: 'epoch', yRange: acc ? [0, 1] : undefined });
  }

  private drawPlot(): void {
    const ctx = setupCanvas(this.canvas, SIZE, SIZE);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, SIZE, SIZE);
    const r = this.ready;
    if (!r) return;
    const area = new PlotArea(SIZE, SIZE, r.bounds);
    const b = this.boundary;
    if (r.dims === 2 && b) {
      this.boundaryImage ??= this.renderBoundary(r, b);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.boundaryImage, area.margins.left, area.margins.top, area.innerWidth, area.innerHeight);
      if (r.task === 'classification') this.drawBoundaryLines(ctx, area, b);
    }
    area.drawAxes(ctx, [r.axisNames[0], r.axisNames[1]]);
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.margins.left, area.margins.top, area.innerWidth, area.innerHeight);
    ctx.clip();
    if (r.dims === 1 && b) this.drawCurve(ctx, area, r, b);
    this.drawPoints(ctx, area, r);
    ctx.restore();
  }

  /** The decision regions (class colours mixed by probability) or the predicted values (viridis). */
  private renderBoundary(r: ReadyEvent, b: BoundaryEvent): HTMLCanvasElement {
    const n = b.size;
    const image = new ImageData(n, n);
    const rgb = CLASS_COLORS.map(hexToRgb);
    const [vlo, vhi] = this.valueRange(r);
    for (let row = 0; row < n; row++) {
      for (let i = 0; i < n; i++) {
        const cell = row * n + i;
        const p = ((n - 1 - row) * n + i) * 4;
        if (r.task === 'classification') {
          let cr = 0, cg = 0, cb = 0, best = 0;
          for (let c = 0; c < b.k; c++) {
            const q = b.values[cell * b.k + c];
            const col = rgb[c % rgb.length];
            cr += q * col[0];
            cg += q * col[1];
            cb += q * col[2];
            best = Math.max(best, q);
          }
          // Confident regions are strongly coloured, uncertain ones pale.
          const alpha = 0.2 + 0.55 * Math.max(0, (best - 1 / b.k) / (1 - 1 / b.k));
          image.data[p] = 255 * (1 - alpha) + cr * alpha;
          image.data[p + 1] = 255 * (1 - alpha) + cg * alpha;
          image.data[p + 2] = 255 * (1 - alpha) + cb * alpha;
        } else {
          const t = (b.values[cell] - vlo) / (vhi - vlo || 1);
          const c = Math.max(0, Math.min(255, Math.round(t * 255))) * 3;
          image.data[p] = VIRIDIS_LUT[c];
          image.data[p + 1] = VIRIDIS_LUT[c + 1];
          image.data[p + 2] = VIRIDIS_LUT[c + 2];
        }
        image.data[p + 3] = 255;
      }
    }
    const out = document.createElement('canvas');
    out.width = n;
    out.height = n;
    out.getContext('2d')!.putImageData(image, 0, 0);
    return out;
  }

  /** Decision boundaries: where one class's probability overtakes all others. */
  private drawBoundaryLines(ctx: CanvasRenderingContext2D, area: PlotArea, b: BoundaryEvent): void {
    const n = b.size;
    const margin = new Float32Array(n * n);
    ctx.strokeStyle = 'rgba(0,0,0,0.75)';
    ctx.lineWidth = 1.5;
    for (let c = 0; c < (b.k === 2 ? 1 : b.k); c++) {
      for (let cell = 0; cell < n * n; cell++) {
        let other = 0;
        for (let j = 0; j < b.k; j++) if (j !== c) other = Math.max(other, b.values[cell * b.k + j]);
        margin[cell] = b.values[cell * b.k + c] - other;
      }
      const segs = contourSegments(margin, n, n, 0);
      ctx.beginPath();
      for (let s = 0; s < segs.length; s += 4) {
        ctx.moveTo(area.margins.left + ((segs[s] + 0.5) / n) * area.innerWidth, area.margins.top + (1 - (segs[s + 1] + 0.5) / n) * area.innerHeight);
        ctx.lineTo(area.margins.left + ((segs[s + 2] + 0.5) / n) * area.innerWidth, area.margins.top + (1 - (segs[s + 3] + 0.5) / n) * area.innerHeight);
      }
      ctx.stroke();
    }
  }

  /** 1-D: the model's curve (regression) or expected class (classification) over x. */
  private drawCurve(ctx: CanvasRenderingContext2D, area: PlotArea, r: ReadyEvent, b: BoundaryEvent): void {
    const [x0, x1] = r.bounds;
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 3;
    ctx.beginPath();
    for (let i = 0; i < b.size; i++) {
      let v = 0;
      if (r.task === 'classification') for (let c = 0; c < b.k; c++) v += c * b.values[i * b.k + c];
      else v = b.values[i];
      const px = area.x(x0 + ((i + 0.5) / b.size) * (x1 - x0));
      const py = area.y(v);
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    }
    ctx.stroke();
  }

  private valueRange(r: ReadyEvent): [number, number] {
    let lo = Infinity, hi = -Infinity;
    for (const t of r.targets) {
      lo = Math.min(lo, t);
      hi = Math.max(hi, t);
    }
    return [lo, hi];
  }

  /** Train: circles; validation: squares; test: triangles with a heavy outline. */
  private drawPoints(ctx: CanvasRenderingContext2D, area: PlotArea, r: ReadyEvent): void {
    const n = r.targets.length;
    const [vlo, vhi] = this.valueRange(r);
    for (const split of [0, 1, 2]) {
      for (let i = 0; i < n; i++) {
        if (r.split[i] !== split) continue;
        let px: number, py: number;
        if (r.dims === 2) {
          px = area.x(r.points[2 * i]);
          py = area.y(r.points[2 * i + 1]);
        } else {
          px = area.x(r.points[i]);
          // 1-D classification: a little vertical jitter around the class row.
          py = area.y(r.task === 'classification' ? r.targets[i] + (((i * 0.6180339887) % 1) - 0.5) * 0.3 : r.targets[i]);
        }
        const fill = r.task === 'classification' ? classColor(r.targets[i]) : r.dims === 2 ? rgbString(viridis((r.targets[i] - vlo) / (vhi - vlo || 1))) : '#0072B2';
        ctx.fillStyle = fill;
        ctx.beginPath();
        if (split === 0) ctx.arc(px, py, 3.6, 0, 2 * Math.PI);
        else if (split === 1) ctx.rect(px - 3.4, py - 3.4, 6.8, 6.8);
        else {
          ctx.moveTo(px, py - 5);
          ctx.lineTo(px + 4.6, py + 3.5);
          ctx.lineTo(px - 4.6, py + 3.5);
          ctx.closePath();
        }
        ctx.fill();
        ctx.lineWidth = split === 2 ? 1.8 : 1;
        ctx.strokeStyle = split === 2 ? '#000' : '#fff';
        ctx.stroke();
      }
    }
  }
}

function rgbString([r, g, b]: [number, number, number]): string {
  return `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
}
