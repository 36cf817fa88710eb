import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { bufferIo } from '../../../src/cli/io.js';
import { decideTerminal } from '../../../src/cli/terminal.js';
import { VERSION } from '../../../src/version.js';

describe('main', () => {
  it('prints the version and exits 0', async () => {
    const io = bufferIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out().trim()).toBe(`wit-deps ${VERSION}`);
    const short = bufferIo();
    expect(await main(['-V'], short)).toBe(0);
    expect(short.out().trim()).toBe(`wit-deps ${VERSION}`);
  });

  it('under --json with no command prints one usage error and nothing on stderr', async () => {
    const io = bufferIo();
    expect(await main(['--json'], io)).toBe(2);
    const doc = JSON.parse(io.out()) as { error: { code: string; message: string } };
    expect(doc.error).toMatchObject({ code: 'ERR_USAGE', message: 'no command given' });
    expect(io.err()).toBe('');
  });

  it('under --json, a command group without its subcommand names it, and stderr stays empty', async () => {
    for (const [argv, message] of [
      [['--json', 'wit'], '`wit-deps wit` needs a command: print, check, build'],
      [['-q', '--json', 'oci'], '`wit-deps oci` needs a command: pull, push, inspect, blob, tags'],
      [['--json', 'wit', 'print'], "missing required argument 'file'"],
      [['--json', '--bogus'], "unknown option '--bogus'"],
      [['--json', 'frobnicate'], "unknown command 'frobnicate'"],
    ] as const) {
      const io = bufferIo();
      expect(await main([...argv], io)).toBe(2);
      const doc = JSON.parse(io.out()) as { error: { code: string; message: string } };
      expect(doc.error).toMatchObject({ code: 'ERR_USAGE', message });
      expect(io.err()).toBe('');
    }
  });

  it('prints a wit.toml syntax error with its line and a caret', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'wit-deps-toml-'));
    try {
      writeFileSync(join(cwd, 'wit.toml'), '[dependencies\n"wasi:io" = "0.2.0"\n');
      const io = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: join(cwd, 'cache') } });
      expect(await main(['verify'], io)).toBe(1);
      expect(io.err()).toBe(
        [
          'error[ERR_MANIFEST_PARSE]: wit.toml:1:14: the table header `[dependencies` is missing `]`',
          '     --> wit.toml:1:14',
          '      |',
          '    1 | [dependencies',
          '      |              ^',
          'hint: fix the TOML syntax in wit.toml',
          '',
        ].join('\n'),
      );
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("lists the global options in every subcommand's help, and examples under oci and wit", async () => {
    const commands = [
      ['install'],
      ['verify'],
      ['oci'],
      ['oci', 'pull'],
      ['oci', 'push'],
      ['oci', 'inspect'],
      ['oci', 'tags'],
      ['wit'],
      ['wit', 'print'],
      ['wit', 'check'],
      ['wit', 'build'],
    ];
    for (const command of commands) {
      const io = bufferIo();
      expect(await main([...command, '--help'], io)).toBe(0);
      const help = io.out();
      expect(help).toContain('Global Options:');
      expect(help).toMatch(/^ {2}--json +print one JSON document on stdout$/m);
      expect(help).toMatch(/^ {2}-q, --quiet /m);
      expect(help.includes('--chunk-size')).toBe(command.join(' ') === 'oci push');
      if (['oci', 'wit', 'oci pull', 'wit check', 'wit build'].includes(command.join(' ')))
        expect(help).toContain('\nExamples:\n  wit-deps ');
    }
  });

  it('knows the aliases i, rm and up', async () => {
    for (const [alias, name] of [
      ['i', 'install'],
      ['rm', 'remove'],
      ['up', 'update'],
    ] as const) {
      const io = bufferIo();
      expect(await main([alias, '--help'], io)).toBe(0);
      expect(io.out()).toContain(`Usage: wit-deps ${name}|${alias}`);
    }
  });

  it('refuses an empty --cache-dir as a usage error', async () => {
    const io = bufferIo();
    expect(await main(['--json', 'verify', '--cache-dir', ''], io)).toBe(2);
    const doc = JSON.parse(io.out()) as { error: { code: string; message: string } };
    expect(doc.error).toMatchObject({ code: 'ERR_USAGE', message: '--cache-dir is empty' });
  });

  it('keeps VERSION equal to package.json', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });

  it('exits 2 on an unknown command, with the message on stderr', async () => {
    const io = bufferIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.err()).toMatch(/^error: /);
    expect(io.out()).toBe('');
  });

  it('exits 2 on an unknown option and prints a JSON error under --json', async () => {
    const io = bufferIo();
    expect(await main(['--json', '--bogus'], io)).toBe(2);
    const doc = JSON.parse(io.out()) as { error: { code: string; hint: string } };
    expect(doc.error.code).toBe('ERR_USAGE');
    expect(doc.error.hint).toContain('--help');
  });

  it('refuses a --concurrency or WIT_DEPS_CONCURRENCY that is not a whole number >= 1', async () => {
    for (const [argv, env, name] of [
      [['install', '--concurrency', 'x'], {}, '--concurrency'],
      [['install', '--concurrency', '0'], {}, '--concurrency'],
      [['install'], { WIT_DEPS_CONCURRENCY: '-3' }, 'WIT_DEPS_CONCURRENCY'],
    ] as const) {
      const io = bufferIo({ env: { ...env } });
      expect(await main(['--json', ...argv], io)).toBe(2);
      const doc = JSON.parse(io.out()) as { error: { code: string; message: string } };
      expect(doc.error.code).toBe('ERR_USAGE');
      expect(doc.error.message).toMatch(new RegExp(`^${name} must be a whole number`));
    }
  });

  it('ends a human usage error with a hint, like every other error', async () => {
    const io = bufferIo();
    expect(await main(['instal'], io)).toBe(2);
    expect(io.err()).toBe(
      "error: unknown command 'instal'\n(Did you mean install?)\nhint: run `wit-deps --help`, or `wit-deps <command> --help`\n",
    );
  });

  it('prints help on stdout with exit 0', async () => {
    const io = bufferIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/Usage: wit-deps/);
  });

  it('ends the help of each dependency command with examples', async () => {
    for (const command of [
      'init',
      'install',
      'add',
      'remove',
      'update',
      'outdated',
      'tree',
      'verify',
      'vendor',
    ]) {
      const io = bufferIo();
      expect(await main([command, '--help'], io)).toBe(0);
      expect(io.out()).toMatch(new RegExp(`\\nExamples:\\n  wit-deps (--json )?${command}`));
    }
  });
});

