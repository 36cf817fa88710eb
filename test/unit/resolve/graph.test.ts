import { describe, expect, it } from 'vitest';
import { WitDepsError } from '../../../src/errors.js';
import {
  resolveDependencies,
  mapBounded,
  type PackageSource,
} from '../../../src/resolve/driver.js';
import {
  resolveGraph,
  type GraphInput,
  type PathFacts,
  type RootDependency,
} from '../../../src/resolve/graph.js';
import { buildLock, emptyLock, type Lock } from '../../../src/resolve/lock.js';
import { planInstall } from '../../../src/resolve/plan.js';
import { latestVersion, selectVersion, versionsOf } from '../../../src/resolve/select.js';
import { parseRequirement } from '../../../src/resolve/requirement.js';

/** An in-memory registry: name -> version -> references; counts what the driver asks. */
function registry(
  packages: Record<string, Record<string, string[]>>,
  paths: Record<string, PathFacts> = {},
): PackageSource & {
  calls: string[];
} {
  const calls: string[] = [];
  return {
    calls,
    describePath(name, path) {
      calls.push(`path ${name} ${path}`);
      const facts = paths[name];
      return facts === undefined ? Promise.reject(new Error(`no ${path}`)) : Promise.resolve(facts);
    },
    listTags(name) {
      calls.push(`tags ${name}`);
      const versions = packages[name];
      if (versions === undefined) return Promise.reject(new Error(`unknown ${name}`));
      return Promise.resolve([...Object.keys(versions), 'latest', 'sha256-abc.sig']);
    },
    describe(name, version) {
      calls.push(`pkg ${name}@${version}`);
      const refs = packages[name]?.[version];
      if (refs === undefined) return Promise.reject(new Error(`unknown ${name}@${version}`));
      return Promise.resolve({
        digest: digestOf(`${name}@${version}`),
        dependencies: refs.map((r) => {
          const [n, v] = r.split('@');
          return { name: n!, version: v! };
        }),
      });
    },
  };
}

function digestOf(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `sha256:${h.toString(16).padStart(64, '0')}`;
}

const WASI = {
  'wasi:io': { '0.2.0': [], '0.2.3': [], '0.3.0-rc-2026-01-06': [] },
  'wasi:clocks': { '0.2.0': ['wasi:io@0.2.0'], '0.2.3': ['wasi:io@0.2.3'] },
  'wasi:http': {
    '0.2.0': ['wasi:io@0.2.0', 'wasi:clocks@0.2.0'],
    '0.2.3': ['wasi:io@0.2.3', 'wasi:clocks@0.2.3'],
    '0.3.0-rc-2026-01-06': ['wasi:io@0.3.0-rc-2026-01-06'],
  },
};

const manifest = (name: string, requirement: string): RootDependency => ({
  name,
  requirement,
  origin: { kind: 'manifest', label: 'wit.toml' },
});

function input(roots: RootDependency[], lock: Lock = emptyLock()): GraphInput {
  return { roots, lock, registryOf: () => 'wasi.dev' };
}

describe('version selection', () => {
  it('picks the highest satisfying semver tag and ignores other tags', () => {
    const tags = ['0.2.0', '0.2.3', '0.2.10', '0.3.0-rc-2026-01-06', 'latest', 'v0.9.0'];
    expect(versionsOf(tags)).toEqual(['0.3.0-rc-2026-01-06', '0.2.10', '0.2.3', '0.2.0']);
    expect(selectVersion(parseRequirement('^0.2'), tags)).toBe('0.2.10');
    expect(selectVersion(parseRequirement('*'), tags)).toBe('0.2.10');
    expect(selectVersion(parseRequirement('0.3.0-rc-2026-01-06'), tags)).toBe(
      '0.3.0-rc-2026-01-06',
    );
    expect(selectVersion(parseRequirement('^0.4'), tags)).toBeUndefined();
    expect(latestVersion(tags)).toBe('0.2.10');
  });
});

