/**
 * The "Examples:" block that `wit-deps <command> --help` ends with, as cargo and npm print.
 * Plain text, loaded with the program (no use case is loaded for `--help`).
 */
import type { Command } from 'commander';

const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  init: ['wit-deps init                 # wit.toml from the references in wit/*.wit'],
  install: [
    'wit-deps install              # resolve, fetch, write wit/deps and wkg.lock',
    'wit-deps install --frozen     # CI: the lock as it is, from the cache only',
    'wit-deps --json install       # one JSON document on stdout',
    "wit-deps install -d crates/a/wit    # wkg's -d: this WIT folder, the lock at the root",
    'wit-deps -C wit/0_2_1 install       # as if run there (a WIT folder with its own wkg.lock)',
  ],
  lock: [
    'wit-deps lock                 # wit/deps.toml (Rust wit-deps format) -> wit/deps, wit/deps.lock',
    'wit-deps lock --check         # CI: exit 1 naming what would change; writes nothing',
  ],
  add: [
    'wit-deps add wasi:http        # the latest stable version (written as "0.2.3", i.e. ^0.2.3)',
    'wit-deps add wasi:cli@=0.2.0 wasi:io@^0.2',
    'wit-deps add --path ../billing/wit',
  ],
  remove: ['wit-deps remove wasi:cli wasi:io'],
  update: [
    'wit-deps update               # every package, within its range in wit.toml',
    'wit-deps update wasi:http     # only this one',
    'wit-deps update --latest      # also raise ranges the newest versions lie outside of',
  ],
  outdated: ['wit-deps outdated', 'wit-deps --json outdated --offline'],
  tree: ['wit-deps tree', 'wit-deps --json tree'],
  verify: [
    'wit-deps verify              # exit code 1 if wit/deps (or a cached layer) does not match wkg.lock',
  ],
  vendor: [
    'wit-deps vendor              # every locked package into vendor/oci (commit it; install finds it)',
    'wit-deps vendor --frozen     # CI: the lock as it is, no network; then `git diff --exit-code vendor`',
  ],
  cache: [
    'wit-deps cache dir            # the cache folder',
    'wit-deps cache ls             # blobs (digest, size, last used, package) and records',
    'wit-deps cache verify         # re-hash every blob, remove the bad ones',
    'wit-deps cache clean --older-than 30d',
  ],
  oci: [
    'wit-deps oci pull ghcr.io/webassembly/wasi/http:0.2.3            # writes http.wasm',
    'wit-deps oci pull ghcr.io/webassembly/wasi/http:0.2.3 -o - > x.wasm',
    'wit-deps oci push 127.0.0.1:5000/acme/app:0.1.0 acme-app-0.1.0.wasm --insecure',
    'wit-deps oci inspect ghcr.io/webassembly/wasi/http:0.2.3',
    'wit-deps oci tags ghcr.io/webassembly/wasi/http',
    'wit-deps oci tags oci-layout:vendor/oci/wasi/http',
  ],
  'oci pull': [
    'wit-deps oci pull ghcr.io/webassembly/wasi/http:0.2.3            # writes http.wasm',
    'wit-deps oci pull ghcr.io/webassembly/wasi/http:0.2.3 -o deps/   # into a folder',
    'wit-deps oci pull ghcr.io/webassembly/wasi/http:0.2.3 -o -       # to stdout',
  ],
  'oci push': [
    'wit-deps oci push ghcr.io/acme/app:0.1.0 acme-app-0.1.0.wasm --annotation org.opencontainers.image.source=https://github.com/acme/app',
  ],
  'oci inspect': ['wit-deps --json oci inspect ghcr.io/webassembly/wasi/http:0.2.3'],
  'oci tags': ['wit-deps oci tags ghcr.io/webassembly/wasi/http'],
  wit: [
    "wit-deps wit check                       # the project's WIT folder, with its deps/",
    'wit-deps wit build                       # writes <ns>-<name>-<version>.wasm',
    'wit-deps wit print wasi-http-0.2.3.wasm  # a binary WIT package as WIT text',
    'wit-deps wit print --all wit/            # plus every dependency',
  ],
  'wit check': ['wit-deps wit check', 'wit-deps wit check wit/app.wit --all-features'],
  'wit build': ['wit-deps wit build', 'wit-deps wit build wit/ -o dist/app.wasm'],
  'wit print': [
    'wit-deps wit print wasi-http-0.2.3.wasm',
    'wit-deps wit print --out-dir wit/deps wasi-http-0.2.3.wasm  # one package.wit per package',
  ],
  publish: [
    'wit-deps publish --dry-run    # the reference, config, annotations and digests; no push',
    'wit-deps publish              # push wit/ as <ns>:<name>@<version> where install finds it',
    'SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) wit-deps publish   # a reproducible digest',
  ],
};

/** Appends the examples of each command (and subcommand: `oci pull`) that has some to its `--help`. */
export function addExamples(program: Command): void {
  const visit = (command: Command, path: string): void => {
    const lines = EXAMPLES[path];
    if (lines !== undefined)
      command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    for (const sub of command.commands) visit(sub, `${path} ${sub.name()}`);
  };
  for (const command of program.commands) visit(command, command.name());
}
