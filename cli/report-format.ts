// The held-out report as text: the metrics line, the baseline beside it, and for classification
// the per-class table with its averages and the confusion matrix.
import { printable } from '../src/index.js';
import type { HeldOutReport } from './evaluation.js';
import { formatCount, formatMetric } from './format.js';

const metricsLine = (metrics: Record<string, number>): string => Object.entries(metrics).map(([k, v]) => `${k} ${formatMetric(k, v)}`).join('  ');
const cut = (text: string, max: number): string => printable(text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Aligned columns; the first left-aligned, the others right-aligned. */
function table(rows: string[][], indent: string): string[] {
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  return rows.map((r) => `${indent}${r.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join('  ')}`.trimEnd());
}

/** `title (n samples): metrics`, the baseline line, and (classification) the per-class table and confusion matrix. */
export function formatReport(title: string, r: HeldOutReport): string {
  const lines = [`${title} (${formatCount(r.samples)} samples): ${metricsLine(r.metrics)}`];
  const from = r.baseline.from === 'training split' ? "the training split's" : "this data's";
  const what = r.classes ? `${r.baseline.predicts}, ${from} most frequent class` : `${r.baseline.predicts}, ${from} mean`;
  lines.push(`  baseline (${cut(what, 80)}): ${metricsLine(r.baseline.metrics)}`);
  if (r.classes && r.averages && r.confusionMatrix) {
    const f = (v: number): string => v.toFixed(4);
    const rows = [['class', 'precision', 'recall', 'f1', 'support']];
    for (const c of r.classes) rows.push([cut(c.name, 24), f(c.precision), f(c.recall), f(c.f1), formatCount(c.support)]);
    for (const [name, a] of [['macro avg', r.averages.macro], ['weighted avg', r.averages.weighted]] as const) {
      rows.push([name, f(a.precision), f(a.recall), f(a.f1), formatCount(r.samples)]);
    }
    lines.push(...table(rows, '  '));
    lines.push('  confusion matrix (rows: true class, columns: predicted class):');
    const names = r.classes.map((c) => cut(c.name, 12));
    lines.push(...table([['', ...names], ...r.confusionMatrix.map((row, i) => [names[i], ...row.map((v) => formatCount(v))])], '    '));
  }
  return lines.join('\n');
}

/** The report as JSON for `eval --json` and summary.json. */
export function reportJson(r: HeldOutReport): Record<string, unknown> {
  return {
    ...r.metrics,
    samples: r.samples,
    baseline: r.baseline,
    ...(r.classes ? { classes: r.classes, averages: r.averages, confusionMatrix: r.confusionMatrix } : {}),
  };
}
