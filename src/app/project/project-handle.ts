/**
 * The project a command works on, as one handle: `withProject` finds the project root, takes its
 * lock (for a command that writes), finishes an install that was killed while committing (an
 * explicit step, before anything reads the project), and hands `fn` a handle whose reads never
 * write and whose package sources share the command's one network. The lock is taken at the
 * project root even when the command runs in a subfolder, so an install started from `wit/` and
 * one started from the root exclude each other.
 */
import { acquireProjectMutex } from '../../project/project-mutex-io.js';
import { settleInterruptedInstall } from '../../project/install-recovery-io.js';
import { readProject, type ProjectInputs, type ProjectOptions } from './project-inputs.js';
import { locateProject, type ProjectLocation } from './project-location.js';
import {
  CommandNetwork,
  projectSources,
  type ProjectSourceOptions,
  type ProjectSources,
} from './project-sources.js';

/** How a command uses its project. */
export interface ProjectAccess {
  /** `write` holds the project lock for the whole command; `read` takes it only for recovery. */
  mode: 'read' | 'write';
  /** How long to wait for another process's lock, in ms. */
  lockWaitMs?: number | undefined;
  /** Called once when the lock is held by another process and the command waits for it. */
  onWait?: (() => void) | undefined;
}

/** What a command reads its project through. */
export interface ProjectHandle {
  /** Where the project is (found before the lock is taken). */
  readonly location: ProjectLocation;
  /** True while the command holds the project lock. */
  readonly locked: boolean;
  /** Reads the project's inputs; `pending` texts stand in for files (`update --wit`). */
  read(extra?: Pick<ProjectOptions, 'pending' | 'projectOptional'>): Promise<ProjectInputs>;
  /** Reads the project and opens its package sources over the command's network. */
  sources(extra?: Pick<ProjectOptions, 'pending' | 'projectOptional'>): Promise<ProjectSources>;
  /** Requests the command has sent so far. */
  requests(): number;
}

/** Runs `fn` with the project of `options.cwd` (see the file comment). */
export async function withProject<T>(
  options: ProjectSourceOptions,
  access: ProjectAccess,
  fn: (project: ProjectHandle) => Promise<T>,
): Promise<T> {
  const location = await locateProject(options);
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const waitMs = access.lockWaitMs === undefined ? {} : { waitMs: access.lockWaitMs };
  const release =
    access.mode === 'write'
      ? await acquireProjectMutex(location.root, {
          ...waitMs,
          ...signal,
          ...(access.onWait === undefined ? {} : { onWait: access.onWait }),
        })
      : undefined;
  const network = new CommandNetwork(options);
  try {
    await settleInterruptedInstall(location.root, location.depsDir, {
      lockHeld: release !== undefined,
      ...signal,
      ...(access.lockWaitMs === undefined ? {} : { lockWaitMs: access.lockWaitMs }),
    });
    // read afresh each time: `add` reads the project again after writing wit.toml
    const read = (extra: Pick<ProjectOptions, 'pending' | 'projectOptional'> = {}) =>
      readProject({ ...options, ...extra });
    return await fn({
      location,
      locked: release !== undefined,
      read,
      sources: async (extra) => projectSources(await read(extra), network, options),
      requests: () => network.requests(),
    });
  } finally {
    await network.close();
    await release?.();
  }
}
