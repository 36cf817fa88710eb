import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { init } from '../../../src/app/deps/init.js';
import { parseManifest } from '../../../src/project/manifest.js';
import { stripComments, witReferences } from '../../../src/project/wit-references.js';
import { tempDir } from '../../support/temp-project.js';

const WORLD = `// a comment naming wasi:fake/x@9.9.9
package acme:shop@0.1.0;

/* block /* nested */ use wasi:nope/x@1.0.0; */
interface api {
  use wasi:io/streams@0.2.0.{input-stream};
  use acme:shop/other.{thing};
}

world proxy {
  import wasi:clocks/wall-clock@0.2.0;
  import wasi:io/poll@0.2.0;
  export wasi:http/incoming-handler@0.2.0;
  include wasi:cli/imports@0.3.0-rc-2026-01-06;
  import my:unversioned/thing;
}
`;

describe('witReferences', () => {
  it("finds foreign packages in use/import/export/include and skips comments and the file's own package", () => {
    expect(witReferences([{ path: 'wit/world.wit', text: WORLD }])).toEqual([
      { name: 'my:unversioned', version: undefined, files: ['wit/world.wit'] },
      { name: 'wasi:cli', version: '0.3.0-rc-2026-01-06', files: ['wit/world.wit'] },
      { name: 'wasi:clocks', version: '0.2.0', files: ['wit/world.wit'] },
      { name: 'wasi:http', version: '0.2.0', files: ['wit/world.wit'] },
      { name: 'wasi:io', version: '0.2.0', files: ['wit/world.wit'] },
    ]);
  });

  it('strips line and nested block comments but keeps lines', () => {
    expect(stripComments('a // x\nb /* c /* d */ e */ f\n')).toBe('a \nb  f\n');
  });
});

describe('init', () => {
  it('writes a wit.toml with the exact referenced versions and refuses to overwrite it', async () => {
    const cwd = await tempDir('wit-deps-init-');
    await mkdir(join(cwd, 'wit'));
    await writeFile(join(cwd, 'wit', 'world.wit'), WORLD);
    const result = await init({ cwd });
    expect(result.dependencies.map((d) => `${d.name} ${d.requirement}`)).toEqual([
      'my:unversioned *',
      'wasi:cli =0.3.0-rc-2026-01-06',
      'wasi:clocks =0.2.0',
      'wasi:http =0.2.0',
      'wasi:io =0.2.0',
    ]);
    const text = await readFile(join(cwd, 'wit.toml'), 'utf8');
    expect(parseManifest(text).dependencies).toHaveLength(5);
    await expect(init({ cwd })).rejects.toMatchObject({ code: 'ERR_USAGE' });
  });

  it('starts an empty wit.toml in a folder with no WIT yet, as `cargo init` does', async () => {
    const empty = await tempDir('wit-deps-init-');
    expect(await init({ cwd: empty })).toEqual({
      file: join(empty, 'wit.toml'),
      dependencies: [],
    });
    expect(await readFile(join(empty, 'wit.toml'), 'utf8')).toBe('[dependencies]\n');
  });
});
