/**
 * What a user sees while an install waits on the network (docs/install.md, "Progress"): on a
 * terminal a first line (`resolving wasi:http from <host>…`) as soon as the first request starts,
 * before any answer; retries and timeouts as they happen; with `-v` one line per request (method,
 * URL without query, status, ms). Against the fault server: a silent one, one answering 503 first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { fakeStream, type FakeStream } from '../support/fake-terminal.js';
import { sendJson, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { tempDir, tempProject, witToml } from '../support/temp-project.js';

let server: FaultServer;
const TAGS = '/v2/wasi/http/tags/list';

beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.stop();
});

async function run(
  argv: string[],
  opts: { tty: boolean; abortAfterRequest?: boolean },
): Promise<{ code: number; err: FakeStream; firstFrameAt?: number; requestAt?: number }> {
  const toml = witToml('"wasi:http" = "0.2.3"', { oci: server.host, prefix: '' });
  const cwd = await tempProject({ prefix: 'wit-deps-netlines-', witToml: toml });
  const cache = await tempDir('wit-deps-netlines-cache-');
  const err = fakeStream({ isTTY: opts.tty, columns: 120 });
  const result: { firstFrameAt?: number; requestAt?: number } = {};
  const write = err.write.bind(err);
  err.write = (chunk: string) => {
    if (result.firstFrameAt === undefined && chunk.includes('resolving'))
      result.firstFrameAt = performance.now();
    return write(chunk);
  };
  const controller = new AbortController();
  const before = server.seen.length;
  const watch = setInterval(() => {
    if (server.seen.length <= before) return;
    result.requestAt ??= performance.now();
    if (opts.abortAfterRequest === true) controller.abort(new Error('interrupted'));
  }, 5);
  const io: CliIo = {
    stdout: fakeStream(),
    stderr: err,
    env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cache },
    cwd,
    signal: controller.signal,
  };
  try {
    const code = await main(argv, io);
    return { code, err, ...result };
  } finally {
    clearInterval(watch);
  }
}

describe('network lines', () => {
  it('draws `resolving … from <host>…` on a terminal before the first request is answered', async () => {
    server.on(TAGS, () => undefined); // never answers
    const started = performance.now();
    const { code, err, firstFrameAt, requestAt } = await run(['install'], {
      tty: true,
      abortAfterRequest: true,
    });
    expect(code).toBe(130);
    expect(err.text()).toContain(`resolving wasi:http from ${server.host}…`);
    expect(firstFrameAt).toBeDefined();
    expect(requestAt).toBeDefined();
    // drawn before the registry has even received the request (so before any answer)
    expect(firstFrameAt!).toBeLessThanOrEqual(requestAt!);
    console.log(`first line after ${Math.round(firstFrameAt! - started)} ms`);
  });

  it('prints a retry as it happens, and each request with -v', async () => {
    let hits = 0;
    server.on(TAGS, (_req, res) =>
      ++hits === 1
        ? sendJson(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'busy' }] })
        : sendJson(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'no such repo' }] }),
    );
    const { code, err } = await run(['install', '-v', '--retries', '1'], { tty: false });
    expect(code).toBe(1);
    const text = err.text();
    expect(text).toMatch(
      new RegExp(`retrying tag list[^\\n]* in \\d+ ms \\(HTTP 503, attempt 1\\)`),
    );
    expect(text).toMatch(new RegExp(`GET http://${server.host}${TAGS}(\\?…)? 503 \\d+ ms`));
    expect(text).toMatch(new RegExp(`GET http://${server.host}${TAGS}(\\?…)? 404 \\d+ ms`));
  });

  it('prints a timeout as it happens, and nothing per request without -v', async () => {
    let hits = 0;
    server.on(TAGS, (_req, res) => {
      hits++;
      if (hits > 1) sendJson(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'no' }] });
    });
    const { code, err } = await run(['install', '--timeout', '1', '--retries', '1'], {
      tty: false,
    });
    expect(code).toBe(1);
    expect(err.text()).toMatch(/retrying tag list[^\n]* \(timed out, attempt 1\)/);
    expect(err.text()).not.toMatch(/GET http/);
  });
});
