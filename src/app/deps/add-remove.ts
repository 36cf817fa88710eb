/**
 * `add`, `remove` and `update`: edit `wit.toml` (keeping the user's formatting, see
 * `project/manifest-edit.ts`) and then run an install.
 *
 * - `add ns:pkg[@range]`: without a range, the latest stable version `x.y.z` is written (a caret
 *   requirement, as Cargo does); an existing entry keeps its form, its other keys (`registry`)
 *   and its comments: only the version string changes.
 * - `add --path <dir> [ns:pkg]`: writes `"ns:pkg" = { path = "<dir>" }`, the name read from the
 *   package's header when it is not given; the install checks that the path holds that package.
 * - `remove ns:pkg`: drops the entry; the install then removes its folders and lock entries.
 * - `update [pkg...]`: `update.ts` (re-exported here); `update --wit`: `update-wit.ts`.
 *
 * The project lock is held from reading `wit.toml` to the end of the install, so concurrent
 * commands edit it one after the other (no edit is lost) and no install reads an edit that is then
 * undone. A failed install puts `wit.toml` back unless it had already committed (its journal
 * written): then `wit/deps` and `wkg.lock` become the new state and `wit.toml` must match them.
 */
import { isWitDepsError, WitDepsError } from '../../errors.js';
import { addDependency, removeDependency } from '../../project/manifest-edit.js';
import { readLockFile } from '../../project/lock-file-io.js';
import { readManifestFile } from '../../project/manifest-io.js';
import { parseRequirement } from '../../resolve/requirement.js';
import { latestVersion, pinnedVersion } from '../../resolve/select.js';
import type { InstallOptions } from './install.js';
import type { ProjectHandle } from '../project/project-handle.js';
import { readPathPackageName } from '../source/path-packages.js';
import {
  editEntry,
  installWithManifest,
  tagsOf,
  managed,
  parsePackageSpec,
  shown,
  underProjectLock,
  type ManageResult,
  type PackageSpec,
} from './manifest-edits.js';

export {
  parsePackageSpec,
  underProjectLock,
  type ManageResult,
  type PackageSpec,
} from './manifest-edits.js';
export { updatePackages, type UpdateOptions } from './update.js';

/** Options of {@link addPackages}. */
export interface AddOptions extends InstallOptions {
  /** The registry to take the packages from (written as the entries' `registry`). */
  registry?: string;
  /** Add the package at this path (relative to the project) as a path dependency. */
  path?: string;
}

function usage(message: string, hint: string): WitDepsError {
  return new WitDepsError('ERR_USAGE', message, { hint });
}

/** `wit-deps add`. */
export async function addPackages(
  specs: readonly string[],
  options: AddOptions,
): Promise<ManageResult> {
  return underProjectLock(options, (project) => addLocked(specs, project, options));
}

async function addLocked(
  specs: readonly string[],
  project: ProjectHandle,
  options: AddOptions,
): Promise<ManageResult> {
  if (options.path !== undefined) return addPathPackage(specs, options.path, project, options);
  if (specs.length === 0)
    throw usage(
      'name the packages to add',
      'run `wit-deps add <ns:pkg>[@range]...` or `wit-deps add --path <dir>`',
    );
  const parsed = specs.map(parsePackageSpec);
  const twice = parsed.find((p, i) => parsed.findIndex((q) => q.name === p.name) !== i);
  if (twice !== undefined)
    throw usage(
      `\`${twice.name}\` is named more than once`,
      `name each package once: \`wit-deps add ${twice.name}@<range>\``,
    );
  const file = await readManifestFile(options.cwd);
  let text = file?.text ?? '';
  const exact = (p: PackageSpec): string | undefined =>
    p.requirement === undefined ? undefined : pinnedVersion(parseRequirement(p.requirement));
  const tags = await tagsOf(
    project,
    parsed.filter((p) => p.requirement === undefined || exact(p) !== undefined).map((p) => p.name),
  );
  const changed: ManageResult['changed'] = [];
  for (const p of parsed) {
    const published = tags.get(p.name) ?? [];
    const pinned = exact(p);
    if (pinned !== undefined && !published.includes(pinned))
      throw notPublished(p, pinned, published);
    const requirement = p.requirement ?? latestVersion(published);
    if (requirement === undefined) throw noStableVersion(p.name, published);
    const before = file?.manifest.dependencies.find((d) => d.name === p.name);
    text = editEntry(text, p.name, requirement, before, options.registry);
    changed.push({ name: p.name, ...shown(before), to: requirement });
  }
  try {
    return managed(changed, await installWithManifest(project, options, file?.text, text));
  } catch (error) {
    throw commandLineRange(error, parsed);
  }
}

/** `add pkg@=1.2.3` (or `@1.2.3-rc.1`) of a version the registry does not have. */
function notPublished(p: PackageSpec, version: string, published: readonly string[]): WitDepsError {
  const shownVersions = published.slice(0, 10).join(', ');
  return new WitDepsError(
    'ERR_RESOLVE_NO_MATCH',
    `\`${p.name}@${version}\` is not published${published.length === 0 ? ' (the package has no versions)' : ''}`,
    {
      hint:
        published.length === 0
          ? `check the name and the registry: \`wit-deps add ${p.name}\``
          : `pick a published version (${shownVersions}${published.length > 10 ? ', …' : ''}), or run \`wit-deps add ${p.name}\` for the latest`,
      details: { package: p.name, requirement: p.requirement, versions: published.slice(0, 50) },
    },
  );
}

