// `downhill predict <run> <input.csv> [-o out.csv]`: the input's columns plus the model's prediction
// (class name and per-class probabilities, or regression values). The target column may be absent.
import { encodeCsv, predict, sigmoid, softmax } from '../../src/index.js';
import { writeFileAtomic } from '../atomic-write.js';
import { selectBackend, threadsFlag } from '../backend.js';
import type { BackendName } from '../config.js';
import { toCsv, readRawCsv } from '../csv-rows.js';
import { readTextFile } from '../data-source.js';
import { CliError, warn } from '../errors.js';
import { loadTrainedRun } from '../trained-run.js';

/** Float32 values with the digits that distinguish them (7 significant). */
const num = (v: number): string => String(Number(v.toPrecision(7)));

export async function predictCommand(runPath: string, input: string, flags: { output?: string; decimal?: string; backend?: string; threads?: string }): Promise<number> {
  await selectBackend((flags.backend ?? 'auto') as BackendName, threadsFlag(flags.threads));
  const run = loadTrainedRun(runPath);
  const text = readTextFile(input, 'input file');
  // The target column, if there, is never read: predictions do not depend on it.
  const decimal = flags.decimal ? { decimal: flags.decimal as '.' | ',' } : {};
  const encoded = encodeCsv(text, run.prep.encoding, { fileName: input, target: 'ignore', ...decimal });
  for (const w of encoded.warnings) warn(w);
  const outputs = predict(run.model, run.prep.inputs(encoded.x));

  const raw = readRawCsv(text);
  const taken = new Set(raw.header);
  const unique = (name: string): string => {
    let n = name;
    for (let i = 2; taken.has(n); i++) n = `${name}_${i}`;
    taken.add(n);
    return n;
  };
  const n = encoded.lines.length;
  const columns: string[] = [];
  const values: string[][] = Array.from({ length: n }, () => []);
  if (run.prep.task === 'classification') {
    const classes = run.prep.classNames;
    // One logit (binary cross-entropy) is P(class 1) through the sigmoid; otherwise softmax.
    const single = outputs.shape[1] === 1;
    const probs = single ? sigmoid(outputs) : softmax(outputs, -1);
    columns.push(unique('prediction'), ...classes.map((c) => unique(`probability_${c}`)));
    for (let i = 0; i < n; i++) {
      const p = single ? [1 - probs.data[i], probs.data[i]] : Array.from(probs.data.subarray(i * classes.length, (i + 1) * classes.length));
      let best = 0;
      for (let j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
      values[i].push(classes[best], ...p.map(num));
    }
  } else {
    const predicted = run.prep.outputsToTargets(outputs);
    const k = predicted.shape[1];
    const names = run.prep.targetNames;
    columns.push(...Array.from({ length: k }, (_, j) => unique(k === 1 ? 'prediction' : `prediction_${names[j] ?? j + 1}`)));
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) values[i].push(num(predicted.data[i * k + j]));
  }
  const rows = encoded.lines.map((line, i) => {
    const fields = raw.rowsByLine.get(line);
    if (!fields) throw new CliError(`internal mismatch reading row ${line}`, input);
    return [...fields, ...values[i]];
  });
  const csv = toCsv([...raw.header, ...columns], rows);
  if (flags.output && flags.output !== '-') writeOutput(flags.output, csv);
  else process.stdout.write(csv);
  if (encoded.droppedLines.length > 0) {
    warn(`${encoded.droppedLines.length} row(s) with missing values were skipped (lines ${encoded.droppedLines.slice(0, 10).join(', ')}${encoded.droppedLines.length > 10 ? ', …' : ''})`);
  }
  return 0;
}

function writeOutput(path: string, csv: string): void {
  try {
    writeFileAtomic(path, csv);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    throw new CliError(`cannot write the output file: ${why}`, path);
  }
}
