/**
 * What `add`, `remove` and `update` share: the project lock around a wit.toml edit, the edit of one
 * entry (only its version string when it can), the install that puts wit.toml back when it fails
 * before committing, and the result they return.
 */
import { addDependency, setDependencyVersion } from '../../project/manifest-edit.js';
import type { ManifestDependency } from '../../project/manifest.js';
import {
  removeManifestFile,
  restoreManifestFileSync,
  writeManifestFile,
} from '../../project/manifest-io.js';
import { onHardExit } from '../../fs/exit-cleanup.js';
import { parsePackageName } from '../../resolve/package-name.js';
import { parseRequirement } from '../../resolve/requirement.js';
import { describeLockChange } from '../../resolve/lock-diff.js';
import { latestVersion, versionsOf } from '../../resolve/select.js';
import {
  installInProject,
  withLockedProject,
  type InstallEvent,
  type InstallOptions,
  type InstallResult,
} from './install.js';
import type { ProjectHandle } from '../project/project-handle.js';

/** A parsed `ns:pkg[@range]` argument. */
export interface PackageSpec {
  name: string;
  requirement: string | undefined;
}

/** Parses `ns:pkg[@range]`; `ns:pkg@latest` is `ns:pkg` (the latest stable version). */
export function parsePackageSpec(text: string): PackageSpec {
  const at = text.indexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  parsePackageName(name);
  const given = at < 0 ? undefined : text.slice(at + 1);
  const requirement = given === 'latest' ? undefined : given;
  if (requirement !== undefined) parseRequirement(requirement);
  return { name, requirement };
}

export async function latestOf(
  project: ProjectHandle,
  names: readonly string[],
): Promise<Map<string, string | undefined>> {
  const tags = await tagsOf(project, names);
  return new Map(names.map((n) => [n, latestVersion(tags.get(n) ?? [])]));
}

/** The published versions of each package, newest first. */
export async function tagsOf(
  project: ProjectHandle,
  names: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (names.length === 0) return out;
  // `add` in a new folder looks up versions before it writes the wit.toml that makes the project
  const session = await project.sources({ projectOptional: true });
  for (const name of names) {
    const need = {
      kind: 'tags',
      name,
      requirement: '*',
      requiredBy: 'the command line',
    } as const;
    out.set(name, versionsOf(await session.source.listTags(name, need)));
  }
  return out;
}

/** Runs `fn` holding the project lock, for its reads, its wit.toml edit and its install. */
export function underProjectLock<T>(
  options: InstallOptions,
  fn: (project: ProjectHandle) => Promise<T>,
): Promise<T> {
  return withLockedProject(options, fn);
}

/**
 * Result of add/remove/update: the manifest change and the install. `from` and `to` are the
 * values as written: a requirement (`^0.2.0`) or, for a path dependency, `path <dir>`.
 */
export interface ManageResult {
  changed: { name: string; from?: string; to?: string }[];
  install: InstallResult;
  /** The lock change, one line per package (`wasi:io 0.2.0 -> 0.2.3`), for people. */
  updated: string[];
  /**
   * `update`: packages the project's WIT pins to an exact version (`file:line`), which only
   * `update --wit` moves.
   */
  pinnedByWit?: { name: string; version: string; at: string }[];
}

/** A manage result from its manifest change and install. */
export function managed(changed: ManageResult['changed'], result: InstallResult): ManageResult {
  return { changed, install: result, updated: result.lockDiff.map(describeLockChange) };
}

/** An entry's value as `changed` shows it. */
export function shown(dep: ManifestDependency | undefined): { from?: string } {
  const value = dep?.path === undefined ? dep?.requirement : `path ${dep.path}`;
  return value === undefined ? {} : { from: value };
}

/**
 * The manifest with `name`'s requirement set: an existing registry entry keeps every other key,
 * its form and its comments (only the version string changes) unless another registry is named.
 */
export function editEntry(
  text: string,
  name: string,
  requirement: string,
  before: ManifestDependency | undefined,
  registry: string | undefined,
): string {
  const sameRegistry = registry === undefined || registry === before?.registry;
  if (before !== undefined && before.path === undefined && sameRegistry) {
    const edited = setDependencyVersion(text, name, requirement);
    if (edited !== undefined) return edited;
  }
  const keep = registry ?? (before?.path === undefined ? before?.registry : undefined);
  return addDependency(
    text,
    name,
    keep === undefined ? requirement : { version: requirement, registry: keep },
  );
}

/**
 * Writes the edited manifest and installs; if the install fails before committing, the manifest is
 * put back as it was (or removed when there was none), so a failed `add`/`remove`/`update
 * --latest` leaves `wit.toml` unchanged, as cargo and npm do. The caller holds the project lock.
 */
export async function installWithManifest(
  project: ProjectHandle,
  options: InstallOptions,
  before: string | undefined,
  after: string,
): Promise<InstallResult> {
  if (after === before) return installInProject(project, options);
  // a second Ctrl-C exits at once (no catch runs): wit.toml is put back on the way out
  const undoOnExit = onHardExit(() => restoreManifestFileSync(options.cwd, before));
  await writeManifestFile(options.cwd, after);
  let committed = false;
  const onEvent = (event: InstallEvent): void => {
    if (event.kind === 'committed') {
      committed = true;
      undoOnExit();
    }
    options.onEvent?.(event);
  };
  try {
    return await installInProject(project, { ...options, onEvent });
  } catch (error) {
    if (committed) throw error; // wit/deps and wkg.lock are (or will be) those of `after`
    if (before === undefined) await removeManifestFile(options.cwd);
    else await writeManifestFile(options.cwd, before);
    throw error;
  } finally {
    undoOnExit();
  }
}
