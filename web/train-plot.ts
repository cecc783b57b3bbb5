/**
 * The train view's main figure: the data (train, validation and test marked by shape) over the
 * model's decision regions and boundaries, or over its predicted values or fitted curve.
 */
import { CLASS_COLORS, classColor, hexToRgb, putViridis, viridis } from './colormap.js';
import { contourSegments } from './contours.js';
import { PlotArea, imageCanvas, setupCanvas, strokeGridSegments, withinArea } from './plot.js';
import type { BoundaryEvent, ReadyEvent } from './protocol.js';

/** The figure's width and height in CSS pixels. */
export const PLOT_SIZE = 480;

export class DataPlot {
  // The regions image is the costly part; it is rebuilt only when new data or predictions arrive.
  private regions: HTMLCanvasElement | null = null;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** New data or new predictions: the cached regions image is out of date. */
  invalidate(): void {
    this.regions = null;
  }

  draw(r: ReadyEvent | null, b: BoundaryEvent | null): void {
    const ctx = setupCanvas(this.canvas, PLOT_SIZE, PLOT_SIZE);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, PLOT_SIZE, PLOT_SIZE);
    if (!r) return;
    const area = new PlotArea(PLOT_SIZE, PLOT_SIZE, r.bounds);
    if (r.dims === 2 && b) {
      this.regions ??= renderRegions(r, b);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.regions, area.margins.left, area.margins.top, area.innerWidth, area.innerHeight);
      if (r.task === 'classification') drawBoundaryLines(ctx, area, b);
    }
    area.drawAxes(ctx, [r.axisNames[0], r.axisNames[1]]);
    withinArea(ctx, area, () => {
      if (r.dims === 1 && b) drawCurve(ctx, area, r, b);
      drawPoints(ctx, area, r);
    });
  }
}

/** The decision regions (class colours mixed by probability) or the predicted values (viridis). */
function renderRegions(r: ReadyEvent, b: BoundaryEvent): HTMLCanvasElement {
  const n = b.size;
  const image = new ImageData(n, n);
  const rgb = CLASS_COLORS.map(hexToRgb);
  const [vlo, vhi] = valueRange(r);
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
        putViridis(image.data, p, (b.values[cell] - vlo) / (vhi - vlo || 1));
      }
      image.data[p + 3] = 255;
    }
  }
  return imageCanvas(image);
}

/** Decision boundaries: where one class's probability overtakes all others. */
function drawBoundaryLines(ctx: CanvasRenderingContext2D, area: PlotArea, b: BoundaryEvent): void {
  const n = b.size;
  const margin = new Float32Array(n * n);
  ctx.strokeStyle = 'rgba(0,0,0,0.75)';
  ctx.lineWidth = 1.5;
  // With two classes both margins vanish on the same line: trace it once.
  for (let c = 0; c < (b.k === 2 ? 1 : b.k); c++) {
    for (let cell = 0; cell < n * n; cell++) {
      let other = 0;
      for (let j = 0; j < b.k; j++) if (j !== c) other = Math.max(other, b.values[cell * b.k + j]);
      margin[cell] = b.values[cell * b.k + c] - other;
    }
    strokeGridSegments(ctx, area, contourSegments(margin, n, n, 0), n, n);
  }
}

/** 1-D: the model's curve (regression) or expected class (classification) over x. */
function drawCurve(ctx: CanvasRenderingContext2D, area: PlotArea, r: ReadyEvent, b: BoundaryEvent): void {
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

function valueRange(r: ReadyEvent): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const t of r.targets) {
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  return [lo, hi];
}

/** Train: circles; validation: squares; test: triangles with a heavy outline. */
function drawPoints(ctx: CanvasRenderingContext2D, area: PlotArea, r: ReadyEvent): void {
  const n = r.targets.length;
  const [vlo, vhi] = valueRange(r);
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

function rgbString([r, g, b]: [number, number, number]): string {
  return `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
}
