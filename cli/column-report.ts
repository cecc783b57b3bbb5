// The column report of a CSV file — each column's inferred type, missing cells, distinct values,
// examples and what training does with it — printed by `downhill inspect` and before training, and
// its warnings phrased with the command line's flags.
import { type ColumnReport, type CsvInspection, listSome, printable, quoteValue } from '../src/index.js';
import { formatCount } from './format.js';

const cut = (text: string, max: number): string => printable(text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** What training does with a column, in a few words. */
export function useText(r: ColumnReport, classNames: readonly string[] = []): string {
  const u = r.use;
  switch (u.as) {
    case 'target': {
      if (u.task === 'regression') return 'target: regression';
      const counts = u.classCounts ? `: ${listSome(u.classCounts.map((n, i) => `${cut(classNames[i] ?? String(i), 16)} ${formatCount(n)}`), 6)}` : '';
      return `target: classification, ${u.classes} classes${counts}`;
    }
    case 'numeric': return 'numeric feature';
    case 'one-hot': return `one-hot: ${formatCount(u.features)} feature${u.features === 1 ? '' : 's'}`;
    case 'date': return `numeric: ${u.unit}`;
    case 'left out': return {
      dropped: 'left out (--drop)', 'not-selected': 'left out (not in --features)', id: 'left out: ID-like', text: 'left out: free text', empty: 'left out: no values',
    }[u.reason];
  }
}

/** The report as an aligned table, with a title line. */
export function formatColumnReport(file: string, inspection: CsvInspection): string {
  const delimiter = inspection.delimiter === '\t' ? 'tab' : `'${printable(inspection.delimiter)}'`;
  const title = `${printable(file)}: ${formatCount(inspection.rows)} rows, ${inspection.columns.length} columns (delimiter ${delimiter}, decimal '${inspection.decimal}')`;
  const rows = [['column', 'type', 'missing', 'distinct', 'examples', 'training']];
  for (const r of inspection.columns) {
    const type = r.dateFormat && r.type === 'date' ? `date (${r.dateFormat})` : r.type;
    const examples = r.examples.map((e) => cut(e, 14)).join(' | ') + (r.distinct > r.examples.length ? ' | …' : '');
    rows.push([cut(r.name, 24), type, formatCount(r.missing), formatCount(r.distinct), examples, useText(r, inspection.encoding.classNames)]);
  }
  const widths = rows[0].map((_, k) => Math.max(...rows.map((row) => row[k].length)));
  const lines = rows.map((row) => `  ${row.map((cell, k) => (k === row.length - 1 ? cell : cell.padEnd(widths[k]))).join('  ')}`.trimEnd());
  return [title, ...lines].join('\n');
}

/** The column warnings, phrased with the flags that act on them. */
export function columnWarnings(inspection: CsvInspection): string[] {
  return inspection.columns.flatMap((r) => {
    const label = `column ${r.column} '${cut(r.name, 40)}'`;
    const flagName = /^[\w.-]+$/.test(r.name) ? r.name : JSON.stringify(r.name);
    switch (r.warning) {
      case 'id': return [`${label} looks like an ID (${formatCount(r.unique)} of ${formatCount(r.values)} rows hold a value no other row has): left out; --features, --categorical or --numeric ${printable(flagName)} keeps it`];
      case 'text': return [`${label} holds free text (${r.examples.slice(0, 2).map((e) => quoteValue(e, 30)).join(', ')}): left out; --categorical ${printable(flagName)} one-hot encodes it`];
      case 'empty': return [`${label} has no values (every cell is missing): left out`];
      case 'high-cardinality': return [`${label} has ${formatCount(r.distinct)} distinct values: one-hot encoded into as many features, with few rows each; --drop ${printable(flagName)} leaves it out`];
      default: return [];
    }
  });
}

/**
 * Notes on the target: a class with very few rows (the model may never predict it, so look at its
 * recall, or pass --class-weight balanced).
 */
export function targetNotes(inspection: CsvInspection): string[] {
  const target = inspection.columns.find((r) => r.use.as === 'target');
  if (!target || target.use.as !== 'target' || !target.use.classCounts) return [];
  const counts = target.use.classCounts;
  const total = counts.reduce((a, b) => a + b, 0);
  const smallest = counts.indexOf(Math.min(...counts));
  const share = counts[smallest] / total;
  if (counts.length < 2 || share >= 0.1) return [];
  const name = cut(inspection.encoding.classNames[smallest] ?? String(smallest), 30);
  return [`the target is imbalanced: class '${name}' has ${formatCount(counts[smallest])} of ${formatCount(total)} rows (${(100 * share).toFixed(1)}%); --class-weight balanced weighs the classes equally in the loss`];
}
