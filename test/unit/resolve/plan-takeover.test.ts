/**
 * The install plan for folders another tool wrote (no wit-deps marker): one at a wanted name that
 * declares the package being installed is a takeover (written, the app decides adopt or replace),
 * one that declares another package is blocked as before, one under another name that declares a
 * package being installed (a hand-vendored `io/`) is a takeover of another name, and unmarked
 * folders that declare nothing installed are never touched.
 */
import { describe, expect, it } from 'vitest';
import { resolveDependencies, type PackageSource } from '../../../src/resolve/driver.js';
import { emptyLock } from '../../../src/resolve/lock.js';
import { planInstall, type ExistingFolder } from '../../../src/resolve/plan.js';

const digest = `sha256:${'a'.repeat(64)}`;

const source: PackageSource = {
  describePath: () => Promise.reject(new Error('no paths')),
  listTags: () => Promise.resolve(['0.2.3']),
  describe: (name) =>
    Promise.resolve({
      digest,
      dependencies: name === 'wasi:clocks' ? [{ name: 'wasi:io', version: '0.2.3' }] : [],
    }),
};

async function plan(existing: ExistingFolder[]) {
  const graph = await resolveDependencies(
    {
      roots: [
        {
          name: 'wasi:clocks',
          requirement: '=0.2.3',
          origin: { kind: 'wit', label: 'wit/world.wit' },
        },
      ],
      lock: emptyLock(),
      registryOf: () => 'wasi.dev',
    },
    source,
  );
  return planInstall(graph, emptyLock(), existing);
}

describe('takeover candidates', () => {
  it('classifies unmarked folders by the package they declare', async () => {
    const p = await plan([
      { folder: 'wasi-clocks-0.2.3', marker: undefined, defines: 'wasi:clocks@0.2.3' },
      { folder: 'wasi-io-0.2.3', marker: undefined, defines: 'acme:io@0.2.3' },
      { folder: 'config', marker: undefined, defines: 'wasi:config@0.2.0' },
      { folder: 'io-copy', marker: undefined, defines: 'wasi:io@0.2.3' },
      { folder: 'io-old', marker: undefined, defines: 'wasi:io@0.2.0' },
    ]);
    expect(p.takeover.map((t) => [t.folder, t.pkg.id, t.sameName])).toEqual([
      ['wasi-clocks-0.2.3', 'wasi:clocks@0.2.3', true],
      ['io-copy', 'wasi:io@0.2.3', false],
    ]);
    expect(p.blocked.map((b) => b.folder)).toEqual(['wasi-io-0.2.3']);
    expect(p.write.map((w) => w.folder)).toEqual(['wasi-clocks-0.2.3']);
    // the plan itself never removes an unmarked folder: the app does, once it is a copy
    expect(p.remove).toEqual([]);
  });
});
