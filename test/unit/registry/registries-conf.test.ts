import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistriesConf } from '../../../src/registry/registries-conf-io.js';
import {
  insecureHosts,
  mergeEntries,
  mirrorLookup,
  parseMirrorsTable,
  parseRegistriesConf,
} from '../../../src/registry/registries-conf.js';
import { parseManifest } from '../../../src/project/manifest.js';
import { tempDir } from '../../support/temp-project.js';

const CONF = `
unqualified-search-registries = ["docker.io"]
short-name-mode = "enforcing"
[aliases]
"fedora" = "registry.fedoraproject.org/fedora"

[[registry]]
prefix = "example.com/foo"
location = "internal.example.net/bar"
[[registry.mirror]]
location = "mirror-0.local/mirror-for-foo"
[[registry.mirror]]
location = "mirror-1.local:5000/mirrors/foo"
insecure = true
pull-from-mirror = "all"
[[registry.mirror]]
location = "mirror-2.local/foo"
pull-from-mirror = "tag-only"

[[registry]]
location = "example.com"
blocked = true

[[registry]]
prefix = "*.evil.example"
blocked = true

[[registry]]
prefix = "example.com/foo/img:latest"
blocked = true
`;

describe('registries.conf v2', () => {
  const entries = parseRegistriesConf(CONF, 'registries.conf');
  const lookup = mirrorLookup(entries)!;

  it('reads [[registry]] tables, ignores engine-only keys and tag prefixes', () => {
    expect(entries.map((e) => e.prefix)).toEqual([
      'example.com/foo',
      'example.com',
      '*.evil.example',
    ]);
  });

  it('rewrites the longest matching prefix to its location and mirrors, in order', () => {
    expect(lookup('example.com', 'foo/img')).toEqual({
      blocked: false,
      origin: { host: 'internal.example.net', repository: 'bar/img' },
      mirrors: [
        // no pull-from-mirror: digests only (a mirror does not pick what a tag means)
        { host: 'mirror-0.local', repository: 'mirror-for-foo/img', digests: true, tags: false },
        { host: 'mirror-1.local:5000', repository: 'mirrors/foo/img', digests: true, tags: true },
        { host: 'mirror-2.local', repository: 'foo/img', digests: false, tags: true },
      ],
      source: '`[[registry]] prefix = "example.com/foo"` in registries.conf',
    });
  });

  it('matches on path components, and blocks by host or wildcard', () => {
    expect(lookup('example.com', 'foobar/img')?.blocked).toBe(true);
    expect(lookup('a.evil.example', 'x')?.blocked).toBe(true);
    expect(lookup('evil.example', 'x')).toBeUndefined();
    expect(lookup('ghcr.io', 'x')).toBeUndefined();
  });

  it('mirror-by-digest-only makes every mirror digest-only', () => {
    const [entry] = parseRegistriesConf(
      `[[registry]]\nlocation = "a.io"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "all"\n`,
      'f',
    );
    expect(mirrorLookup([entry!])!('a.io', 'x/y')!.mirrors[0]).toMatchObject({ tags: false });
  });

  it('lists the hosts marked insecure', () => {
    expect(insecureHosts(entries)).toEqual(['mirror-1.local:5000']);
  });

  it('refuses invalid values with ERR_CONFIG_INVALID naming the key', () => {
    const bad = (t: string) => () => parseRegistriesConf(t, 'r.conf');
    expect(bad('[[registry]]\nlocation = "https://x.io"\n')).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }) as Error,
    );
    expect(
      bad(
        '[[registry]]\nlocation = "x.io"\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "some"\n',
      ),
    ).toThrow(/registry\[0\]\.mirror\[0\]\.pull-from-mirror/);
    expect(bad('[[registry]]\nblocked = true\n')).toThrow(/neither `prefix` nor `location`/);
    expect(bad('[[registry]]\nlocation = "x.io/Upper"\n')).toThrow(/repository path component/);
  });
});

