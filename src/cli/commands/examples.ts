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
    'wit-deps verify              # exit code 1 if wit/deps or the cache do not match wkg.lock',
  ],
  publish: [
    'wit-deps publish --dry-run    # the reference, config, annotations and digests; no push',
    'wit-deps publish              # push wit/ as <ns>:<name>@<version> where install finds it',
    'SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) wit-deps publish   # a reproducible digest',
  ],
};

/** Appends the examples of each command that has some to its `--help`. */
export function addExamples(program: Command): void {
  for (const command of program.commands) {
    const lines = EXAMPLES[command.name()];
    if (lines !== undefined)
      command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  }
}
