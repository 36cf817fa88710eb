/**
 * Attack class: a hostile (or broken) registry that tries to hang the tool or fill its memory.
 * Against the fault-injecting server: bodies dripped a byte at a time (the timeout bounds the
 * whole request; blob transfers get an idle timeout plus the command's deadline), bodies shorter
 * than their Content-Length (retried, then a typed error), a 150,000-tag page and endless
 * pagination (caps on tags and bytes across pages), and the User-Agent every request carries.
 * Every test is bounded: a hang fails through the vitest timeout.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { WitDepsError } from '../../src/errors.js';
import { sha256Digest } from '../../src/oci/digest.js';
import type { RetryClock } from '../../src/oci/http/retry.js';
import { encodeJson } from '../../src/oci/manifest-format.js';
import { OCI_MANIFEST } from '../../src/oci/media-types.js';
import { OciClients, type OciOptions } from '../../src/oci/open.js';
import { MAX_TAGS } from '../../src/oci/tags.js';
import { fetchRegistryMetadata } from '../../src/registry/well-known.js';
import { VERSION } from '../../src/version.js';
import {
  drip,
  sendJson,
  sendShort,
  startFaultServer,
  type FaultServer,
} from '../support/fault-server.js';
import { tempDir } from '../support/temp-project.js';

const BLOB = Buffer.alloc(2000, 'b');
const DESC = { digest: sha256Digest(BLOB), size: BLOB.byteLength };
const MANIFEST = Buffer.from(
  encodeJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.wasm.config.v0+json', ...DESC },
    layers: [{ mediaType: 'application/wasm', ...DESC }],
  }),
);
const MANIFEST_HEADERS = { 'content-type': OCI_MANIFEST };
/** Retry sleeps take no time. */
const clock: RetryClock = {
  sleep: () => Promise.resolve(),
  now: () => Date.now(),
  random: () => 0.5,
};

let server: FaultServer;
const open: OciClients[] = [];

beforeAll(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});
afterAll(async () => {
  await server?.stop();
});

function client(options: OciOptions = {}): ReturnType<OciClients['registry']> {
  const clients = new OciClients({
    retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 1 },
    clock,
    timeoutMs: 500,
    ...options,
  });
  open.push(clients);
  return clients.registry(server.host);
}

const hits = (path: string): number => server.seen.filter((s) => s.path.startsWith(path)).length;

/** The rejection of `promise`, which must be a WitDepsError (not an ERR_INTERNAL crash). */
async function failure(promise: Promise<unknown>): Promise<WitDepsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WitDepsError);
  return error as WitDepsError;
}

const NEXT = (path: string): Record<string, string> => ({
  link: `<${path}?page=next>; rel="next"`,
});

