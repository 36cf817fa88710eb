/**
 * Moving the `@version` of foreign package references in a project's own WIT files
 * (`update --wit`). The references are found as `wit-references.ts` finds them (`use`, `import`,
 * `export`, `include` of `ns:pkg/item@version`, comments ignored, the files' own packages
 * excluded); the rewrite changes only the version text of each reference and keeps every other
 * byte: comments, spacing, line endings, a byte-order mark, the order of items. Pure: no `node:*`.
 */

/** One versioned foreign reference in a file. */
export interface VersionReference {
  file: string;
  /** The package, `ns:pkg`. */
  name: string;
  version: string;
  /** UTF-16 offset of the version text in the file. */
  offset: number;
  /** 1-based line and column of the version text. */
  line: number;
  column: number;
}

/** One edit of `update --wit`: the line before and after. */
export interface VersionEdit {
  file: string;
  line: number;
  column: number;
  name: string;
  from: string;
  to: string;
  before: string;
  after: string;
}

const LABEL = '%?[a-zA-Z][a-zA-Z0-9-]*';
const QUALIFIED = new RegExp(
  `\\b(use|import|export|include)\\s+(${LABEL}):(${LABEL})(?::${LABEL})*/[^\\s;{@.]+@([0-9][0-9A-Za-z.+-]*[0-9A-Za-z])`,
  'g',
);
const PACKAGE_DECL = new RegExp(`\\bpackage\\s+(${LABEL}):(${LABEL})`, 'g');

/** The text with every comment character replaced by a space (newlines kept): same offsets. */
export function blankComments(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const two = text.slice(i, i + 2);
    if (depth === 0 && two === '//') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') {
        out += ' ';
        i++;
      }
      i--;
    } else if (two === '/*') {
      depth++;
      out += '  ';
      i++;
    } else if (depth > 0 && two === '*/') {
      depth--;
      out += '  ';
      i++;
    } else if (depth === 0 || text[i] === '\n' || text[i] === '\r') out += text[i]!;
    else out += ' ';
  }
  return out;
}

const unescape = (label: string): string => label.replace(/^%/, '');

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function position(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** Every versioned foreign reference in the files, in file then offset order. */
export function versionReferences(
  files: readonly { path: string; text: string }[],
): VersionReference[] {
  const own = new Set<string>();
  const blanked = files.map((f) => blankComments(f.text));
  for (const text of blanked)
    for (const m of text.matchAll(PACKAGE_DECL)) own.add(`${unescape(m[1]!)}:${unescape(m[2]!)}`);
  const out: VersionReference[] = [];
  files.forEach((file, i) => {
    const starts = lineStarts(file.text);
    for (const m of blanked[i]!.matchAll(QUALIFIED)) {
      const name = `${unescape(m[2]!)}:${unescape(m[3]!)}`;
      if (own.has(name)) continue;
      const version = m[4]!;
      const offset = m.index + m[0].length - version.length;
      out.push({ file: file.path, name, version, offset, ...position(starts, offset) });
    }
  });
  return out;
}

function lineAt(text: string, offset: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  let end = nl < 0 ? text.length : nl;
  if (end > start && text[end - 1] === '\r') end--;
  return { start, end };
}

/**
 * Rewrites the references whose package `target` maps to a new version. Returns the new text of
 * every file (changed or not) and the edits, one per reference moved.
 */
export function rewriteVersions(
  files: readonly { path: string; text: string }[],
  target: ReadonlyMap<string, string>,
): { files: { path: string; text: string }[]; edits: VersionEdit[] } {
  const refs = versionReferences(files);
  const edits: VersionEdit[] = [];
  const out = files.map((file) => {
    const mine = refs.filter(
      (r) => r.file === file.path && target.has(r.name) && target.get(r.name) !== r.version,
    );
    let text = file.text;
    // from the end, so earlier offsets stay valid
    for (const r of [...mine].reverse()) {
      const to = target.get(r.name)!;
      text = text.slice(0, r.offset) + to + text.slice(r.offset + r.version.length);
    }
    let shift = 0;
    for (const r of mine) {
      const to = target.get(r.name)!;
      const old = lineAt(file.text, r.offset);
      const now = lineAt(text, r.offset + shift);
      edits.push({
        file: file.path,
        line: r.line,
        column: r.column,
        name: r.name,
        from: r.version,
        to,
        before: file.text.slice(old.start, old.end),
        after: text.slice(now.start, now.end),
      });
      shift += to.length - r.version.length;
    }
    return { path: file.path, text };
  });
  return { files: out, edits };
}

/** The edits as a unified diff, one hunk per edited line (`label` maps a file to its shown path). */
export function unifiedDiff(
  edits: readonly VersionEdit[],
  label: (file: string) => string = (f) => f,
): string {
  const lines: string[] = [];
  let file: string | undefined;
  let last: number | undefined;
  for (const e of edits) {
    if (e.file !== file) {
      file = e.file;
      last = undefined;
      lines.push(`--- a/${label(e.file)}`, `+++ b/${label(e.file)}`);
    }
    if (e.line === last) continue; // the line's hunk already shows every edit on it
    last = e.line;
    const after = edits.filter((x) => x.file === e.file && x.line === e.line).at(-1)!.after;
    lines.push(`@@ -${e.line},1 +${e.line},1 @@`, `-${e.before}`, `+${after}`);
  }
  return lines.join('\n');
}
