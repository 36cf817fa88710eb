/**
 * Undo steps that must run even when the process ends at once: a second Ctrl-C calls
 * `process.exit(130)` (`cli/bin.ts`), which runs no `finally` block, only the process's `exit`
 * listeners. A holder registers a synchronous step while it has something to undo (the project
 * lock file, an `add` whose `wit.toml` edit is not committed) and unregisters it when done.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import process from 'node:process';
import { tempSibling } from './temp-name.js';

const steps = new Set<() => void>();
let listening = false;

function runSteps(): void {
  for (const step of [...steps].reverse()) {
    try {
      step();
    } catch {
      // best effort: the process is ending; the next command's recovery covers the rest
    }
  }
  steps.clear();
}

/** Runs `step` if the process exits before the returned function is called. */
export function onHardExit(step: () => void): () => void {
  if (!listening) {
    process.on('exit', runSteps);
    listening = true;
  }
  steps.add(step);
  return () => void steps.delete(step);
}

/** Writes `text` to `target` through a flushed temporary sibling and a rename, synchronously. */
export function writeFileAtomicSync(target: string, text: string): void {
  const temp = tempSibling(target);
  const fd = openSync(temp, 'wx');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
