/**
 * The errors of the file-system layer as data, and the one place their message and hint are
 * written. `display` is how the caller names the file (`` `wit.toml` ``, `` cache folder `…` ``);
 * `fix` is a caller's own hint for its file, used instead of the default one. Pure.
 */
import { errorMaker, errorVariant, type VariantsOf } from '../errors.js';
// The emitted .d.ts names `Variant` (the type of each table entry) and needs it imported.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
import type { Variant } from '../errors.js';

const WRITE_HINT = 'check that its folder exists and is writable, and that the disk has free space';
const MKDIR_HINT = 'check that the path names a folder you can create and write to';
const INTEGRITY_HINT =
  'the content is corrupt or was changed; try again, and report it to the registry operator if it persists';

/** Content that does not match its descriptor; `subject` names it (`blob \`sha256:…\``). */
interface Content {
  subject: string;
}

/** A path that resolves outside the folder it must stay in. */
interface Outside {
  path: string;
  root: string;
  resolved: string;
  /** What the path is for (`wit/deps`, `the WIT folder`). */
  what: string;
  fix?: string | undefined;
}

const outsideMessage = (d: Outside): string =>
  `${d.what} \`${d.path}\` resolves to \`${d.resolved}\`, outside the project \`${d.root}\``;
const OUTSIDE_HINT =
  'replace the symbolic link with an ordinary folder inside the project (or delete it), then run `wit-deps install`';

const table = {
  'read-outside-root': errorVariant(
    'ERR_FS',
    (d: { path: string; display: string; root: string }) => ({
      message: `${d.display} resolves outside ${d.root}`,
      hint: 'a symlink may not lead out of its folder; replace it with the file itself',
    }),
  ),
  'not-regular-file': errorVariant('ERR_FS', (d: { path: string; display: string }) => ({
    message: `${d.display} is not a regular file`,
    hint: 'only regular files are read; replace the FIFO, device or socket with a file',
  })),
  'file-too-large': errorVariant(
    'ERR_LIMIT_EXCEEDED',
    (d: { path: string; display: string; limit: number }) => ({
      message: `${d.display} is larger than ${d.limit} bytes`,
      hint: 'the file is too large to be read as input; check that it is the file you meant',
    }),
  ),
  'write-failed': errorVariant(
    'ERR_FS',
    (d: {
      path: string;
      display?: string | undefined;
      errno?: string | undefined;
      reason: string;
      fix?: string | undefined;
    }) => ({
      message: `${d.display ?? `\`${d.path}\``} could not be written (${d.reason})`,
      hint:
        d.errno === 'ENOSPC' || d.errno === 'EDQUOT'
          ? 'the disk is full: free some space, or write to another disk, then run the command again'
          : (d.fix ?? WRITE_HINT),
    }),
  ),
  'mkdir-failed': errorVariant(
    'ERR_FS',
    (d: {
      path: string;
      display?: string | undefined;
      errno?: string | undefined;
      at?: string | undefined;
      fix?: string | undefined;
    }) => {
      const where = d.at === undefined ? '' : ` at \`${d.at}\``;
      const reason = d.errno === undefined ? '' : ` (${d.errno}${where})`;
      return {
        message: `${d.display ?? `folder \`${d.path}\``} could not be created${reason}`,
        hint: d.fix ?? MKDIR_HINT,
      };
    },
  ),
  'mutex-create-failed': errorVariant(
    'ERR_FS',
    (d: { path: string; what: string; fix: string }) => ({
      message: `${d.what} \`${d.path}\` could not be created`,
      hint: d.fix,
    }),
  ),
  'dangling-link': errorVariant('ERR_FS', (d: { path: string }) => ({
    message: `\`${d.path}\` is a symbolic link to nothing`,
    hint: `delete the link \`${d.path}\` (wit-deps creates the folder itself), then run the command again`,
  })),
  'outside-project': errorVariant('ERR_FS', (d: Outside) => ({
    message: outsideMessage(d),
    hint: d.fix ?? OUTSIDE_HINT,
  })),
  'journal-outside-project': errorVariant('ERR_INSTALL_JOURNAL', (d: Outside) => ({
    message: outsideMessage(d),
    hint: d.fix ?? OUTSIDE_HINT,
  })),
  'content-too-large': errorVariant(
    'ERR_INTEGRITY_MISMATCH',
    (d: Content & { expectedSize: number }) => ({
      message: `${d.subject} is larger than its announced ${d.expectedSize} bytes`,
      hint: INTEGRITY_HINT,
    }),
  ),
  'size-mismatch': errorVariant(
    'ERR_INTEGRITY_MISMATCH',
    (d: Content & { expectedSize: number; actualSize: number }) => ({
      message: `${d.subject} has ${d.actualSize} bytes, expected ${d.expectedSize}`,
      hint: INTEGRITY_HINT,
    }),
  ),
  'digest-mismatch': errorVariant(
    'ERR_INTEGRITY_MISMATCH',
    (d: Content & { expected: string; actual: string }) => ({
      message: `${d.subject} has digest \`${d.actual}\`, expected \`${d.expected}\``,
      hint: INTEGRITY_HINT,
    }),
  ),
};

export type FsVariants = VariantsOf<typeof table>;

declare module '../errors.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorVariants extends FsVariants {}
}

/** Raises an error of `fs/`: `fsError('write-failed', { path, reason })`. */
export const fsError = errorMaker(table);
