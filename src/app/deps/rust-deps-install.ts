/**
 * The Rust `wit-deps` tool's `wit/deps.toml` inside `wit-deps install`/`update`: its entries are
 * installed first (`rust-deps.ts`), then the packages they provide are taken out of the OCI
 * roots that the project's WIT references (`use wasi:http/types@0.2.10;` is satisfied by
 * `wit/deps/http/`), and a package that wit.toml or wkg.toml also names is a conflict naming
 * both sources. `--locked`/`--frozen` fail before anything is written if deps.lock would change.
 *
 * Network: one transport of its own (same time limits and proxy variables as the registry
 * clients); the Rust tool's `PROXY_SERVER`/`PROXY_USERNAME`/`PROXY_PASSWORD` become an
 * `HTTPS_PROXY` when no `HTTPS_PROXY` is set.
 */
import { dirname, join, resolve } from 'node:path';
import type { Cache } from '../../cache/store.js';
import { WitDepsError } from '../../errors.js';
import { Transport } from '../../oci/http/transport.js';
import type { RootDependency } from '../../resolve/graph.js';
import type { ProjectInputs } from '../project/project-inputs.js';
import { networkOptions, type NetworkFlags } from '../source/network-settings.js';
import { lockRustDeps, type RustDepsResult } from './rust-deps.js';

/** What install needs from its session and options. */
export interface RustDepsContext {
  root: string;
  witDir: string;
  depsDir: string;
  cache: Cache;
  env: Readonly<Record<string, string | undefined>>;
  network?: NetworkFlags;
  offline?: boolean;
  locked?: boolean;
  update?: boolean;
  check?: boolean;
  signal?: AbortSignal;
}

/** The environment with the Rust tool's proxy variables turned into `HTTPS_PROXY`. */
export function proxyEnv(
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Record<string, string | undefined>> {
  const server = env['PROXY_SERVER'];
  if (server === undefined || server === '' || env['HTTPS_PROXY'] || env['https_proxy']) return env;
  const user = env['PROXY_USERNAME'];
  const password = env['PROXY_PASSWORD'];
  const auth =
    user !== undefined && password !== undefined
      ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}@`
      : '';
  return { ...env, HTTPS_PROXY: `http://${auth}${server}`, HTTP_PROXY: `http://${auth}${server}` };
}

/** The transport of deps.toml downloads: the registry clients' time limits, loaded on first use. */
function newTransport(
  env: Readonly<Record<string, string | undefined>>,
  context: Pick<RustDepsContext, 'network' | 'signal'>,
): Transport {
  const signal = context.signal === undefined ? {} : { signal: context.signal };
  const net = networkOptions(context.network ?? {}, { env, ...signal });
  return new Transport({
    env,
    ...(net.timeoutMs === undefined ? {} : { timeoutMs: net.timeoutMs }),
    ...(net.deadlineMs === undefined ? {} : { deadlineMs: net.deadlineMs }),
    ...signal,
  });
}

/** Runs deps.toml, with `--locked` checked first; undefined when the project has none. */
export async function installRustDeps(
  context: RustDepsContext,
): Promise<{ result: RustDepsResult; requests: number } | undefined> {
  const env = proxyEnv(context.env);
  let transport: Transport | undefined;
  const options = {
    root: context.root,
    manifestFile: join(context.witDir, 'deps.toml'),
    lockFile: join(context.witDir, 'deps.lock'),
    depsDir: context.depsDir,
    cache: context.cache,
    offline: context.offline === true,
    update: context.update === true,
    transport: () => (transport ??= newTransport(env, context)),
  };
  try {
    if (context.locked === true) {
      const dry = await lockRustDeps({ ...options, check: true });
      if (dry?.lockChanged === true)
        throw new WitDepsError(
          'ERR_LOCKFILE_OUTDATED',
          'wit/deps.lock needs to be updated but --locked was given',
          {
            hint: 'run `wit-deps install` (or `wit-deps lock`) without `--locked`/`--frozen` and commit the new wit/deps.lock',
          },
        );
    }
    const result = await lockRustDeps({ ...options, check: context.check === true });
    return result === undefined ? undefined : { result, requests: transport?.requests ?? 0 };
  } finally {
    await transport?.close();
  }
}

/**
 * The OCI roots left once deps.toml provides its packages: WIT references to them go, and a
 * wit.toml or wkg.toml entry for one is `ERR_RESOLVE_CONFLICT`.
 */
