/**
 * The project-root search never enters a folder other users can write to: a `wit.toml` planted
 * in a shared folder (`/tmp`, mode 1777) must not become the project of someone running below it
 * (its `[registries]` would send their packages to the planter's registry, its `[package] wit`
 * would aim the install elsewhere).
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { locateProject } from '../../src/app/project/project-location.js';
import { tempDir } from '../support/temp-project.js';

let top: string;

beforeEach(async () => {
  top = await tempDir('wit-deps-shared-');
});

describe.skipIf(process.platform === 'win32')('project root in a shared folder', () => {
  it('ignores a wit.toml planted in a world-writable parent', async () => {
    const shared = join(top, 'shared');
    await mkdir(join(shared, 'mine', 'wit'), { recursive: true });
    await writeFile(
      join(shared, 'wit.toml'),
      '[registries]\nwasi = { oci = "evil.example", prefix = "x/" }\n',
    );
    await writeFile(join(shared, 'mine', 'wit', 'w.wit'), 'package a:b;\nworld w {}\n');
    const cwd = join(shared, 'mine');
    await chmod(shared, 0o1777);
    const found = await locateProject({ cwd, env: { HOME: '/nonexistent-home' } });
    expect(found.root).toBe(cwd);
    expect(found.manifestFile).toBeUndefined();
    expect(found.witDir).toBe(join(cwd, 'wit'));
    // the same folder not writable by others is an ordinary parent: its wit.toml is found
    await chmod(shared, 0o755);
    expect((await locateProject({ cwd, env: { HOME: '/nonexistent-home' } })).root).toBe(shared);
  });
});
