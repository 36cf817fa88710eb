/**
 * The errors of the WIT toolchain as data, and the one place their message and hint are written.
 * Text errors keep the wasm-tools rendering (`--> file:line:col` and a caret) in
 * `details.rendered`, next to the position it points at; binary errors carry the byte `offset`
 * (and `file` when the binary is a dependency of a WIT folder). Pure.
 */
import { errorMaker, errorVariant, type ErrorText, type VariantsOf } from '../errors.js';
// The emitted .d.ts names `Variant` (the type of each table entry) and needs it imported.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
import type { Variant } from '../errors.js';

/** A place in WIT source: path, 1-based line and column (in characters). */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/** A text error at a span: the bare `reason`, where it points, and the rendered snippet. */
export interface SpanDetails {
  reason: string;
  /** The position the error points at, when it has one. */
  at?: SourcePosition | undefined;
  /** Errors that name several places (a duplicate, a cycle) list them all. */
  locations?: SourcePosition[] | undefined;
  /** The wasm-tools style text: message, `--> file:line:col`, the line, a caret. */
  rendered: string;
  /** `ns:name@version` of a package the source refers to and `deps/` lacks. */
  package?: string | undefined;
}

const where = (p: SourcePosition): string => `${p.file}:${p.line}:${p.col}`;

function spanText(d: SpanDetails): ErrorText {
  return { message: d.reason, hint: spanHint(d) };
}

/**
 * What to do about a WIT error: fetch a missing package (the project's WIT references are what
 * `install` fetches into `deps/`), else fix the source where the error points.
 */
function spanHint(d: SpanDetails): string {
  if (d.package !== undefined) {
    const bare = d.package.replace(/@.*$/, '');
    return `\`${d.package}\` is not in the WIT folder's \`deps/\`: run \`wit-deps install\` (it fetches the packages the project's WIT references), or \`wit-deps add ${bare}\` to list it in wit.toml`;
  }
  if (d.locations !== undefined) return 'fix the WIT source at the places listed';
  if (d.at === undefined) return 'fix the WIT source';
  return `fix the WIT source at \`${where(d.at)}\``;
}

/** A binary failure at byte `offset`; `file` names the dependency it was read from. */
interface AtByte {
  offset: number;
  problem: string;
  file?: string | undefined;
}

const inFile = (file: string | undefined, message: string): string =>
  file === undefined ? message : `\`${file}\`: ${message}`;

const DECODE_HINT =
  'check that the file is a binary WIT package (`wit-deps wit print <file.wasm>`)';

const table = {
  'wit-syntax': errorVariant('ERR_WIT_PARSE', spanText),
  'wit-unresolved': errorVariant('ERR_WIT_RESOLVE', spanText),
  'wit-too-large': errorVariant('ERR_LIMIT_EXCEEDED', spanText),
  'binary-malformed': errorVariant('ERR_WIT_DECODE', (d: AtByte) => ({
    message: inFile(d.file, `${d.problem} at byte ${d.offset}`),
    hint: DECODE_HINT,
  })),
  'binary-too-large': errorVariant('ERR_LIMIT_EXCEEDED', (d: AtByte) => ({
    message: inFile(d.file, `${d.problem} at byte ${d.offset}`),
    hint: 'the input is larger or deeper than wit-deps accepts; check where the file came from',
  })),
  'binary-is-component': errorVariant(
    'ERR_WIT_NOT_A_PACKAGE',
    (d: { export: string; file?: string | undefined }) => ({
      message: inFile(
        d.file,
        `input is a component exporting \`${d.export}\`, not a binary WIT package`,
      ),
      hint: 'only WIT packages (as made by `wasm-tools component wit --wasm`) can be printed',
    }),
  ),
  'binary-not-component': errorVariant(
    'ERR_WIT_NOT_A_PACKAGE',
    (d: { what: string; file?: string | undefined }) => ({
      message: inFile(d.file, `input is ${d.what}, not a binary WIT package`),
      hint: 'only WIT packages (as made by `wasm-tools component wit --wasm` or `wkg wit build`) can be printed',
    }),
  ),
  unprintable: errorVariant('ERR_WIT_DECODE', (d: { problem: string }) => ({
    message: d.problem,
    hint: 'the package cannot be printed as WIT',
  })),
  'encode-failed': errorVariant('ERR_WIT_ENCODE', (d: { reason: string }) => ({
    message: `package cannot be encoded: ${d.reason}`,
    hint: 'check the package with `wit-deps wit check <path>`',
  })),
  'empty-package': errorVariant(
    'ERR_WIT_ENCODE',
    (d: { package: string; allFeatures: boolean }) => ({
      message: `package \`${d.package}\` has no interface or world to encode, and an empty binary package does not decode`,
      hint: d.allFeatures
        ? 'add an interface or a world to the package'
        : '`@unstable(feature = <name>)` items are left out unless enabled: run `wit-deps wit build` with `--features <name>` or `--all-features`, or add an ungated interface or world',
    }),
  ),
  'package-not-in-set': errorVariant('ERR_USAGE', (d: { package: string; packages: string[] }) => ({
    message: `package \`${d.package}\` is not in this set of WIT packages`,
    hint: `name one of ${d.packages.map((n) => `\`${n}\``).join(', ')} (see \`describeWit\`)`,
  })),
  'no-wit-files': errorVariant('ERR_USAGE', (d: { given: 'files' | 'folder' }) => ({
    message:
      d.given === 'files'
        ? 'parseWit was given no file'
        : 'the WIT folder has no top-level `.wit` file',
    hint: 'pass the `.wit` files of the package (in a folder: its top-level `*.wit` files)',
  })),
  'wit-not-utf8': errorVariant('ERR_USAGE', (d: { path: string }) => ({
    message: `\`${d.path}\` is not valid UTF-8`,
    hint: 'WIT source must be UTF-8 text',
  })),
};

export type WitVariants = VariantsOf<typeof table>;

declare module '../errors.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorVariants extends WitVariants {}
}

/** Raises an error of the WIT toolchain: `witError('binary-malformed', { offset, problem })`. */
export const witError = errorMaker(table);
