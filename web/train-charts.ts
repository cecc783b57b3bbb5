/** The train view's curves: loss and score per epoch, for each split that has data. */
import { drawChart, type Series } from './chart.js';
import type { EpochEvent } from './protocol.js';
import { PLOT_SIZE } from './train-plot.js';

type Split = 'train' | 'val' | 'test';

/** The charts span the data plot and the readouts beside it. */
const WIDTH = PLOT_SIZE + 320;
// Dashes as well as colours, so the splits stay apart for colour-blind readers and in greyscale.
const SERIES_STYLE = {
  train: { color: '#0072B2', dash: [] as number[] },
  val: { color: '#E69F00', dash: [7, 4] },
  test: { color: '#009E73', dash: [2, 3] },
};

export function drawEpochCharts(lossChart: HTMLCanvasElement, scoreChart: HTMLCanvasElement, epochs: readonly EpochEvent[]): void {
  const x = epochs.map((e) => e.epoch);
  // A split with no data (e.g. no test set) gets no series rather than an empty legend entry.
  const series = (pick: (e: EpochEvent, k: Split) => number | null): Series[] => (['train', 'val', 'test'] as const)
    .filter((k) => epochs.some((e) => pick(e, k) !== null))
    .map((k) => ({ name: k === 'val' ? 'validation' : k, ...SERIES_STYLE[k], x, y: epochs.map((e) => pick(e, k) ?? NaN) }));
  const loss = (e: EpochEvent, k: Split): number | null => (k === 'train' ? e.loss : k === 'val' ? e.valLoss : e.testLoss);
  drawChart(lossChart, WIDTH, 190, series(loss), { title: 'Loss per epoch (log scale)', xLabel: 'epoch', log: true, maxDecades: 6 });
  const acc = epochs[0]?.scoreName === 'accuracy';
  drawChart(scoreChart, WIDTH, 170, series((e, k) => e.score[k]), { title: acc ? 'Accuracy per epoch' : 'R² per epoch', xLabel: 'epoch', yRange: acc ? [0, 1] : undefined });
}
