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
