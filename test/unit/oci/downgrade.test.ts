/**
 * https registries (served here by undici's MockAgent, since the test registry speaks plain http):
 * a blob redirect or a token realm on plain http is refused with ERR_REGISTRY_INSECURE, and the
 * proxy-free default transport sends https to non-loopback hosts.
 */
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { OciClients } from '../../../src/oci/open.js';

const D = 'sha256:' + 'a'.repeat(64);
let agent: MockAgent;
afterEach(async () => agent?.close());

function clients(): OciClients {
  agent = new MockAgent();
  agent.disableNetConnect();
  return new OciClients({
    dispatcher: agent,
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
  });
}

describe('https downgrade protection', () => {
  it('refuses a blob redirect from https to http', async () => {
    const c = clients();
    agent
      .get('https://reg.example')
      .intercept({ path: `/v2/a/blobs/${D}`, method: 'GET' })
      .reply(307, '', { headers: { location: 'http://cdn.example/blob' } });
    await expect(
      c.registry('reg.example').fetchBlobBytes('a', { digest: D, size: 1 }),
    ).rejects.toMatchObject({ code: 'ERR_REGISTRY_INSECURE' });
  });

  it('refuses a token realm on plain http for an https registry', async () => {
    const c = clients();
    agent
      .get('https://reg.example')
      .intercept({ path: '/v2/a/tags/list', method: 'GET' })
      .reply(401, '', {
        headers: { 'www-authenticate': 'Bearer realm="http://auth.example/token",service="s"' },
      });
    await expect(c.registry('reg.example').listTags('a')).rejects.toMatchObject({
      code: 'ERR_REGISTRY_INSECURE',
    });
  });

  it('refuses a plain-http token realm on another, non-loopback host for a loopback registry', async () => {
    const c = clients();
    agent
      .get('http://127.0.0.1:5000')
      .intercept({ path: '/v2/a/tags/list', method: 'GET' })
      .reply(401, '', {
        headers: { 'www-authenticate': 'Bearer realm="http://auth.example/token",service="s"' },
      });
    const failure = await c
      .registry('127.0.0.1:5000')
      .listTags('a')
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERR_REGISTRY_INSECURE' });
    expect(String((failure as Error).message)).toContain('auth.example');
  });

  it('accepts a plain-http token realm on a host marked insecure', async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    const c = new OciClients({
      dispatcher: agent,
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      insecureRegistries: ['reg.example:5000', 'auth.example'],
    });
    const challenge = { 'www-authenticate': 'Bearer realm="http://auth.example/token"' };
    const reg = agent.get('http://reg.example:5000');
    reg
      .intercept({ path: '/v2/a/tags/list', method: 'GET' })
      .reply(401, '', { headers: challenge });
    agent
      .get('http://auth.example')
      .intercept({ path: /^\/token/, method: 'GET' })
      .reply(200, { token: 't' });
    reg
      .intercept({ path: '/v2/a/tags/list', method: 'GET', headers: { authorization: 'Bearer t' } })
      .reply(200, { tags: ['1.0.0'] });
    expect(await c.registry('reg.example:5000').listTags('a')).toEqual(['1.0.0']);
  });

  it('refuses an upload Location on plain http for an https registry', async () => {
    const c = clients();
    const reg = agent.get('https://reg.example');
    reg.intercept({ path: `/v2/a/blobs/${D}`, method: 'HEAD' }).reply(404, '');
    reg
      .intercept({ path: '/v2/a/blobs/uploads/', method: 'POST' })
      .reply(202, '', { headers: { location: 'http://reg.example/upload/1' } });
    await expect(
      c.registry('reg.example').pushBlob('a', { digest: D, size: 1 }, { bytes: new Uint8Array(1) }),
    ).rejects.toMatchObject({ code: 'ERR_REGISTRY_INSECURE' });
  });

  it('uses plain http for a registry marked insecure', async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    const c = new OciClients({ dispatcher: agent, insecureRegistries: ['reg.example'] });
    agent
      .get('http://reg.example:5000')
      .intercept({ path: '/v2/a/tags/list', method: 'GET' })
      .reply(200, { tags: ['1.0.0'] });
    expect(await c.registry('reg.example:5000').listTags('a')).toEqual(['1.0.0']);
  });
});

describe('Docker Hub', () => {
  it('talks to registry-1.docker.io for docker.io references', async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    const c = new OciClients({ dispatcher: agent });
    agent
      .get('https://registry-1.docker.io')
      .intercept({ path: '/v2/library/x/tags/list', method: 'GET' })
      .reply(200, { tags: ['1'] });
    expect(await c.registry('docker.io').listTags('library/x')).toEqual(['1']);
  });
});
