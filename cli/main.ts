#!/usr/bin/env node
// The `downhill` command line: train, eval, predict, inspect, datasets.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { datasetsCommand } from './commands/datasets.js';
import { evalCommand } from './commands/eval.js';
import { inspectCommand } from './commands/inspect.js';
import { predictCommand } from './commands/predict.js';
import { trainCommand } from './commands/train.js';
import { ACTIVATIONS, BACKENDS, OPTIMIZERS } from './config.js';

const BACKEND_HELP = 'compute backend (auto: wasm where available, else js; wasm-simd: wasm without fused multiply-add, the same bits on every machine)';
const DECIMAL_HELP = "the CSV's decimal separator (auto: ',' in ;-separated files whose numbers have decimal commas)";
import { reportError } from './errors.js';
import { SCHEDULE_HELP } from './schedule.js';

const TRAIN_EXAMPLES = `
Data is a CSV file with a header row, or a bundled dataset (see \`downhill datasets\`).
CSV columns: numbers are features as they are, dates and times become numbers (days since
1970-01-01, hours since midnight), text is one-hot encoded; ID-like columns, free text and empty
columns are left out with a warning unless --features, --categorical or --numeric name them.
The column report (\`downhill inspect data.csv\`) is printed before training.
Defaults: hidden layers 32,32 with relu; SGD with momentum 0.9 (lr 0.05); batch 32; 100 epochs;
10% validation and 20% test split (seeded, stratified for classification); features standardised
on the training split (regression targets too). Loss: crossEntropy for classification, mse for
regression. \`mnist\` has its own preset: 784-128-64-10, lr 0.05 with a cosine schedule, 12 epochs,
batch 32, no scaling and no validation split (8,000 train / 2,000 test).
Schedules count epochs, except onecycle, which counts batches.
--patience stops on validation loss and restores the best epoch's weights; without validation
data it stops when the training loss improves by less than 1e-4 for that many epochs.

Examples:
  $ downhill train iris
  $ downhill train mnist
  $ downhill train houses.csv --target price --layers 64,32 --optimizer adam --lr 0.003 --epochs 200
  $ downhill train data.csv --target label --schedule warmup:2:cosine --patience 10 --out runs/exp1
  $ downhill train weather.csv --target rain --drop station --class-weight balanced
  $ downhill train sales.csv --target units --categorical store_id --decimal ,
  $ downhill train --config runs/exp1/config.json --seed 7 --out runs/exp1-seed7
  $ downhill train --resume runs/exp1 --epochs 300      # continue an interrupted or finished run
`;

function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'downhill') return pkg.version ?? '0.0.0';
    }
  }
  return '0.0.0';
}

