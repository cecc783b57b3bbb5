// `downhill datasets`: the bundled and synthetic datasets, with descriptions.
import { listDatasets } from '../../src/index.js';

export function datasetsCommand(flags: { json?: boolean }): number {
  const sets = listDatasets();
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(sets, null, 2)}\n`);
    return 0;
  }
  const nameWidth = Math.max(...sets.map((d) => d.name.length));
  const taskWidth = Math.max(...sets.map((d) => d.task.length));
  const lines = sets.map((d) => `${d.name.padEnd(nameWidth)}  ${d.task.padEnd(taskWidth)}  ${d.description}`);
  process.stdout.write(`${lines.join('\n')}\n\nTrain on one with: downhill train <name>   (CSV files work the same: downhill train data.csv --target y)\n`);
  return 0;
}
