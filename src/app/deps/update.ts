/**
 * `wit-deps update [pkg...]`: re-resolves the named packages (all without names) ignoring the
 * lock, within their ranges. `--latest` first raises each wit.toml requirement whose newest
 * release lies outside it, keeping its operator (`~0.2.3` → `~0.3.0`); an exact pin (`=0.2.3`)
 * stays unless `--pinned` is given or the package is named. Packages the project's WIT pins with
 * `@version` (and wit.toml does not list) are reported as such: `update --wit` moves them.
 */
import { WitDepsError } from '../../errors.js';
import { listDepsFolders } from '../../project/deps-io.js';
import { setDependencyVersion } from '../../project/manifest-edit.js';
import { readLockFile } from '../../project/lock-file-io.js';
import { readManifestFile } from '../../project/manifest-io.js';
import { parsePackageName } from '../../resolve/package-name.js';
import { parseRequirement, satisfies } from '../../resolve/requirement.js';
import { raiseRequirement } from '../../resolve/version-move.js';
import { versionReferences } from '../../project/wit-version-edit.js';
import { readWitSources } from '../../project/wit-sources-io.js';
import { relative, sep } from 'node:path';
import { locateWitDir } from '../project/project-inputs.js';
import { installInProject, type InstallOptions } from './install.js';
import type { ProjectHandle } from '../project/project-handle.js';

import {
  editEntry,
  installWithManifest,
  latestOf,
  managed,
  underProjectLock,
  type ManageResult,
} from './manifest-edits.js';

/** Options of {@link updatePackages}. */
export interface UpdateOptions extends InstallOptions {
  /** Raise wit.toml requirements to the newest release (operators kept). */
  latest?: boolean;
  /** With `latest`: raise exact pins (`=0.2.3`) too; a named package's pin is raised anyway. */
  pinned?: boolean;
}

/** `wit-deps update`. */
export async function updatePackages(
  names: readonly string[],
  options: UpdateOptions,
): Promise<ManageResult> {
  for (const n of names) parsePackageName(n);
  return underProjectLock(options, (project) => updateLocked(names, project, options));
}

/**
 * `update <pkg>` names a dependency: one in wit.toml, in wkg.lock, or installed in wit/deps (a
 * transitive package a direct-only wkg.lock leaves out is known by its folder marker).
 */
async function checkUpdateNames(names: readonly string[], options: UpdateOptions): Promise<void> {
  if (names.length === 0) return;
  const { cwd, witDir } = options;
  const file = await readManifestFile(cwd);
  const { lock } = await readLockFile(cwd);
  const { depsDir } = await locateWitDir(cwd, file?.manifest, { cwd, witDir });
  const markers = (await listDepsFolders(depsDir)).flatMap((f) => {
    const id = f.marker?.id;
    const at = id?.lastIndexOf('@') ?? -1;
    return id === undefined || at <= 0 ? [] : [id.slice(0, at)];
  });
  const known = new Set([
    ...(file?.manifest.dependencies ?? []).map((d) => d.name),
    ...lock.packages.map((p) => p.name),
    ...markers,
  ]);
  const unknown = names.find((n) => !known.has(n));
  if (unknown !== undefined)
    throw new WitDepsError(
      'ERR_USAGE',
      `package \`${unknown}\` is not a dependency of this project`,
      {
        hint: `run \`wit-deps add ${unknown}\` to add it, or \`wit-deps tree\` to see the dependencies`,
        details: { package: unknown },
      },
    );
}

/** `update --latest`: wit.toml with each requirement raised to its newest release. */
async function raiseToLatest(
  names: readonly string[],
  project: ProjectHandle,
  options: UpdateOptions,
): Promise<{ before: string | undefined; text: string; changed: ManageResult['changed'] }> {
  const file = await readManifestFile(options.cwd);
  const deps = (file?.manifest.dependencies ?? []).filter(
    (d) => d.requirement !== undefined && (names.length === 0 || names.includes(d.name)),
  );
  const latest = await latestOf(
    project,
    deps.map((d) => d.name),
  );
  let text = file?.text ?? '';
  const changed: ManageResult['changed'] = [];
  for (const d of deps) {
    const newest = latest.get(d.name);
    if (newest === undefined || satisfies(parseRequirement(d.requirement!), newest)) continue;
    const pinned = options.pinned === true || names.includes(d.name);
    const raised = raiseRequirement(d.requirement!, newest, pinned);
    if (raised === d.requirement) continue;
    text =
      setDependencyVersion(text, d.name, raised) ?? editEntry(text, d.name, raised, d, undefined);
    changed.push({ name: d.name, from: d.requirement!, to: raised });
  }
  return { before: file?.text, text, changed };
}

/**
 * The packages the project's WIT pins (a reference `@version` and no wit.toml entry): plain
 * `update` cannot move them, `update --wit` does.
 */
async function witPins(
  names: readonly string[],
  options: UpdateOptions,
): Promise<NonNullable<ManageResult['pinnedByWit']>> {
  const { cwd } = options;
  const file = await readManifestFile(cwd);
  const { witDir } = await locateWitDir(cwd, file?.manifest, { cwd, witDir: options.witDir });
  const inToml = new Set((file?.manifest.dependencies ?? []).map((d) => d.name));
  const out: NonNullable<ManageResult['pinnedByWit']> = [];
  for (const r of versionReferences(await readWitSources(witDir, cwd))) {
    if (inToml.has(r.name) || (names.length > 0 && !names.includes(r.name))) continue;
    if (out.some((o) => o.name === r.name && o.version === r.version)) continue;
    const at = `${relative(cwd, r.file).split(sep).join('/')}:${r.line}`;
    out.push({ name: r.name, version: r.version, at });
  }
  return out.sort((a, b) => (a.name === b.name ? 0 : a.name < b.name ? -1 : 1));
}

async function updateLocked(
  names: readonly string[],
  project: ProjectHandle,
  options: UpdateOptions,
): Promise<ManageResult> {
  await checkUpdateNames(names, options);
  const unlock = names.length === 0 ? true : new Set(names);
  const pinnedByWit = await witPins(names, options);
  const extra = pinnedByWit.length === 0 ? {} : { pinnedByWit };
  if (options.latest === true) {
    const { before, text, changed } = await raiseToLatest(names, project, options);
    if (changed.length > 0)
      return {
        ...managed(
          changed,
          await installWithManifest(project, { ...options, unlock }, before, text),
        ),
        ...extra,
      };
  }
  return { ...managed([], await installInProject(project, { ...options, unlock })), ...extra };
}
