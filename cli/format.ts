// Number formatting for people: enough significant digits to see small losses change.

/** A loss or other real value with 5 significant digits: 0.012345, 1.2346e-7, 123.45. */
export function formatValue(v: number | undefined): string {
  if (v === undefined) return '-';
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(5)));
}

/** A fraction such as accuracy with 4 decimals. */
export function formatMetric(name: string, v: number): string {
  return /accuracy|r2|f1|precision|recall/i.test(name) ? v.toFixed(4) : formatValue(v);
}

/** A learning rate with up to 4 significant digits. */
export function formatLr(v: number): string {
  return String(Number(v.toPrecision(4)));
}

/** An integer with thousands separators: 2,345. */
export function formatCount(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

/** Milliseconds below 0.1 s, seconds with one decimal below a minute, else 1m05s. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 0.1) return `${Math.round(ms)}ms`;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
}
