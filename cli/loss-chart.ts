// loss.svg: training and validation loss per epoch, rendered server-side by ECharts as SVG.
// ECharts is an optional peer dependency of the package (tens of MB): without it the run folder
// has everything but the chart, and the command says how to get it.
import type { EpochRecord } from '../src/index.js';

/**
 * An axis tick as people write it: 0.0001, not 0.00009999999999999999 (the log axis computes its
 * ticks as powers of ten in floating point); 1e-7 below 1e-6, as JavaScript writes it.
 */
export function tickLabel(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);
}

/** Log scale when the plotted losses span more than two decades. */
export function useLogScale(values: readonly number[]): boolean {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length < 2 || positive.length < values.filter(Number.isFinite).length) return false;
  return Math.max(...positive) / Math.min(...positive) > 100;
}

/** What the command prints when the chart cannot be drawn. */
export const CHART_UNAVAILABLE = "loss.svg (and predictions.svg) not drawn: they need the optional package 'echarts' (npm install echarts)";

/** The chart as an SVG document, or null where the optional package echarts is not installed. */
export async function renderLossChart(history: readonly EpochRecord[], title: string, size = { width: 720, height: 420 }): Promise<string | null> {
  const echarts = await loadEcharts();
  if (echarts === null) return null;
  const train = history.map((r) => [r.epoch, finite(r.loss)]);
  const hasVal = history.some((r) => r.valLoss !== undefined);
  const val = history.map((r) => [r.epoch, finite(r.valLoss)]);
  const all = [...train, ...(hasVal ? val : [])].map(([, v]) => v).filter((v): v is number => v !== null);
  const log = useLogScale(all);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({
      animation: false,
      title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
      legend: { top: 28, data: hasVal ? ['train loss', 'validation loss'] : ['train loss'] },
      grid: { left: 70, right: 30, top: 64, bottom: 50 },
      xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 1, axisLabel: { formatter: tickLabel }, max: Math.max(1, history.length ? history[history.length - 1].epoch : 1) },
      yAxis: { type: log ? 'log' : 'value', name: log ? 'loss (log scale)' : 'loss', nameLocation: 'middle', nameGap: 52, scale: !log, axisLabel: { formatter: tickLabel } },
      series: [
        { name: 'train loss', type: 'line', data: train, showSymbol: history.length <= 30, connectNulls: false },
        ...(hasVal ? [{ name: 'validation loss', type: 'line', data: val, showSymbol: history.length <= 30, connectNulls: false }] : []),
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * ECharts core with only the line and scatter charts, grid, title, legend and the SVG renderer: a third of the
 * start-up time of the full bundle (about 0.4 s instead of 1.3 s). Null where it is not installed.
 */
export async function loadEcharts(): Promise<typeof import('echarts/core') | null> {
  let echarts: typeof import('echarts/core');
  try {
    echarts = await import('echarts/core');
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && /'echarts'/.test((e as Error).message)) return null;
    throw e;
  }
  await import('echarts/lib/chart/line');
  await import('echarts/lib/chart/scatter');
  await import('echarts/lib/component/gridSimple');
  await import('echarts/lib/component/title');
  await import('echarts/lib/component/legendPlain');
  const { SVGRenderer } = await import('echarts/renderers');
  echarts.use([SVGRenderer]);
  return echarts;
}

function finite(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}
