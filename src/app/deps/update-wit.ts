/**
 * `wit-deps update --wit [pkg[@version]...]`: moves the `@version` of the foreign references in
 * the project's own `.wit` files (`project/wit-version-edit.ts`), the matching `wit.toml`
 * requirements, `wkg.lock` and `wit/deps`, in one commit.
 *
 * 1. The versioned references of the named packages (all without names) are found; each package
 *    moves as one to `pkg@version`, or to the newest version compatible with its highest current
 *    one (`--latest`: the newest release; `resolve/version-move.ts`).
 * 2. A `wit.toml` entry for a moved package is raised to the new version (operator kept).
 * 3. The install resolves the edited texts (nothing written yet), stages the new `wit/deps`
 *    folders, then the project's WIT is resolved against them: if it does not resolve (an
 *    interface gone in the new version), the stage is discarded and nothing is written.
 * 4. The WIT files and wit.toml go into the install journal with the folders and the lock, so a
 *    kill at any point leaves the old state or (after the next command replays it) the new one.
 *
 * `--dry-run` returns the edits and their unified diff and writes nothing.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { WitDepsError, isWitDepsError } from '../../errors.js';
import { addDependency, setDependencyVersion } from '../../project/manifest-edit.js';
import { readManifestFile } from '../../project/manifest-io.js';
import { parseManifest } from '../../project/manifest.js';
import {
  rewriteVersions,
  unifiedDiff,
  versionReferences,
  type VersionEdit,
  type VersionReference,
} from '../../project/wit-version-edit.js';
import { readWitSources } from '../../project/wit-sources-io.js';
import { describeLockChange } from '../../resolve/lock-diff.js';
import { raiseRequirement, targetVersion } from '../../resolve/version-move.js';
import { versionsOf } from '../../resolve/select.js';
import { entryKind } from '../../fs/confine.js';
import { READ_LIMITS, readRegularFile, readRegularText } from '../../fs/safe-read.js';
import { parseWitPackage } from '../../wit/parse.js';
import type { StagedState } from './apply-plan.js';
import { installInProject, type InstallOptions, type InstallResult } from './install.js';
import { parsePackageSpec, underProjectLock, type PackageSpec } from './manifest-edits.js';
import { locateWitDir } from '../project/project-inputs.js';
import type { ProjectHandle } from '../project/project-handle.js';

/** Options of {@link updateWit}. */
export interface UpdateWitOptions extends InstallOptions {
  /** Cross majors and `0.x` minors: the newest release. */
  latest?: boolean;
  /** Print the edits, write nothing. */
  dryRun?: boolean;
}

/** What `update --wit` did (or, with `dryRun`, would do). */
export interface UpdateWitResult {
  /** Each package moved: its versions in the WIT before, and the one it moves to. */
  packages: { name: string; from: string[]; to: string }[];
  /** Every reference edited, with the project-relative file. */
  edits: VersionEdit[];
  /** The edits as a unified diff. */
  diff: string;
  /** wit.toml requirements raised with them. */
  manifest: { name: string; from: string; to: string }[];
  dryRun: boolean;
  /** The install (absent with `dryRun`). */
  install?: InstallResult;
  /** The lock changes, described (`wasi:io 0.2.0 -> 0.2.3`). */
  updated: string[];
}

/** `wit-deps update --wit`. */
export function updateWit(
  specs: readonly string[],
  options: UpdateWitOptions,
): Promise<UpdateWitResult> {
  const parsed = specs.map(parsePackageSpec);
  return underProjectLock(options, (project) => updateWitLocked(parsed, project, options));
}

function usage(message: string, hint: string, name: string): WitDepsError {
  return new WitDepsError('ERR_USAGE', message, { hint, details: { package: name } });
}

