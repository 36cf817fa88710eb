/**
 * The errors of `project/` as data: each variant's details, and the one place their message and
 * hint are written. Validators with many rules (wit.toml, wkg.lock, deps.toml) carry the rule's
 * words in `problem` (and, for wit.toml, the rule's `fix`) next to the file and key. Pure.
 */
import { errorMaker, errorVariant, type ErrorText, type VariantsOf } from '../errors.js';
// The emitted .d.ts names `Variant` (the type of each table entry) and needs it imported.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
import type { Variant } from '../errors.js';
import { JOURNAL_FILE, PROJECT_MUTEX_FILE, STAGE_PREFIX } from './file-names.js';

/** What is found where wit-deps wants a folder of its own. */
export type EntryKind = 'missing' | 'directory' | 'symlink' | 'file' | 'other';

/** How an entry kind reads in a message. */
export const ENTRY_TEXT: Readonly<Record<EntryKind, string>> = {
  missing: 'missing',
  directory: 'a folder',
  symlink: 'a symbolic link',
  file: 'a file',
  other: 'not a folder (a FIFO, socket or device)',
};

const DELETE_JOURNAL = `delete \`${JOURNAL_FILE}\` and the \`${STAGE_PREFIX}*\` folders next to wit/deps, then run \`wit-deps install\``;

/** A TOML syntax error: `rendered` is the wasm-tools style snippet (not for config files). */
interface TomlSyntax {
  file: string;
  line: number;
  column: number;
  reason: string;
  rendered?: string | undefined;
}

const tomlSyntax =
  (hint: (file: string) => string) =>
  (d: TomlSyntax): ErrorText => ({
    message: `${d.file}:${d.line}:${d.column}: ${d.reason}`,
    hint: hint(d.file),
  });

const fixSyntax = (file: string): string => `fix the TOML syntax in ${file}`;

const manifestTable = {
  'manifest-syntax': errorVariant('ERR_MANIFEST_PARSE', tomlSyntax(fixSyntax)),
  'lockfile-syntax': errorVariant(
    'ERR_LOCKFILE_PARSE',
    tomlSyntax(
      (file) =>
        `fix the TOML syntax in ${file} (a merge conflict?), or delete it and run \`wit-deps install\` to write a fresh one`,
    ),
  ),
  'config-syntax': errorVariant('ERR_CONFIG_INVALID', tomlSyntax(fixSyntax)),
  'manifest-invalid': errorVariant(
    'ERR_MANIFEST_INVALID',
    (d: { file: string; key: string; line?: number; problem: string; fix: string }) => ({
      message: `\`${d.key}\` in ${d.line === undefined ? d.file : `${d.file}:${d.line}`} ${d.problem}`,
      hint: d.fix,
    }),
  ),
  'overrides-invalid': errorVariant(
    'ERR_CONFIG_INVALID',
    (d: { file: string; key: string; problem: string }) => ({
      message: `\`${d.key}\` in ${d.file} ${d.problem}`,
      hint: `fix ${d.file}: overrides are \`"ns:pkg" = { path = "..." }\` or \`{ version = "^0.2" }\``,
    }),
  ),
  'lockfile-invalid': errorVariant(
    'ERR_LOCKFILE_PARSE',
    (d: { file: string; problem: string }) => ({
      message: `${d.file} ${d.problem}`,
      hint: `delete ${d.file} and run \`wit-deps install\` to write a fresh one`,
    }),
  ),
  'lockfile-version': errorVariant(
    'ERR_LOCKFILE_VERSION',
    (d: { file: string; version: string }) => ({
      message: `${d.file} has version \`${d.version}\`; only version 1 is known`,
      hint: `upgrade wit-deps, or delete ${d.file} and run \`wit-deps install\``,
    }),
  ),
  'file-unreadable': errorVariant('ERR_FS', (d: { path: string }) => ({
    message: `\`${d.path}\` cannot be read`,
    hint: 'it must be a readable file',
  })),
  'wit-file-unreadable': errorVariant('ERR_FS', (d: { path: string }) => ({
    message: `WIT file \`${d.path}\` cannot be read`,
    hint: 'make it a readable regular file, or move it out of the WIT folder',
  })),
};

