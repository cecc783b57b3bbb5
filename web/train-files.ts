/**
 * Files in and out of the train view: the loaded CSV kept across reloads, dropped files, the
 * settings stored inside an exported checkpoint, and downloads.
 */
import { decodeCheckpoint } from '../src/index.js';
import { el } from './controls.js';
import { type SettingKey, isTrainSetting } from './state.js';
import { stateFromQuery } from './url.js';

const CSV_STORAGE_KEY = 'downhill.playground.csv';

/** The CSV loaded earlier in this tab, so that a reload still has its data. */
export function restoreCsv(): string | undefined {
  try {
    return sessionStorage.getItem(CSV_STORAGE_KEY) ?? undefined;
  } catch {
    // Storage may be unavailable (private mode); the CSV then lives only in memory.
    return undefined;
  }
}

export function storeCsv(text: string): void {
  try {
    if (text.length < 4e6) sessionStorage.setItem(CSV_STORAGE_KEY, text);
  } catch {
    // Too big or no storage: keep it in memory only.
  }
}

/** Lets a file be dropped anywhere on `root`, highlighting it while one is dragged over. */
export function acceptDroppedFiles(root: HTMLElement, onFile: (file: File) => void): void {
  root.addEventListener('dragover', (e) => {
    e.preventDefault();
    root.classList.add('dragging');
  });
  root.addEventListener('dragleave', () => root.classList.remove('dragging'));
  root.addEventListener('drop', (e) => {
    e.preventDefault();
    root.classList.remove('dragging');
    const f = e.dataTransfer?.files?.[0];
    if (f) onFile(f);
  });
}

/**
 * The training settings a checkpoint exported from the playground carries (none for one from
 * elsewhere). Restoring them first makes the architecture match the weights. Throws if the file
 * is no checkpoint.
 */
export function checkpointSettings(bytes: Uint8Array, fileName: string): Partial<Record<SettingKey, unknown>> | null {
  const ckpt = decodeCheckpoint(bytes, fileName);
  const info = ckpt.info as { playground?: unknown } | undefined;
  if (!info || typeof info.playground !== 'string') return null;
  const { state } = stateFromQuery(info.playground);
  const patch: Partial<Record<SettingKey, unknown>> = {};
  for (const [k, v] of Object.entries(state)) if (isTrainSetting(k as SettingKey)) patch[k as SettingKey] = v;
  return patch;
}

/** Saves `bytes` as a file through the browser's download. */
export function download(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
  const a = el('a', { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later, not at once: the download may not have started reading the blob yet.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
