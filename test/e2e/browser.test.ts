/**
 * `wit-deps/wit` runs in a web page: a real headless Chromium loads the built entry point twice,
 * once as an esbuild bundle for the browser (a `node:*` import anywhere below it fails that build)
 * and once as plain ES modules straight from dist/ (no bundler), and with each it decodes and
 * prints `wasi:http@0.2.0`, resolves + encodes that package's folder given as in-memory files
 * (text deps and a binary `deps/*.wasm`), and reports a parse error as a `WitDepsError`. The page's
 * answers must equal wasm-tools' print of the package and the bytes Node.js encodes.
 *
 * Needs Chromium (`.ci/run` installs Debian's `chromium`): without one the test is skipped, except
 * under `CI=true`, where a missing browser fails it.
 */
import { createServer, type Server } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as WitApi from '../../src/wit-api.js';
import { CORPUS } from '../support/wit-corpus.js';
import { DIST, ensureBuilt } from '../support/built-dist.js';
import { findChromium, launchChromium, type ChromiumPage } from '../support/chromium.js';

const HTTP = join(CORPUS, 'real-packages/wasi-http-0.2.0');
const UNPACK = join(HTTP, 'wasi-http-0.2.0.unpack');
const EXPECTED = readFileSync(join(UNPACK, 'package.wit'), 'utf8');
const CHROMIUM = findChromium();
const IN_CI = process.env['CI'] === 'true';

/** The unpacked folder as `path -> text`: `package.wit` and `deps/<dir>/package.wit`. */
function folderFiles(): Record<string, string> {
  const files: Record<string, string> = { 'package.wit': EXPECTED };
  for (const dir of readdirSync(join(UNPACK, 'deps')))
    files[`deps/${dir}/package.wit`] = readFileSync(
      join(UNPACK, 'deps', dir, 'package.wit'),
      'utf8',
    );
  return files;
}

/** A static server on loopback: the page, the bundle, dist/ (confined) and the fixtures. */
async function serve(bundle: string): Promise<{ server: Server; origin: string }> {
  const fixed: Record<string, { type: string; body: string | Buffer }> = {
    '/': { type: 'text/html', body: '<!doctype html><title>wit-deps/wit</title>' },
    '/bundle.js': { type: 'text/javascript', body: bundle },
    '/http.wasm': {
      type: 'application/wasm',
      body: readFileSync(join(HTTP, 'wasi-http-0.2.0.wasm')),
    },
    '/folder.json': { type: 'application/json', body: JSON.stringify(folderFiles()) },
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let entry = fixed[path];
    if (entry === undefined && path.startsWith('/dist/')) {
      const file = resolve(DIST, `.${path.slice('/dist'.length)}`);
      if (!relative(DIST, file).startsWith(`..${sep}`) && file.endsWith('.js'))
        try {
          entry = { type: 'text/javascript', body: readFileSync(file) };
        } catch {
          entry = undefined;
        }
    }
    if (entry === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': entry.type }).end(entry.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** What the page computes with the module at `url` (run inside Chromium). */
const pageScript = (url: string): string => `(async () => {
  const wit = await import(${JSON.stringify(url)});
  const bytes = new Uint8Array(await (await fetch('/http.wasm')).arrayBuffer());
  const http = wit.decodeWit(bytes);
  const folder = await (await fetch('/folder.json')).json();
  const encoded = wit.encodeWit(wit.resolveWit(folder));
  // the same folder with wasi:io as a binary package: deps/*.wasm given as bytes
  const io = wit.encodeWit(wit.resolveWit({ 'package.wit': folder['deps/wasi-io-0.2.0/package.wit'] }));
  const mixed = { ...folder, 'deps/wasi-io.wasm': io };
  delete mixed['deps/wasi-io-0.2.0/package.wit'];
  let parseError;
  try { wit.parseWit('package a:b;\\ninterface i { f: func() -> }\\n', { path: 'page.wit' }); }
  catch (e) {
    parseError = { code: e.code, isWitDepsError: e instanceof wit.WitDepsError, rendered: e.details.rendered };
  }
  return {
    nodeGlobals: typeof process + ' ' + typeof Buffer,
    printed: wit.printWit(http),
    all: wit.printWit(http, { all: true }),
    info: wit.describeWit(http),
    encoded: Array.from(encoded),
    reprinted: wit.printWit(wit.decodeWit(encoded)),
    mixed: wit.printWit(wit.decodeWit(wit.encodeWit(wit.resolveWit(mixed)))),
    parseError,
  };
})()`;

interface PageAnswer {
  nodeGlobals: string;
  printed: string;
  all: string;
  info: { package: string; packages: string[] };
  encoded: number[];
  reprinted: string;
  mixed: string;
  parseError: { code: string; isWitDepsError: boolean; rendered: string };
}

describe.skipIf(CHROMIUM === undefined && !IN_CI)('wit-deps/wit in a headless browser', () => {
  let page: ChromiumPage;
  let server: Server;
  let origin: string;
  let nodeEncoded: Uint8Array;
  let nodeAll: string;

  beforeAll(async () => {
    if (CHROMIUM === undefined)
      throw new Error('CI=true and no chromium found: install Debian `chromium` (.ci/run does)');
    ensureBuilt();
    const bundle = await build({
      entryPoints: [join(DIST, 'wit-api.js')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    ({ server, origin } = await serve(bundle.outputFiles[0]!.text));
    const wit = (await import(join(DIST, 'wit-api.js'))) as typeof WitApi;
    nodeEncoded = wit.encodeWit(wit.resolveWit(folderFiles()));
    nodeAll = wit.printWit(wit.decodeWit(readFileSync(join(HTTP, 'wasi-http-0.2.0.wasm'))), {
      all: true,
    });
    page = await launchChromium(CHROMIUM);
    await page.goto(`${origin}/`);
  }, 90_000);

  afterAll(async () => {
    await page?.close();
    if (server !== undefined) await new Promise((ok) => server.close(ok));
  });

  for (const [how, url] of [
    ['bundled by esbuild', '/bundle.js'],
    ['as ES modules from dist/', '/dist/wit-api.js'],
  ] as const)
    it(`decodes, prints, resolves and encodes wasi:http ${how}`, async () => {
      const answer = await page.evaluate<PageAnswer>(pageScript(url));
      expect(answer.nodeGlobals).toBe('undefined undefined');
      expect(answer.printed).toBe(EXPECTED);
      expect(answer.all).toBe(nodeAll);
      expect(answer.info.package).toBe('wasi:http@0.2.0');
      expect(answer.info.packages).toContain('wasi:io@0.2.0');
      expect(Uint8Array.from(answer.encoded)).toEqual(nodeEncoded);
      expect(answer.reprinted).toBe(EXPECTED);
      expect(answer.mixed).toBe(EXPECTED);
      expect(answer.parseError.code).toBe('ERR_WIT_PARSE');
      expect(answer.parseError.isWitDepsError).toBe(true);
      expect(answer.parseError.rendered).toContain('--> page.wit:2:28');
      expect(page.errors).toEqual([]);
    }, 60_000);
});
