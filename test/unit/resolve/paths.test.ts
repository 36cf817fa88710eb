import { describe, expect, it } from 'vitest';
import { resolveDependencies, type PackageSource } from '../../../src/resolve/driver.js';
import {
  resolveGraph,
  type GraphInput,
  type PathFacts,
  type RootDependency,
} from '../../../src/resolve/graph.js';
import { emptyLock } from '../../../src/resolve/lock.js';
import { planInstall } from '../../../src/resolve/plan.js';

/** name -> version -> references ("ns:name@version"), plus path packages by name. */
function source(
  packages: Record<string, Record<string, string[]>>,
  paths: Record<string, PathFacts>,
): PackageSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    listTags(name) {
      calls.push(`tags ${name}`);
      return Promise.resolve(Object.keys(packages[name] ?? {}));
    },
    describe(name, version) {
      calls.push(`pkg ${name}@${version}`);
      const refs = packages[name]?.[version];
      if (refs === undefined) return Promise.reject(new Error(`unknown ${name}@${version}`));
      return Promise.resolve({
        digest: `sha256:${name}@${version}`,
        dependencies: refs.map((r) => ({ name: r.split('@')[0]!, version: r.split('@')[1]! })),
      });
    },
    describePath(name, path) {
      calls.push(`path ${name} ${path}`);
      const facts = paths[name];
      return facts === undefined ? Promise.reject(new Error(`no ${path}`)) : Promise.resolve(facts);
    },
  };
}

const REGISTRY = {
  'wasi:io': { '0.2.0': [], '0.2.3': [] },
  'wasi:clocks': { '0.2.0': ['wasi:io@0.2.0'], '0.2.3': ['wasi:io@0.2.3'] },
};

const pathRoot = (name: string, path: string): RootDependency => ({
  name,
  requirement: undefined,
  path,
  origin: { kind: 'manifest', label: 'wit.toml' },
});

const facts = (
  version: string | undefined,
  dependencies: Record<string, string> = {},
  digest = 'sha256:src',
): PathFacts => ({
  version,
  digest,
  dependencies: Object.entries(dependencies).map(([name, requirement]) => ({ name, requirement })),
});

function input(roots: RootDependency[]): GraphInput {
  return { roots, lock: emptyLock(), registryOf: () => 'wasi.dev' };
}

