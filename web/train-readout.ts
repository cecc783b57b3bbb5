/**
 * The train view's words and numbers: progress counters, scores and losses per split, the
 * confusion matrix, the status line, why training stopped, and the plot's marker legend.
 */
import { el, formatNumber } from './controls.js';
import type { EpochEvent, ReadyEvent, Status, StoppedEvent } from './protocol.js';

/** Where training is: epoch, optimizer step, batch within the epoch, current learning rate. */
export interface Progress {
  epoch: number;
  step: number;
  batch: number;
  numBatches: number;
  lr: number;
}

// The ids inside (train-epoch, train-step, train-*-score with data-value) are read by the tests.
export function countersHtml(p: Progress): string {
  return `Epoch <b id="train-epoch">${p.epoch}</b> · step <b id="train-step">${p.step}</b> · batch ${p.batch}/${p.numBatches} · α = ${formatNumber(p.lr)}`;
}

export function scoresHtml(last: EpochEvent): string {
  const name = last.scoreName === 'accuracy' ? 'Accuracy' : 'R²';
  const f = (v: number | null): string => (v === null ? '—' : last.scoreName === 'accuracy' ? `${(100 * v).toFixed(1)}%` : v.toFixed(3));
  return `${name}: train <b id="train-train-score" data-value="${last.score.train ?? ''}">${f(last.score.train)}</b> · validation <b id="train-val-score" data-value="${last.score.val ?? ''}">${f(last.score.val)}</b> · test <b id="train-test-score" data-value="${last.score.test ?? ''}">${f(last.score.test)}</b><br>Loss: train ${formatNumber(last.loss)} · validation ${last.valLoss === null ? '—' : formatNumber(last.valLoss)} · test ${last.testLoss === null ? '—' : formatNumber(last.testLoss)}`;
}

/** Fills `table` with the epoch's confusion matrix, shaded by each row's share. */
export function showConfusion(table: HTMLTableElement, e: EpochEvent, ready: ReadyEvent | null): void {
  if (!e.confusion || !ready) {
    table.replaceChildren(el('caption', {}, 'Only for classification.'));
    return;
  }
  const names = ready.classNames;
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
      // Blue for correct, orange for mistakes (Okabe–Ito, colour-blind safe).
      td.style.background = i === j ? `rgba(0,114,178,${0.15 + 0.7 * share})` : share > 0 ? `rgba(213,94,0,${0.15 + 0.7 * share})` : '';
      if (share > 0.55) td.style.color = '#fff';
      tr.append(td);
    });
    return tr;
  });
  table.replaceChildren(caption, head, ...rows);
}

export const STATUS_TEXT: Record<Status, string> = { idle: 'Ready: press Play, or step one batch at a time.', running: 'Training…', paused: 'Paused.', stopped: 'Stopped.', error: 'Error.' };

/** What the play button will do next. */
export function playLabel(status: Status): string {
  return status === 'running' ? 'Pause' : status === 'stopped' ? 'Restart' : 'Play';
}

export function stopReasonText(e: StoppedEvent): string {
  return `Why it stopped: ${e.message}${e.restoredEpoch !== null ? ` — the weights of epoch ${e.restoredEpoch} were restored.` : '.'}`;
}

export function markerLegendHtml(r: ReadyEvent): string {
  return `<span class="mk circle"></span> train (${r.counts.train}) <span class="mk square"></span> validation (${r.counts.val}) <span class="mk triangle"></span> test (${r.counts.test}) · ${r.parameters} weights · loss: ${r.lossName}`;
}
