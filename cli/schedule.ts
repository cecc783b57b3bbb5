// `--schedule` specs → learning-rate schedules from the library.
//
//   constant               the optimizer's lr throughout (default)
//   step:<k>[:<γ>]         lr · γ^⌊epoch / k⌋ (γ default 0.1)
//   multistep:<e1>,<e2>…[:<γ>]  lr · γ^(milestones passed)
//   exp:<γ>                lr · γ^epoch
//   cosine[:<minLr>]       cosine annealing from lr to minLr (default 0) over the run's epochs
//   warmup:<w>:<then>      linear warmup over w epochs (from lr/(w+1)), then <then> over the rest
//   onecycle[:<maxLr>]     1cycle policy over every batch of the run, peak maxLr (default lr)
//
// All schedules count epochs (the lr changes between epochs) except onecycle, which counts batches.
import { type Schedule, cosineAnnealingLR, exponentialLR, linearWarmup, multiStepLR, oneCycleLR, stepLR } from '../src/index.js';
import { CliError } from './errors.js';

/** A parsed schedule spec. */
export type ScheduleSpec =
  | { kind: 'constant' }
  | { kind: 'step'; every: number; gamma: number }
  | { kind: 'multistep'; milestones: number[]; gamma: number }
  | { kind: 'exp'; gamma: number }
  | { kind: 'cosine'; minLr: number }
  | { kind: 'warmup'; epochs: number; then: ScheduleSpec }
  | { kind: 'onecycle'; maxLr: number | null };

export const SCHEDULE_HELP = 'constant | step:<k>[:<gamma>] | multistep:<e1>,<e2>[:<gamma>] | exp:<gamma> | cosine[:<minLr>] | warmup:<w>:<schedule> | onecycle[:<maxLr>]';

/** Parses a spec like `warmup:2:cosine`; `label` names the option in messages. */
export function parseSchedule(text: string, label = '--schedule', where?: string): ScheduleSpec {
  const fail = (why: string): never => {
    throw new CliError(`${label} ${JSON.stringify(text)}: ${why}; expected ${SCHEDULE_HELP}`, where);
  };
  const num = (s: string | undefined, what: string, min: number, integer = false): number => {
    const v = s === undefined || s.trim() === '' ? NaN : Number(s);
    if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) fail(`${what} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${JSON.stringify(s ?? '')}`);
    return v;
  };
  const parse = (spec: string): ScheduleSpec => {
    const [name, ...args] = spec.trim().split(':');
    const arity = (max: number): void => {
      if (args.length > max) fail(`'${name}' takes at most ${max} argument${max === 1 ? '' : 's'}`);
    };
    switch (name.toLowerCase()) {
      case 'constant':
        arity(0);
        return { kind: 'constant' };
      case 'step':
        arity(2);
        return { kind: 'step', every: num(args[0], 'the step size in epochs', 1, true), gamma: args[1] === undefined ? 0.1 : num(args[1], 'gamma', 0) };
      case 'multistep': {
        arity(2);
        if (args[0] === undefined) fail('give the milestone epochs, e.g. multistep:30,60');
        const milestones = args[0].split(',').map((m) => num(m, 'each milestone', 1, true));
        return { kind: 'multistep', milestones, gamma: args[1] === undefined ? 0.1 : num(args[1], 'gamma', 0) };
      }
      case 'exp':
        arity(1);
        return { kind: 'exp', gamma: num(args[0], 'gamma', 0) };
      case 'cosine':
        arity(1);
        return { kind: 'cosine', minLr: args[0] === undefined ? 0 : num(args[0], 'minLr', 0) };
      case 'warmup': {
        const epochs = num(args[0], 'the warmup epochs', 1, true);
        const rest = args.slice(1).join(':');
        const then = rest === '' ? ({ kind: 'constant' } as const) : parse(rest);
        if (then.kind === 'warmup' || then.kind === 'onecycle') fail(`warmup cannot be followed by ${then.kind}`);
        return { kind: 'warmup', epochs, then };
      }
      case 'onecycle':
        arity(1);
        return { kind: 'onecycle', maxLr: args[0] === undefined ? null : num(args[0], 'maxLr', 0) };
      default:
        return fail(`unknown schedule '${name}'`);
    }
  };
  return parse(text);
}

/** The schedule for a run of `epochs` epochs of `batchesPerEpoch` batches, and what its step counts. */
export function buildSchedule(spec: ScheduleSpec, lr: number, epochs: number, batchesPerEpoch: number): { schedule: Schedule; unit: 'epoch' | 'batch' } | null {
  const epochSchedule = (s: ScheduleSpec, span: number): Schedule | null => {
    switch (s.kind) {
      case 'constant': return null;
      case 'step': return stepLR(lr, { stepSize: s.every, gamma: s.gamma });
      case 'multistep': return multiStepLR(lr, { milestones: s.milestones, gamma: s.gamma });
      case 'exp': return exponentialLR(lr, { gamma: s.gamma });
      // Anneal over the whole span, and hold minLr should the run be extended past it.
      case 'cosine': {
        const tMax = Math.max(1, span);
        const cos = cosineAnnealingLR(lr, { tMax, etaMin: Math.min(s.minLr, lr) });
        return (t) => cos(Math.min(t, tMax));
      }
      case 'warmup': {
        const then = epochSchedule(s.then, span - s.epochs) ?? ((): number => lr);
        return linearWarmup(s.epochs, then, { startFactor: 1 / (s.epochs + 1) });
      }
      default: return null;
    }
  };
  if (spec.kind === 'onecycle') {
    const totalSteps = Math.max(1, epochs * batchesPerEpoch);
    const cycle = oneCycleLR({ maxLr: spec.maxLr ?? lr, totalSteps });
    return { schedule: (t) => cycle(Math.min(t, totalSteps)), unit: 'batch' };
  }
  const schedule = epochSchedule(spec, epochs);
  return schedule ? { schedule, unit: 'epoch' } : null;
}
