/**
 * Attack class: credentials and unbounded input echoed into error output. A registry's 401 body
 * that echoes the `Authorization` header (`Basic <base64>`, `Bearer <token>`), user info typed in a
 * reference (`oci pull user:pw@host/repo:tag`) or in wit.toml `[registries]`, must never reach
 * stdout or stderr (human, `--verbose`, `--json`); an echoed 5 MiB identifier must not give a
 * 5 MiB error line. Everything here runs the CLI through `main()`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { createContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { decideTerminal } from '../../src/cli/terminal.js';
import { summariseErrorBody } from '../../src/oci/http/errors.js';
import { redactSecrets, safeText } from '../../src/redact.js';
import { envHostKey } from '../../src/registry/credentials.js';
import { sendJson, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { tempDirSync } from '../support/temp-project.js';

const PASSWORD = 'hunter2-Secret';
const TOKEN = 'tok.en-Secret_42';
const tempDir = (): string => tempDirSync('wit-deps-sec-redact-');

/** Runs the CLI in every output mode; returns what each printed. */
async function outputs(args: string[], cwd: string, env: Record<string, string> = {}) {
  const all: string[] = [];
  for (const mode of [[], ['-v'], ['--json'], ['--json', '-v']]) {
    const io = bufferIo({ cwd, env: { WIT_DEPS_RETRIES: '0', ...env } });
    const code = await main([...mode, ...args], io);
    expect(code).not.toBe(0);
    all.push(io.out() + io.err());
  }
  return all;
}

describe('credentials in what a registry sends back', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(async () => server?.stop());

  it('masks an echoed Basic header in a 401 body (text and JSON)', async () => {
    const basic = Buffer.from(`alice:${PASSWORD}`).toString('base64');
    server.on('/v2/', (req, res) => {
      const sent = req.headers.authorization ?? '';
      if (sent === '') {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
        return;
      }
      res.writeHead(401, { 'content-type': 'text/plain' }).end(`bad credentials: ${sent}`);
    });
    server.on('/v2/a/tags/list', (req, res) => {
      if (req.headers.authorization === undefined) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
        return;
      }
      sendJson(res, 401, {
        errors: [{ code: 'UNAUTHORIZED', message: `refused ${req.headers.authorization}` }],
      });
    });
    const key = envHostKey(server.host);
    const env = {
      [`WIT_DEPS_REGISTRY_${key}_USERNAME`]: 'alice',
      [`WIT_DEPS_REGISTRY_${key}_PASSWORD`]: PASSWORD,
    };
    const seen = await outputs(['oci', 'tags', `${server.host}/a`], tempDir(), env);
    for (const text of seen) {
      expect(text).toContain('ERR_REGISTRY_UNAUTHORIZED');
      expect(text).not.toContain(basic);
      expect(text).not.toContain(PASSWORD);
    }
    expect(server.seen.some((s) => s.authorization === `Basic ${basic}`)).toBe(true);
  });

  it('masks an echoed Bearer token and a token field in an error body', async () => {
    server.on('/v2/b/tags/list', (req, res) =>
      sendJson(res, 400, {
        errors: [
          { code: 'DENIED', message: `header ${req.headers.authorization ?? ''}` },
          { code: 'DENIED', message: `{"token":"${TOKEN}"} access_token=${TOKEN}` },
        ],
      }),
    );
    const key = envHostKey(server.host);
    const env = { [`WIT_DEPS_REGISTRY_${key}_TOKEN`]: TOKEN };
    for (const text of await outputs(['oci', 'tags', `${server.host}/b`], tempDir(), env)) {
      expect(text).toContain('DENIED');
      expect(text).not.toContain(TOKEN);
    }
  });
});

describe('credentials typed by the user', () => {
  it('are masked in a reference given to `oci pull`', async () => {
    const cwd = tempDir();
    for (const ref of [
      `alice:${PASSWORD}@127.0.0.1:9/wasi/http:0.2.0`,
      `https://alice:${PASSWORD}@127.0.0.1:9/wasi/http:0.2.0`,
      `${PASSWORD}@127.0.0.1:9/wasi/http:0.2.0`,
    ]) {
      for (const text of await outputs(['oci', 'pull', ref], cwd)) {
        expect(text).toContain('ERR_INVALID_REFERENCE');
        expect(text).not.toContain(PASSWORD);
      }
    }
  });

  it('are masked in a wit.toml [registries] entry', async () => {
    for (const mapping of [
      `"alice:${PASSWORD}@127.0.0.1:9"`,
      `{ oci = "alice:${PASSWORD}@127.0.0.1:9", prefix = "x/" }`,
      `"https://alice:${PASSWORD}@127.0.0.1:9"`,
    ]) {
      const cwd = tempDir();
      writeFileSync(
        join(cwd, 'wit.toml'),
        `[dependencies]\n"acme:pkg" = "1.0.0"\n\n[registries]\nacme = ${mapping}\n`,
      );
      for (const text of await outputs(['install'], cwd)) {
        expect(text).toMatch(/ERR_/);
        expect(text).not.toContain(PASSWORD);
      }
    }
  });
});

