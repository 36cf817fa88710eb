import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withProject } from '../../../../src/app/project/project-handle.js';
import { HostPolicy } from '../../../../src/app/source/host-settings.js';
import { PROJECT_MUTEX_FILE } from '../../../../src/project/project-mutex-io.js';
import { emptyConfig } from '../../../../src/registry/config.js';
import { isWitDepsError } from '../../../../src/errors.js';
import { tempDir } from '../../../support/temp-project.js';

async function project(): Promise<string> {
  const root = await tempDir();
  await writeFile(join(root, 'wit.toml'), '[dependencies]\n"wasi:io" = "0.2.0"\n');
  await mkdir(join(root, 'wit'));
  return root;
}

describe('withProject', () => {
  it('takes the lock at the project root when the command runs in a subfolder', async () => {
    const root = await project();
    const sub = join(root, 'wit');
    await withProject({ cwd: sub, env: {} }, { mode: 'write' }, async (handle) => {
      expect(handle.location.root).toBe(root);
      expect(handle.locked).toBe(true);
      expect(existsSync(join(root, PROJECT_MUTEX_FILE))).toBe(true);
      expect(existsSync(join(sub, PROJECT_MUTEX_FILE))).toBe(false);
      // a second writer started from the root is excluded
      const second = withProject({ cwd: root, env: {} }, { mode: 'write', lockWaitMs: 50 }, () =>
        Promise.resolve('ran'),
      );
      const error = await second.catch((e: unknown) => e);
      expect(isWitDepsError(error) && error.code).toBe('ERR_PROJECT_LOCKED');
    });
    expect(existsSync(join(root, PROJECT_MUTEX_FILE))).toBe(false);
  });

  it('reads without taking the lock or writing anything in read mode', async () => {
    const root = await project();
    const inputs = await withProject({ cwd: root, env: {} }, { mode: 'read' }, async (handle) => {
      expect(handle.locked).toBe(false);
      expect(existsSync(join(root, PROJECT_MUTEX_FILE))).toBe(false);
      return handle.read();
    });
    expect(inputs.roots.map((r) => r.name)).toEqual(['wasi:io']);
    expect(inputs.root).toBe(root);
  });

  it('reads the project afresh each time (add reads it again after writing wit.toml)', async () => {
    const root = await project();
    await withProject({ cwd: root, env: {} }, { mode: 'write' }, async (handle) => {
      await writeFile(join(root, 'wit.toml'), '[dependencies]\n"wasi:cli" = "0.2.0"\n');
      expect((await handle.read()).roots.map((r) => r.name)).toEqual(['wasi:cli']);
      expect(handle.requests()).toBe(0);
    });
  });

  it('releases the lock when the command fails', async () => {
    const root = await project();
    const failing = withProject({ cwd: root, env: {} }, { mode: 'write' }, () =>
      Promise.reject(new Error('boom')),
    );
    await expect(failing).rejects.toThrow('boom');
    expect(existsSync(join(root, PROJECT_MUTEX_FILE))).toBe(false);
  });
});

describe('HostPolicy', () => {
  it('resolves each host from flags, wit.toml and config.toml in one lookup', () => {
    const hosts = new HostPolicy(['flagged.example:5000']);
    const config = emptyConfig();
    config.registries.set('acme.dev', {
      protocol: 'http',
      auth: { username: 'u', password: 'p' },
    });
    hosts.addProject({
      manifestRegistries: new Map([
        ['local', { kind: 'oci', oci: 'plain.example', prefix: '', insecure: true }],
      ]),
      config,
    });
    expect(hosts.settingsFor('flagged.example:5000').insecure).toBe(true);
    expect(hosts.settingsFor('flagged.example:6000').insecure).toBe(false);
    expect(hosts.settingsFor('plain.example:5000').insecure).toBe(true);
    // config.toml settings are per registry: they apply once the registry's host is known
    expect(hosts.settingsFor('oci.acme.dev')).toEqual({ insecure: false });
    hosts.route('acme.dev', 'oci.acme.dev');
    const acme = hosts.settingsFor('oci.acme.dev');
    expect(acme.insecure).toBe(true);
    expect(acme.credential).toMatchObject({ kind: 'basic', username: 'u', password: 'p' });
    expect(acme.credential?.source).toContain('[registry."acme.dev".oci]');
    expect(hosts.isInsecure('ghcr.io')).toBe(false);
  });
});
