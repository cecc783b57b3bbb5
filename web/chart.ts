/**
 * A small, fast line chart on a canvas (losses and scores over epochs or steps): log or linear y,
 * series told apart by colour AND dash pattern, a legend. Redrawn whole each time.
 */
import { PlotArea, setupCanvas, tickLabel, withinArea } from './plot.js';

export interface Series {
  name: string;
  color: string;
  dash?: number[];
  /** x values (epochs, steps) and y values; non-finite y values break the line. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Marks the last point with a cross (e.g. divergence). */
  endMarker?: 'cross';
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  log?: boolean;
  /** Fixed y range (else from the data). */
  yRange?: [number, number];
  /** Clip the y range to at most this many decades (log) so one runaway series does not flatten the rest. */
  maxDecades?: number;
}

export function drawChart(canvas: HTMLCanvasElement, width: number, height: number, series: Series[], o: ChartOptions): void {
  const ctx = setupCanvas(canvas, width, height);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  const tf = (v: number): number => (o.log ? Math.log10(v) : v);
  let lo = Infinity;
  let hi = -Infinity;
  let xMax = 1;
  for (const s of series) {
    for (let i = 0; i < s.y.length; i++) {
      const v = tf(s.y[i]);
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      xMax = Math.max(xMax, s.x[i]);
    }
  }
  if (o.yRange) [lo, hi] = o.yRange.map(tf) as [number, number];
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (o.log && o.maxDecades && hi - lo > o.maxDecades) lo = hi - o.maxDecades;
  if (o.log && hi - lo < 0.3) [lo, hi] = [(lo + hi) / 2 - 0.15, (lo + hi) / 2 + 0.15];
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.05;
  const area = new PlotArea(width, height, [0, xMax, lo - pad, hi + pad], { left: 52, right: 10, top: 36, bottom: 30 });
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = '#222';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(o.title, 8, 4);
  // Axes: for log charts the tick labels show 10^t.
  ctx.save();
  area.drawAxes(ctx, [o.xLabel, ''], '#555');
  ctx.restore();
  if (o.log) {
    // Overdraw the y labels as values: powers of ten, and 2× and 5× them on short ranges.
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, area.margins.top - 6, area.margins.left - 1, area.innerHeight + 12);
    ctx.fillStyle = '#555';
    ctx.strokeStyle = '#555';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const [, , y0, y1] = area.bounds;
    const span = y1 - y0;
    const mantissas = span < 1.2 ? [1, 1.5, 2, 3, 5, 7] : span < 3 ? [1, 2, 5] : [1];
    const every = Math.max(1, Math.ceil(span / 6));
    for (let e = Math.floor(y0); e <= Math.ceil(y1); e++) {
      if (mantissas.length === 1 && e % every !== 0) continue;
      for (const m of mantissas) {
        const t = e + Math.log10(m);
        if (t < y0 || t > y1) continue;
        const py = area.y(t);
        ctx.fillText(tickLabel(m * 10 ** e), area.margins.left - 6, py);
        ctx.beginPath();
        ctx.moveTo(area.margins.left - 3, py);
        ctx.lineTo(area.margins.left, py);
        ctx.stroke();
      }
    }
  }
  withinArea(ctx, area, () => {
    for (const s of series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2;
      ctx.setLineDash(s.dash ?? []);
      ctx.beginPath();
      let pen = false;
      // Long series: at most about two points per pixel column.
      const stride = Math.max(1, Math.floor(s.y.length / (2 * area.innerWidth)));
      const last = s.y.length - 1;
      for (let i = 0; i <= last; i = i < last && i + stride > last ? last : i + stride) {
        let v = tf(s.y[i]);
        if (v === Infinity) v = hi + pad * 2; // a diverged value: off the top
        if (!Number.isFinite(v)) {
          pen = false;
          continue;
        }
        const px = area.x(s.x[i]);
        const py = area.y(Math.max(lo - pad * 2, Math.min(hi + pad * 2, v)));
        if (pen) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        pen = true;
        if (s.y.length === 1) {
          ctx.stroke();
          ctx.fillStyle = s.color;
          ctx.beginPath();
          ctx.arc(px, py, 3, 0, 2 * Math.PI);
          ctx.fill();
          ctx.beginPath();
        }
      }
      ctx.stroke();
    }
  });
  ctx.setLineDash([]);
  // Legend, top right.
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  let lx = width - 10;
  for (const s of [...series].reverse()) {
    const w = ctx.measureText(s.name).width + 30;
    lx -= w;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dash ?? []);
    ctx.beginPath();
    ctx.moveTo(lx, 24);
    ctx.lineTo(lx + 20, 24);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#222';
    ctx.fillText(s.name, lx + 24, 24);
  }
}
