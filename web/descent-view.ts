/**
 * The descent view: a loss surface over two parameters as a height map with contours, and
 * optimizers racing downhill from the same start, drawn live. Click (or use the arrow keys on) the
 * map to choose the start.
 */
import { drawChart, type Series } from './chart.js';
import { VIRIDIS_LUT } from './colormap.js';
import { contourSegments, logLevels } from './contours.js';
import { type Control, el, fieldset, formatNumber, makeControl } from './controls.js';
import { RUNNERS, Race, type RunnerKind, type Runner } from './descent.js';
import { PlotArea, setupCanvas } from './plot.js';
import type { SettingKey, State } from './state.js';
import { type Surface, gradientAt, makeSurface } from './surfaces.js';
import type { App } from './app.js';

const SIZE = 540;
const GRID = 180;
const RUNNER_KEYS: Array<[SettingKey, RunnerKind]> = [['dGD', 'gd'], ['dSGD', 'sgd'], ['dMom', 'momentum'], ['dNest', 'nesterov'], ['dAdam', 'adam']];
const SURFACE_KEYS: SettingKey[] = ['surface', 'dPoints', 'dNoise', 'dSeed'];

export class DescentView {
  readonly root: HTMLElement;
  private readonly app: App;
  private readonly controls: Control[] = [];
  private readonly canvas = el('canvas', { id: 'descent-canvas', tabindex: '0', role: 'img', 'aria-label': 'Loss surface. Click, or use the arrow keys, to move the start point; Enter plays or pauses.' });
  private readonly chart = el('canvas', { id: 'descent-chart', role: 'img', 'aria-label': 'Loss per step for each optimizer' });
  private readonly dataCanvas = el('canvas', { id: 'descent-data', role: 'img', 'aria-label': 'The data and each optimizer’s current line' });
  private readonly legend = el('tbody');
  private readonly readout = el('p', { id: 'descent-readout', class: 'readout', 'aria-live': 'polite' });
  private readonly caption = el('p', { id: 'descent-caption', class: 'caption lecture' });
  private readonly hint = el('p', { id: 'descent-hint', class: 'hint', 'aria-live': 'polite' });
  private readonly playButton = el('button', { id: 'descent-play', type: 'button' }, 'Pause');
  private readonly stepLabel = el('span', { id: 'descent-steps' });
  private readonly area = new PlotArea(SIZE, SIZE, [0, 1, 0, 1]);
  private surface!: Surface;
  private background: HTMLCanvasElement | null = null;
  private race!: Race;
  private playing = true;
  private dirty = true;
  private budget = 0;
  private lastTime = 0;
  private selected: RunnerKind | null = null;
  private hover: [number, number] | null = null;
  private lastChart = 0;
  private legendCache = new Map<string, string>();

  constructor(root: HTMLElement, app: App) {
    this.root = root;
    this.app = app;
    this.build();
    this.rebuildSurface(app.state);
    this.restart(app.state);
  }

