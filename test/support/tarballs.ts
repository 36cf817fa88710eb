/**
 * Tarballs for the Rust wit-deps tests, made with the `tar` CLI (GNU tar) from real WASI sources:
 * a staging folder is laid out as the archive should be, then packed with `tar -czf`. Also serves
 * them over loopback with the fault server (the registry cannot serve tarballs).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFaultServer, type FaultServer } from './fault-server.js';
import type { RustDepsOptions } from '../../src/app/deps/rust-deps.js';
import { Cache } from '../../src/cache/store.js';
import { Transport } from '../../src/oci/http/transport.js';
import { tempDir, tempDirSync } from './temp-project.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures', import.meta.url));

/** What goes into an archive: path inside it → a folder to copy, or file text. */
export type TarLayout = Record<string, { dir: string } | { text: string }>;

/** A `.tar.gz` of `layout`, packed by GNU tar (`extra`: more arguments, e.g. `--transform`). */
export function makeTarball(layout: TarLayout, extra: string[] = []): Buffer {
  const stage = tempDirSync('wit-deps-tar-');
  for (const [path, what] of Object.entries(layout)) {
    const target = join(stage, 'root', path);
    if ('dir' in what) cpSync(what.dir, target, { recursive: true });
    else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, what.text);
    }
  }
  const out = join(stage, 'out.tar.gz');
  execFileSync('tar', [
    '-czf',
    out,
    '-C',
    join(stage, 'root'),
    ...extra,
    ...Object.keys(layout)
      .map((p) => p.split('/')[0] as string)
      .filter((p, i, a) => a.indexOf(p) === i),
  ]);
  return readFileSync(out);
}

/** A loopback server answering `files` (path → bytes) with 200, anything else 404. */
export async function serveFiles(files: Record<string, Uint8Array>): Promise<FaultServer> {
  const server = await startFaultServer();
  for (const [path, bytes] of Object.entries(files))
    server.on(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': bytes.length });
      res.end(bytes);
    });
  return server;
}

/** One entry of {@link rawTar}: any name and type, so tests can build hostile archives. */
export interface RawEntry {
  name: string;
  /** Tar type flag: `0` file, `1` hard link, `2` symlink, `3` char device, `5` folder. */
  type?: string;
  body?: Uint8Array | string;
  link?: string;
}

/** An ustar archive of `entries`, written byte by byte (GNU tar refuses to write some of them). */
export function rawTar(entries: readonly RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write(e.type ?? '0', 156);
    h.write(e.link ?? '', 157, 100);
    h.write('ustar\u000000', 257);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** A GitHub-style archive: `git archive --format=tar.gz --prefix=<prefix>/` of a commit of `layout`. */
export function gitArchive(prefix: string, layout: TarLayout): Buffer {
  const repo = join(tempDirSync('wit-deps-git-'), 'repo');
  for (const [path, what] of Object.entries(layout)) {
    const target = join(repo, path);
    if ('dir' in what) cpSync(what.dir, target, { recursive: true });
    else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, what.text);
    }
  }
  const git = (...args: string[]): Buffer =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: repo,
    });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'fixture');
  return git('archive', '--format=tar.gz', `--prefix=${prefix}/`, 'HEAD');
}

/**
 * A temporary project whose `wit/deps.toml` is `depsToml`, with the options of the Rust wit-deps
 * code for it (its own cache); every transport it opens is pushed to `transports` for the test
 * to close.
 */
export async function rustDepsProject(
  depsToml: string,
  transports: Transport[],
  prefix?: string,
): Promise<{ root: string; options: RustDepsOptions }> {
  const root = await tempDir(prefix);
  mkdirSync(join(root, 'wit'));
  writeFileSync(join(root, 'wit', 'deps.toml'), depsToml);
  const options: RustDepsOptions = {
    root,
    manifestFile: join(root, 'wit', 'deps.toml'),
    lockFile: join(root, 'wit', 'deps.lock'),
    depsDir: join(root, 'wit', 'deps'),
    cache: new Cache(join(root, '.cache')),
    transport: () => {
      const t = new Transport();
      transports.push(t);
      return t;
    },
  };
  return { root, options };
}