describe('a registry that drips', () => {
  it('times out a manifest dripped a byte at a time, retries it, then fails as ERR_NETWORK', async () => {
    server.on('/v2/drip/m/manifests/1.0.0', (_req, res) =>
      drip(res, MANIFEST, { intervalMs: 50, headers: MANIFEST_HEADERS }),
    );
    const started = Date.now();
    const error = await failure(client().getManifest('drip/m', '1.0.0'));
    expect(error.code).toBe('ERR_NETWORK');
    expect(error.message).toMatch(/timed out: .* no complete answer within 0\.5 s/);
    expect(error.hint).toContain('--timeout');
    expect(hits('/v2/drip/m/manifests/')).toBe(3); // first try and 2 retries
    expect(Date.now() - started).toBeLessThan(5000);
  }, 15_000);

  it('times out a dripped tag list', async () => {
    const page = Buffer.from(JSON.stringify({ name: 'drip/t', tags: ['1.0.0', '1.1.0'] }));
    server.on('/v2/drip/t/tags/list', (_req, res) => drip(res, page, { intervalMs: 50 }));
    const error = await failure(client().listTags('drip/t'));
    expect(error).toMatchObject({ code: 'ERR_NETWORK' });
    expect(error.message).toContain('timed out');
    expect(hits('/v2/drip/t/tags/list')).toBe(3);
  }, 15_000);

  it('times out a dripped token answer', async () => {
    server.on('/v2/drip/tok/tags/list', (req, res) => {
      if (req.headers.authorization === undefined)
        return sendJson(
          res,
          401,
          { errors: [{ code: 'UNAUTHORIZED' }] },
          {
            'www-authenticate': `Bearer realm="${server.url}/drip-token",service="fault"`,
          },
        );
      sendJson(res, 200, { name: 'drip/tok', tags: ['1.0.0'] });
    });
    const token = Buffer.from(JSON.stringify({ token: 't'.repeat(200) }));
    server.on('/drip-token', (_req, res) => drip(res, token, { intervalMs: 50 }));
    const error = await failure(client().listTags('drip/tok'));
    expect(error).toMatchObject({ code: 'ERR_NETWORK' });
    expect(error.message).toContain('timed out');
  }, 15_000);

  it('lets a slow but steady blob download finish (idle timeout, not a whole-request one)', async () => {
    // 10 chunks 150 ms apart: 1.5 s in all, three times the 500 ms timeout
    server.on(`/v2/slow/b/blobs/${DESC.digest}`, (_req, res) =>
      drip(res, BLOB, { intervalMs: 150, chunk: 200 }),
    );
    const bytes = await client().fetchBlobBytes('slow/b', DESC);
    expect(Buffer.from(bytes).equals(BLOB)).toBe(true);
  }, 15_000);

  it('stops a blob download that never ends at the deadline, without retrying', async () => {
    // a chunk every 100 ms never trips the idle timeout; 2000 bytes would take 20 s
    server.on(`/v2/slow/d/blobs/${DESC.digest}`, (_req, res) =>
      drip(res, BLOB, { intervalMs: 100, chunk: 10 }),
    );
    const started = Date.now();
    const error = await failure(client({ deadlineMs: 1200 }).fetchBlobBytes('slow/d', DESC));
    expect(error.code).toBe('ERR_NETWORK');
    expect(error.message).toContain('deadline of 1.2 s');
    expect(error.hint).toContain('--deadline');
    expect(hits(`/v2/slow/d/blobs/`)).toBe(1);
    expect(Date.now() - started).toBeLessThan(4000);
  }, 15_000);

  it('`--timeout` and `--deadline` (and WIT_DEPS_DEADLINE) reach the requests of a command', async () => {
    const page = Buffer.from(JSON.stringify({ name: 'drip/cli', tags: ['1.0.0'] }));
    server.on('/v2/drip/cli/tags/list', (_req, res) => drip(res, page, { intervalMs: 200 }));
    const cwd = await tempDir('wit-deps-sec-net-');
    const run = async (args: string[], env: Record<string, string> = {}) => {
      const io = bufferIo({ cwd, env });
      const started = Date.now();
      const code = await main(['--json', 'oci', 'tags', `${server.host}/drip/cli`, ...args], io);
      return {
        code,
        doc: JSON.parse(io.out()) as { error: WitDepsError },
        ms: Date.now() - started,
      };
    };
    const timeout = await run(['--timeout', '1', '--retries', '0']);
    expect(timeout.code).toBe(1);
    expect(timeout.doc.error).toMatchObject({ code: 'ERR_NETWORK' });
    expect(timeout.doc.error.message).toContain('within 1 s');
    const deadline = await run(['--timeout', '10', '--deadline', '1']);
    expect(deadline.doc.error.message).toContain('deadline of 1 s');
    expect(deadline.ms).toBeLessThan(5000);
    const fromEnv = await run(['--timeout', '10'], { WIT_DEPS_DEADLINE: '1' });
    expect(fromEnv.doc.error.message).toContain('deadline of 1 s');
    const usage = await run(['--deadline', 'soon']);
    expect(usage.code).toBe(2);
  }, 20_000);
});

describe('a registry that cuts bodies short', () => {
  it('retries a manifest shorter than its Content-Length, then fails as ERR_NETWORK', async () => {
    server.on('/v2/short/m/manifests/1.0.0', (_req, res) =>
      sendShort(res, MANIFEST.subarray(0, 20), MANIFEST.byteLength, MANIFEST_HEADERS),
    );
    const error = await failure(client().getManifest('short/m', '1.0.0'));
    expect(error.code).toBe('ERR_NETWORK');
    expect(hits('/v2/short/m/manifests/')).toBe(3);
  }, 15_000);

  it('gets the manifest when a retry delivers it whole', async () => {
    server.on('/v2/short/ok/manifests/1.0.0', (_req, res, hit) =>
      hit === 1
        ? sendShort(res, MANIFEST.subarray(0, 20), MANIFEST.byteLength, MANIFEST_HEADERS)
        : sendJson(res, 200, JSON.parse(MANIFEST.toString()), MANIFEST_HEADERS),
    );
    const fetched = await client().getManifest('short/ok', '1.0.0');
    expect(fetched.digest).toBe(sha256Digest(MANIFEST));
  }, 15_000);

  it('retries a tag page shorter than its Content-Length, then fails as ERR_NETWORK', async () => {
    server.on('/v2/short/t/tags/list', (_req, res) =>
      sendShort(res, Buffer.from('{"name":"short/t","tags":["1.'), 500),
    );
    const error = await failure(client().listTags('short/t'));
    expect(error.code).toBe('ERR_NETWORK');
    expect(hits('/v2/short/t/tags/list')).toBe(3);
  }, 15_000);
});

