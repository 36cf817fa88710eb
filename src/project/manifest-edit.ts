/**
 * Edits of `wit.toml` text for `add`, `remove` and `update`, keeping the user's order, comments and
 * formatting: only the line of the edited entry changes (or a `[dependencies."x"]` sub-table is
 * removed as a block). A version change (`setDependencyVersion`) changes only the version string,
 * so the entry's other keys (`registry`), its form (inline table, `[dependencies."x"]` table) and
 * its comments stay. The result is parsed again, so an edit can never produce an invalid file.
 */
import { parseManifest } from './manifest.js';

/** The value written for a dependency: a requirement string, or a table. */
export type DependencyValue = string | { version?: string; path?: string; registry?: string };

const HEADER = /^\s*\[\s*([^\]]*?)\s*\]\s*(#.*)?$/;

function sectionName(line: string): string | undefined {
  if (/^\s*\[\[/.test(line)) return '[[array]]';
  const m = HEADER.exec(line);
  return m === null ? undefined : m[1]!.replace(/\s+/g, '');
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/** The TOML text of a dependency value. */
export function formatDependencyValue(value: DependencyValue): string {
  if (typeof value === 'string') return quote(value);
  const parts: string[] = [];
  for (const key of ['version', 'path', 'registry'] as const) {
    const v = value[key];
    if (v !== undefined) parts.push(`${key} = ${quote(v)}`);
  }
  return `{ ${parts.join(', ')} }`;
}

function entryKeyRe(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*(["'])${escaped}\\1\\s*=`);
}

interface Section {
  start: number; // header line index
  end: number; // exclusive
}

function sections(lines: readonly string[], name: string): Section[] {
  const found: Section[] = [];
  let current: Section | undefined;
  lines.forEach((line, i) => {
    const header = sectionName(line);
    if (header === undefined) return;
    if (current !== undefined) current.end = i;
    current = header === name ? { start: i, end: lines.length } : undefined;
    if (current !== undefined) found.push(current);
  });
  return found;
}

/** Adds or replaces `name` in `[dependencies]`; returns the new text. */
export function addDependency(text: string, name: string, value: DependencyValue): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const entry = `${quote(name)} = ${formatDependencyValue(value)}`;
  const withoutTable = removeSubTable(lines, name);
  const [deps] = sections(withoutTable, 'dependencies');
  let out: string[];
  if (deps === undefined) {
    const body = trimTrailingBlank(withoutTable);
    out = [...body, ...(body.length > 0 ? [''] : []), '[dependencies]', entry, ''];
  } else {
    const re = entryKeyRe(name);
    const at = withoutTable.findIndex((l, i) => i > deps.start && i < deps.end && re.test(l));
    out = [...withoutTable];
    if (at >= 0) out[at] = keepComment(out[at]!, entry);
    else {
      let last = deps.end - 1;
      while (last > deps.start && out[last]!.trim() === '') last--;
      out.splice(last + 1, 0, entry);
    }
  }
  const result = out.join(newline);
  parseManifest(result);
  return result;
}

/** Removes `name` from `[dependencies]`; returns the new text and whether it was there. */
export function removeDependency(text: string, name: string): { text: string; removed: boolean } {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const withoutTable = removeSubTable(lines, name);
  const [deps] = sections(withoutTable, 'dependencies');
  const re = entryKeyRe(name);
  const at =
    deps === undefined
      ? -1
      : withoutTable.findIndex((l, i) => i > deps.start && i < deps.end && re.test(l));
  const out = at >= 0 ? withoutTable.filter((_, i) => i !== at) : withoutTable;
  const removed = at >= 0 || withoutTable.length !== lines.length;
  const result = out.join(newline);
  parseManifest(result);
  return { text: result, removed };
}

/** Drops a `[dependencies."name"]` sub-table block, if present. */
function removeSubTable(lines: readonly string[], name: string): string[] {
  const keys = [`dependencies.${quote(name)}`, `dependencies.'${name}'`];
  for (const key of keys) {
    const [block] = sections(lines, key);
    if (block !== undefined) return lines.filter((_, i) => i < block.start || i >= block.end);
  }
  return [...lines];
}

function trimTrailingBlank(lines: readonly string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  return lines.slice(0, end);
}

/** Where a line's trailing `# comment` starts (outside quoted strings), or -1. */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === undefined) {
      if (c === '#') return i;
      if (c === '"' || c === "'") quote = c;
    } else if (c === '\\' && quote === '"') i++;
    else if (c === quote) quote = undefined;
  }
  return -1;
}

/** The new entry line, carrying over the old line's trailing comment at its column. */
function keepComment(oldLine: string, entry: string): string {
  const at = commentStart(oldLine);
  if (at < 0) return entry;
  const indent = /^\s*/.exec(oldLine)![0];
  const line = indent + entry;
  return `${line}${' '.repeat(Math.max(1, at - line.length))}${oldLine.slice(at)}`;
}

const VERSION_KEY = /(^|[\s{,])(version\s*=\s*)(["'])([^"'\n]*)\3/;

/** `line` with the string at `[start, end)` (quotes excluded) replaced by `value`. */
function splice(line: string, start: number, end: number, value: string): string {
  return line.slice(0, start) + value + line.slice(end);
}

/** The entry line with its version replaced, or undefined when it has no version string. */
function withVersion(line: string, value: string): string | undefined {
  const eq = line.indexOf('=');
  const rest = line.slice(eq + 1);
  const lead = /^\s*/.exec(rest)![0].length;
  const q = rest[lead];
  if (q === '"' || q === "'") {
    const start = eq + 1 + lead + 1;
    const end = line.indexOf(q, start);
    return end < 0 ? undefined : splice(line, start, end, value);
  }
  if (q !== '{') return undefined;
  const m = VERSION_KEY.exec(rest);
  if (m === null) return undefined;
  const start = eq + 1 + m.index + m[1]!.length + m[2]!.length + 1;
  return splice(line, start, start + m[4]!.length, value);
}

/**
 * Sets the version requirement of an existing registry entry to `version`, changing only that
 * string (inline, inline table or `[dependencies."name"]` table). Undefined when the entry is
 * missing or has no version (a path entry): the caller then uses {@link addDependency}.
 */
export function setDependencyVersion(
  text: string,
  name: string,
  version: string,
): string | undefined {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const out = [...lines];
  const [deps] = sections(lines, 'dependencies');
  const re = entryKeyRe(name);
  const at =
    deps === undefined
      ? -1
      : lines.findIndex((l, i) => i > deps.start && i < deps.end && re.test(l));
  let done = false;
  if (at >= 0) {
    const line = withVersion(lines[at]!, version);
    if (line !== undefined) [out[at], done] = [line, true];
  } else {
    const [block] = [`dependencies.${quote(name)}`, `dependencies.'${name}'`].flatMap((key) =>
      sections(lines, key),
    );
    for (let i = (block?.start ?? 0) + 1; block !== undefined && i < block.end && !done; i++) {
      const m = /^(\s*version\s*=\s*)(["'])([^"'\n]*)\2/.exec(lines[i]!);
      if (m === null) continue;
      out[i] = splice(lines[i]!, m[1]!.length + 1, m[1]!.length + 1 + m[3]!.length, version);
      done = true;
    }
  }
  if (!done) return undefined;
  const result = out.join(newline);
  parseManifest(result);
  return result;
}
