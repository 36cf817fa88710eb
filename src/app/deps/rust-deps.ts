/**
 * Projects of the Rust `wit-deps` tool: `wit/deps.toml` → `wit/deps/<identifier>/*.wit` and
 * `wit/deps.lock`, with the same folders and a byte-identical lock (`project/deps-toml.ts`,
 * `project/wit-tar.ts`). Steps, per entry of deps.toml (identifiers sorted):
 *
 * 1. Up to date: the lock has the entry with the same source and the folder hashes to its
 *    digests: nothing is fetched (the transitive folders it lists are hashed as they are).
 * 2. A `path` entry (relative to deps.toml's folder): its top-level `*.wit` files, and its own
 *    `deps/<id>/` folders hoisted as transitive entries.
 * 3. A URL entry: the tarball (`rust-deps-fetch.ts`), its WIT selected the same way. When the
 *    lock names the same source, the unpacked files must hash to the lock's digests
 *    (`ERR_INTEGRITY_MISMATCH`; `update` takes the new content).
 *
 * Everything is decided before anything is written; `check` writes nothing and reports what
 * would change. Folders are replaced whole, each checked to stay inside wit/deps after symlinks
 * are resolved; folders deps.toml does not name are left alone.
 */
import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Cache } from '../../cache/store.js';
import { WitDepsError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { assertConfined } from '../../fs/confine.js';
import { makeDir } from '../../fs/make-dir.js';
import { READ_LIMITS, readRegularFile, readRegularText } from '../../fs/safe-read.js';
import type { Transport } from '../../oci/http/transport.js';
import {
  compareIds,
  parseDepsLock,
  parseDepsManifest,
  serializeDepsLock,
  type DepsLock,
  type DepsLockEntry,
  type DepsTomlEntry,
} from '../../project/deps-toml.js';
import { witTar } from '../../project/wit-tar.js';
import { fetchWitTarball, type TarballAccess } from './rust-deps-fetch.js';

type Files = Map<string, Uint8Array>;

/** Options of {@link lockRustDeps}. */
export interface RustDepsOptions {
  root: string;
  /** `-m/--manifest`, `-l/--lock`, `-d/--deps` (absolute). */
  manifestFile: string;
  lockFile: string;
  depsDir: string;
  cache: Cache;
  transport: () => Transport;
  offline?: boolean;
  /** `update`: the lock is ignored and tarballs are downloaded again. */
  update?: boolean;
  /** `lock --check`: write nothing. */
  check?: boolean;
}

/** One folder of the result. */
export interface RustDepsFolder {
  id: string;
  source: 'url' | 'path' | 'transitive';
  status: 'written' | 'unchanged';
  /** The WIT package the folder holds (`ns:name`), when its `package` line names one. */
  packageName: string | undefined;
}

/** What {@link lockRustDeps} did (or, under `check`, would do). */
export interface RustDepsResult {
  folders: RustDepsFolder[];
  lockChanged: boolean;
  lockWritten: boolean;
}

interface Planned {
  entry: DepsLockEntry;
  files: Files;
  source: RustDepsFolder['source'];
}

/** sha256 and sha512 (hex) of a folder's deterministic tar, as in deps.lock. */
export function folderDigest(files: Files): { sha256: string; sha512: string } {
  const tar = witTar([...files].map(([name, bytes]) => ({ name, bytes })));
  return {
    sha256: createHash('sha256').update(tar).digest('hex'),
    sha512: createHash('sha512').update(tar).digest('hex'),
  };
}

const isWit = (name: string): boolean => /.\.wit$/i.test(name);

/** The top-level `*.wit` regular files of `dir`, or undefined when it does not exist. */
async function readWits(dir: string): Promise<Files | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => !e.isDirectory() && isWit(e.name))
      .map((e) => e.name);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
  const files: Files = new Map();
  for (const name of names)
    files.set(name, await readRegularFile(join(dir, name), { limit: READ_LIMITS.text, root: dir }));
  return files;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readRegularText(path, { limit: READ_LIMITS.text });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
}

const sameDigest = (a: { sha256: string; sha512: string }, b: DepsLockEntry): boolean =>
  a.sha256 === b.sha256 && a.sha512 === b.sha512;

