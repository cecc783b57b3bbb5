// Training progress: on a terminal, a live bar per epoch (loss, metrics, samples/s, ETA); elsewhere
// (pipes, CI logs) one plain line per epoch. Both end each epoch with the same summary line.
import cliProgress from 'cli-progress';
import type { BatchInfo, Callback, EpochRecord } from '../src/index.js';
import { formatCount, formatLr, formatMetric, formatSeconds, formatValue } from './format.js';

/** `epoch 3/10  loss 0.012345  val_loss 0.013456  accuracy 0.9712  val_accuracy 0.9700  lr 0.1  2,345 samples/s  1.2s` */
export function epochLine(r: EpochRecord, epochs: number): string {
  const parts = [`epoch ${r.epoch}/${epochs}`, `loss ${formatValue(r.loss)}`];
  if (r.penalty > 0) parts.push(`l2 ${formatValue(r.penalty)}`);
  if (r.valLoss !== undefined) parts.push(`val_loss ${formatValue(r.valLoss)}`);
  for (const [name, v] of Object.entries(r.metrics)) parts.push(`${name} ${formatMetric(name, v)}`);
  for (const [name, v] of Object.entries(r.valMetrics ?? {})) parts.push(`val_${name} ${formatMetric(name, v)}`);
  parts.push(`lr ${formatLr(r.lr)}`, `${formatCount(r.samplesPerSec)} samples/s`, formatSeconds(r.durationMs));
  return parts.join('  ');
}

export interface ProgressOptions {
  epochs: number;
  /** Live bar (a terminal) or plain lines. */
  tty: boolean;
  quiet: boolean;
  write?: (line: string) => void;
}

/** A fit callback that reports progress; `finish()` clears a bar left open by an interrupted epoch. */
export class ProgressReporter implements Callback {
  private bar: cliProgress.SingleBar | null = null;
  private readonly write: (line: string) => void;

  constructor(private readonly options: ProgressOptions) {
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  onEpochBegin(): void {
    if (this.options.quiet || !this.options.tty) return;
    this.bar = new cliProgress.SingleBar({
      format: '{label} [{bar}] {percentage}% | loss {loss} | {speed} samples/s | ETA {eta_formatted}',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      clearOnComplete: true,
      stopOnComplete: false,
      etaBuffer: 20,
      fps: 10,
      stream: process.stdout,
    });
  }

  onBatchEnd(info: BatchInfo): void {
    if (!this.bar) return;
    const payload = { label: `epoch ${info.epoch}/${this.options.epochs}`, loss: formatValue(info.runningLoss), speed: formatCount(info.samplesPerSec) };
    if (info.batch === 0) this.bar.start(info.numBatches, 1, payload);
    else this.bar.update(info.batch + 1, payload);
  }

  /** Prints the epoch's line (the bar, if any, is cleared first). */
  epochEnd(record: EpochRecord): void {
    this.finish();
    if (!this.options.quiet) this.write(epochLine(record, this.options.epochs));
  }

  finish(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
  }
}