describe('resolveDependencies', () => {
  it('follows exact transitive references and lists each package once', async () => {
    const source = registry(WASI);
    const graph = await resolveDependencies(input([manifest('wasi:http', '^0.2')]), source);
    expect(graph.nodes.map((n) => n.id)).toEqual([
      'wasi:clocks@0.2.3',
      'wasi:http@0.2.3',
      'wasi:io@0.2.3',
    ]);
    expect(graph.nodes.find((n) => n.name === 'wasi:http')?.direct).toBe(true);
    expect(graph.nodes.find((n) => n.name === 'wasi:io')?.requiredBy).toEqual([
      { requirement: '=0.2.3', by: { kind: 'package', label: 'wasi:http@0.2.3' } },
      { requirement: '=0.2.3', by: { kind: 'package', label: 'wasi:clocks@0.2.3' } },
    ]);
    // exact transitive requirements need no tag list
    expect(source.calls.filter((c) => c.startsWith('tags'))).toEqual(['tags wasi:http']);
  });

  it('keeps two versions of one package side by side', async () => {
    const roots = [manifest('wasi:http', '=0.2.0'), manifest('wasi:io', '^0.2.3')];
    const graph = await resolveDependencies(input(roots), registry(WASI));
    expect(graph.nodes.map((n) => n.id)).toEqual([
      'wasi:clocks@0.2.0',
      'wasi:http@0.2.0',
      'wasi:io@0.2.0',
      'wasi:io@0.2.3',
    ]);
  });

  it('selects a prerelease only when the range names one', async () => {
    const graph = await resolveDependencies(
      input([manifest('wasi:http', '0.3.0-rc-2026-01-06')]),
      registry(WASI),
    );
    expect(graph.nodes.map((n) => n.id)).toEqual([
      'wasi:http@0.3.0-rc-2026-01-06',
      'wasi:io@0.3.0-rc-2026-01-06',
    ]);
  });

  it('uses a lock entry with the same requirement without listing tags', async () => {
    const lock = buildLock(emptyLock(), [
      {
        name: 'wasi:http',
        registry: 'wasi.dev',
        requirement: '^0.2',
        version: '0.2.0',
        digest: 'sha256:aa',
      },
    ]);
    const source = registry(WASI);
    const graph = await resolveDependencies(input([manifest('wasi:http', '^0.2')], lock), source);
    expect(graph.nodes.find((n) => n.name === 'wasi:http')?.lockedDigest).toBe('sha256:aa');
    expect(graph.nodes.find((n) => n.name === 'wasi:http')?.version).toBe('0.2.0');
    expect(source.calls.some((c) => c.startsWith('tags'))).toBe(false);
    // a changed requirement ignores the entry; `unlock` too
    const other = await resolveDependencies(
      input([manifest('wasi:http', '~0.2.3')], lock),
      registry(WASI),
    );
    expect(other.nodes.find((n) => n.name === 'wasi:http')?.version).toBe('0.2.3');
    const unlocked = await resolveDependencies(
      { ...input([manifest('wasi:http', '^0.2')], lock), unlock: new Set(['wasi:http']) },
      registry(WASI),
    );
    expect(unlocked.nodes.find((n) => n.name === 'wasi:http')?.version).toBe('0.2.3');
  });

  it('names package, requirement, versions and requirer when nothing matches', async () => {
    const run = resolveDependencies(input([manifest('wasi:http', '^0.4')]), registry(WASI));
    await expect(run).rejects.toBeInstanceOf(WitDepsError);
    await expect(run).rejects.toMatchObject({
      code: 'ERR_RESOLVE_NO_MATCH',
      details: {
        kind: 'no-match',
        package: 'wasi:http',
        requirement: '^0.4',
        requiredBy: 'wit.toml',
        origin: 'manifest',
        available: ['0.3.0-rc-2026-01-06', '0.2.3', '0.2.0'],
      },
    });
    await expect(run).rejects.toThrow('`wasi:http` satisfies `^0.4` (required by wit.toml)');
    await expect(run).rejects.toMatchObject({
      hint: expect.stringContaining('change the requirement in wit.toml') as unknown,
    });
  });

  it('derives text and hint from a command-line origin, not from edited text', async () => {
    const root = {
      ...manifest('wasi:http', '^0.4'),
      origin: { kind: 'command-line', label: 'the command line' } as const,
    };
    const run = resolveDependencies(input([root]), registry(WASI));
    await expect(run).rejects.toMatchObject({
      code: 'ERR_RESOLVE_NO_MATCH',
      details: { origin: 'command-line', requiredBy: 'the command line' },
    });
    await expect(run).rejects.toThrow('satisfies `^0.4` (required by the command line)');
    await expect(run).rejects.toMatchObject({
      hint: expect.stringContaining(
        'wit.toml was left as it was; run `wit-deps add wasi:http`',
      ) as unknown,
    });
  });

  it('reports cycles with the chain', async () => {
    const cyclic = { 'a:a': { '1.0.0': ['b:b@1.0.0'] }, 'b:b': { '1.0.0': ['a:a@1.0.0'] } };
    await expect(
      resolveDependencies(input([manifest('a:a', '1')]), registry(cyclic)),
    ).rejects.toThrow('`a:a@1.0.0` -> `b:b@1.0.0` -> `a:a@1.0.0`');
  });

  it('lets a path dependency replace a package and rejects mixed sources at the root', async () => {
    const path: RootDependency = {
      name: 'wasi:io',
      requirement: undefined,
      path: '../io',
      origin: { kind: 'override', label: 'wkg.toml' },
    };
    const io = { version: '0.2.0', digest: 'sha256:10', dependencies: [] };
    const graph = await resolveDependencies(
      input([manifest('wasi:clocks', '=0.2.0'), path]),
      registry(WASI, { 'wasi:io': io }),
    );
    expect(graph.nodes.map((n) => n.id)).toEqual(['wasi:clocks@0.2.0']);
    expect(graph.paths).toEqual([
      {
        id: 'wasi:io@0.2.0',
        name: 'wasi:io',
        version: '0.2.0',
        path: '../io',
        origin: path.origin,
        digest: 'sha256:10',
        dependencies: [],
      },
    ]);
    expect(() =>
      resolveGraph(input([manifest('wasi:io', '1'), path]), {
        tags: new Map(),
        packages: new Map(),
      }),
    ).toThrow(/required both as path `..\/io` \(wkg.toml\) and as `1` \(wit.toml\)/);
  });

  it('asks for every missing fact of a round at once', () => {
    const outcome = resolveGraph(
      input([manifest('wasi:http', '^0.2'), manifest('wasi:io', '=0.2.0')]),
      {
        tags: new Map(),
        packages: new Map(),
      },
    );
    expect(outcome.kind === 'need' && outcome.needs.map((n) => `${n.kind} ${n.name}`)).toEqual([
      'tags wasi:http',
      'package wasi:io',
    ]);
  });

  it('bounds parallel work', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10, 12]);
    expect(peak).toBe(2);
  });

  it('stops starting work at the first failure and settles what is in flight before throwing', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = mapBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('first fails');
      await new Promise((r) => setTimeout(r, 20));
      finished.push(n);
      return n;
    });
    await expect(run).rejects.toThrow('first fails');
    // the sibling in flight (2) finished before the error reached the caller; nothing else began
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([2]);
  });
});

