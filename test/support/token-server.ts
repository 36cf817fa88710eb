/**
 * A small token server for distribution's token auth (docs/spec/auth/token.md), for tests:
 * `GET /token?service=&scope=...` with optional Basic credentials returns an ES256 JWT whose
 * header carries the signing certificate in `x5c`. Known users get every requested action;
 * anonymous callers get `pull` only. The key and certificate (with `keyUsage digitalSignature`,
 * which distribution checks) are made with openssl at start.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  /** Every token request seen (path + query and whether Basic credentials came with it). */
  requests: { url: string; user: string | undefined }[];
  stop(): Promise<void>;
}

const b64u = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

function makeKeyPair(dir: string): { key: KeyObject; certB64: string; certPath: string } {
  const keyPath = join(dir, 'token-key.pem');
  const certPath = join(dir, 'token-cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '30',
      '-subj',
      '/CN=wit-deps-test-issuer',
      '-addext',
      'keyUsage=critical,digitalSignature',
    ],
    { stdio: 'ignore' },
  );
  const certB64 = readFileSync(certPath, 'utf8')
    .replace(/-----[^-]+-----/g, '')
    .replace(/\s+/g, '');
  return { key: createPrivateKey(readFileSync(keyPath)), certB64, certPath };
}

function parseScopes(
  url: URL,
  granted: boolean,
): { type: string; name: string; actions: string[] }[] {
  return url.searchParams
    .getAll('scope')
    .flatMap((s) => s.split(' '))
    .filter(Boolean)
    .map((s) => {
      const first = s.indexOf(':');
      const last = s.lastIndexOf(':');
      const actions = s.slice(last + 1).split(',');
      return {
        type: s.slice(0, first),
        name: s.slice(first + 1, last),
        actions: actions.filter((a) => granted || a === 'pull'),
      };
    });
}

/** Starts a token server on 127.0.0.1:0 for `users` (name → password). */
export async function startTokenServer(
  dir: string,
  users: Record<string, string>,
  ttlSeconds = 300,
): Promise<TokenServer> {
  const { key, certB64, certPath } = makeKeyPair(dir);
  const issuer = 'wit-deps-test-issuer';
  const service = 'wit-deps-test-registry';
  const requests: TokenServer['requests'] = [];
  const signToken = (claims: object): string => {
    const input = `${b64u(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [certB64] }))}.${b64u(JSON.stringify(claims))}`;
    return `${input}.${b64u(sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }))}`;
  };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = req.headers.authorization ?? '';
    let user: string | undefined;
    if (auth.startsWith('Basic ')) {
      const [name = '', pass] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
      if (users[name] !== pass) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"details":"incorrect username or password"}');
        return;
      }
      user = name;
    }
    requests.push({ url: req.url ?? '', user });
    const now = Math.floor(Date.now() / 1000);
    const token = signToken({
      iss: issuer,
      sub: user ?? '',
      aud: url.searchParams.get('service'),
      exp: now + ttlSeconds,
      nbf: now - 1,
      iat: now,
      jti: randomUUID(),
      access: parseScopes(url, user !== undefined),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        token,
        expires_in: ttlSeconds,
        issued_at: new Date(now * 1000).toISOString(),
      }),
    );
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
