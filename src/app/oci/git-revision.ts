/**
 * The git commit of a folder, for `publish`'s `org.opencontainers.image.revision` annotation and
 * its reproducible `created` time: only when the folder is inside a git checkout with no
 * uncommitted change under it (a dirty tree's content is not the commit's). No git, no checkout,
 * or any git error is simply "unknown"; git runs with a time limit, no pager or prompt, and
 * `core.fsmonitor` off (the one setting by which `git status` would start a program).
 */
import { execFile } from 'node:child_process';

export interface GitRevision {
  commit: string;
  /** The commit time, RFC 3339 (UTC). */
  time: string;
}

const GIT_TIMEOUT_MS = 5000;

function git(dir: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      // a `.git/config` that came with the folder must not run programs (`core.fsmonitor`)
      ['-c', 'core.fsmonitor=false', '-C', dir, ...args],
      {
        timeout: GIT_TIMEOUT_MS,
        maxBuffer: 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat' },
      },
      (error, stdout) => resolve(error === null ? stdout.trim() : undefined),
    );
  });
}

/** The commit of `dir` when it is a clean git checkout, else undefined. */
export async function cleanRevision(dir: string): Promise<GitRevision | undefined> {
  const status = await git(dir, ['status', '--porcelain', '--', '.']);
  if (status === undefined || status !== '') return undefined;
  const line = await git(dir, ['log', '-1', '--format=%H %ct']);
  const match = /^([0-9a-f]{40,64}) (\d+)$/.exec(line ?? '');
  if (match === null) return undefined;
  return { commit: match[1]!, time: new Date(Number(match[2]) * 1000).toISOString() };
}
