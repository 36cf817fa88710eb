/**
 * A real headless Chromium (Debian's `chromium`) driven over the DevTools protocol, for tests that
 * run code in a web page: launched on `--remote-debugging-port=0` with a temporary profile, one
 * page target, `Page.navigate` and `Runtime.evaluate` over a WebSocket (undici's client).
 *
 * The binary: `$WIT_DEPS_TEST_CHROMIUM`, else `chromium`, `chromium-browser` or `google-chrome`
 * on PATH. `.ci/run` installs Debian's `chromium`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { WebSocket } from 'undici';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

/** The Chromium binary to use, or undefined when none is installed. */
export function findChromium(env = process.env): string | undefined {
  if (env['WIT_DEPS_TEST_CHROMIUM'] !== undefined) return env['WIT_DEPS_TEST_CHROMIUM'];
  for (const dir of (env['PATH'] ?? '').split(delimiter))
    for (const name of NAMES) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  return undefined;
}

interface CdpMessage {
  id?: number;
  method?: string;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/** One page of a running Chromium. */
export interface ChromiumPage {
  /** Opens `url` and waits for its load event. */
  goto(url: string): Promise<void>;
  /** Evaluates `expression` (awaited when it is a promise) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Exceptions and console errors the page reported. */
  errors: string[];
  close(): Promise<void>;
}

/** The `ws://` URL Chromium prints on stderr once it listens. */
function devtoolsUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`chromium did not start in ${timeoutMs} ms:\n${seen}`)),
      timeoutMs,
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited (${code}) before listening:\n${seen}`));
    });
  });
}

/** A CDP connection: `send` returns the result of one command; events go to `on`. */
class Cdp {
  private next = 1;
  private readonly pending = new Map<number, (m: CdpMessage) => void>();
  private readonly listeners: ((m: CdpMessage) => void)[] = [];

  constructor(private readonly ws: WebSocket) {
    ws.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as CdpMessage;
      if (message.id !== undefined) this.pending.get(message.id)?.(message);
      else for (const l of this.listeners) l(message);
    });
    // a closed connection answers every pending command with an error
    ws.addEventListener('close', () => {
      for (const answer of [...this.pending.values()])
        answer({ error: { message: 'connection closed' } });
    });
  }

  static async open(url: string): Promise<Cdp> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve());
      ws.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)));
    });
    return new Cdp(ws);
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (m) => {
        this.pending.delete(id);
        if (m.error !== undefined) reject(new Error(`${method}: ${m.error.message}`));
        else resolve(m.result ?? {});
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  on(listener: (m: CdpMessage) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.ws.close();
  }
}

/** The first page target's DevTools WebSocket URL. */
async function pageUrl(browserUrl: string): Promise<string> {
  const http = browserUrl.replace(/^ws:/, 'http:').replace(/\/devtools\/.*$/, '');
  const list = (await (await fetch(`${http}/json/list`)).json()) as {
    type: string;
    webSocketDebuggerUrl: string;
  }[];
  const page = list.find((t) => t.type === 'page');
  if (page === undefined) throw new Error('chromium has no page target');
  return page.webSocketDebuggerUrl;
}

function waitExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Starts headless Chromium and connects to its page. */
export async function launchChromium(binary: string): Promise<ChromiumPage> {
  const profile = await mkdtemp(join(tmpdir(), 'wit-deps-chromium-'));
  const args = [
    '--headless=new',
    '--remote-debugging-port=0',
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-gpu',
    '--disable-extensions',
    '--disable-background-networking',
    '--disable-dev-shm-usage',
    // the sandbox cannot start as root (CI containers)
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    'about:blank',
  ];
  // its own temp files (`org.chromium.Chromium.*`) go inside the profile, removed with it
  const temp = join(profile, 'tmp');
  await mkdir(temp);
  const child = spawn(binary, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TMPDIR: temp },
  });
  const removeProfile = (): Promise<void> =>
    rm(profile, { recursive: true, force: true, maxRetries: 5 });
  let browser: Cdp | undefined;
  let cdp: Cdp | undefined;
  try {
    const url = await devtoolsUrl(child, 30_000);
    browser = await Cdp.open(url);
    cdp = await Cdp.open(await pageUrl(url));
  } catch (error) {
    browser?.close();
    child.kill('SIGKILL');
    await waitExit(child, 5_000);
    await removeProfile();
    throw error;
  }
  const open = { browser, page: cdp };
  return pageOf(cdp, async () => {
    open.page.close();
    // Browser.close shuts the renderer and helper processes down before the browser exits
    const closing = open.browser.send('Browser.close').catch(() => undefined);
    await Promise.race([closing, new Promise((ok) => setTimeout(ok, 5_000))]);
    open.browser.close();
    await waitExit(child, 10_000);
    await removeProfile();
  });
}

function pageOf(cdp: Cdp, close: () => Promise<void>): ChromiumPage {
  const errors: string[] = [];
  cdp.on((m) => {
    const p = (m as { params?: Record<string, unknown> }).params;
    if (m.method === 'Runtime.exceptionThrown')
      errors.push(JSON.stringify(p?.['exceptionDetails']));
    if (m.method === 'Runtime.consoleAPICalled' && p?.['type'] === 'error')
      errors.push(JSON.stringify(p['args']));
  });
  return {
    errors,
    async goto(url) {
      await cdp.send('Page.enable');
      await cdp.send('Runtime.enable');
      const loaded = new Promise<void>((resolve) =>
        cdp.on((m) => m.method === 'Page.loadEventFired' && resolve()),
      );
      await cdp.send('Page.navigate', { url });
      await loaded;
    },
    async evaluate<T>(expression: string) {
      const out = await cdp.send('Runtime.evaluate', {
        expression,
        awaitPromise: true,
        returnByValue: true,
      });
      const thrown = out['exceptionDetails'] as
        { exception?: { description?: string } } | undefined;
      if (thrown !== undefined)
        throw new Error(`page threw: ${thrown.exception?.description ?? JSON.stringify(thrown)}`);
      return (out['result'] as { value: T }).value;
    },
    close,
  };
}