describe('echoed input', () => {
  it('is capped: a 5 MiB reference gives a short error, with its length', async () => {
    const huge = `127.0.0.1:9/${'a'.repeat(5 * 1024 * 1024)}:1.0.0!`;
    for (const text of await outputs(['oci', 'pull', huge], tempDir())) {
      expect(text).toContain('ERR_INVALID_REFERENCE');
      expect(text.length).toBeLessThan(8000);
      expect(text).toContain(`(${huge.length} characters)`);
    }
  });
});

describe('redactSecrets', () => {
  it('masks the credential forms and keeps package ids, digests and hints', () => {
    const cases: [string, string][] = [
      ['Authorization: Basic YWxpY2U6cHc=', 'Authorization: Basic <redacted>'],
      ['got bearer abc.def-ghi', 'got bearer <redacted>'],
      ['`https://u:p@ss@host/x`', '`https://<redacted>@host/x`'],
      ['reference `u:pw@host.io/repo:1`', 'reference `<redacted>@host.io/repo:1`'],
      ['auth = "c2VjcmV0"', 'auth = "<redacted>"'],
      ['{"refresh_token":"abc"}', '{"refresh_token":"<redacted>"}'],
      ['registry `u:pw@127.0.0.1:9` is down', 'registry `<redacted>@127.0.0.1:9` is down'],
      ['to u:pw@registry.acme.io.', 'to <redacted>@registry.acme.io.'],
    ];
    for (const [input, output] of cases) expect(redactSecrets(input)).toBe(output);
    for (const kept of [
      'package `wasi:http@0.2.0` needs `wasi:io/streams@0.2.0` (not `wasi:http@0.2` or `a:b@x`)',
      'pin `oci-layout:vendor@sha256:' + 'a'.repeat(64) + '` or `wasi:http@1.0.0-rc.1`',
      'reference `127.0.0.1:5000/wasi/http@sha256:' + '0'.repeat(64) + '`',
      'challenge Bearer realm="https://auth.io/token",service="x"',
      'registry `x` sent a Bearer challenge with no usable realm; Basic auth failed',
      'set `WIT_DEPS_REGISTRY_GHCR_IO_TOKEN` or `--token <t>`',
    ])
      expect(redactSecrets(kept)).toBe(kept);
  });

  it('runs in linear time on hostile input', () => {
    const started = Date.now();
    for (const unit of ['=a', 'a', '@', 'token=', 'a://', '`x', 'Bearer ', 'u:p@h']) {
      safeText(unit.repeat(Math.ceil((2 * 1024 * 1024) / unit.length)));
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('summariseErrorBody', () => {
  it('masks a credential that the 300-character cut would split', () => {
    const body = `${'x'.repeat(280)} alice:${PASSWORD}@registry.acme.io/v2/`;
    expect(summariseErrorBody(body)).not.toContain(PASSWORD.slice(0, 6));
    const json = JSON.stringify({ errors: [{ code: 'X', message: `Bearer ${TOKEN}` }] });
    expect(summariseErrorBody(json)).toBe('X: Bearer <redacted>');
  });
});

describe('credentials in lines that are not errors', () => {
  it('are masked in commander usage errors, which echo what was typed', async () => {
    const io = bufferIo({ cwd: tempDir(), env: {} });
    const code = await main(['install', `--no-such-flag=https://alice:${PASSWORD}@h.io`], io);
    expect(code).toBe(2);
    expect(io.err()).toContain('--no-such-flag');
    expect(io.out() + io.err()).not.toContain(PASSWORD);
  });

  it('are masked in warnings and progress lines (registry Warning headers, retry notes)', () => {
    const io = bufferIo({ cwd: tempDir(), env: {} });
    const ctx = createContext(io, () =>
      decideTerminal(io, { json: false, verbose: false, quiet: false, color: false }),
    );
    ctx.warn(`registry says: Authorization: Bearer ${TOKEN}`);
    ctx.info(`retrying https://alice:${PASSWORD}@h.io/v2/`);
    expect(io.err()).toContain('<redacted>');
    expect(io.err()).not.toContain(TOKEN);
    expect(io.err()).not.toContain(PASSWORD);
  });
});