describe('[mirrors] in wit.toml', () => {
  it('takes a list of locations or a registry table, and beats registries.conf per prefix', () => {
    const manifest = parseManifest(
      `[mirrors]\n"ghcr.io/webassembly" = ["m.local/wasi", { location = "n.local/wasi", insecure = true }]\n"evil.io" = { blocked = true }\n`,
    );
    const project = parseMirrorsTable(manifest.mirrors);
    const conf = parseRegistriesConf(
      '[[registry]]\nprefix = "ghcr.io/webassembly"\nblocked = true\n',
      'c',
    );
    const lookup = mirrorLookup(mergeEntries([conf, project]))!;
    expect(lookup('ghcr.io', 'webassembly/wasi/io')).toMatchObject({
      blocked: false,
      origin: { host: 'ghcr.io', repository: 'webassembly/wasi/io' },
      mirrors: [
        { host: 'm.local', repository: 'wasi/wasi/io' },
        { host: 'n.local', repository: 'wasi/wasi/io' },
      ],
      source: '`[mirrors] "ghcr.io/webassembly"` in wit.toml',
    });
    expect(lookup('evil.io', 'a')?.blocked).toBe(true);
  });

  it('refuses unknown keys with ERR_MANIFEST_INVALID', () => {
    const manifest = parseManifest(`[mirrors]\n"ghcr.io" = { mirrors = ["m.io"] }\n`);
    expect(() => parseMirrorsTable(manifest.mirrors)).toThrow(
      expect.objectContaining({ code: 'ERR_MANIFEST_INVALID' }) as Error,
    );
  });
});

describe('finding registries.conf', () => {
  async function layout(): Promise<{ home: string; system: string }> {
    const root = await tempDir('wit-deps-regconf-');
    const home = join(root, 'home');
    const system = join(root, 'etc');
    const entry = (loc: string, extra = '') => `[[registry]]\nlocation = "${loc}"\n${extra}`;
    const files: Record<string, string> = {
      [join(system, 'registries.conf')]: entry('a.io') + entry('s.io'),
      [join(system, 'registries.conf.d/20-b.conf')]: entry('a.io', 'blocked = true\n'),
      [join(system, 'registries.conf.d/10-a.conf')]: entry('a.io', 'insecure = true\n'),
      [join(system, 'registries.conf.d/30-ignored.txt')]: 'not toml [[',
      [join(home, '.config/containers/registries.conf.d/10-u.conf')]: entry('u.io'),
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, text);
    }
    return { home, system };
  }

  it('reads the system file, then system drop-ins in name order, then user drop-ins', async () => {
    const { home, system } = await layout();
    const entries = await loadRegistriesConf({ HOME: home }, home, system);
    expect(entries.map((e) => [e.prefix, e.blocked, e.insecure])).toEqual([
      ['a.io', true, false], // 20-b.conf replaced 10-a.conf's entry, which replaced the main file's
      ['s.io', false, false],
      ['u.io', false, false],
    ]);
  });

  it('a user registries.conf replaces the system file and its drop-ins', async () => {
    const { home, system } = await layout();
    await writeFile(
      join(home, '.config/containers/registries.conf'),
      '[[registry]]\nlocation = "me.io"\n',
    );
    const entries = await loadRegistriesConf({ HOME: home }, home, system);
    expect(entries.map((e) => e.prefix)).toEqual(['me.io', 'u.io']);
  });

  it('CONTAINERS_REGISTRIES_CONF names the one file read; it must exist', async () => {
    const { home, system } = await layout();
    await writeFile(join(home, 'only.conf'), '[[registry]]\nlocation = "only.io"\n');
    const env = { HOME: home, CONTAINERS_REGISTRIES_CONF: 'only.conf' };
    expect((await loadRegistriesConf(env, home, system)).map((e) => e.prefix)).toEqual(['only.io']);
    await expect(
      loadRegistriesConf({ ...env, CONTAINERS_REGISTRIES_CONF: 'missing.conf' }, home, system),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID' });
  });

  it("reads this machine's real /etc/containers files without error", async () => {
    const home = await tempDir('wit-deps-regconf-home-');
    await expect(loadRegistriesConf({ HOME: home }, home)).resolves.toBeInstanceOf(Array);
  });
});