/** The packages to move: those named (each must be referenced with a version), or all. */
function packagesToMove(
  parsed: readonly PackageSpec[],
  refs: readonly VersionReference[],
): string[] {
  for (const p of parsed)
    if (!refs.some((r) => r.name === p.name))
      throw usage(
        `package \`${p.name}\` is not referenced with a version in the project's WIT files`,
        `run \`wit-deps update ${p.name}\` for a wit.toml dependency, or \`wit-deps update --wit\` for every WIT reference`,
        p.name,
      );
  const names = parsed.length > 0 ? parsed.map((p) => p.name) : refs.map((r) => r.name);
  return [...new Set(names)].sort();
}

async function tagLists(
  project: ProjectHandle,
  names: readonly string[],
): Promise<Map<string, string[]>> {
  const { source } = await project.sources();
  const out = new Map<string, string[]>();
  for (const name of names) {
    const need = { kind: 'tags', name, requirement: '*', requiredBy: 'the WIT' } as const;
    out.set(name, [...(await source.listTags(name, need))]);
  }
  return out;
}

/** The version each package moves to (`pkg@version` must be published). */
function targets(
  names: readonly string[],
  parsed: readonly PackageSpec[],
  refs: readonly VersionReference[],
  tags: ReadonlyMap<string, string[]>,
  latest: boolean,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of names) {
    const published = versionsOf(tags.get(name) ?? []);
    const asked = parsed.find((p) => p.name === name)?.requirement?.replace(/^=/, '');
    if (asked !== undefined && !published.includes(asked))
      throw new WitDepsError('ERR_RESOLVE_NO_MATCH', `\`${name}@${asked}\` is not published`, {
        hint: `pick one of the published versions: ${published.slice(0, 10).join(', ') || '(none)'}`,
        details: { package: name, requirement: `=${asked}`, versions: published.slice(0, 50) },
      });
    const current = refs.filter((r) => r.name === name).map((r) => r.version);
    const to = asked ?? targetVersion(current, published, latest);
    if (to !== undefined) out.set(name, to);
  }
  return out;
}

/** wit.toml with the moved packages' requirements raised (only the version strings change). */
function raisedManifest(
  text: string | undefined,
  target: ReadonlyMap<string, string>,
): { text: string | undefined; manifest: UpdateWitResult['manifest'] } {
  if (text === undefined) return { text, manifest: [] };
  let out = text;
  const manifest: UpdateWitResult['manifest'] = [];
  for (const dep of parseManifest(text).dependencies) {
    const to = target.get(dep.name);
    if (to === undefined || dep.requirement === undefined || dep.path !== undefined) continue;
    const raised = raiseRequirement(dep.requirement, to, true);
    if (raised === dep.requirement) continue;
    out = setDependencyVersion(out, dep.name, raised) ?? addDependency(out, dep.name, raised);
    manifest.push({ name: dep.name, from: dep.requirement, to: raised });
  }
  return { text: out, manifest };
}

