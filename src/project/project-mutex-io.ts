/**
 * The project lock: one install (or `add`, `remove`, `update`, recovery) at a time per project.
 * It is the mutex of `src/fs/mutex.ts` (owner identity, heartbeat, guarded takeover of a stale
 * lock) on the file {@link PROJECT_MUTEX_FILE} in the project folder; a second install waits for it
 * and then fails with `ERR_PROJECT_LOCKED`.
 */
import { join } from 'node:path';
import { acquireMutex, type MutexOptions } from '../fs/mutex.js';
import { projectError } from './error-text.js';
import { PROJECT_MUTEX_FILE } from './file-names.js';

export { PROJECT_MUTEX_FILE };

/** Options of {@link acquireProjectMutex}. */
export type ProjectMutexOptions = MutexOptions;

/** Takes the project lock of the project at `root`; returns the function that releases it. */
export function acquireProjectMutex(
  root: string,
  options: ProjectMutexOptions = {},
): Promise<() => Promise<void>> {
  const path = join(root, PROJECT_MUTEX_FILE);
  return acquireMutex(
    path,
    {
      what: 'the project lock',
      createHint: 'run wit-deps as a user who can write the project folder',
      busy: () => projectError('project-locked', { root, path }),
    },
    options,
  );
}
