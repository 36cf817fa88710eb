/**
 * `add`, `remove` and `update`: edit `wit.toml` (keeping the user's formatting, see
 * `project/manifest-edit.ts`) and then run an install.
 *
 * - `add ns:pkg[@range]`: without a range, the latest stable version `x.y.z` is written (a caret
 *   requirement, as Cargo does); an existing entry is replaced in place.
 * - `remove ns:pkg`: drops the entry; the install then removes its folders and lock entries.
 * - `update [pkg...]`: re-resolves the named packages (all without names) ignoring the lock,
 *   within their ranges; `--latest` first raises each range whose newest stable version lies
 *   outside it to that version.
 */
import { WitDepsError } from '../errors.js';
import { addDependency, removeDependency } from '../project/manifest-edit.js';
import { readManifestFile, removeManifestFile, writeManifestFile } from '../project/manifest-io.js';
import { parsePackageName } from '../resolve/package-name.js';
import { parseRequirement, satisfies } from '../resolve/requirement.js';
import { latestVersion } from '../resolve/select.js';
import { install, type InstallOptions, type InstallResult } from './install.js';
import { openSession } from './session.js';

/** A parsed `ns:pkg[@range]` argument. */
export interface PackageSpec {
  name: string;
  requirement: string | undefined;
}

/** Parses `ns:pkg[@range]`. */
export function parsePackageSpec(text: string): PackageSpec {
  const at = text.indexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  parsePackageName(name);
  const requirement = at < 0 ? undefined : text.slice(at + 1);
  if (requirement !== undefined) parseRequirement(requirement);
  return { name, requirement };
}

async function latestOf(
  options: InstallOptions,
  names: readonly string[],
): Promise<Map<string, string | undefined>> {
  const session = await openSession(options);
  try {
    const out = new Map<string, string | undefined>();
    for (const name of names) {
      const need = {
        kind: 'tags',
        name,
        requirement: '*',
        requiredBy: 'the command line',
      } as const;
      out.set(name, latestVersion(await session.source.listTags(name, need)));
    }
    return out;
  } finally {
    await session.close();
  }
}

/** Result of add/remove/update: the manifest change and the install. */
export interface ManageResult {
  changed: { name: string; from?: string; to?: string }[];
  install: InstallResult;
}

/** `wit-deps add`. */
export async function addPackages(
  specs: readonly string[],
  options: InstallOptions & { registry?: string },
): Promise<ManageResult> {
  const parsed = specs.map(parsePackageSpec);
  const file = await readManifestFile(options.cwd);
  let text = file?.text ?? '';
  const latest = await latestOf(
    options,
    parsed.filter((p) => p.requirement === undefined).map((p) => p.name),
  );
  const changed: ManageResult['changed'] = [];
  for (const p of parsed) {
    const requirement = p.requirement ?? latest.get(p.name);
    if (requirement === undefined)
      throw new WitDepsError(
        'ERR_RESOLVE_NO_MATCH',
        `package \`${p.name}\` has no stable version to add`,
        {
          hint: `name a version: \`wit-deps add ${p.name}@<range>\``,
          details: { package: p.name },
        },
      );
    const before = file?.manifest.dependencies.find((d) => d.name === p.name)?.requirement;
    text = addDependency(
      text,
      p.name,
      options.registry === undefined
        ? requirement
        : { version: requirement, registry: options.registry },
    );
    changed.push({
      name: p.name,
      ...(before === undefined ? {} : { from: before }),
      to: requirement,
    });
  }
  return { changed, install: await installWithManifest(options, file?.text, text) };
}

/**
 * Writes the edited manifest and installs; if the install fails, the manifest is put back as it
 * was (or removed when there was none), so a failed `add`/`remove`/`update --latest` leaves
 * `wit.toml` unchanged, as cargo and npm do.
 */
async function installWithManifest(
  options: InstallOptions,
  before: string | undefined,
  after: string,
): Promise<InstallResult> {
  if (after === before) return install(options);
  await writeManifestFile(options.cwd, after);
  try {
    return await install(options);
  } catch (error) {
    if (before === undefined) await removeManifestFile(options.cwd);
    else await writeManifestFile(options.cwd, before);
    throw error;
  }
}

/** `wit-deps remove`. */
export async function removePackages(
  names: readonly string[],
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
    if (!out.removed)
      throw new WitDepsError('ERR_USAGE', `package \`${name}\` is not a dependency in wit.toml`, {
        hint: 'run `wit-deps tree` to see the dependencies',
        details: { package: name },
      });
    const before = file.manifest.dependencies.find((d) => d.name === name)?.requirement;
    changed.push({ name, ...(before === undefined ? {} : { from: before }) });
    text = out.text;
  }
  return { changed, install: await installWithManifest(options, file.text, text) };
}

/** `wit-deps update`. */
export async function updatePackages(
  names: readonly string[],
  options: InstallOptions & { latest?: boolean },
): Promise<ManageResult> {
  for (const n of names) parsePackageName(n);
  const changed: ManageResult['changed'] = [];
  if (options.latest === true) {
    const file = await readManifestFile(options.cwd);
    const deps = (file?.manifest.dependencies ?? []).filter(
      (d) => d.requirement !== undefined && (names.length === 0 || names.includes(d.name)),
    );
    const latest = await latestOf(
      options,
      deps.map((d) => d.name),
    );
    let text = file?.text ?? '';
    for (const d of deps) {
      const newest = latest.get(d.name);
      if (newest === undefined || satisfies(parseRequirement(d.requirement!), newest)) continue;
      text = addDependency(
        text,
        d.name,
        d.registry === undefined ? newest : { version: newest, registry: d.registry },
      );
      changed.push({ name: d.name, from: d.requirement!, to: newest });
    }
    if (changed.length > 0) {
      const unlock = names.length === 0 ? true : new Set(names);
      return {
        changed,
        install: await installWithManifest({ ...options, unlock }, file?.text, text),
      };
    }
  }
  const unlock = names.length === 0 ? true : new Set(names);
  return { changed, install: await install({ ...options, unlock }) };
}