async function updateWitLocked(
  parsed: readonly PackageSpec[],
  project: ProjectHandle,
  options: UpdateWitOptions,
): Promise<UpdateWitResult> {
  const root = options.cwd;
  const file = await readManifestFile(root);
  const { witDir, depsDir } = await locateWitDir(root, file?.manifest, {
    cwd: root,
    witDir: options.witDir,
  });
  const sources = await readWitSources(witDir, root, { keepBom: true });
  const refs = versionReferences(sources);
  const names = packagesToMove(parsed, refs);
  const tags = names.length === 0 ? new Map<string, string[]>() : await tagLists(project, names);
  const target = targets(names, parsed, refs, tags, options.latest === true);
  const rewritten = rewriteVersions(sources, target);
  const toml = raisedManifest(file?.text, target);
  const rel = (path: string): string => relative(root, path).split(sep).join('/');
  const edits = rewritten.edits.map((e) => ({ ...e, file: rel(e.file) }));
  const packages = names.flatMap((name) => {
    const from = [...new Set(refs.filter((r) => r.name === name).map((r) => r.version))];
    const to = target.get(name);
    return to === undefined || from.every((v) => v === to) ? [] : [{ name, from, to }];
  });
  const base = { packages, edits, diff: unifiedDiff(edits), manifest: toml.manifest, updated: [] };
  if (options.dryRun === true) return { ...base, dryRun: true };
  // nothing to move: no install (a plain `update` is what re-resolves within the requirements)
  if (packages.length === 0 && toml.manifest.length === 0) return { ...base, dryRun: false };
  const changedFiles = rewritten.files
    .filter((f, i) => f.text !== sources[i]!.text)
    .map((f) => ({ path: rel(f.path), text: f.text }));
  if (toml.text !== undefined && toml.text !== file?.text)
    changedFiles.push({ path: 'wit.toml', text: toml.text });
  // the files are written back with their byte-order mark; the resolver reads them without it
  const parsedTexts = rewritten.files.map((f) => ({
    path: f.path,
    text: f.text.replace(/^\uFEFF/, ''),
  }));
  const result = await installInProject(project, {
    ...options,
    unlock: new Set(packages.map((p) => p.name)),
    pending: {
      witSources: parsedTexts,
      ...(toml.text === undefined ? {} : { manifestText: toml.text }),
    },
    commitFiles: {
      files: changedFiles,
      beforeJournal: (staged) => checkProjectWit(parsedTexts, staged, depsDir),
    },
  });
  return {
    ...base,
    dryRun: false,
    install: result,
    updated: result.lockDiff.map(describeLockChange),
  };
}

/** One `wit/deps` entry as the WIT resolver takes it: a folder's `.wit` files, a `.wit` or `.wasm` file. */
async function readEntry(path: string): Promise<{
  texts: { path: string; text: string }[];
  bytes?: { path: string; bytes: Uint8Array };
}> {
  const kind = await entryKind(path);
  if (kind === 'directory') return { texts: await readWitSources(path) };
  if (kind !== 'file') return { texts: [] };
  const display = `\`${path}\``;
  if (path.endsWith('.wit'))
    return {
      texts: [{ path, text: await readRegularText(path, { limit: READ_LIMITS.text, display }) }],
    };
  if (path.endsWith('.wasm'))
    return {
      texts: [],
      bytes: { path, bytes: await readRegularFile(path, { limit: READ_LIMITS.binary, display }) },
    };
  return { texts: [] };
}

/**
 * Resolves the project's edited WIT against `wit/deps` as the commit will leave it; a failure is
 * `ERR_WIT_RESOLVE` (or `ERR_WIT_PARSE`) with the rendered diagnostic, and nothing is written.
 */
async function checkProjectWit(
  files: readonly { path: string; text: string }[],
  staged: StagedState,
  depsDir: string,
): Promise<void> {
  if (files.length === 0) return;
  const gone = new Set([...staged.write, ...staged.remove]);
  const onDisk = (await readdir(depsDir).catch(() => [] as string[])).filter(
    (n) => !gone.has(n) && !n.startsWith('.'),
  );
  const entries = [
    ...onDisk.map((n) => join(depsDir, n)),
    ...staged.write.map((n) => join(staged.fresh, n)),
  ].sort((a, b) => (a.split(sep).at(-1)! < b.split(sep).at(-1)! ? -1 : 1));
  const read = await Promise.all(entries.map(readEntry));
  const deps = read.map((e) => e.texts).filter((g) => g.length > 0);
  const binaryDeps = read.flatMap((e) => (e.bytes === undefined ? [] : [e.bytes]));
  try {
    parseWitPackage([...files], deps, { binaryDeps });
  } catch (error) {
    if (!isWitDepsError(error)) throw error;
    const rendered = error.details['rendered'];
    throw new WitDepsError(
      error.code,
      `the project's WIT does not resolve with the updated wit/deps: ${error.message}`,
      {
        hint: 'nothing was written; pick another version (`wit-deps update --wit <pkg>@<version>`) or edit the WIT first',
        cause: error,
        details: { ...error.details, ...(typeof rendered === 'string' ? { rendered } : {}) },
      },
    );
  }
}