function sameSource(entry: DepsTomlEntry, locked: DepsLockEntry | undefined): boolean {
  const s = locked?.source;
  if (s === undefined) return false;
  if (entry.kind === 'path') return s.kind === 'path' && s.path === entry.path;
  return s.kind === 'url' && s.url === entry.url && s.prefix === entry.prefix;
}

function lockSource(entry: DepsTomlEntry): DepsLockEntry['source'] {
  return entry.kind === 'path'
    ? { kind: 'path', path: entry.path }
    : { kind: 'url', url: entry.url, prefix: entry.prefix };
}

/** The files of one entry and its transitive folders, read or fetched. */
async function gather(
  id: string,
  entry: DepsTomlEntry,
  context: { options: RustDepsOptions; pinned: ReadonlySet<string>; access: TarballAccess },
): Promise<{ files: Files; deps: Map<string, Files> }> {
  const { options, pinned } = context;
  if (entry.kind === 'url') return fetchWitTarball(context.access, id, entry, pinned);
  const src = resolve(dirname(options.manifestFile), entry.path);
  const files = await readWits(src);
  if (files === undefined)
    throw new WitDepsError(
      'ERR_PATH_NOT_FOUND',
      `\`${id}\`: path \`${entry.path}\` does not exist`,
      {
        hint: `fix \`path\` of \`${id}\` in wit/deps.toml (it is relative to the deps.toml folder)`,
        details: { identifier: id, path: src },
      },
    );
  const deps = new Map<string, Files>();
  const depNames = await readdir(join(src, 'deps'), { withFileTypes: true }).catch(() => []);
  for (const d of depNames) {
    if (!d.isDirectory() || pinned.has(d.name)) continue;
    deps.set(d.name, (await readWits(join(src, 'deps', d.name))) ?? new Map<string, Uint8Array>());
  }
  return { files, deps };
}

/** Entry `id` when its folder and lock entry are current: no fetch. */
async function upToDate(
  id: string,
  entry: DepsTomlEntry,
  options: RustDepsOptions,
  lock: DepsLock,
): Promise<Map<string, Planned> | undefined> {
  const locked = lock.get(id);
  if (options.update === true || !sameSource(entry, locked) || locked === undefined) return;
  const files = await readWits(join(options.depsDir, id));
  if (files === undefined || !sameDigest(folderDigest(files), locked)) return;
  const out = new Map<string, Planned>([[id, { entry: locked, files, source: entry.kind }]]);
  for (const dep of locked.deps) {
    const depFiles = (await readWits(join(options.depsDir, dep))) ?? new Map<string, Uint8Array>();
    out.set(dep, {
      entry: { ...folderDigest(depFiles), deps: [] },
      files: depFiles,
      source: 'transitive',
    });
  }
  return out;
}

/** A re-download whose content differs from the lock entry of the same source. */
function lockMismatch(id: string, entry: DepsTomlEntry, locked: DepsLockEntry, actual: string) {
  const what = entry.kind === 'url' ? `\`${entry.url}\`` : `path \`${entry.path}\``;
  return new WitDepsError(
    'ERR_INTEGRITY_MISMATCH',
    `\`${id}\`: the WIT of ${what} has sha256 \`${actual}\`, wit/deps.lock has \`${locked.sha256}\``,
    {
      hint: 'the source changed since it was locked; if that is expected run `wit-deps update`',
      details: { identifier: id, expected: locked.sha256, actual },
    },
  );
}

/** Plans one entry: its folder and its transitive folders. */
async function planEntry(
  id: string,
  entry: DepsTomlEntry,
  context: {
    options: RustDepsOptions;
    pinned: ReadonlySet<string>;
    access: TarballAccess;
    lock: DepsLock;
  },
): Promise<Map<string, Planned>> {
  const { options, lock } = context;
  const current = await upToDate(id, entry, options, lock);
  if (current !== undefined) return current;
  const { files, deps } = await gather(id, entry, context);
  const digest = folderDigest(files);
  const locked = lock.get(id);
  if (
    options.update !== true &&
    entry.kind === 'url' &&
    locked !== undefined &&
    sameSource(entry, locked)
  )
    if (!sameDigest(digest, locked)) throw lockMismatch(id, entry, locked, digest.sha256);
  const ids = [...deps.keys()].sort(compareIds);
  const source = lockSource(entry);
  const out = new Map<string, Planned>();
  out.set(id, {
    entry: { ...(source ? { source } : {}), ...digest, deps: ids },
    files,
    source: entry.kind,
  });
  for (const dep of ids) {
    const depFiles = deps.get(dep) as Files;
    out.set(dep, {
      entry: { ...folderDigest(depFiles), deps: [] },
      files: depFiles,
      source: 'transitive',
    });
  }
  return out;
}

