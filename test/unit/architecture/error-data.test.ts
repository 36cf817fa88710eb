/**
 * Keeps errors as data (src/README.md, "Errors"): code raises a variant — a `kind` and typed
 * details — and each area's `error-text.ts` is the one place its messages and hints are written.
 * So no file but src/errors.ts constructs a `WitDepsError`, renderer tables (`errorVariant`) live
 * only in `error-text.ts` files, and no message is rewritten by text replacement.
 */
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSources, SRC } from '../../support/source-imports.js';

const files = listSources(SRC).map((full) => ({
  path: relative(SRC, full).split(sep).join('/'),
  text: readFileSync(full, 'utf8'),
}));

/** Files not converted yet, with their count of `new WitDepsError(` calls; shrinks to empty. */
const NOT_YET_CONVERTED: Record<string, number> = {
  'app/cache-commands.ts': 1,
  'app/deps/add-remove.ts': 7,
  'app/deps/apply-plan.ts': 1,
  'app/deps/init.ts': 1,
  'app/deps/install.ts': 4,
  'app/deps/path-check.ts': 1,
  'app/deps/post-install-check.ts': 1,
  'app/deps/rust-deps-fetch.ts': 4,
  'app/deps/rust-deps-install.ts': 3,
  'app/deps/rust-deps.ts': 3,
  'app/deps/takeover.ts': 1,
  'app/deps/update-wit.ts': 3,
  'app/deps/update.ts': 1,
  'app/deps/vendor.ts': 4,
  'app/deps/verify.ts': 1,
  'app/oci/artifacts.ts': 4,
  'app/oci/push-file.ts': 1,
  'app/oci/layer-file.ts': 2,
  'app/oci/login.ts': 3,
  'app/oci/publish-meta.ts': 3,
  'app/oci/publish.ts': 2,
  'app/oci/pull-push-guards.ts': 5,
  'app/project/project-location.ts': 5,
  'app/source/cached-source.ts': 1,
  'app/source/checked-decode.ts': 2,
  'app/source/decoded-store.ts': 1,
  'app/source/network-flags.ts': 1,
  'app/source/network-settings.ts': 2,
  'app/source/offline-versions.ts': 1,
  'app/source/path-packages.ts': 7,
  'app/source/registry-change.ts': 1,
  'app/source/route.ts': 1,
  'app/source/source-errors.ts': 7,
  'app/source/warg.ts': 1,
  'app/wit/folder.ts': 1,
  'app/wit/print.ts': 3,
  'app/wit/text.ts': 1,
  'cli/commands/install.ts': 1,
  'cli/commands/lock.ts': 1,
  'cli/commands/login.ts': 1,
  'cli/commands/oci.ts': 2,
  'cli/main.ts': 2,
  'cli/render/error.ts': 2,
  'index.ts': 3,
  'oci/http/proxy.ts': 1,
};

/** Files that still rewrite a message's text. */
const REPLACING_NOT_YET_CONVERTED = ['app/deps/add-remove.ts', 'cli/main.ts'];

const count = (text: string, pattern: RegExp): number => [...text.matchAll(pattern)].length;

describe('errors as data', () => {
  it('constructs WitDepsError only in src/errors.ts (areas raise variants)', () => {
    const found = Object.fromEntries(
      files
        .filter((f) => f.path !== 'errors.ts')
        .map((f) => [f.path, count(f.text, /new WitDepsError\(/g)] as const)
        .filter(([, n]) => n > 0),
    );
    expect(found).toEqual(NOT_YET_CONVERTED);
  });

  it('declares renderers only in the areas’ error-text.ts files', () => {
    const bad = files
      .filter((f) => f.path !== 'errors.ts' && !/(^|\/)error-text\.ts$/.test(f.path))
      .filter((f) => /\berrorVariant\(|\berrorMaker\(/.test(f.text))
      .map((f) => f.path);
    expect(bad).toEqual([]);
  });

  it('keeps error-text.ts files pure: errors.ts, host.ts, their own area, other renderers', () => {
    const allowed = /^(\.\/|(\.\.\/)+(errors|host)\.js$|\.\.\/[a-z]+\/error-text\.js$)/;
    const bad = files
      .filter((f) => /(^|\/)error-text\.ts$/.test(f.path))
      .flatMap((f) =>
        [...f.text.matchAll(/^import (?!type\b)[^;]*?from\s*['"]([^'"]+)['"]/gm)]
          .map((m) => m[1]!)
          .filter((spec) => !allowed.test(spec))
          .map((spec) => `${f.path} imports ${spec}`),
      );
    expect(bad).toEqual([]);
  });

  it('never rewrites an error message by text replacement', () => {
    const bad = files.filter((f) => /\.message\.replace\(/.test(f.text)).map((f) => f.path);
    expect(bad).toEqual(REPLACING_NOT_YET_CONVERTED);
  });
});