describe('terminal policy', () => {
  const tty = { write: () => true, isTTY: true };
  const base = { json: false, verbose: false, quiet: false, color: undefined };

  it('colours a TTY and draws progress', () => {
    const t = decideTerminal({ stdout: tty, stderr: tty, env: {}, cwd: '.' }, base);
    expect(t.color).toBe(true);
    expect(t.progress).toBe(true);
    expect(t.style.red('x')).toBe('\u001b[31mx\u001b[39m');
  });

  it('honours NO_COLOR, CI and --json', () => {
    const noColor = decideTerminal(
      { stdout: tty, stderr: tty, env: { NO_COLOR: '1' }, cwd: '.' },
      base,
    );
    expect(noColor.color).toBe(false);
    const ci = decideTerminal({ stdout: tty, stderr: tty, env: { CI: 'true' }, cwd: '.' }, base);
    expect(ci.color).toBe(false);
    expect(ci.progress).toBe(false);
    const json = decideTerminal(
      { stdout: tty, stderr: tty, env: {}, cwd: '.' },
      { ...base, json: true },
    );
    expect(json.color).toBe(false);
    expect(json.progress).toBe(false);
    expect(json.style.red('x')).toBe('x');
  });

  it('draws no progress bar for TERM=dumb and takes FORCE_COLOR=0 as off', () => {
    const dumb = decideTerminal(
      { stdout: tty, stderr: tty, env: { TERM: 'dumb' }, cwd: '.' },
      base,
    );
    expect(dumb.progress).toBe(false);
    expect(dumb.color).toBe(false);
    const off = decideTerminal(
      { stdout: tty, stderr: tty, env: { FORCE_COLOR: '0' }, cwd: '.' },
      base,
    );
    expect(off.color).toBe(false);
    expect(off.progress).toBe(true);
    const on = decideTerminal(
      { stdout: tty, stderr: tty, env: { FORCE_COLOR: '1', TERM: 'dumb' }, cwd: '.' },
      base,
    );
    expect(on.color).toBe(true);
  });

  it('lets --color force colour off a TTY', () => {
    const t = decideTerminal(
      { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: '.' },
      { ...base, color: true },
    );
    expect(t.color).toBe(true);
  });
});