/** Adds one entry's folders, refusing a transitive folder two entries bring with other content. */
function merge(into: Map<string, Planned>, from: Map<string, Planned>, owner: string): void {
  for (const [id, planned] of from) {
    const other = into.get(id);
    if (other === undefined) into.set(id, planned);
    else if (!sameDigest(other.entry, planned.entry))
      throw new WitDepsError(
        'ERR_RESOLVE_CONFLICT',
        `transitive dependency \`${id}\` of \`${owner}\` differs from the one another entry brings`,
        {
          hint: `add \`${id}\` to wit/deps.toml to choose its source`,
          details: { identifier: id },
        },
      );
  }
}

/** The `ns:name` of a folder's `package` line. */
export function packageNameOf(files: Files): string | undefined {
  const decoder = new TextDecoder();
  for (const bytes of files.values()) {
    const text = decoder.decode(bytes).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
    const m = /(?:^|[;}\s])package\s+(%?[a-z][a-z0-9-]*:%?[a-z][a-z0-9-]*(?:\/[a-z0-9-/]+)?)/.exec(
      text,
    );
    if (m?.[1] !== undefined) return m[1].replace(/%/g, '');
  }
  return undefined;
}

/** Replaces the folder `id` with `files`, inside wit/deps. */
async function writeFolder(options: RustDepsOptions, id: string, files: Files): Promise<void> {
  const folder = join(options.depsDir, id);
  await assertConfined(folder, options.root, { what: `wit/deps/${id}` });
  await rm(folder, { recursive: true, force: true });
  await makeDir(folder);
  for (const [name, bytes] of files) await writeFileAtomic(join(folder, name), bytes);
}

/** Locks (and unless `check`, installs) the deps.toml of a project; undefined without one. */
export async function lockRustDeps(options: RustDepsOptions): Promise<RustDepsResult | undefined> {
  const manifestText = await readText(options.manifestFile);
  if (manifestText === undefined) return undefined;
  const manifest = parseDepsManifest(manifestText);
  const lockText = await readText(options.lockFile);
  const lock: DepsLock =
    lockText === undefined ? new Map<string, DepsLockEntry>() : parseDepsLock(lockText);
  const pinned = new Set(manifest.keys());
  const access: TarballAccess = {
    cache: options.cache,
    offline: options.offline === true,
    refresh: options.update === true,
    transport: options.transport,
  };
  const planned = new Map<string, Planned>();
  for (const id of [...manifest.keys()].sort(compareIds)) {
    const entry = manifest.get(id) as DepsTomlEntry;
    merge(planned, await planEntry(id, entry, { options, pinned, access, lock }), id);
  }
  const newLock: DepsLock = new Map([...planned].map(([id, p]) => [id, p.entry]));
  const newText = serializeDepsLock(newLock);
  const folders: RustDepsFolder[] = [];
  for (const [id, p] of [...planned].sort(([a], [b]) => compareIds(a, b))) {
    const disk = await readWits(join(options.depsDir, id));
    const same = disk !== undefined && sameDigest(folderDigest(disk), p.entry);
    if (!same && options.check !== true) await writeFolder(options, id, p.files);
    const status = same ? 'unchanged' : 'written';
    folders.push({ id, source: p.source, status, packageName: packageNameOf(p.files) });
  }
  // as the Rust tool: a lock equal in content (if not in layout) is not rewritten
  const lockChanged = lockText === undefined || serializeDepsLock(lock) !== newText;
  if (lockChanged && options.check !== true) {
    await assertConfined(options.lockFile, options.root, { what: 'wit/deps.lock' });
    await writeFileAtomic(options.lockFile, newText);
  }
  return { folders, lockChanged, lockWritten: lockChanged && options.check !== true };
}