const rustDepsTable = {
  'deps-identifier-invalid': errorVariant(
    'ERR_MANIFEST_INVALID',
    (d: { file: string; identifier: string }) => ({
      message: `${d.file}: identifier \`${d.identifier}\` is not a folder name`,
      hint: `rename the entry in ${d.file}: identifiers are letters, digits, \`.\`, \`_\` and \`-\``,
    }),
  ),
  'deps-entry-invalid': errorVariant(
    'ERR_MANIFEST_INVALID',
    (d: { file: string; identifier: string; problem: string }) => ({
      message: `${d.file}: \`${d.identifier}\`: ${d.problem}`,
      hint: `fix the entry in ${d.file}: a URL string, \`{ url, sha256?, sha512?, prefix? }\` or \`{ path }\``,
    }),
  ),
  'deps-lock-entry-invalid': errorVariant(
    'ERR_LOCKFILE_PARSE',
    (d: { file: string; identifier: string; problem: string }) => ({
      message: `${d.file}: \`${d.identifier}\`: ${d.problem}`,
      hint: `delete ${d.file} and run \`wit-deps lock\` to write it again`,
    }),
  ),
  'deps-syntax': errorVariant('ERR_MANIFEST_PARSE', (d: { file: string; reason: string }) =>
    notToml(d),
  ),
  'deps-lock-syntax': errorVariant('ERR_LOCKFILE_PARSE', (d: { file: string; reason: string }) =>
    notToml(d),
  ),
  'archive-unsafe': errorVariant(
    'ERR_ARCHIVE_UNSAFE',
    (d: { archive: string; problem: string }) => ({
      message: `${d.archive}: ${d.problem}`,
      hint: 'the archive was refused and nothing was written; check the URL in wit/deps.toml',
    }),
  ),
  'archive-too-many-entries': errorVariant(
    'ERR_LIMIT_EXCEEDED',
    (d: { archive: string; limit: number }) => ({
      message: `${d.archive}: more than ${d.limit} entries`,
    }),
  ),
  'archive-file-too-large': errorVariant(
    'ERR_LIMIT_EXCEEDED',
    (d: { archive: string; path: string; limit: number }) => ({
      message: `${d.archive}: \`${d.path}\` is larger than ${d.limit} bytes`,
    }),
  ),
  'tar-field-overflow': errorVariant(
    'ERR_LIMIT_EXCEEDED',
    (d: { length: number; value: number }) => ({
      message: `a tar field of ${d.length} bytes cannot hold ${d.value}`,
    }),
  ),
  'tar-name-too-long': errorVariant('ERR_LIMIT_EXCEEDED', (d: { name: string }) => ({
    message: `WIT file name \`${d.name}\` is longer than 96 bytes`,
    hint: 'rename the file: deps.lock digests cover names of up to 96 bytes',
  })),
};

function notToml(d: { file: string; reason: string }): ErrorText {
  return {
    message: `${d.file} is not valid TOML: ${d.reason}`,
    hint: `fix the TOML syntax of ${d.file}`,
  };
}