/** `add pkg` of a package with prereleases only: they are listed. */
function noStableVersion(name: string, published: readonly string[]): WitDepsError {
  const pre = published.slice(0, 5);
  return new WitDepsError(
    'ERR_RESOLVE_NO_MATCH',
    `package \`${name}\` has no stable version to add`,
    {
      hint:
        pre.length === 0
          ? `name a version: \`wit-deps add ${name}@<range>\``
          : `it has prereleases only (${pre.join(', ')}): name one, \`wit-deps add ${name}@=${pre[0]}\``,
      details: { package: name, versions: published.slice(0, 50) },
    },
  );
}

/**
 * A range given to `add` that nothing satisfies: it came from the command line, and wit.toml was
 * put back, so the hint is to run `add` again rather than to edit wit.toml.
 */
function commandLineRange(error: unknown, parsed: readonly PackageSpec[]): unknown {
  if (!isWitDepsError(error) || error.code !== 'ERR_RESOLVE_NO_MATCH') return error;
  const spec = parsed.find((p) => p.name === error.details['package']);
  if (spec?.requirement === undefined || error.details['requiredBy'] !== 'wit.toml') return error;
  return new WitDepsError(
    error.code,
    error.message.replace('(required by wit.toml)', '(required by the command line)'),
    {
      hint: `wit.toml was left as it was; run \`wit-deps add ${spec.name}\` for the latest version, or \`wit-deps add ${spec.name}@<range>\` with a range one of these versions satisfies`,
      cause: error,
      details: { ...error.details, requiredBy: 'the command line' },
    },
  );
}

/** The name `add --path` adds: the one given (without a range), or the package's own. */
async function pathPackageName(
  specs: readonly string[],
  path: string,
  options: AddOptions,
): Promise<string> {
  if (path === '') throw usage('`--path` is empty', 'run `wit-deps add --path <dir> [ns:pkg]`');
  if (specs.length > 1)
    throw usage(
      '`--path` adds one package',
      'run `wit-deps add --path <dir> [ns:pkg]` once for each folder',
    );
  if (options.registry !== undefined)
    throw usage(
      '`--path` and `--registry` cannot be used together',
      'a path dependency is read from its folder: drop `--registry`',
    );
  if (specs[0] === undefined) return readPathPackageName(options.cwd, path);
  const spec = parsePackageSpec(specs[0]);
  if (spec.requirement !== undefined)
    throw usage(
      `\`${specs[0]}\`: a path dependency takes no version range`,
      `its version is the one in its \`package\` header: run \`wit-deps add --path ${path} ${spec.name}\``,
    );
  return spec.name;
}

/** `wit-deps add --path <dir> [ns:pkg]`: the install checks that the path holds that package. */
async function addPathPackage(
  specs: readonly string[],
  path: string,
  project: ProjectHandle,
  options: AddOptions,
): Promise<ManageResult> {
  const name = await pathPackageName(specs, path, options);
  const file = await readManifestFile(options.cwd);
  const before = file?.manifest.dependencies.find((d) => d.name === name);
  const text = addDependency(file?.text ?? '', name, { path });
  const changed = [{ name, ...shown(before), to: `path ${path}` }];
  try {
    return managed(changed, await installWithManifest(project, options, file?.text, text));
  } catch (error) {
    throw mismatchHint(error, name, path);
  }
}

/** A path that holds another package than the one named: the hint is to let `add` read it. */
function mismatchHint(error: unknown, name: string, path: string): unknown {
  if (!isWitDepsError(error) || error.code !== 'ERR_PATH_MISMATCH') return error;
  if (error.details['package'] !== name) return error;
  return new WitDepsError(error.code, error.message, {
    hint: `run \`wit-deps add --path ${path}\` to add it under its own name (\`${String(error.details['found'])}\`)`,
    cause: error,
    details: error.details,
  });
}

/** `remove` of a name wit.toml does not list; a transitive package is installed for others. */
async function notADependency(name: string, cwd: string): Promise<WitDepsError> {
  const { lock } = await readLockFile(cwd);
  const transitive = lock.packages.some((p) => p.name === name);
  return new WitDepsError(
    'ERR_USAGE',
    `package \`${name}\` is not a dependency in wit.toml${transitive ? ': other packages use it' : ''}`,
    {
      hint: transitive
        ? `run \`wit-deps tree\` to see which packages use \`${name}\`, and remove those`
        : 'run `wit-deps tree` to see the dependencies',
      details: { package: name },
    },
  );
}

/** `wit-deps remove`. */
export async function removePackages(
  names: readonly string[],
  options: InstallOptions,
): Promise<ManageResult> {
  return underProjectLock(options, (project) => removeLocked(names, project, options));
}

async function removeLocked(
  names: readonly string[],
  project: ProjectHandle,
  options: InstallOptions,
): Promise<ManageResult> {
  const file = await readManifestFile(options.cwd);
  if (file === undefined)
    throw new WitDepsError('ERR_MANIFEST_NOT_FOUND', `no wit.toml in \`${options.cwd}\``, {
      hint: 'run `wit-deps add <pkg>` to create one',
    });
  let text = file.text;
  const changed: ManageResult['changed'] = [];
  for (const name of names) {
    const out = removeDependency(text, name);
    if (!out.removed) throw await notADependency(name, options.cwd);
    changed.push({ name, ...shown(file.manifest.dependencies.find((d) => d.name === name)) });
    text = out.text;
  }
  return managed(changed, await installWithManifest(project, options, file.text, text));
}
