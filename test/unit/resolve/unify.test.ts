/**
 * Version unification: the requirements on one package settle on one version when one satisfies
 * them all (a range in wit.toml plus an exact reference in the project's WIT install one tree,
 * not two), several versions only when none can, and then the duplicates name who requires what.
 */
import { describe, expect, it } from 'vitest';
import { resolveDependencies, type PackageSource } from '../../../src/resolve/driver.js';
import { duplicatePackages } from '../../../src/resolve/duplicates.js';
import type { GraphInput, RootDependency } from '../../../src/resolve/graph.js';
import { buildLock, emptyLock, type Lock } from '../../../src/resolve/lock.js';
import { parseRequirement } from '../../../src/resolve/requirement.js';
import { assignVersions, type Demand } from '../../../src/resolve/unify.js';

type Packages = Record<string, Record<string, string[]>>;

/** An in-memory registry (name -> version -> references) that records what is asked. */
function registry(packages: Packages): PackageSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    describePath: () => Promise.reject(new Error('no paths')),
    listTags(name) {
      calls.push(`tags ${name}`);
      return Promise.resolve(Object.keys(packages[name] ?? {}));
    },
    describe(name, version) {
      calls.push(`pkg ${name}@${version}`);
      const refs = packages[name]?.[version];
      if (refs === undefined) return Promise.reject(new Error(`unknown ${name}@${version}`));
      const dependencies = refs.map((r) => {
        const [n, v] = r.split('@');
        return { name: n!, version: v! };
      });
      return Promise.resolve({ digest: `sha256:${name}@${version}`, dependencies });
    },
  };
}

const WASI: Packages = {
  'wasi:io': { '0.2.0': [], '0.2.3': [], '0.2.12': [] },
  'wasi:clocks': {
    '0.2.0': ['wasi:io@0.2.0'],
    '0.2.3': ['wasi:io@0.2.3'],
    '0.2.12': ['wasi:io@0.2.12'],
  },
  'wasi:http': {
    '0.2.0': ['wasi:io@0.2.0', 'wasi:clocks@0.2.0'],
    '0.2.3': ['wasi:io@0.2.3', 'wasi:clocks@0.2.3'],
    '0.2.12': ['wasi:io@0.2.12', 'wasi:clocks@0.2.12'],
  },
};

const manifest = (name: string, requirement: string): RootDependency => ({
  name,
  requirement,
  origin: { kind: 'manifest', label: 'wit.toml' },
});
const wit = (name: string, version: string): RootDependency => ({
  name,
  requirement: `=${version}`,
  origin: { kind: 'wit', label: 'wit/world.wit' },
});

function input(roots: RootDependency[], lock: Lock = emptyLock()): GraphInput {
  return { roots, lock, registryOf: () => 'wasi.dev' };
}

const demand = (text: string, locked?: string): Demand => ({
  text,
  requirement: parseRequirement(text),
  locked,
});

describe('assignVersions', () => {
  const tags = ['0.2.0', '0.2.3', '0.2.12', '0.3.0'];

  it('settles every requirement on the one version that satisfies them all', () => {
    const a = assignVersions([demand('^0.2'), demand('=0.2.3')], undefined);
    // the exact requirement decides: no tag list is needed
    expect(a).toEqual({
      kind: 'assigned',
      versions: new Map([
        ['^0.2', '0.2.3'],
        ['=0.2.3', '0.2.3'],
      ]),
    });
    expect(assignVersions([demand('^0.2'), demand('~0.2.3')], tags)).toEqual({
      kind: 'assigned',
      versions: new Map([
        ['^0.2', '0.2.12'],
        ['~0.2.3', '0.2.12'],
      ]),
    });
  });

  it('asks for tags only when the locked and pinned versions do not settle it', () => {
    expect(assignVersions([demand('^0.2')], undefined)).toEqual({ kind: 'tags' });
    expect(assignVersions([demand('^0.2', '0.2.3')], undefined)).toEqual({
      kind: 'assigned',
      versions: new Map([['^0.2', '0.2.3']]),
    });
    // a locked version that no longer satisfies its requirement (an edited lock) is not taken
    expect(assignVersions([demand('^0.2', '0.9.0')], undefined)).toEqual({ kind: 'tags' });
  });

  it('prefers a locked version that satisfies every requirement over a higher one', () => {
    const a = assignVersions([demand('^0.2', '0.2.3'), demand('>=0.2.1')], tags);
    expect(a.kind === 'assigned' && [...a.versions.values()]).toEqual(['0.2.3', '0.2.3']);
  });

  it('splits over as few versions as it can when no one version satisfies all', () => {
    const a = assignVersions([demand('=0.2.0'), demand('=0.2.3'), demand('^0.2')], undefined);
    // ^0.2 joins one of the exact versions (the higher one on a tie) instead of adding 0.2.12
    expect(a).toEqual({
      kind: 'assigned',
      versions: new Map([
        ['=0.2.0', '0.2.0'],
        ['=0.2.3', '0.2.3'],
        ['^0.2', '0.2.3'],
      ]),
    });
    const far = assignVersions([demand('=0.2.0'), demand('^0.3')], tags);
    expect(far.kind === 'assigned' && Object.fromEntries(far.versions)).toEqual({
      '=0.2.0': '0.2.0',
      '^0.3': '0.3.0',
    });
  });

  it('leaves out a requirement no version satisfies', () => {
    const a = assignVersions([demand('^0.4'), demand('=0.2.0')], tags);
    expect(a.kind === 'assigned' && Object.fromEntries(a.versions)).toEqual({ '=0.2.0': '0.2.0' });
  });
});