export function rootsWithoutRustDeps(
  roots: readonly RootDependency[],
  result: RustDepsResult,
): RootDependency[] {
  const provided = new Map<string, string>();
  for (const f of result.folders)
    if (f.packageName !== undefined) provided.set(f.packageName, f.id);
  for (const r of roots) {
    const id = provided.get(r.name);
    if (id === undefined || r.origin.kind === 'wit') continue;
    throw new WitDepsError(
      'ERR_RESOLVE_CONFLICT',
      `\`${r.name}\` is both in ${r.origin.label} and in wit/deps.toml (\`${id}\`, installed to wit/deps/${id})`,
      {
        hint: `keep one source: remove \`${r.name}\` from ${r.origin.label}, or \`${id}\` from wit/deps.toml`,
        details: { package: r.name, identifier: id },
      },
    );
  }
  return roots.filter((r) => !provided.has(r.name));
}

/** What {@link rustDepsForInstall} reads of the install options. */
export interface InstallLikeOptions {
  env: Readonly<Record<string, string | undefined>>;
  network?: NetworkFlags;
  signal?: AbortSignal;
  locked?: boolean;
  frozen?: boolean;
  offline?: boolean;
  unlock?: ReadonlySet<string> | true;
}

/**
 * `install`/`update`: runs the project's deps.toml (if any) and takes the packages it provides
 * out of `project.roots`.
 */
export async function rustDepsForInstall(
  project: Pick<ProjectInputs, 'root' | 'witDir' | 'depsDir' | 'cache' | 'roots'>,
  options: InstallLikeOptions,
): Promise<{ result: RustDepsResult; requests: number } | undefined> {
  const { root, witDir, depsDir, cache } = project;
  const rust = await installRustDeps({
    ...{ root, witDir, depsDir, cache, env: options.env },
    ...(options.network === undefined ? {} : { network: options.network }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    locked: options.locked === true || options.frozen === true,
    offline: options.offline === true || options.frozen === true,
    update: options.unlock === true,
  });
  if (rust !== undefined) project.roots = rootsWithoutRustDeps(project.roots, rust.result);
  return rust;
}

/** Options of {@link lockCommand} (`wit-deps lock`). */
export interface LockCommandOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  witDir?: string;
  cacheDir?: string;
  /** `-m/--manifest`, `-l/--lock`, `--deps`: relative to `cwd`, as the Rust tool takes them. */
  manifest?: string;
  lock?: string;
  deps?: string;
  check?: boolean;
  offline?: boolean;
  signal?: AbortSignal;
}

/**
 * `wit-deps lock [--check]`: the Rust tool's command over the project's deps.toml only. Under
 * `check` nothing is written (the Rust tool writes even then). No deps.toml is
 * `ERR_MANIFEST_NOT_FOUND`.
 */
export async function lockCommand(
  options: LockCommandOptions,
): Promise<RustDepsResult & { requests: number }> {
  const [{ locateProject }, { cacheDir }, { Cache }] = await Promise.all([
    import('../project/project-location.js'),
    import('../../cache/location.js'),
    import('../../cache/store.js'),
  ]);
  const location = await locateProject(options);
  const at = (path: string | undefined, fallback: string): string =>
    path === undefined ? fallback : resolve(options.cwd, path);
  const manifestFile = at(options.manifest, join(location.witDir, 'deps.toml'));
  const env = proxyEnv(options.env);
  let transport: Transport | undefined;
  try {
    const result = await lockRustDeps({
      root: location.root,
      manifestFile,
      lockFile: at(options.lock, join(dirname(manifestFile), 'deps.lock')),
      depsDir: at(options.deps, location.depsDir),
      cache: new Cache(cacheDir(options.env, options.cacheDir, location.root)),
      offline: options.offline === true,
      check: options.check === true,
      transport: () => (transport ??= newTransport(env, options)),
    });
    if (result === undefined)
      throw new WitDepsError('ERR_MANIFEST_NOT_FOUND', `\`${manifestFile}\` does not exist`, {
        hint: 'run `wit-deps lock` in a project with wit/deps.toml, or pass `-m <deps.toml>`',
        details: { path: manifestFile },
      });
    return { ...result, requests: transport?.requests ?? 0 };
  } finally {
    await transport?.close();
  }
}
