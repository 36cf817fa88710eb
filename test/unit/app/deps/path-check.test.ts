import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheReader, DecodedStore } from '../../../../src/app/source/decoded-store.js';
import { checkPathPackages } from '../../../../src/app/deps/path-check.js';
import { PathPackages } from '../../../../src/app/source/path-packages.js';
import { Cache } from '../../../../src/cache/store.js';
import { resolveDependencies } from '../../../../src/resolve/driver.js';
import type { RootDependency } from '../../../../src/resolve/graph.js';
import { emptyLock } from '../../../../src/resolve/lock.js';
import { planInstall } from '../../../../src/resolve/plan.js';
import { tempDir } from '../../../support/temp-project.js';

/** Two path packages, `acme:app` using `acme:money`; resolves and plans them, then checks. */
async function check(appText: string): Promise<void> {
  const root = await tempDir('wit-deps-path-check-');
  await mkdir(join(root, 'money'));
  await writeFile(
    join(root, 'money', 'money.wit'),
    'package acme:money@1.0.0;\n\ninterface types {\n  type amount = u64;\n}\n',
  );
  await writeFile(join(root, 'app.wit'), appText);
  const paths = new PathPackages(root);
  const roots: RootDependency[] = [
    {
      name: 'acme:app',
      requirement: undefined,
      path: 'app.wit',
      origin: { kind: 'manifest', label: 'wit.toml' },
    },
    {
      name: 'acme:money',
      requirement: undefined,
      path: 'money',
      origin: { kind: 'manifest', label: 'wit.toml' },
    },
  ];
  const graph = await resolveDependencies(
    { roots, lock: emptyLock(), registryOf: () => undefined },
    {
      listTags: () => Promise.reject(new Error('no registry')),
      describe: () => Promise.reject(new Error('no registry')),
      describePath: (name, path) => paths.describe(name, path),
    },
  );
  const plan = planInstall(graph, emptyLock(), [], paths.files());
  const cache = new Cache(join(root, 'cache'));
  await checkPathPackages({ graph, plan, paths, packages: new DecodedStore(cacheReader(cache)) });
}

describe('checkPathPackages', () => {
  it('resolves a path package against another path package it uses', async () => {
    await expect(
      check(
        'package acme:app;\n\ninterface bill {\n  use acme:money/types@1.0.0.{amount};\n  total: func() -> amount;\n}\n',
      ),
    ).resolves.toBeUndefined();
  });

  it('fails with the dependency as subject and the diagnostic rendered at its source', async () => {
    const run = check(
      'package acme:app;\n\ninterface bill {\n  use acme:money/types@1.0.0.{price};\n}\n',
    );
    await expect(run).rejects.toMatchObject({
      code: 'ERR_WIT_RESOLVE',
      details: { package: 'acme:app', path: 'app.wit' },
    });
    await expect(run).rejects.toThrow(/^path dependency `acme:app` \(`app.wit`\): /);
    const error = (await run.catch((e: unknown) => e)) as { details: { rendered: string } };
    expect(error.details.rendered).toContain('--> app.wit:4:');
  });

  it('refuses a path package replacing a package at a version other than the one used', async () => {
    const graphWith = (pathVersion: string | undefined) =>
      resolveDependencies(
        {
          roots: [
            {
              name: 'wasi:clocks',
              requirement: '=0.2.3',
              origin: { kind: 'manifest', label: 'wit.toml' },
            },
            {
              name: 'wasi:io',
              requirement: undefined,
              path: 'io.wasm',
              origin: { kind: 'override', label: 'wkg.toml' },
            },
          ],
          lock: emptyLock(),
          registryOf: () => 'wasi.dev',
        },
        {
          listTags: () => Promise.reject(new Error('no tags needed')),
          describe: () =>
            Promise.resolve({
              digest: 'sha256:clocks',
              dependencies: [{ name: 'wasi:io', version: '0.2.3' }],
            }),
          describePath: () =>
            Promise.resolve({ version: pathVersion, digest: 'sha256:io', dependencies: [] }),
        },
      );
    const root = await tempDir('wit-deps-path-check-');
    const input = async (version: string | undefined) => {
      const graph = await graphWith(version);
      const plan = planInstall(graph, emptyLock(), [], new Map([['wasi:io', {}]]));
      const paths = new PathPackages(root);
      const packages = new DecodedStore(cacheReader(new Cache(join(root, 'cache'))));
      return { graph, plan, paths, packages };
    };
    for (const version of ['0.2.0', undefined])
      await expect(checkPathPackages(await input(version))).rejects.toMatchObject({
        code: 'ERR_RESOLVE_CONFLICT',
        message: expect.stringMatching(
          /^path dependency `wasi:io` \(`io.wasm`\) is `wasi:io(@0\.2\.0)?`, but `wasi:clocks@0\.2\.3` uses `wasi:io@0\.2\.3`$/,
        ) as unknown,
      });
    await expect(checkPathPackages(await input('0.2.3'))).resolves.toBeUndefined();
  });
});
