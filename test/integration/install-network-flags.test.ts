/**
 * The registry knobs of `wit-deps oci` also apply to install and friends (DESIGN.md: every network
 * knob has a flag and an env variable): `--retries` is honoured by the registry client, and a bad
 * value is a usage error before anything runs.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { sendJson, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { tempDir } from '../support/temp-project.js';

describe('network flags of install', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
    server.on('/v2/wasi/http/tags/list', (_req, res) => sendJson(res, 503, { errors: [] }));
  });
  afterAll(async () => server?.stop());

  async function project(): Promise<{ cwd: string; env: Record<string, string> }> {
    const cwd = await tempDir('wit-deps-netflags-');
    await writeFile(
      join(cwd, 'wit.toml'),
      `[dependencies]\n"wasi:http" = "0.2.0"\n\n[registries]\nwasi = { oci = "${server.host}" }\n`,
    );
    const cache = await tempDir('wit-deps-netflags-cache-');
    return { cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cache } };
  }

  const tagRequests = (): number =>
    server.seen.filter((r) => r.path === '/v2/wasi/http/tags/list').length;

  it('--retries bounds the attempts, over WIT_DEPS_RETRIES', async () => {
    const { cwd, env } = await project();
    const before = tagRequests();
    const io = bufferIo({ cwd, env: { ...env, WIT_DEPS_RETRIES: '2' } });
    expect(await main(['--json', 'install', '--retries', '0'], io)).toBe(1);
    expect(tagRequests() - before).toBe(1);
    const again = tagRequests();
    const io2 = bufferIo({ cwd, env: { ...env, WIT_DEPS_RETRIES: '1' } });
    expect(await main(['--json', 'install'], io2)).toBe(1);
    expect(tagRequests() - again).toBe(2);
  }, 30_000);

  it('refuses a bad --timeout before reading the project', async () => {
    const { cwd, env } = await project();
    const io = bufferIo({ cwd, env });
    expect(await main(['--json', 'tree', '--timeout', 'soon'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({
      error: { code: 'ERR_USAGE', message: expect.stringContaining('--timeout') as unknown },
    });
  });
});
