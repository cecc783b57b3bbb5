/**
 * The training worker: the protocol handler wired to postMessage, so training never blocks the
 * page's pointer input or redraws. All logic lives in protocol.ts / trainer.ts (tested in Node).
 */
import { type Command, type TrainEvent, createHandler } from './protocol.js';

interface WorkerScope {
  postMessage(message: TrainEvent, transfer: ArrayBuffer[]): void;
  onmessage: ((event: MessageEvent<Command>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const handler = createHandler((event, transfer) => scope.postMessage(event, transfer ?? []));
scope.onmessage = (event) => {
  void handler.handle(event.data);
};
