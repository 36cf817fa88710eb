/**
 * What `oci pull` and `oci push` refuse, so neither silently damages something:
 *
 * - pull: `-o -` streams the verified layer to stdout (downloaded to a private temp folder first,
 *   so a corrupt layer never reaches stdout); `-o <dir>` (an existing folder, or a path ending in
 *   `/`) writes the default name into that folder; a layer title is used as the file name only when it is a plain file name (letters,
 *   digits, `.`, `_`, `-`; not starting with `.`; at most {@link MAX_FILE_NAME} bytes; no device
 *   name such as `con`), and an existing file is never replaced without `--force` (also with
 *   `-o`). The file is written to a temporary sibling and then linked into place (which fails if
 *   the name exists) or, with `--force`, renamed over it: readers see the old file or the whole
 *   new one.
 * - push: the file must be a binary WIT package or a component (`ERR_ARTIFACT_INVALID`); a WIT
 *   package must be the one the reference names: repository `…/<ns>/<name>`, and a semver tag
 *   equal to its version (`ERR_ARTIFACT_MISMATCH`); an existing tag is not moved to other content
 *   (`ERR_TAG_EXISTS`). `--force` overrides each check.
 */
import { createReadStream } from 'node:fs';
import { link, lstat, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import valid from 'semver/functions/valid.js';
import { hasErrno, WitDepsError } from '../../errors.js';
import {
  formatReference,
  resolveManifest,
  sha256Digest,
  wasmLayerOf,
  type OciBackend,
  type OciReference,
} from '../../oci/index.js';
import { tempSibling } from '../../fs/temp-name.js';
import type { WitPackageInfo } from './wit-package-info.js';

/** Bytes of a file name taken from a layer title, at most. */
export const MAX_FILE_NAME = 255;

const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

/** `title` when it is a plain file name to write in the working folder, else undefined. */
export function plainFileName(title: string | undefined): string | undefined {
  if (title === undefined || !/^[A-Za-z0-9._-]+$/.test(title) || title.startsWith('.'))
    return undefined;
  if (Buffer.byteLength(title) > MAX_FILE_NAME || DEVICE_NAME.test(title)) return undefined;
  return title;
}

/** Where `oci pull` writes: stdout, or a file path. */
export type PullTarget = { kind: 'stdout' } | { kind: 'file'; path: string };

/**
 * `-o -` is stdout; `-o <dir>` (an existing folder, or ending in `/`) is `<dir>/<defaultName>`;
 * any other `-o` is the file; no `-o` is `<defaultName>` in `cwd`.
 */
export async function pullTarget(
  cwd: string,
  output: string | undefined,
  defaultName: string,
): Promise<PullTarget> {
  if (output === '-') return { kind: 'stdout' };
  if (output === undefined) return { kind: 'file', path: resolve(cwd, defaultName) };
  const path = resolve(cwd, output);
  const isDir =
    output.endsWith('/') ||
    output.endsWith(sep) ||
    (await stat(path).then(
      (s) => s.isDirectory(),
      () => false,
    ));
  return { kind: 'file', path: isDir ? join(path, defaultName) : path };
}

/** Where `-o -` writes: `process.stdout`, or a buffer in tests. */
export interface ByteSink {
  write(chunk: Uint8Array): unknown;
  once?(event: 'drain', listener: () => void): unknown;
}

/**
 * Downloads with `fetchTo(temp)` (verified, in a private temp folder) and copies the file to
 * `sink`, waiting for `drain` when the sink asks to.
 */
export async function pullToSink(
  fetchTo: (path: string) => Promise<void>,
  sink: ByteSink,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wit-deps-pull-'));
  try {
    const temp = join(dir, 'layer.wasm');
    await fetchTo(temp);
    for await (const chunk of createReadStream(temp)) {
      const more = sink.write(chunk as Buffer);
      if (more === false && sink.once !== undefined) {
        const once = sink.once.bind(sink);
        await new Promise<void>((done) => once('drain', done));
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function existsError(path: string): WitDepsError {
  return new WitDepsError('ERR_FS', `\`${path}\` already exists`, {
    hint: 'pass `--force` to replace it, or `-o <file>` to write the layer elsewhere',
    details: { path },
  });
}

/** Refuses a target that is a folder, or any existing entry without `force`. */
async function checkTarget(path: string, force: boolean): Promise<void> {
  const stat = await lstat(path).catch((error: unknown) => {
    if (hasErrno(error, 'ENOENT')) return undefined;
    throw error;
  });
  if (stat === undefined) return;
  if (stat.isDirectory())
    throw new WitDepsError('ERR_FS', `\`${path}\` is a folder`, {
      hint: 'name a file with `-o <file>`',
      details: { path },
    });
  if (!force) throw existsError(path);
}

/** Moves `temp` to `path`: never over an existing entry unless `force`. */
async function place(temp: string, path: string, force: boolean): Promise<void> {
  if (force) return rename(temp, path);
  try {
    await link(temp, path); // atomic, and fails when `path` exists (even as a dangling symlink)
  } catch (error) {
    if (hasErrno(error, 'EEXIST')) throw existsError(path);
    // a file system without hard links: check, then rename (a race is then possible)
    await checkTarget(path, false);
    return rename(temp, path);
  }
}

/** Writes a file with `write(temp)`, then puts it at `path` (see {@link place}). */
export async function writeNew(
  path: string,
  force: boolean,
  write: (temp: string) => Promise<void>,
): Promise<void> {
  await checkTarget(path, force);
  const temp = tempSibling(path);
  try {
    await write(temp);
    await place(temp, path, force);
  } finally {
    await rm(temp, { force: true });
  }
}

const COMPONENT_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

/** Refuses a file that is neither a WIT package nor a component. */
export function checkPushable(file: string, layer: Uint8Array, info: WitPackageInfo): void {
  if (info.name !== null) return;
  if (COMPONENT_PREAMBLE.every((b, i) => layer[i] === b)) return;
  throw new WitDepsError(
    'ERR_ARTIFACT_INVALID',
    `file \`${file}\` is neither a binary WIT package nor a component`,
    {
      hint: 'push a WIT package (`wasm-tools component wit --wasm`, `wkg wit build`) or a component, or pass `--force` to push it anyway',
      details: { file },
    },
  );
}

/** The reference a WIT package `namespace:name@version` belongs at, next to `ref`. */
function matchingReference(ref: OciReference, namespace: string, name: string, version: string) {
  if (ref.kind === 'layout') return formatReference({ ...ref, tag: version });
  const prefix = ref.repository.split('/').slice(0, -2);
  const repository = [...prefix, namespace, name].join('/');
  return formatReference({ kind: 'registry', registry: ref.registry, repository, tag: version });
}

/** Refuses a WIT package whose name or version is not the one `ref` names. */
export function checkIdentity(file: string, ref: OciReference, info: WitPackageInfo): void {
  if (info.name === null || ref.tag === undefined) return;
  const [id = ''] = info.name.split('@');
  const [namespace = '', name = ''] = id.split(':');
  const segments = ref.kind === 'registry' ? ref.repository.split('/') : undefined;
  const named = segments === undefined ? id : `${segments.at(-2) ?? ''}:${segments.at(-1) ?? ''}`;
  // compared as installs read tags: `v0.2.0` is version 0.2.0, `latest` is no version at all
  const tagVersion = valid(ref.tag);
  const versionOk =
    tagVersion === null || (info.version !== null && valid(info.version) === tagVersion);
  if (named === id && versionOk) return;
  // a one-segment repository (`host/http`) names no namespace: `?:http`
  const expected = `${named.startsWith(':') ? '?' : ''}${named}${tagVersion === null ? '' : `@${tagVersion}`}`;
  const target = matchingReference(ref, namespace, name, info.version ?? ref.tag);
  throw new WitDepsError(
    'ERR_ARTIFACT_MISMATCH',
    `file \`${file}\` holds \`${info.name}\`, but \`${formatReference(ref)}\` names \`${expected}\``,
    {
      hint: `push it to \`${target}\`, or pass \`--force\` to push it under this reference anyway`,
      details: { file, package: info.name, expected, reference: formatReference(ref) },
    },
  );
}

/** What resolving a tag that holds something other than a Wasm artifact fails with. */
const NOT_OURS: ReadonlySet<string> = new Set([
  'ERR_ARTIFACT_INVALID',
  'ERR_MANIFEST_UNSUPPORTED',
  'ERR_LIMIT_EXCEEDED',
  'ERR_REGISTRY_RESPONSE',
  'ERR_REGISTRY_NOT_FOUND',
]);

/**
 * Refuses to move an existing tag to other content (another Wasm layer, or not a Wasm artifact).
 * `layer` is the layer's bytes or its digest.
 */
export async function checkTagFree(
  backend: OciBackend,
  repository: string,
  reference: string,
  tag: string,
  layer: Uint8Array | string,
): Promise<void> {
  const existing = await backend.headManifest(repository, tag).catch((error: unknown) => {
    // a layout folder that does not exist yet holds no tag
    if (error instanceof WitDepsError && error.code === 'ERR_REGISTRY_NOT_FOUND') return undefined;
    throw error;
  });
  if (existing === undefined) return;
  let cause: unknown;
  try {
    const resolved = await resolveManifest(backend, repository, tag);
    const digest = typeof layer === 'string' ? layer : sha256Digest(layer);
    if (wasmLayerOf(resolved.manifest).digest === digest) return;
  } catch (error) {
    if (!(error instanceof WitDepsError) || !NOT_OURS.has(error.code)) throw error;
    cause = error;
  }
  throw new WitDepsError(
    'ERR_TAG_EXISTS',
    `tag \`${reference}\` already exists with other content (manifest \`${existing.digest}\`)`,
    {
      hint: 'publish a new version, or pass `--force` to move the tag',
      cause,
      details: { reference, digest: existing.digest },
    },
  );
}