describe('a registry with too many tags', () => {
  const many = (n: number, prefix = '0.0.'): string[] =>
    Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it('lists 150,000 tags served in one page (client and `oci tags`)', async () => {
    const tags = many(150_000);
    server.on('/v2/big/tags/list', (_req, res) => sendJson(res, 200, { name: 'big', tags }));
    expect(await client().listTags('big')).toHaveLength(150_000);
    const cwd = await tempDir('wit-deps-sec-net-');
    const io = bufferIo({ cwd, env: {} });
    expect(await main(['oci', 'tags', `${server.host}/big`], io)).toBe(0);
    expect(io.out().trimEnd().split('\n')).toHaveLength(150_000);
  }, 30_000);

  it('stops endless pagination at 200,000 tags with ERR_LIMIT_EXCEEDED', async () => {
    server.on('/v2/endless/tags/list', (_req, res, hit) =>
      sendJson(
        res,
        200,
        { name: 'endless', tags: many(20_000, `${hit}.0.`) },
        NEXT('/v2/endless/tags/list'),
      ),
    );
    const error = await failure(client({ maxTagPages: 50 }).listTags('endless'));
    expect(error.code).toBe('ERR_LIMIT_EXCEEDED');
    expect(error.message).toContain(`more than ${MAX_TAGS} tags`);
    expect(error.hint).toBeTruthy();
    expect(hits('/v2/endless/tags/list')).toBe(11); // 10 pages fill the cap, the 11th exceeds it
  }, 30_000);

  it('stops endless pagination at 32 MiB of tag lists with ERR_LIMIT_EXCEEDED', async () => {
    const long = (hit: number): string[] =>
      Array.from({ length: 1000 }, (_, i) => `${hit}-${i}-${'x'.repeat(3900)}`);
    server.on('/v2/fat/tags/list', (_req, res, hit) =>
      sendJson(res, 200, { name: 'fat', tags: long(hit) }, NEXT('/v2/fat/tags/list')),
    );
    const error = await failure(client({ maxTagPages: 50 }).listTags('fat'));
    expect(error.code).toBe('ERR_LIMIT_EXCEEDED');
    expect(error.message).toContain(`more than ${32 * 1024 * 1024} bytes`);
    expect(hits('/v2/fat/tags/list')).toBe(9); // 8 pages of ~3.9 MB fit, the 9th does not
  }, 30_000);
});

describe('User-Agent', () => {
  it('is sent with every request, token requests included', async () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string })
      .version;
    expect(VERSION).toBe(version);
    server.on('/v2/ua/tags/list', (req, res) => {
      if (req.headers.authorization === undefined)
        return sendJson(
          res,
          401,
          { errors: [{ code: 'UNAUTHORIZED' }] },
          {
            'www-authenticate': `Bearer realm="${server.url}/ua-token",service="fault"`,
          },
        );
      sendJson(res, 200, { name: 'ua', tags: ['1.0.0'] });
    });
    server.on('/ua-token', (_req, res) => sendJson(res, 200, { token: 'tok' }));
    const before = server.seen.length;
    expect(await client().listTags('ua')).toEqual(['1.0.0']);
    const sent = server.seen.slice(before);
    expect(sent.map((s) => s.path.split('?')[0])).toEqual([
      '/v2/ua/tags/list',
      '/ua-token',
      '/v2/ua/tags/list',
    ]);
    for (const s of sent)
      expect(s.userAgent).toBe(`wit-deps/${version} node/${process.versions.node}`);
  }, 15_000);

  it('is sent with the .well-known discovery request', async () => {
    const before = server.seen.length;
    expect(await fetchRegistryMetadata(server.host, { timeoutMs: 2000 })).toBeNull(); // a 404
    const sent = server.seen.slice(before);
    expect(sent.map((s) => s.path)).toEqual(['/.well-known/wasm-pkg/registry.json']);
    expect(sent[0]?.userAgent).toBe(`wit-deps/${VERSION} node/${process.versions.node}`);
  }, 15_000);
});
