/**
 * The training worker: the protocol handler wired to postMessage, so training never blocks the
 * page's pointer input or redraws. All logic lives in protocol.ts / trainer.ts (tested in Node);
 * engine.ts starts the wasm backend here before the first command is handled.
 */
import { describeEngine, startEngine } from './engine.js';
import { type Command, type TrainEvent, createHandler } from './protocol.js';

interface WorkerScope {
  postMessage(message: TrainEvent, transfer: ArrayBuffer[]): void;
  onmessage: ((event: MessageEvent<Command>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const handler = createHandler((event, transfer) => scope.postMessage(event, transfer ?? []), { startEngine, describeEngine });
scope.onmessage = (event) => {
  void handler.handle(event.data);
};