describe('unified resolution', () => {
  it('installs one tree for a range in wit.toml and an exact version in the WIT', async () => {
    const source = registry(WASI);
    const graph = await resolveDependencies(
      input([manifest('wasi:http', '^0.2'), wit('wasi:http', '0.2.3')]),
      source,
    );
    expect(graph.nodes.map((n) => n.id)).toEqual([
      'wasi:clocks@0.2.3',
      'wasi:http@0.2.3',
      'wasi:io@0.2.3',
    ]);
    expect(graph.roots.map((r) => `${r.requirement} ${r.version}`)).toEqual([
      '^0.2 0.2.3',
      '=0.2.3 0.2.3',
    ]);
    // the 0.2.12 tree is never fetched, nor the tag list
    expect(source.calls.filter((c) => c.includes('0.2.12') || c.startsWith('tags'))).toEqual([]);
    expect(duplicatePackages(graph)).toEqual([]);
  });

  it('unifies a range with an exact version another package requires', async () => {
    const source = registry(WASI);
    const graph = await resolveDependencies(
      input([manifest('wasi:io', '^0.2'), manifest('wasi:http', '=0.2.0')]),
      source,
    );
    expect(graph.nodes.map((n) => n.id)).toEqual([
      'wasi:clocks@0.2.0',
      'wasi:http@0.2.0',
      'wasi:io@0.2.0',
    ]);
    expect(source.calls).not.toContain('pkg wasi:io@0.2.12');
  });

  it('moves a locked range when a new exact requirement rules its version out', async () => {
    const lock = buildLock(emptyLock(), [
      {
        name: 'wasi:http',
        registry: 'wasi.dev',
        requirement: '^0.2',
        version: '0.2.12',
        digest: 'sha256:wasi:http@0.2.12',
      },
    ]);
    const graph = await resolveDependencies(
      input([manifest('wasi:http', '^0.2'), wit('wasi:http', '0.2.0')], lock),
      registry(WASI),
    );
    expect(graph.nodes.filter((n) => n.name === 'wasi:http').map((n) => n.version)).toEqual([
      '0.2.0',
    ]);
  });

  it('keeps versions side by side only when no one version can, naming who requires what', async () => {
    const graph = await resolveDependencies(
      input([manifest('wasi:http', '=0.2.0'), manifest('wasi:io', '~0.2.3')]),
      registry(WASI),
    );
    expect(graph.nodes.map((n) => n.id)).toEqual([
      'wasi:clocks@0.2.0',
      'wasi:http@0.2.0',
      'wasi:io@0.2.0',
      'wasi:io@0.2.12',
    ]);
    expect(duplicatePackages(graph)).toEqual([
      {
        name: 'wasi:io',
        versions: [
          { version: '0.2.12', requiredBy: [{ requirement: '~0.2.3', by: 'wit.toml' }] },
          {
            version: '0.2.0',
            requiredBy: [
              { requirement: '=0.2.0', by: 'wasi:http@0.2.0' },
              { requirement: '=0.2.0', by: 'wasi:clocks@0.2.0' },
            ],
          },
        ],
      },
    ]);
  });
});
