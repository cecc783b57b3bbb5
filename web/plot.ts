/**
 * A 2-D plot area on a canvas: data ↔ pixel mapping, axes with ticks, crisp HiDPI canvases.
 */

export interface Margins { left: number; right: number; top: number; bottom: number }

/** Sizes a canvas for the device pixel ratio and returns its 2-D context scaled to CSS pixels. */
export function setupCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** "Nice" tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A short label for a tick value. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

export class PlotArea {
  constructor(
    public width: number,
    public height: number,
    public bounds: [number, number, number, number],
    public margins: Margins = { left: 44, right: 12, top: 10, bottom: 34 },
  ) {}

  get innerWidth(): number {
    return this.width - this.margins.left - this.margins.right;
  }

  get innerHeight(): number {
    return this.height - this.margins.top - this.margins.bottom;
  }

  x(v: number): number {
    const [x0, x1] = this.bounds;
    return this.margins.left + ((v - x0) / (x1 - x0)) * this.innerWidth;
  }

  y(v: number): number {
    const [, , y0, y1] = this.bounds;
    return this.margins.top + (1 - (v - y0) / (y1 - y0)) * this.innerHeight;
  }

  /** Data coordinates of a pixel. */
  invert(px: number, py: number): [number, number] {
    const [x0, x1, y0, y1] = this.bounds;
    return [x0 + ((px - this.margins.left) / this.innerWidth) * (x1 - x0), y0 + (1 - (py - this.margins.top) / this.innerHeight) * (y1 - y0)];
  }

  contains(px: number, py: number): boolean {
    return px >= this.margins.left && px <= this.width - this.margins.right && py >= this.margins.top && py <= this.height - this.margins.bottom;
  }

  /** Axes, ticks and axis names. */
  drawAxes(ctx: CanvasRenderingContext2D, names: [string, string], color = '#333'): void {
    const [x0, x1, y0, y1] = this.bounds;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 1;
    ctx.font = '11px system-ui, sans-serif';
    ctx.strokeRect(this.margins.left + 0.5, this.margins.top + 0.5, this.innerWidth, this.innerHeight);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of ticks(x0, x1, 6)) {
      const px = this.x(t);
      ctx.beginPath();
      ctx.moveTo(px, this.height - this.margins.bottom);
      ctx.lineTo(px, this.height - this.margins.bottom + 4);
      ctx.stroke();
      ctx.fillText(tickLabel(t), px, this.height - this.margins.bottom + 5);
    }
    ctx.fillText(names[0], this.margins.left + this.innerWidth / 2, this.height - 14);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of ticks(y0, y1, 6)) {
      const py = this.y(t);
      ctx.beginPath();
      ctx.moveTo(this.margins.left, py);
      ctx.lineTo(this.margins.left - 4, py);
      ctx.stroke();
      ctx.fillText(tickLabel(t), this.margins.left - 6, py);
    }
    ctx.save();
    ctx.translate(11, this.margins.top + this.innerHeight / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(names[1], 0, 0);
    ctx.restore();
    ctx.restore();
  }
}

/** Runs `draw` clipped to the area's inside, so far-off marks cannot spill over the axes. */
export function withinArea(ctx: CanvasRenderingContext2D, area: PlotArea, draw: () => void): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.margins.left, area.margins.top, area.innerWidth, area.innerHeight);
  ctx.clip();
  draw();
  ctx.restore();
}

/**
 * Strokes contour segments (flat [x0, y0, x1, y1, …] in units of an nx × ny grid whose cell
 * centres sit at integers, as contours.ts returns them) as one path over the area's inside.
 */
export function strokeGridSegments(ctx: CanvasRenderingContext2D, area: PlotArea, segs: number[], nx: number, ny: number): void {
  const { left, top } = area.margins;
  ctx.beginPath();
  for (let k = 0; k < segs.length; k += 4) {
    ctx.moveTo(left + ((segs[k] + 0.5) / nx) * area.innerWidth, top + (1 - (segs[k + 1] + 0.5) / ny) * area.innerHeight);
    ctx.lineTo(left + ((segs[k + 2] + 0.5) / nx) * area.innerWidth, top + (1 - (segs[k + 3] + 0.5) / ny) * area.innerHeight);
  }
  ctx.stroke();
}

/** An off-screen canvas holding `image` pixel for pixel, ready to be scaled onto a plot. */
export function imageCanvas(image: ImageData): HTMLCanvasElement {
  const out = document.createElement('canvas');
  out.width = image.width;
  out.height = image.height;
  out.getContext('2d')!.putImageData(image, 0, 0);
  return out;
}