const installTable = {
  'project-locked': errorVariant('ERR_PROJECT_LOCKED', (d: { root: string; path: string }) => ({
    message: `project \`${d.root}\` is locked by another wit-deps process`,
    hint: `wait for the other install to finish, or delete \`${PROJECT_MUTEX_FILE}\` if no wit-deps is running`,
  })),
  'journal-invalid': errorVariant(
    'ERR_INSTALL_JOURNAL',
    (d: { file: string; problem: string }) => ({
      message: `${d.file} is not a valid journal: ${d.problem}`,
      hint: DELETE_JOURNAL,
    }),
  ),
  'journal-unfinished': errorVariant('ERR_INSTALL_JOURNAL', (d: { file: string }) => ({
    message: `the interrupted install recorded in \`${d.file}\` could not be finished`,
    hint: 'fix the cause below (permissions, disk space), then run `wit-deps install`',
  })),
  'journal-deps-moved': errorVariant(
    'ERR_INSTALL_JOURNAL',
    (d: { file: string; journal: string; expected: string }) => ({
      message: `${JOURNAL_FILE} names \`${d.journal}\` as wit/deps, but this project's is \`${d.expected}\``,
      hint: `if \`wit\` in wit.toml was changed after the install was interrupted, put it back and run \`wit-deps install\`; otherwise delete \`${JOURNAL_FILE}\` and the \`${STAGE_PREFIX}*\` folders, then run \`wit-deps install\``,
    }),
  ),
  'journal-read-only': errorVariant('ERR_INSTALL_JOURNAL', (d: { file: string; root: string }) => ({
    message: `the interrupted install recorded in \`${d.file}\` must be finished, but \`${d.root}\` is not writable`,
    hint: 'run `wit-deps install` as a user who can write the project folder',
  })),
  'journal-unreplayable': errorVariant(
    'ERR_INSTALL_JOURNAL',
    (d: { file: string; path: string; problem: string }) => ({
      message: `${JOURNAL_FILE} cannot be replayed: ${d.problem}`,
      hint: `nothing was moved; if you did not interrupt an install here, ${DELETE_JOURNAL}`,
    }),
  ),
  'deps-entry-appeared': errorVariant(
    'ERR_INSTALL_JOURNAL',
    (d: { folder: string; path: string; problem: string }) => ({
      message: `wit/deps entry \`${d.folder}\` appeared during an install and ${d.problem}`,
      hint: `move \`${d.path}\` out of wit/deps, then run \`wit-deps install\` to finish the install`,
    }),
  ),
  'staged-not-folder': errorVariant(
    'ERR_INSTALL_JOURNAL',
    (d: { path: string; entry: EntryKind }) => ({
      message: `staged entry \`${d.path}\` is not a folder (${d.entry})`,
      hint: DELETE_JOURNAL,
    }),
  ),
  'deps-entry-not-folder': errorVariant(
    'ERR_FS',
    (d: { path: string; folder: string; entry: EntryKind }) => ({
      message: `\`${d.path}\` is ${ENTRY_TEXT[d.entry]}, where wit-deps installs the folder \`${d.folder}\``,
      hint:
        d.entry === 'symlink'
          ? `wit-deps never follows or replaces a symbolic link in wit/deps: delete the link \`${d.path}\` (its target is left alone) or use a path dependency in wit.toml, then run \`wit-deps install\``
          : `move \`${d.path}\` out of wit/deps (wit-deps only replaces folders it wrote), then run \`wit-deps install\``,
    }),
  ),
  'deps-folder-foreign': errorVariant('ERR_FS', (d: { path: string; folder: string }) => ({
    message: `wit/deps folder \`${d.folder}\` was not written by wit-deps, so the install will not replace it`,
    hint: `move \`${d.path}\` out of wit/deps, then run \`wit-deps install\``,
  })),
  'install-not-writable': errorVariant('ERR_FS', (d: { path: string }) => ({
    message: `\`${d.path}\` is not writable, so the install cannot change it`,
    hint: `make \`${d.path}\` writable (\`chmod u+w\`, or a read-write mount), or run wit-deps as a user who can write it, then run \`wit-deps install\``,
  })),
  'deps-not-folder': errorVariant('ERR_FS', (d: { path: string }) => ({
    message: `\`${d.path}\` is not a folder`,
    hint: `move \`${d.path}\` away (wit-deps makes the folder), then run \`wit-deps install\``,
  })),
  'deps-other-file-system': errorVariant('ERR_FS', (d: { path: string }) => ({
    message: `\`${d.path}\` is on another file system than its parent folder, so an install cannot replace its folders atomically`,
    hint: `make \`${d.path}\` an ordinary folder (not a link or mount to another disk), then run \`wit-deps install\``,
  })),
  // a marker that is not a plain small file: the read's own message, a hint about the folder
  'marker-unreadable': errorVariant('ERR_FS', (d: MarkerProblem) => markerText(d)),
  'marker-too-large': errorVariant('ERR_LIMIT_EXCEEDED', (d: MarkerProblem) => markerText(d)),
};

/** A wit/deps marker the safe read refused; `reason` is that read's message. */
interface MarkerProblem {
  path: string;
  folder: string;
  reason: string;
}

function markerText(d: MarkerProblem): ErrorText {
  return {
    message: d.reason,
    hint: `move \`${d.folder}\` out of wit/deps, then run \`wit-deps install\` to write it again`,
  };
}

const table = { ...manifestTable, ...rustDepsTable, ...installTable };

export type ProjectVariants = VariantsOf<typeof table>;

declare module '../errors.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorVariants extends ProjectVariants {}
}

/** Raises an error of `project/`: `projectError('lockfile-invalid', { file, problem })`. */
export const projectError = errorMaker(table);