/** The commander program; each action stores its exit code in `result`. */
function buildProgram(result: { code: number }): Command {
  const program = new Command('downhill')
    .description('Train, evaluate and use small neural networks (MLPs) on CSV files or bundled datasets.')
    .version(packageVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (text, write) => write(`downhill: ${text.trim().replace(/\s*\n\s*/g, ' ')}\n`) })
    .exitOverride();

  const set = (p: Promise<number> | number): Promise<void> => Promise.resolve(p).then((code) => void (result.code = code));

  program.command('train')
    .description('train an MLP on a CSV file or a bundled dataset')
    .argument('[data]', 'CSV file or bundled dataset name (mnist, iris, linear, xor, moons, circles, spirals, blobs, sine)')
    .option('--target <column>', 'CSV target column (default: the last column)')
    .addOption(new Option('--task <task>', 'what the target is (default auto: class labels or real values)').choices(['auto', 'regression', 'classification']))
    .option('--layers <sizes>', "hidden layer sizes, e.g. 128,64 ('none': no hidden layer)")
    .option('--activation <name>', `hidden activation: ${ACTIVATIONS.join(', ')}`)
    .option('--loss <name>', 'crossEntropy | bce (classification), mse | halfMse | mae | huber (regression)')
    .option('--optimizer <name>', OPTIMIZERS.join(' | '))
    .option('--lr <rate>', 'learning rate')
    .option('--momentum <beta>', 'momentum for sgd, momentum, nesterov (default 0.9), rmsprop')
    .option('--batch-size <m>', "mini-batch size, or 'full' for full-batch gradient descent")
    .option('--epochs <n>', 'maximum number of epochs')
    .option('--val-split <fraction>', 'fraction of the data held out for validation')
    .option('--test-split <fraction>', 'fraction of the data held out for the final test (default 0.2)')
    .option('--l2 <lambda>', 'L2 penalty λΣw² added to the loss (biases excluded)')
    .option('--weight-decay <lambda>', "the optimizer's weight decay (decoupled for adamw)")
    .option('--schedule <spec>', SCHEDULE_HELP)
    .option('--patience <epochs>', 'early stopping after this many epochs without improvement')
    .option('--seed <n>', 'seed for the split, initial weights and shuffling (default 0)')
    .addOption(new Option('--scaler <name>', 'feature scaling fitted on the training split').choices(['standard', 'minmax', 'none']))
    .addOption(new Option('--missing <policy>', 'missing CSV cells (mean: training rows\' mean or most frequent category)').choices(['error', 'drop', 'mean', 'zero']))
    .option('--features <columns>', 'CSV feature columns to use, e.g. age,city (default: every column type detection keeps)')
    .option('--drop <columns>', 'CSV columns to leave out')
    .option('--categorical <columns>', 'CSV columns to one-hot encode whatever their values')
    .option('--numeric <columns>', 'CSV columns to read as numbers whatever type detection says')
    .addOption(new Option('--decimal <separator>', DECIMAL_HELP).choices(['auto', '.', ',']))
    .option('--class-weight <weights>', "class weights in the loss: balanced (n / (classes · n_c)), 2,1,1 in class order, or rain=2,sun=1")
    .option('--out <folder>', 'run folder (default runs/<data>-<timestamp>)')
    .option('--resume <run>', 'continue a run from its checkpoint file or run folder')
    .addOption(new Option('--backend <name>', BACKEND_HELP).choices([...BACKENDS]))
    .option('--threads <n>', 'threads for the wasm backend (default: every core; results do not depend on it)')
    .option('--config <file.json>', 'options from a JSON file (same names; command-line flags win)')
    .option('-q, --quiet', 'print only the final summary')
    .addHelpText('after', TRAIN_EXAMPLES)
    .action((data: string | undefined, flags: Record<string, unknown>) => set(trainCommand(data, flags)));

  program.command('eval')
    .description("metrics of a trained model on a CSV file or dataset, or on the run's own held-out test split")
    .argument('<run>', 'checkpoint file or run folder')
    .argument('[data]', "CSV file with the target column, or a bundled dataset name (default: the test split; the training file itself, moved or not, is recognised by its SHA-256 and only its held-out rows are scored)")
    .option('--json', 'print the metrics as JSON')
    .addOption(new Option('--decimal <separator>', `${DECIMAL_HELP}; default: the training file's`).choices(['.', ',']))
    .addOption(new Option('--backend <name>', BACKEND_HELP).choices([...BACKENDS]))
    .option('--threads <n>', 'threads for the wasm backend (default: every core; results do not depend on it)')
    .addHelpText('after', `
Examples:
  $ downhill eval runs/iris-20250101-120000            # the run's held-out test split
  $ downhill eval runs/houses/checkpoint.safetensors new-houses.csv --json
`)
    .action((run: string, data: string | undefined, flags: { json?: boolean; decimal?: string; backend?: string; threads?: string }) => set(evalCommand(run, data, flags)));

  program.command('predict')
    .description('predictions for the rows of a CSV file (the target column may be absent)')
    .argument('<run>', 'checkpoint file or run folder')
    .argument('<input>', 'CSV file with the feature columns the model was trained on')
    .option('-o, --output <file>', 'write the CSV here instead of to stdout')
    .addOption(new Option('--decimal <separator>', `${DECIMAL_HELP}; default: the training file's`).choices(['.', ',']))
    .addOption(new Option('--backend <name>', BACKEND_HELP).choices([...BACKENDS]))
    .option('--threads <n>', 'threads for the wasm backend (default: every core; results do not depend on it)')
    .addHelpText('after', `
The output holds the input's columns, then 'prediction' (the class name) and one
'probability_<class>' column per class for classification, or the predicted value(s) for regression.
The target column, if the input has one, is not read (placeholders such as TBD are fine). A
category the training rows did not have is encoded as all zeros in its column, with a warning.

Examples:
  $ downhill predict runs/iris-20250101-120000 flowers.csv -o predicted.csv
  $ downhill predict runs/houses/checkpoint.safetensors listings.csv > priced.csv
`)
    .action((run: string, input: string, flags: { output?: string; decimal?: string; backend?: string; threads?: string }) => set(predictCommand(run, input, flags)));

  program.command('inspect')
    .description("each CSV column's inferred type, missing cells, distinct values, examples, and what train does with it")
    .argument('<data>', 'CSV file with a header row')
    .option('--target <column>', 'the target column (default: the last column)')
    .addOption(new Option('--task <task>', 'what the target is').choices(['auto', 'regression', 'classification']))
    .option('--features <columns>', 'feature columns to use, as for train')
    .option('--drop <columns>', 'columns to leave out, as for train')
    .option('--categorical <columns>', 'columns to one-hot encode, as for train')
    .option('--numeric <columns>', 'columns to read as numbers, as for train')
    .addOption(new Option('--decimal <separator>', DECIMAL_HELP).choices(['auto', '.', ',']))
    .addOption(new Option('--missing <policy>', 'missing cells, as for train').choices(['error', 'drop', 'mean', 'zero']))
    .option('--json', 'print the report as JSON')
    .addHelpText('after', `
Examples:
  $ downhill inspect weather.csv --target rain_tomorrow
  $ downhill inspect cars.csv --target mpg --drop name --json
`)
    .action((data: string, flags: Record<string, string | boolean | undefined>) => set(inspectCommand(data, flags)));

  program.command('datasets')
    .description('list the bundled and synthetic datasets')
    .option('--json', 'print as JSON')
    .addHelpText('after', `
Examples:
  $ downhill datasets
  $ downhill train moons --layers 16,16 --epochs 200
`)
    .action((flags: { json?: boolean }) => set(datasetsCommand(flags)));

  program.addHelpText('after', `
Examples:
  $ downhill datasets
  $ downhill train iris
  $ downhill inspect houses.csv --target price
  $ downhill train houses.csv --target price --epochs 200 --out runs/houses
  $ downhill eval runs/houses
  $ downhill predict runs/houses new-houses.csv -o predictions.csv

Errors print one line; set DOWNHILL_DEBUG=1 for stack traces.`);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(result);
  try {
    await program.parseAsync(argv);
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; usage errors (already printed as one line) exit 2.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' || e.exitCode === 0 ? 0 : 2;
    }
    return reportError(e);
  }
}

// Output piped into a reader that stopped (`downhill predict … | head`): end quietly, as Unix tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
main(process.argv).then((code) => process.exit(code));
