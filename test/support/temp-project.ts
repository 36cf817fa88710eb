/**
 * Temporary folders and projects for tests, removed when the test file ends.
 *
 * Importing this module registers an `afterAll` hook on the importing test file (vitest runs
 * each file in a fresh module graph, so every file gets its own hook and its own list). The hook
 * is registered before the file's own hooks, so it runs after them (vitest runs `after*` hooks
 * in reverse order): a registry or server the file stops in its `afterAll` is stopped before
 * its folders go. Folders are removed at the end of the file, not of each test, so a folder made
 * in `beforeAll` (a shared cache) lives as long as the file needs it.
 */
import { mkdtempSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { copyExample } from './example.js';

const made: string[] = [];

/** The bundled WASI OCI layouts (`fixtures/wasi-oci`), as an absolute path. */
export const WASI_LAYOUT = fileURLToPath(new URL('../../fixtures/wasi-oci', import.meta.url));

/** Removes every folder made here so far (also run by the hook at the end of the file). */
export async function removeTempDirs(): Promise<void> {
  // retried: a cache record written as a command ends can land while its folder is removed
  for (const dir of made.splice(0))
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

afterAll(removeTempDirs);

/** A new empty folder in the system temp folder, named `<prefix>XXXXXX`. */
export async function tempDir(prefix = 'wit-deps-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** `tempDir`, for synchronous callers. */
export function tempDirSync(prefix = 'wit-deps-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Where the `wasi` namespace comes from: a registry (host and repository prefix) or a layout. */
export type WasiSource = { oci: string; prefix: string } | { layout: string };

/**
 * A `wit.toml` with `deps` under `[dependencies]` and one `[registries]` entry for `wasi`:
 * `${before}[dependencies]\n${deps}\n\n[registries]\nwasi = { ... }\n${after}`.
 */
export function witToml(
  deps: string,
  wasi: WasiSource,
  { before = '', after = '' }: { before?: string; after?: string } = {},
): string {
  const source =
    'layout' in wasi
      ? `{ layout = "${wasi.layout}" }`
      : `{ oci = "${wasi.oci}", prefix = "${wasi.prefix}" }`;
  return `${before}[dependencies]\n${deps}\n\n[registries]\nwasi = ${source}\n${after}`;
}

export interface TempProjectOptions {
  /** The name of the new temp folder (ignored with `dir`). */
  prefix?: string;
  /** Make the project in this folder (created if missing) rather than in a new temp folder. */
  dir?: string;
  /** The text of `wit.toml`; none is written without it. */
  witToml?: string;
  /** The text of `wkg.lock`; none is written without it. */
  lock?: string;
  /** More files, by path relative to the project (folders are created). */
  files?: Record<string, string | Uint8Array>;
}

/** A project folder holding the given `wit.toml`, `wkg.lock` and files. Returns its path. */
export async function tempProject(options: TempProjectOptions = {}): Promise<string> {
  const dir = options.dir ?? (await tempDir(options.prefix ?? 'wit-deps-proj-'));
  await mkdir(dir, { recursive: true });
  const files: Record<string, string | Uint8Array> = { ...options.files };
  if (options.witToml !== undefined) files['wit.toml'] = options.witToml;
  if (options.lock !== undefined) files['wkg.lock'] = options.lock;
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
  return dir;
}

/**
 * The example app (`examples/http-app`) copied into `dir`, or into a new temp folder, with its
 * `wasi` registry pointed at the bundled layouts by absolute path. Returns the project's path.
 */
export async function exampleProject(
  options: { prefix?: string; dir?: string } = {},
): Promise<string> {
  const cwd = options.dir ?? (await tempDir(options.prefix ?? 'wit-deps-example-'));
  await copyExample(cwd);
  const toml = await readFile(join(cwd, 'wit.toml'), 'utf8');
  await writeFile(join(cwd, 'wit.toml'), toml.replace('../../fixtures/wasi-oci', WASI_LAYOUT));
  return cwd;
}
