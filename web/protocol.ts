/**
 * The typed message protocol between the page and the training worker, and the handler that
 * answers it. The handler is plain TypeScript over the library (no `self`, no DOM): the worker
 * wires it to `postMessage`, and Node tests drive it directly.
 *
 * Commands (page → worker): engine, configure, start, pause, step, reset, export, import.
 * Events (worker → page): engine, ready, progress, epoch, boundary, status, stopped, checkpoint, error.
 */
import type { TrainSettings } from './state.js';
import { TrainerSession } from './trainer.js';
import type { Command, Emit, HandlerOptions } from './messages.js';

export type * from './messages.js';

/** What the worker (or a test) calls with each command. */
export interface Handler {
  handle(command: Command): Promise<void>;
  /** The current session (tests look at its model and history). */
  readonly session: TrainerSession | null;
}

/**
 * The protocol handler: turns commands into session calls and errors into 'error' events. A
 * configure builds a new {@link TrainerSession}; the old one is cancelled. Commands are handled one
 * at a time in arrival order (starting the engine takes a while; later commands wait for it).
 */
export function createHandler(emit: Emit, options: HandlerOptions = {}): Handler {
  let session: TrainerSession | null = null;
  let last: { settings: TrainSettings; csvText?: string } | null = null;
  const fail = (e: unknown): void => emit({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  const sessionEmit: Emit = (event, transfer) => {
    if (event.type === 'stopped' && options.describeEngine) emit(options.describeEngine());
    emit(event, transfer);
  };
  const rebuild = (): void => {
    session?.cancel();
    session = null;
    if (!last) return;
    try {
      session = new TrainerSession(last.settings, last.csvText, sessionEmit, options);
    } catch (e) {
      emit({ type: 'status', status: 'error' });
      fail(e);
    }
  };
  let engineChosen = false;
  /** Starts the engine; true when the command was the engine command (and is thereby done). */
  const chooseEngine = async (command: Command): Promise<boolean> => {
    if (!options.startEngine || (engineChosen && command.type !== 'engine')) return command.type === 'engine';
    engineChosen = true;
    emit(await options.startEngine(command.type === 'engine' ? command.choice : 'auto'));
    if (command.type !== 'engine') return false;
    // Tensors stay on the backend that made them: the experiment starts over on the new one.
    if (session) rebuild();
    return true;
  };
  const handleNow = async (command: Command): Promise<void> => {
    try {
      if (await chooseEngine(command)) return;
      switch (command.type) {
        case 'configure':
          last = { settings: command.settings, csvText: command.csvText };
          rebuild();
          return;
        case 'reset':
          rebuild();
          return;
        case 'start':
          session?.play();
          return;
        case 'pause':
          session?.pause();
          return;
        case 'step':
          session?.step(command.unit);
          return;
        case 'export':
          if (!session) throw new Error('Nothing to export: configure a model first.');
          emit(session.exportCheckpoint(command.info));
          return;
        case 'import':
          if (!session) throw new Error('Configure the model before importing weights.');
          session.importCheckpoint(command.bytes, command.fileName);
          return;
      }
    } catch (e) {
      fail(e);
    }
  };
  let queue: Promise<void> = Promise.resolve();
  return {
    get session() {
      return session;
    },
    handle(command: Command): Promise<void> {
      queue = queue.then(() => handleNow(command));
      return queue;
    },
  };
}