describe('path dependencies in the resolver', () => {
  it('asks for path packages in the first round, with the other roots', () => {
    const outcome = resolveGraph(
      input([
        pathRoot('acme:billing', '../billing/wit'),
        { name: 'wasi:io', requirement: '^0.2', origin: { kind: 'manifest', label: 'wit.toml' } },
      ]),
      { tags: new Map(), packages: new Map() },
    );
    expect(outcome.kind === 'need' && outcome.needs.map((n) => [n.kind, n.name, n.path])).toEqual([
      ['path', 'acme:billing', '../billing/wit'],
      ['tags', 'wasi:io', undefined],
    ]);
  });

  it('follows a path package references as transitive registry requirements', async () => {
    const src = source(REGISTRY, {
      'acme:billing': facts('0.1.0', { 'wasi:clocks': '=0.2.3', 'wasi:io': '*' }),
    });
    const graph = await resolveDependencies(input([pathRoot('acme:billing', '../b')]), src);
    expect(graph.nodes.map((n) => [n.id, n.direct])).toEqual([
      ['wasi:clocks@0.2.3', false],
      ['wasi:io@0.2.3', false],
    ]);
    expect(graph.nodes[0]!.requiredBy[0]!.by).toEqual({
      kind: 'package',
      label: 'acme:billing@0.1.0 (path `../b`)',
    });
    expect(graph.paths.map((p) => [p.id, p.dependencies])).toEqual([
      ['acme:billing@0.1.0', ['wasi:clocks@0.2.3', 'wasi:io@0.2.3']],
    ]);
    expect(graph.roots).toEqual([]);
    expect(src.calls).toContain('tags wasi:io');
    expect(src.calls).not.toContain('tags wasi:clocks'); // `=0.2.3` needs no tag list
  });

  it('replaces a registry package everywhere, also as a reference of registry packages', async () => {
    const src = source(REGISTRY, {
      'wasi:io': facts(undefined),
      'acme:billing': facts('1.0.0', { 'wasi:clocks': '=0.2.0', 'wasi:io': '=0.2.0' }),
    });
    const graph = await resolveDependencies(
      input([pathRoot('acme:billing', 'b'), pathRoot('wasi:io', 'io')]),
      src,
    );
    expect(graph.nodes.map((n) => n.id)).toEqual(['wasi:clocks@0.2.0']);
    expect(graph.paths.map((p) => [p.id, p.dependencies])).toEqual([
      ['acme:billing@1.0.0', ['wasi:clocks@0.2.0', 'wasi:io']],
      ['wasi:io', []],
    ]);
    expect(src.calls.filter((c) => c.startsWith('pkg'))).toEqual(['pkg wasi:clocks@0.2.0']);
  });

  it('reports a cycle that runs through path packages', async () => {
    const run = resolveDependencies(
      input([pathRoot('a:a', 'a'), pathRoot('b:b', 'b')]),
      source(
        {},
        { 'a:a': facts('1.0.0', { 'b:b': '=1.0.0' }), 'b:b': facts('1.0.0', { 'a:a': '*' }) },
      ),
    );
    await expect(run).rejects.toMatchObject({
      code: 'ERR_RESOLVE_CYCLE',
      details: { cycle: ['a:a@1.0.0', 'b:b@1.0.0', 'a:a@1.0.0'] },
    });
    const viaRegistry = resolveDependencies(
      input([pathRoot('wasi:io', 'io')]),
      source(REGISTRY, { 'wasi:io': facts('0.2.0', { 'wasi:clocks': '=0.2.0' }) }),
    );
    await expect(viaRegistry).rejects.toThrow(
      '`wasi:clocks@0.2.0` -> `wasi:io@0.2.0` -> `wasi:clocks@0.2.0`',
    );
  });
});

describe('path dependencies in the install plan', () => {
  const files = new Map([['acme:billing', { 'billing.wit': 'package acme:billing@0.1.0;\n' }]]);

  async function graphWith(digest: string) {
    return resolveDependencies(
      input([pathRoot('acme:billing', 'b')]),
      source(REGISTRY, { 'acme:billing': facts('0.1.0', { 'wasi:io': '=0.2.0' }, digest) }),
    );
  }

  it('writes the path folder with its files, never fetches or locks it', async () => {
    const plan = planInstall(await graphWith('sha256:one'), emptyLock(), [], files);
    expect(plan.write.map((p) => [p.folder, p.files])).toEqual([
      ['wasi-io-0.2.0', undefined],
      ['acme-billing-0.1.0', { 'billing.wit': 'package acme:billing@0.1.0;\n' }],
    ]);
    expect(plan.lock.packages.map((p) => p.name)).toEqual(['wasi:io']);
  });

  it('keeps the folder while the source digest is the same, rewrites it when it changes', async () => {
    const existing = [
      { folder: 'acme-billing-0.1.0', marker: { id: 'acme:billing@0.1.0', digest: 'sha256:one' } },
      { folder: 'wasi-io-0.2.0', marker: { id: 'wasi:io@0.2.0', digest: 'sha256:wasi:io@0.2.0' } },
    ];
    const same = planInstall(await graphWith('sha256:one'), emptyLock(), existing, files);
    expect(same.write).toEqual([]);
    expect(same.remove).toEqual([]);
    const changed = planInstall(await graphWith('sha256:two'), emptyLock(), existing, files);
    expect(changed.write.map((p) => p.folder)).toEqual(['acme-billing-0.1.0']);
  });
});