  private build(): void {
    const onChange = (key: SettingKey, value: unknown): void => {
      if (key === 'surface') {
        // A new surface comes with the settings that show it well.
        const s = makeSurface(value as Surface['name']);
        this.app.update({ surface: value, dLr: s.suggested.lr, dAdamLr: s.suggested.adamLr, dStartW: s.suggested.start[0], dStartB: s.suggested.start[1] });
      } else this.app.update({ [key]: value });
    };
    const c = (key: SettingKey): Control => {
      const control = makeControl(key, onChange);
      this.controls.push(control);
      return control;
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
    this.playButton.addEventListener('click', () => this.togglePlay());
    stepButton.addEventListener('click', () => {
      this.playing = false;
      if (!this.race.active) this.restart(this.app.state);
      this.race.step();
      this.dirty = true;
      this.updateButtons();
    });
    resetButton.addEventListener('click', () => this.restart(this.app.state));
    buttons.append(this.playButton, stepButton, resetButton, this.stepLabel);

    const table = el('table', { class: 'legend', id: 'descent-legend' });
    const head = el('thead');
    head.innerHTML = '<tr><th scope="col">Optimizer</th><th scope="col">Step</th><th scope="col">Loss</th><th scope="col">Status</th></tr>';
    table.append(head, this.legend);

    const main = el('div', { class: 'main' });
    const lecture = el('p', { class: 'caption lecture' });
    lecture.innerHTML = 'The loss is a height map over the parameters (w, b). Gradient descent rolls a ball downhill: <b>v ← v − α∇L(v)</b>. The dashed arrow is −∇L (steepest descent) at the current point, the solid one the step just taken.';
    const figure = el('div', { class: 'figure-row' });
    const right = el('div', { class: 'figure-side' });
    right.append(table, this.readout, this.dataCanvas);
    figure.append(this.canvas, right);
    main.append(lecture, this.caption, buttons, this.hint, figure, this.chart);
    this.root.append(side, main);

    this.canvas.addEventListener('click', (e) => {
      const [px, py] = this.pointer(e);
      if (!this.area.contains(px, py)) return;
      const [w, b] = this.area.invert(px, py);
      this.app.update({ dStartW: round2(w), dStartB: round2(b) });
    });
    this.canvas.addEventListener('pointermove', (e) => {
      const [px, py] = this.pointer(e);
      this.hover = this.area.contains(px, py) ? this.area.invert(px, py) : null;
      this.dirty = true;
    });
    this.canvas.addEventListener('pointerleave', () => {
      this.hover = null;
      this.dirty = true;
    });
    this.canvas.addEventListener('keydown', (e) => {
      const [x0, x1, y0, y1] = this.surface.bounds;
      const s = this.app.state;
      const dx = (x1 - x0) / 50;
      const dy = (y1 - y0) / 50;
      const moves: Record<string, [number, number]> = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] };
      if (e.key in moves) {
        e.preventDefault();
        const [mx, my] = moves[e.key];
        this.app.update({ dStartW: round2(s.dStartW + mx), dStartB: round2(s.dStartB + my) });
      } else if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.togglePlay();
      }
    });
  }

  private pointer(e: MouseEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  private togglePlay(): void {
    if (!this.race.active) {
      this.restart(this.app.state);
      return;
    }
    this.playing = !this.playing;
    this.updateButtons();
  }

  private updateButtons(): void {
    this.playButton.textContent = this.playing && this.race.active ? 'Pause' : 'Play';
    this.playButton.setAttribute('aria-pressed', String(this.playing && this.race.active));
  }

  /** New settings: rebuild what they affect and start the race again from the start point. */
  onState(state: State, changed: ReadonlySet<SettingKey>): void {
    for (const c of this.controls) c.set(state);
    const sgdPossible = state.surface === 'linreg';
    for (const c of this.controls) {
      if (['dPoints', 'dNoise', 'dSeed', 'dBatch'].includes(c.key)) c.element.hidden = !sgdPossible;
      if (c.key === 'dSGD') {
        const input = c.element.querySelector('input')!;
        input.disabled = !sgdPossible;
        c.element.title = sgdPossible ? '' : 'Mini-batches need data: choose the linear-regression surface.';
      }
    }
    if (SURFACE_KEYS.some((k) => changed.has(k))) this.rebuildSurface(state);
    if ([...changed].some((k) => k.startsWith('d') && k !== 'dataset') || changed.has('surface')) this.restart(state);
  }

  private rebuildSurface(state: State): void {
    this.surface = makeSurface(state.surface, { points: state.dPoints, noise: state.dNoise, seed: state.dSeed });
    this.area.bounds = this.surface.bounds;
    this.background = null;
    this.caption.textContent = this.surface.caption;
  }

  private restart(state: State): void {
    const kinds = RUNNER_KEYS.filter(([key]) => state[key]).map(([, kind]) => kind);
    this.race = new Race(this.surface, {
      lr: state.dLr, adamLr: state.dAdamLr, momentum: state.dMomentum, batch: state.dBatch,
      start: [state.dStartW, state.dStartB], kinds, maxSteps: state.dSteps, seed: state.dSeed + 1,
    });
    if (!this.selected || !kinds.includes(this.selected)) this.selected = this.race.runners[0]?.kind ?? null;
    this.playing = true;
    this.budget = 0;
    this.dirty = true;
    this.legendCache.clear();
    this.legend.replaceChildren(...this.race.runners.map((r) => this.legendRow(r)));
    const s = this.surface;
    const notes: string[] = [];
    if (s.stableLr !== undefined && kinds.some((k) => k === 'gd' || k === 'sgd')) {
      const ratio = state.dLr / s.stableLr;
      if (ratio > 1) notes.push(`α = ${formatNumber(state.dLr)} is above 2/λmax = ${formatNumber(s.stableLr)}: each GD step overshoots by more than it corrects — watch the loss rise.`);
      else if (ratio > 0.5) notes.push(`α = ${formatNumber(state.dLr)} is close to the limit 2/λmax = ${formatNumber(s.stableLr)}: GD overshoots the steep direction and zig-zags.`);
      else if (ratio < 0.1) notes.push(`α = ${formatNumber(state.dLr)} is tiny next to the limit ${formatNumber(s.stableLr)}: the ball crawls.`);
    }
    if (state.dSGD && s.samples === 0) notes.push('Mini-batch SGD needs data points: choose the linear-regression surface to see it.');
    this.hint.textContent = notes.join(' ');
    this.updateButtons();
  }

  private legendRow(r: Runner): HTMLTableRowElement {
    const info = RUNNERS[r.kind];
    const row = el('tr', { id: `descent-row-${r.kind}`, 'data-kind': r.kind });
    const name = el('td');
    const radio = el('input', { type: 'radio', name: 'descent-selected', id: `descent-select-${r.kind}`, 'aria-label': `Show arrows for ${info.label}` });
    radio.checked = this.selected === r.kind;
    radio.addEventListener('change', () => {
      this.selected = r.kind;
      this.dirty = true;
    });
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = info.color;
    name.append(radio, swatch, document.createTextNode(info.label));
    row.append(name, el('td', { class: 'steps' }), el('td', { class: 'loss' }), el('td', { class: 'status' }));
    return row;
  }

  /** Called every animation frame while the view is visible. */
  frame(now: number): void {
    const dt = this.lastTime ? Math.min(100, now - this.lastTime) : 16;
    this.lastTime = now;
    if (this.playing && this.race.active) {
      this.budget += (dt * this.app.state.dSpeed) / 1000;
      let n = Math.min(200, Math.floor(this.budget));
      this.budget -= n;
      while (n-- > 0 && this.race.step());
      this.dirty = true;
      if (!this.race.active) this.updateButtons();
    }
    if (!this.dirty) return;
    this.dirty = false;
    this.draw();
    this.updateLegend();
    if (now - this.lastChart > 100 || !this.race.active) {
      this.lastChart = now;
      this.drawLossChart();
      this.drawData();
    }
  }

  private updateLegend(): void {
    const set = (row: Element, cls: string, text: string): void => {
      const key = `${row.id}.${cls}`;
      if (this.legendCache.get(key) === text) return;
      this.legendCache.set(key, text);
      row.querySelector(`.${cls}`)!.textContent = text;
    };
    for (const r of this.race.runners) {
      const row = this.legend.querySelector(`#descent-row-${r.kind}`);
      if (!row) continue;
      row.setAttribute('data-status', r.status);
      row.setAttribute('data-steps', String(r.steps));
      set(row, 'steps', r.kind === 'sgd' ? `${r.steps} (epoch ${r.epoch})` : String(r.steps));
      set(row, 'loss', formatNumber(r.loss));
      const [w, b] = r.point;
      const dist = Math.hypot(w - this.surface.minimum.w, b - this.surface.minimum.b);
      row.setAttribute('data-distance', String(dist));
      row.setAttribute('data-loss', String(r.loss));
      set(row, 'status', r.message || (r.status === 'running' ? `running — ${formatNumber(dist)} from the minimum` : r.status));
    }
    this.stepLabel.textContent = `step ${this.race.steps} of ${this.race.options.maxSteps}`;
    const sel = this.selected ? this.race.runner(this.selected) : undefined;
    if (sel) {
      const [w, b] = sel.point;
      const [gw, gb] = sel.grad;
      this.readout.textContent = `${RUNNERS[sel.kind].label} at (w, b) = (${formatNumber(w)}, ${formatNumber(b)}): L = ${formatNumber(sel.loss)}, ∇L = (${formatNumber(gw)}, ${formatNumber(gb)}), |∇L| = ${formatNumber(Math.hypot(gw, gb))}; last step (Δw, Δb) = (${formatNumber(sel.lastStep[0])}, ${formatNumber(sel.lastStep[1])})${sel.kind === 'sgd' ? ` from a mini-batch gradient (${formatNumber(sel.stepGrad[0])}, ${formatNumber(sel.stepGrad[1])})` : ''}.`;
    } else this.readout.textContent = 'Choose at least one optimizer.';
  }

  /** Height map (viridis on a log scale of L − Lmin) and contour lines, cached per surface. */
  private renderBackground(): HTMLCanvasElement {
    const s = this.surface;
    const [x0, x1, y0, y1] = s.bounds;
    const values = new Float64Array(GRID * GRID);
    let hi = -Infinity;
    for (let j = 0; j < GRID; j++) {
      for (let i = 0; i < GRID; i++) {
        const v = s.value(x0 + ((i + 0.5) / GRID) * (x1 - x0), y0 + ((j + 0.5) / GRID) * (y1 - y0));
        values[j * GRID + i] = v;
        hi = Math.max(hi, v);
      }
    }
    const lo = s.minimum.loss;
    const eps = Math.max((hi - lo) * 1e-4, 1e-12);
    const la = Math.log(eps);
    const lb = Math.log(hi - lo + eps);
    const image = new ImageData(GRID, GRID);
    for (let j = 0; j < GRID; j++) {
      for (let i = 0; i < GRID; i++) {
        const t = (Math.log(Math.max(values[j * GRID + i] - lo, 0) + eps) - la) / (lb - la);
        const c = Math.max(0, Math.min(255, Math.round(t * 255))) * 3;
        const p = ((GRID - 1 - j) * GRID + i) * 4;
        image.data[p] = VIRIDIS_LUT[c];
        image.data[p + 1] = VIRIDIS_LUT[c + 1];
        image.data[p + 2] = VIRIDIS_LUT[c + 2];
        image.data[p + 3] = 255;
      }
    }
    const small = document.createElement('canvas');
    small.width = GRID;
    small.height = GRID;
    small.getContext('2d')!.putImageData(image, 0, 0);
    const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
    const bg = document.createElement('canvas');
    bg.width = SIZE * dpr;
    bg.height = SIZE * dpr;
    const ctx = bg.getContext('2d')!;
    ctx.scale(dpr, dpr);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, SIZE, SIZE);
    const a = this.area;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, a.margins.left, a.margins.top, a.innerWidth, a.innerHeight);
    ctx.strokeStyle = 'rgba(255,255,255,0.45)';
    ctx.lineWidth = 1;
    for (const level of logLevels(lo, hi, 14, lo)) {
      const segs = contourSegments(values, GRID, GRID, level);
      ctx.beginPath();
      for (let k = 0; k < segs.length; k += 4) {
        ctx.moveTo(a.margins.left + ((segs[k] + 0.5) / GRID) * a.innerWidth, a.margins.top + (1 - (segs[k + 1] + 0.5) / GRID) * a.innerHeight);
        ctx.lineTo(a.margins.left + ((segs[k + 2] + 0.5) / GRID) * a.innerWidth, a.margins.top + (1 - (segs[k + 3] + 0.5) / GRID) * a.innerHeight);
      }
      ctx.stroke();
    }
    a.drawAxes(ctx, s.axes);
    // The minimum: a white star with a dark outline.
    star(ctx, a.x(s.minimum.w), a.y(s.minimum.b), 7);
    return bg;
  }

  private draw(): void {
    const ctx = setupCanvas(this.canvas, SIZE, SIZE);
    this.background ??= this.renderBackground();
    ctx.drawImage(this.background, 0, 0, SIZE, SIZE);
    const a = this.area;
    ctx.save();
    ctx.beginPath();
    ctx.rect(a.margins.left, a.margins.top, a.innerWidth, a.innerHeight);
    ctx.clip();
    // Start point.
    ring(ctx, a.x(this.race.options.start[0]), a.y(this.race.options.start[1]), 6, '#fff');
    for (const r of this.race.runners) this.drawRunner(ctx, r);
    if (this.hover) this.drawHover(ctx, this.hover);
    ctx.restore();
    // Divergence markers are drawn unclipped, at the plot's edge when the point left it.
    for (const r of this.race.runners) if (r.status === 'diverged') this.drawDiverged(ctx, r);
  }

  private drawRunner(ctx: CanvasRenderingContext2D, r: Runner): void {
    const a = this.area;
    const info = RUNNERS[r.kind];
    const p = r.path;
    ctx.lineJoin = 'round';
    // A dark halo under the path keeps it visible on every colour of the map.
    for (const [color, width] of [['rgba(0,0,0,0.55)', 4], [info.color, 2]] as const) {
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.setLineDash(width === 2 ? info.dash : []);
      ctx.beginPath();
      for (let i = 0; i < p.length; i += 2) {
        const x = a.x(clampFar(p[i])), y = a.y(clampFar(p[i + 1]));
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    // The iterates, as dots: their spacing shows the step sizes.
    if (p.length / 2 <= 400) {
      ctx.fillStyle = info.color;
      for (let i = 2; i < p.length - 2; i += 2) {
        ctx.beginPath();
        ctx.arc(a.x(p[i]), a.y(p[i + 1]), 1.8, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    const [w, b] = r.point;
    if (r.status !== 'diverged') {
      if (r.kind === this.selected && r.steps > 0) {
        // The step just taken, ending at the current point.
        arrow(ctx, a.x(w - r.lastStep[0]), a.y(b - r.lastStep[1]), a.x(w), a.y(b), info.color, 3, []);
      }
      if (r.kind === this.selected && Number.isFinite(r.grad[0])) {
        // −∇L, drawn as the plain-GD step −α∇L but at least 18 and at most 110 pixels long.
        const lr = r.kind === 'adam' ? this.race.options.adamLr : this.race.options.lr;
        let dx = a.x(w - lr * r.grad[0]) - a.x(w);
        let dy = a.y(b - lr * r.grad[1]) - a.y(b);
        const len = Math.hypot(dx, dy);
        // A step of less than half a pixel is no arrow (the gradient has all but vanished).
        if (len > 0.5) {
          const scale = Math.min(110, Math.max(18, len)) / len;
          dx *= scale;
          dy *= scale;
          arrow(ctx, a.x(w), a.y(b), a.x(w) + dx, a.y(b) + dy, '#fff', 2, [5, 3]);
          label(ctx, '−∇L', a.x(w) + dx * 1.1, a.y(b) + dy * 1.1);
        }
      }
      ring(ctx, a.x(w), a.y(b), r.kind === this.selected ? 6 : 5, info.color);
    }
  }

  private drawDiverged(ctx: CanvasRenderingContext2D, r: Runner): void {
    const a = this.area;
    // The last point still inside the plot (or the edge point towards the escape).
    const p = r.path;
    let x = p[p.length - 2], y = p[p.length - 1];
    for (let i = p.length - 2; i >= 0; i -= 2) {
      x = p[i];
      y = p[i + 1];
      if (Number.isFinite(x) && Number.isFinite(y)) break;
    }
    const [x0, x1, y0, y1] = this.surface.bounds;
    const px = a.x(Math.min(x1, Math.max(x0, x)));
    const py = a.y(Math.min(y1, Math.max(y0, y)));
    const s = 9;
    ctx.lineCap = 'round';
    for (const [color, width] of [['#000', 7], [RUNNERS[r.kind].color, 3.5]] as const) {
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.moveTo(px - s, py - s);
      ctx.lineTo(px + s, py + s);
      ctx.moveTo(px + s, py - s);
      ctx.lineTo(px - s, py + s);
      ctx.stroke();
    }
    ctx.lineCap = 'butt';
    const text = `${RUNNERS[r.kind].label}: diverged`;
    ctx.font = 'bold 12px system-ui, sans-serif';
    const width = ctx.measureText(text).width;
    label(ctx, text, Math.max(4, Math.min(px + 14, SIZE - width - 10)), Math.min(Math.max(py - 14, 14), SIZE - 14), true);
  }

  private drawHover(ctx: CanvasRenderingContext2D, [w, b]: [number, number]): void {
    const a = this.area;
    const { loss, grad } = gradientAt(this.surface, w, b);
    const g = Math.hypot(grad[0], grad[1]);
    if (g > 1e-12) {
      const dx = (-grad[0] / g) * (a.innerWidth / (this.surface.bounds[1] - this.surface.bounds[0]));
      const dy = (grad[1] / g) * (a.innerHeight / (this.surface.bounds[3] - this.surface.bounds[2]));
      const n = Math.hypot(dx, dy);
      arrow(ctx, a.x(w), a.y(b), a.x(w) + (dx / n) * 30, a.y(b) + (dy / n) * 30, 'rgba(255,255,255,0.9)', 1.5, [3, 2]);
    }
    const text = `L = ${formatNumber(loss)}, |∇L| = ${formatNumber(g)} — click to start here`;
    ctx.font = '12px system-ui, sans-serif';
    const width = ctx.measureText(text).width;
    label(ctx, text, Math.max(4, Math.min(a.x(w) + 10, SIZE - width - 10)), Math.max(a.y(b) - 12, 20), false);
  }

  private drawLossChart(): void {
    const min = this.surface.minimum.loss;
    const series: Series[] = this.race.runners.map((r) => ({
      name: RUNNERS[r.kind].label,
      color: RUNNERS[r.kind].chartColor,
      dash: RUNNERS[r.kind].dash,
      x: r.losses.map((_, i) => i),
      y: r.losses.map((l) => (Number.isFinite(l) ? Math.max(l - min, 1e-16) : Infinity)),
    }));
    drawChart(this.chart, SIZE + 300, 200, series, { title: 'Loss above the minimum, L − L*, per step (log scale): a rising curve means the step size is too large', xLabel: 'step', log: true, maxDecades: 14 });
  }

  /** For linear regression: the data and each runner's current line ŷ = w·x + b. */
  private drawData(): void {
    const s = this.surface;
    this.dataCanvas.hidden = !s.data;
    if (!s.data) return;
    const W = 280, H = 200;
    const ctx = setupCanvas(this.dataCanvas, W, H);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    const { x, y } = s.data;
    const xs = [Math.min(...x) - 0.3, Math.max(...x) + 0.3];
    const ys = [Math.min(...y) - 1, Math.max(...y) + 1];
    const area = new PlotArea(W, H, [xs[0], xs[1], ys[0], ys[1]], { left: 34, right: 8, top: 20, bottom: 28 });
    area.drawAxes(ctx, ['x', 'y']);
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillStyle = '#222';
    ctx.fillText('Data and the lines ŷ = w·x + b', 8, 12);
    ctx.fillStyle = '#444';
    for (let i = 0; i < x.length; i++) {
      ctx.beginPath();
      ctx.arc(area.x(x[i]), area.y(y[i]), 2.5, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.margins.left, area.margins.top, area.innerWidth, area.innerHeight);
    ctx.clip();
    for (const r of this.race.runners) {
      const [w, b] = r.point;
      if (!Number.isFinite(w) || !Number.isFinite(b)) continue;
      ctx.strokeStyle = RUNNERS[r.kind].chartColor;
      ctx.setLineDash(RUNNERS[r.kind].dash);
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(area.x(xs[0]), area.y(w * xs[0] + b));
      ctx.lineTo(area.x(xs[1]), area.y(w * xs[1] + b));
      ctx.stroke();
    }
    ctx.restore();
    ctx.setLineDash([]);
  }
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Keeps far-away points drawable (canvas coordinates overflow past ~1e9). */
function clampFar(v: number): number {
  return Number.isFinite(v) ? Math.max(-1e6, Math.min(1e6, v)) : 0;
}

function ring(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, color: string): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = color;
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#000';
  ctx.stroke();
}

function star(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 === 0 ? r : r * 0.45;
    ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
  }
  ctx.closePath();
  ctx.fillStyle = '#fff';
  ctx.fill();
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 1.5;
  ctx.stroke();
}

function arrow(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number, color: string, width: number, dash: number[]): void {
  const len = Math.hypot(x1 - x0, y1 - y0);
  if (len < 1) return;
  const ux = (x1 - x0) / len, uy = (y1 - y0) / len;
  const head = Math.min(10, len * 0.5);
  for (const [c, w] of [['rgba(0,0,0,0.6)', width + 2], [color, width]] as const) {
    ctx.strokeStyle = c;
    ctx.lineWidth = w;
    ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1 - ux * head * 0.6, y1 - uy * head * 0.6);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = c;
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - ux * head - uy * head * 0.5, y1 - uy * head + ux * head * 0.5);
    ctx.lineTo(x1 - ux * head + uy * head * 0.5, y1 - uy * head - ux * head * 0.5);
    ctx.closePath();
    ctx.fill();
  }
}

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, strong = false): void {
  ctx.font = `${strong ? 'bold ' : ''}12px system-ui, sans-serif`;
  const w = ctx.measureText(text).width;
  ctx.fillStyle = 'rgba(0,0,0,0.7)';
  ctx.fillRect(x - 3, y - 9, w + 6, 17);
  ctx.fillStyle = '#fff';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillText(text, x, y);
}
