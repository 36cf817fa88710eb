/**
 * Token auth edge cases on the fault server: a token rejected as `invalid_token` is replaced once,
 * a token answer with only `access_token` and no `expires_in`, an identity token exchanged with
 * the OAuth2 refresh grant (POST), a realm on another origin, and no third attempt after a
 * second 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciClients } from '../../../src/oci/open.js';
import type { Credential } from '../../../src/oci/auth/credential.js';
import { sendJson, startFaultServer, type FaultServer } from '../../support/fault-server.js';

describe('token auth edge cases', () => {
  let registry: FaultServer;
  let auth: FaultServer;
  beforeAll(async () => {
    registry = await startFaultServer();
    auth = await startFaultServer();
  });
  afterAll(async () => {
    await registry?.stop();
    await auth?.stop();
  });

  function challenge(repo: string, error?: string): Record<string, string> {
    const extra = error === undefined ? '' : `,error="${error}"`;
    return {
      'www-authenticate': `Bearer realm="${auth.url}/token",service="fault",scope="repository:${repo}:pull"${extra}`,
    };
  }

  async function withClient<T>(
    credential: Credential | undefined,
    work: (c: OciClients) => Promise<T>,
  ): Promise<T> {
    const clients = new OciClients({
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      credentials: () => Promise.resolve(credential),
    });
    try {
      return await work(clients);
    } finally {
      await clients.close();
    }
  }

  it('replaces a token the registry calls invalid, once, and caches the new one', async () => {
    let issued = 0;
    auth.on('/token', (_req, res) => sendJson(res, 200, { access_token: `tok-${++issued}` }));
    registry.on('/v2/a/tags/list', (req, res) => {
      if (req.headers.authorization === 'Bearer tok-2')
        return sendJson(res, 200, { tags: ['1.0.0'] });
      sendJson(
        res,
        401,
        { errors: [{ code: 'UNAUTHORIZED' }] },
        challenge('a', req.headers.authorization ? 'invalid_token' : undefined),
      );
    });
    await withClient(undefined, async (clients) => {
      const client = clients.registry(registry.host);
      await expect(client.listTags('a')).rejects.toMatchObject({
        code: 'ERR_REGISTRY_UNAUTHORIZED',
      }); // tok-1 refused: no third try
      expect(await client.listTags('a')).toEqual(['1.0.0']); // fresh tok-2 after the next 401
      expect(await client.listTags('a')).toEqual(['1.0.0']);
      expect(issued).toBe(2);
    });
  });

  it('exchanges an identity token with the refresh grant and sends Basic to the realm for passwords', async () => {
    const bodies: string[] = [];
    auth.on('/token2', (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(`${req.method} ${req.headers.authorization ?? ''} ${body}`);
        sendJson(res, 200, { token: 'exchanged', expires_in: 300 });
      });
    });
    registry.on('/v2/b/tags/list', (req, res) => {
      if (req.headers.authorization === 'Bearer exchanged')
        return sendJson(res, 200, { tags: ['2.0.0'] });
      sendJson(
        res,
        401,
        {},
        {
          'www-authenticate': `Bearer realm="${auth.url}/token2",service="fault",scope="repository:b:pull"`,
        },
      );
    });
    await withClient({ kind: 'identity', token: 'refresh-123' }, async (clients) => {
      expect(await clients.registry(registry.host).listTags('b')).toEqual(['2.0.0']);
    });
    expect(bodies[0]).toMatch(/^POST {2}.*grant_type=refresh_token&refresh_token=refresh-123/);
    await withClient({ kind: 'basic', username: 'u', password: 'p' }, async (clients) => {
      expect(await clients.registry(registry.host).listTags('b')).toEqual(['2.0.0']);
    });
    expect(bodies[1]).toBe(`GET Basic ${Buffer.from('u:p').toString('base64')} `);
    const tokenGet = auth.seen.find((r) => r.method === 'GET' && r.path.startsWith('/token2'));
    expect(tokenGet?.path).toContain('scope=repository%3Ab%3Apull');
    expect(tokenGet?.path).toContain('service=fault');
  });

  it('sends a static bearer token as is and does not fetch tokens for it', async () => {
    registry.on('/v2/c/tags/list', (req, res) => {
      if (req.headers.authorization === 'Bearer static-t') return sendJson(res, 200, { tags: [] });
      sendJson(res, 401, {}, challenge('c'));
    });
    const before = auth.seen.length;
    await withClient({ kind: 'bearer', token: 'static-t' }, async (clients) => {
      expect(await clients.registry(registry.host).listTags('c')).toEqual([]);
    });
    expect(auth.seen.length).toBe(before);
  });

  it('refuses token answers that are JSON but not an object, or carry an unsendable token', async () => {
    const answers: unknown[] = [null, [1], { token: 'a\r\nx-injected: 1' }];
    for (const [i, answer] of answers.entries()) {
      auth.on(`/token-odd${i}`, (_req, res) => sendJson(res, 200, answer));
      registry.on(`/v2/odd${i}/tags/list`, (_req, res) =>
        sendJson(
          res,
          401,
          {},
          {
            'www-authenticate': `Bearer realm="${auth.url}/token-odd${i}",service="fault"`,
          },
        ),
      );
      await withClient(undefined, async (clients) => {
        await expect(clients.registry(registry.host).listTags(`odd${i}`)).rejects.toMatchObject({
          code: 'ERR_REGISTRY_RESPONSE',
        });
      });
    }
  });

  it('refuses a tag list that is JSON but not an object', async () => {
    registry.on('/v2/nulltags/tags/list', (_req, res) => sendJson(res, 200, null));
    await withClient(undefined, async (clients) => {
      await expect(clients.registry(registry.host).listTags('nulltags')).rejects.toMatchObject({
        code: 'ERR_REGISTRY_RESPONSE',
      });
    });
  });

  it('sends no Authorization to a tag-list page on another origin', async () => {
    const basic = `Basic ${Buffer.from('u:tags-s3cret').toString('base64')}`;
    registry.on('/v2/linked/tags/list', (req, res) => {
      if (req.headers.authorization !== basic)
        return sendJson(res, 401, {}, { 'www-authenticate': 'Basic realm="r"' });
      sendJson(
        res,
        200,
        { tags: ['1.0.0'] },
        { link: `<${auth.url}/v2/linked/tags/list?last=1.0.0>; rel="next"` },
      );
    });
    auth.on('/v2/linked/tags/list', (_req, res) => sendJson(res, 200, { tags: ['2.0.0'] }));
    await withClient({ kind: 'basic', username: 'u', password: 'tags-s3cret' }, async (clients) => {
      expect(await clients.registry(registry.host).listTags('linked')).toEqual(['1.0.0', '2.0.0']);
    });
    const page = auth.seen.find((r) => r.path.startsWith('/v2/linked/tags/list'));
    expect(page?.authorization).toBeUndefined();
  });
});