describe('planInstall', () => {
  it('plans writes, keeps, removals, blocked folders and the lock', async () => {
    const graph = await resolveDependencies(
      input([manifest('wasi:http', '^0.2'), manifest('wasi:io', '=0.2.0')]),
      registry(WASI),
    );
    const existing = [
      {
        folder: 'wasi-io-0.2.3',
        marker: { id: 'wasi:io@0.2.3', digest: digestOf('wasi:io@0.2.3') },
      },
      { folder: 'wasi-io-0.1.0', marker: { id: 'wasi:io@0.1.0', digest: 'sha256:00' } },
      { folder: 'wasi-clocks-0.2.3', marker: undefined },
      { folder: 'my-vendored', marker: undefined },
    ];
    const plan = planInstall(graph, emptyLock(), existing);
    expect(plan.write.map((p) => p.folder)).toEqual(['wasi-http-0.2.3', 'wasi-io-0.2.0']);
    expect(plan.remove).toEqual(['wasi-io-0.1.0']);
    expect(plan.blocked.map((p) => p.folder)).toEqual(['wasi-clocks-0.2.3']);
    expect(plan.lockChanged).toBe(true);
    expect(
      plan.lock.packages.map((p) => [
        p.name,
        p.versions.map((v) => `${v.requirement} ${v.version}`),
      ]),
    ).toEqual([
      ['wasi:clocks', ['=0.2.3 0.2.3']],
      ['wasi:http', ['^0.2 0.2.3']],
      ['wasi:io', ['=0.2.0 0.2.0', '=0.2.3 0.2.3']],
    ]);
    const again = planInstall(graph, plan.lock, existing);
    expect(again.lockChanged).toBe(false);
  });

  it('writes again a marked folder whose files were modified', async () => {
    const graph = await resolveDependencies(input([manifest('wasi:io', '=0.2.3')]), registry(WASI));
    const marker = { id: 'wasi:io@0.2.3', digest: digestOf('wasi:io@0.2.3') };
    const plan = planInstall(graph, emptyLock(), [
      { folder: 'wasi-io-0.2.3', marker, modified: true },
    ]);
    expect(plan.write.map((p) => p.folder)).toEqual(['wasi-io-0.2.3']);
  });

  it('keeps the order of versions it read', () => {
    const entry = (requirement: string, version: string) => ({
      name: 'wasi:http',
      registry: 'wasi.dev',
      requirement,
      version,
      digest: `sha256:${version}`,
    });
    const previous: Lock = {
      version: 1,
      packages: [
        {
          name: 'wasi:http',
          registry: 'wasi.dev',
          versions: [entry('=0.3.1', '0.3.1'), entry('=0.3.0', '0.3.0')],
        },
      ],
    };
    const next = buildLock(previous, [
      entry('=0.2.0', '0.2.0'),
      entry('=0.3.0', '0.3.0'),
      entry('=0.3.1', '0.3.1'),
    ]);
    expect(next.packages[0]!.versions.map((v) => v.version)).toEqual(['0.3.1', '0.3.0', '0.2.0']);
  });

  it('sorts packages by namespace then name as separate labels', () => {
    const e = (name: string) => ({
      name,
      registry: 'r',
      requirement: '=1.0.0',
      version: '1.0.0',
      digest: 'sha256:1',
    });
    const lock = buildLock(emptyLock(), [e('wasi-gfx:surface'), e('wasi:webgpu'), e('ba:x')]);
    expect(lock.packages.map((p) => p.name)).toEqual(['ba:x', 'wasi:webgpu', 'wasi-gfx:surface']);
  });
});
