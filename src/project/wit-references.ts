/**
 * Foreign package references in a project's own WIT files, found the way wkg uses them
 * (wasm-pkg-core `wit.rs`, `packages_from_foreign_deps`): every `ns:pkg/item@version` named by
 * `use`, `import`, `export` or `include` becomes an exact requirement `=version` (`*` without a
 * version). This is a reference scanner, not a WIT parser: comments are removed, then qualified
 * names are matched; the file's own `package` declarations are excluded. Pure: no `node:*`.
 */

/** One referenced package with the files that reference it. */
export interface WitReference {
  name: string;
  /** The version written after `@`, or undefined. */
  version: string | undefined;
  files: string[];
}

const LABEL = '%?[a-zA-Z][a-zA-Z0-9-]*';
const QUALIFIED = new RegExp(
  `\\b(use|import|export|include)\\s+(${LABEL}):(${LABEL})(?::${LABEL})*/[^\\s;{@.]+(?:@([0-9][0-9A-Za-z.+-]*[0-9A-Za-z]))?`,
  'g',
);
const PACKAGE_DECL = new RegExp(`\\bpackage\\s+(${LABEL}):(${LABEL})`, 'g');

/** Removes line comments and (nested) block comments, keeping line structure. */
export function stripComments(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const two = text.slice(i, i + 2);
    if (depth === 0 && two === '//') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (two === '/*') {
      depth++;
      i++;
    } else if (depth > 0 && two === '*/') {
      depth--;
      i++;
    } else if (depth === 0) out += text[i]!;
    else if (text[i] === '\n') out += '\n';
  }
  return out;
}

const unescape = (label: string): string => label.replace(/^%/, '');

/** The foreign packages referenced by WIT files (sorted by name, then version). */
export function witReferences(files: readonly { path: string; text: string }[]): WitReference[] {
  const own = new Set<string>();
  const found = new Map<string, WitReference>();
  for (const file of files) {
    const text = stripComments(file.text);
    for (const m of text.matchAll(PACKAGE_DECL)) own.add(`${unescape(m[1]!)}:${unescape(m[2]!)}`);
    for (const m of text.matchAll(QUALIFIED)) {
      const name = `${unescape(m[2]!)}:${unescape(m[3]!)}`;
      const version = m[4];
      const key = `${name}@${version ?? ''}`;
      const ref = found.get(key) ?? { name, version, files: [] };
      if (!ref.files.includes(file.path)) ref.files.push(file.path);
      found.set(key, ref);
    }
  }
  return [...found.values()]
    .filter((r) => !own.has(r.name))
    .sort((a, b) =>
      a.name === b.name
        ? (a.version ?? '').localeCompare(b.version ?? '')
        : a.name < b.name
          ? -1
          : 1,
    );
}
