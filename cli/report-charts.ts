// The held-out report as pictures in the run folder: confusion.svg (classification) — counts in a
// grid shaded by each true class's share — and predictions.svg (regression) — predicted against
// actual values, with the line where they are equal.
import { printable } from '../src/index.js';
import { loadEcharts, tickLabel } from './loss-chart.js';

const xml = (text: string): string => printable(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The confusion matrix M[true][predicted] as an SVG grid; each cell shaded by its share of the row. */
export function renderConfusionChart(matrix: readonly (readonly number[])[], classes: readonly string[], title: string): string {
  const k = classes.length;
  const cell = Math.max(28, Math.min(64, Math.floor(480 / Math.max(k, 1))));
  const left = 130;
  const top = 80;
  const width = left + k * cell + 30;
  const height = top + k * cell + 60;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${xml(title)}</text>`,
    `<text x="${left + (k * cell) / 2}" y="${top - 42}" text-anchor="middle">predicted class</text>`,
    `<text x="16" y="${top + (k * cell) / 2}" text-anchor="middle" transform="rotate(-90 16 ${top + (k * cell) / 2})">true class</text>`,
  ];
  matrix.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    parts.push(`<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${xml(cut(classes[i], 16))}</text>`);
    row.forEach((v, j) => {
      const share = total > 0 ? v / total : 0;
      const x = left + j * cell;
      const y = top + i * cell;
      // Correct predictions in blue, mistakes in red; darker for a larger share of the true class.
      const hue = i === j ? '33,102,172' : '178,24,43';
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgba(${hue},${(0.08 + 0.85 * share).toFixed(3)})" stroke="#ccc"/>`);
      parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" fill="${share > 0.55 ? '#fff' : '#000'}">${v}</text>`);
    });
  });
  classes.forEach((name, j) => {
    const x = left + j * cell + cell / 2;
    parts.push(`<text x="${x}" y="${top - 8}" text-anchor="start" transform="rotate(-35 ${x} ${top - 8})">${xml(cut(name, 16))}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Predicted against actual values as an SVG scatter plot with the diagonal y = x; null without the optional echarts. */
export async function renderPredictionChart(actual: readonly number[], predicted: readonly number[], title: string, target: string): Promise<string | null> {
  const echarts = await loadEcharts();
  if (echarts === null) return null;
  const values = [...actual, ...predicted].filter(Number.isFinite);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 560, height: 520 });
  try {
    chart.setOption({
      animation: false,
      title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
      legend: { top: 28, data: ['test rows', 'predicted = actual'] },
      grid: { left: 80, right: 30, top: 64, bottom: 56 },
      xAxis: { type: 'value', name: `actual ${target}`, nameLocation: 'middle', nameGap: 30, min: lo, max: hi, scale: true, axisLabel: { formatter: tickLabel } },
      yAxis: { type: 'value', name: `predicted ${target}`, nameLocation: 'middle', nameGap: 58, min: lo, max: hi, scale: true, axisLabel: { formatter: tickLabel } },
      series: [
        { name: 'test rows', type: 'scatter', symbolSize: 5, data: actual.map((a, i) => [a, predicted[i]]) },
        { name: 'predicted = actual', type: 'line', showSymbol: false, data: [[lo, lo], [hi, hi]], lineStyle: { type: 'dashed' } },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
