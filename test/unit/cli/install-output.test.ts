/**
 * What `wit-deps install` writes to a terminal and elsewhere, on the offline example
 * (examples/http-app over fixtures/wasi-oci): a progress line on a TTY, erased before the
 * summary or an error; plain lines and no control character at all without a TTY, with CI,
 * --json or --quiet.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { CLEAR_TO_END, type Clock } from '../../../src/cli/render/status-line.js';
import { fakeStream, type FakeStream } from '../../support/fake-terminal.js';
import { exampleProject, tempDir } from '../../support/temp-project.js';

const ERASE = `\r${CLEAR_TO_END}`;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

async function example(): Promise<{ cwd: string; cache: string }> {
  const cwd = await exampleProject({ prefix: 'wit-deps-progress-' });
  return { cwd, cache: await tempDir('wit-deps-progress-cache-') };
}

/** A clock that moves 100 ms at each look, so every update is drawn. */
function steppingClock(): Clock {
  let now = 0;
  return { now: () => (now += 100), setTimer: () => 0, clearTimer: () => undefined };
}

async function run(
  argv: string[],
  opts: { tty: boolean; env?: Record<string, string>; columns?: number },
): Promise<{ code: number; out: FakeStream; err: FakeStream }> {
  const { cwd, cache } = await example();
  const tty = { isTTY: opts.tty, ...(opts.columns === undefined ? {} : { columns: opts.columns }) };
  const out = fakeStream(tty);
  const err = fakeStream(tty);
  const io: CliIo = {
    stdout: out,
    stderr: err,
    env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cache, ...opts.env },
    cwd,
  };
  const code = await main(argv, io, { clock: steppingClock() });
  return { code, out, err };
}

describe('install output', () => {
  it('draws a progress line on a TTY and erases it before the summary', async () => {
    const { code, out, err } = await run(['install'], { tty: true, columns: 60 });
    expect(code).toBe(0);
    expect(out.text()).toMatch(/^7 packages installed, 7 written, wkg.lock updated, 0 requests/);
    expect(CONTROL.test(out.text())).toBe(false);
    const frames = err.writes.slice(0, -1);
    expect(err.writes.at(-1)).toBe(ERASE);
    expect(frames.length).toBeGreaterThan(3);
    for (const frame of frames) {
      expect(frame.startsWith('\r') && frame.endsWith(CLEAR_TO_END)).toBe(true);
      const body = frame.slice(1, -CLEAR_TO_END.length);
      expect(body).toMatch(/^\[[#.]+\] \d+\/\d+ (packages|written)( {2}.*)?$/);
      expect(body.length).toBeLessThan(60);
      expect(body).not.toMatch(CONTROL);
    }
    const texts = frames.map((f) => f.slice(1, -CLEAR_TO_END.length));
    const fetched = texts.filter((t) => t.includes('7/7 packages'));
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched[0]).toMatch(/^\[#{20}\] 7\/7 packages {2}\d+ KB {2}(wasi:|…)[a-z]+@0\.2\.3$/);
    expect(texts.at(-1)).toMatch(/^\[#{20}\] 7\/7 written {2}\d+ KB {2}\S+-0\.2\.3$/);
  });

  it('erases the progress line before an error', async () => {
    const { code, err } = await run(['install', '--locked'], { tty: true, env: { NO_COLOR: '1' } });
    expect(code).toBe(1);
    const text = err.text();
    const at = text.indexOf('error[ERR_LOCKFILE_OUTDATED]');
    expect(at).toBeGreaterThan(0);
    const before = text.slice(0, at);
    expect(before.endsWith(CLEAR_TO_END + ERASE)).toBe(true);
    const lastFrame = before
      .slice(0, -(CLEAR_TO_END + ERASE).length)
      .split('\r')
      .at(-1);
    expect(lastFrame).toMatch(/^\[#{20}\] 7\/7 packages {2}/);
    expect(text.slice(at)).not.toContain('\r');
  });

  const quiet: [string, string[], { tty: boolean; env?: Record<string, string> }][] = [
    ['not a TTY', ['install'], { tty: false }],
    ['CI=1', ['install'], { tty: true, env: { CI: '1' } }],
    ['--json', ['--json', 'install'], { tty: true }],
    ['--quiet', ['--quiet', 'install'], { tty: true }],
  ];
  for (const [name, argv, opts] of quiet)
    it(`writes no control character with ${name}`, async () => {
      const { code, out, err } = await run(argv, opts);
      expect(code).toBe(0);
      expect(out.text().length).toBeGreaterThan(0);
      expect(CONTROL.test(out.text())).toBe(false);
      expect(CONTROL.test(err.text())).toBe(false);
    });

  it('keeps one line per download and per folder without a TTY', async () => {
    const { err } = await run(['install'], { tty: false });
    const lines = err.text().trimEnd().split('\n');
    expect(
      lines.filter((l) => /^downloaded wasi:[a-z]+@0\.2\.3 \(\d+ bytes\)$/.test(l)),
    ).toHaveLength(7);
    expect(lines.filter((l) => /^wrote wasi-[a-z]+-0\.2\.3$/.test(l))).toHaveLength(7);
    expect(lines).toHaveLength(14);
  });
});

describe('interrupting', () => {
  it('erases the progress line as soon as Ctrl-C is pressed', async () => {
    const { cwd, cache } = await example();
    const err = fakeStream({ isTTY: true });
    const controller = new AbortController();
    let abortedAt: number | undefined;
    const stderr = {
      isTTY: true,
      write: (chunk: string) => {
        err.write(chunk);
        // interrupt once the first frame is on screen, as a signal would: from the event loop
        if (abortedAt === undefined && chunk.startsWith('\r[')) {
          abortedAt = -1;
          setImmediate(() => {
            controller.abort(new Error('interrupted'));
            abortedAt = err.writes.length;
          });
        }
        return true;
      },
    };
    const io: CliIo = {
      stdout: fakeStream(),
      stderr,
      env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cache, NO_COLOR: '1' },
      cwd,
      signal: controller.signal,
    };
    const code = await main(['install'], io, { clock: steppingClock() });
    expect(abortedAt).toBeGreaterThan(1);
    // erased by the abort itself, and never drawn again
    expect(err.writes[abortedAt! - 1]).toBe(ERASE);
    expect(err.writes.slice(abortedAt).some((w) => w.startsWith('\r['))).toBe(false);
    // interrupted while fetching: exit 130 and nothing committed
    expect(code).toBe(130);
    await expect(readFile(join(cwd, 'wkg.lock'), 'utf8')).rejects.toThrow();
  });
});
