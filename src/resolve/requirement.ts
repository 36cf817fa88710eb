/**
 * Version requirements in the Rust `semver` crate's syntax, translated to node-semver ranges.
 *
 * WIT tooling is Rust-first and `wkg.lock` stores `VersionReq` strings, so `wit.toml` uses the
 * same syntax (semver crate 1.x, `src/parse.rs` and `src/eval.rs`; Cargo's "Specifying
 * Dependencies" chapter):
 *
 * - a requirement is one or more comparators joined by commas (all must hold), or `*` alone;
 * - a comparator is an optional operator (`=`, `>`, `>=`, `<`, `<=`, `~`, `^`; none means `^`),
 *   then `MAJOR[.MINOR[.PATCH[-PRE][+BUILD]]]`, where MINOR and PATCH may be a wildcard
 *   (`*`, `x`, `X`) and nothing numeric may follow a wildcard;
 * - a version with a prerelease matches only if some comparator names the same
 *   major.minor.patch with a prerelease (node-semver applies the same rule per comparator set).
 *
 * Each comparator becomes one or two node-semver comparators with explicit full versions, so no
 * node-semver partial-version or caret logic is involved. Exclusive upper bounds are written
 * `<X.Y.Z-0`: that excludes the prereleases of X.Y.Z too, as Rust does, even when another
 * comparator names a prerelease of X.Y.Z.
 */
import semver from 'semver';
import { resolveError } from './error-text.js';

/** The comparison operator of one comparator; `wildcard` is `I.*` / `I.J.*` without an operator. */
export type Op = '=' | '>' | '>=' | '<' | '<=' | '~' | '^' | 'wildcard';

/** One comparator, as the Rust crate models it (build metadata is dropped). */
export interface Comparator {
  op: Op;
  major: number;
  minor: number | undefined;
  patch: number | undefined;
  /** Prerelease identifiers joined by dots; '' for none. Only present with a patch number. */
  pre: string;
}

/** A parsed requirement. */
export interface Requirement {
  /** Empty for `*`. */
  comparators: readonly Comparator[];
  /** The canonical form (Rust's `Display`): `^1.2.3`, `>=1.0.0, <2`, `*`. */
  display: string;
  /** The equivalent node-semver range. */
  range: semver.Range;
}

const MAX_COMPARATORS = 32;
const WILDCARDS = new Set(['*', 'x', 'X']);

class Cursor {
  constructor(
    readonly source: string,
    public rest: string,
  ) {}

  skipSpaces(): void {
    this.rest = this.rest.replace(/^ +/, '');
  }

  fail(reason: string): never {
    throw resolveError('invalid-requirement', { requirement: this.source, reason });
  }
}

function describeNext(cur: Cursor, position: string): string {
  const ch = cur.rest[0];
  return ch === undefined
    ? `unexpected end of input while parsing ${position}`
    : `unexpected character '${ch}' while parsing ${position}`;
}

function numeric(cur: Cursor, position: string): number {
  const m = /^[0-9]+/.exec(cur.rest);
  if (m === null) cur.fail(describeNext(cur, position));
  const digits = m[0];
  if (digits.length > 1 && digits.startsWith('0')) cur.fail(`invalid leading zero in ${position}`);
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) cur.fail(`value of ${position} is too large`);
  cur.rest = cur.rest.slice(digits.length);
  return value;
}

function takeWildcard(cur: Cursor): boolean {
  const ch = cur.rest[0];
  if (ch === undefined || !WILDCARDS.has(ch)) return false;
  cur.rest = cur.rest.slice(1);
  return true;
}

/** Dot-separated identifiers of [0-9A-Za-z-]; `numericNoLeadingZero` applies to prereleases. */
function identifiers(cur: Cursor, what: string, numericNoLeadingZero: boolean): string {
  const m = /^[0-9A-Za-z-]*(?:\.[0-9A-Za-z-]*)*/.exec(cur.rest);
  const text = m?.[0] ?? '';
  const parts = text.split('.');
  if (parts.some((p) => p.length === 0)) cur.fail(`empty identifier segment in ${what}`);
  if (numericNoLeadingZero && parts.some((p) => /^0[0-9]+$/.test(p)))
    cur.fail(`invalid leading zero in ${what}`);
  cur.rest = cur.rest.slice(text.length);
  return text;
}

function operator(cur: Cursor): Op | undefined {
  for (const op of ['>=', '<=', '=', '>', '<', '~', '^'] as const) {
    if (cur.rest.startsWith(op)) {
      cur.rest = cur.rest.slice(op.length);
      return op;
    }
  }
  return undefined;
}

function comparator(cur: Cursor): Comparator {
  const written = operator(cur);
  let op: Op = written ?? '^';
  cur.skipSpaces();
  const major = numeric(cur, 'major version number');
  let minor: number | undefined;
  let patch: number | undefined;
  let wildcard = false;
  if (cur.rest.startsWith('.')) {
    cur.rest = cur.rest.slice(1);
    if (takeWildcard(cur)) wildcard = true;
    else minor = numeric(cur, 'minor version number');
  }
  if (cur.rest.startsWith('.')) {
    cur.rest = cur.rest.slice(1);
    if (takeWildcard(cur)) wildcard = true;
    else if (wildcard) cur.fail('unexpected character after wildcard in version req');
    else patch = numeric(cur, 'patch version number');
  }
  if (wildcard && written === undefined) op = 'wildcard';
  let pre = '';
  if (patch !== undefined && cur.rest.startsWith('-')) {
    cur.rest = cur.rest.slice(1);
    pre = identifiers(cur, 'pre-release identifier', true);
  }
  if (patch !== undefined && cur.rest.startsWith('+')) {
    cur.rest = cur.rest.slice(1);
    identifiers(cur, 'build metadata', false);
  }
  cur.skipSpaces();
  return { op, major, minor, patch, pre };
}

function positionOf(c: Comparator): string {
  if (c.pre !== '') return 'pre-release identifier';
  if (c.patch !== undefined) return 'patch version number';
  if (c.minor !== undefined) return 'minor version number';
  return 'major version number';
}

/**
 * Parses a Rust-semver requirement.
 *
 * @throws {WitDepsError} `ERR_INVALID_REQUIREMENT` naming the requirement and the reason.
 */
export function parseRequirement(text: string): Requirement {
  const source = text;
  const cur = new Cursor(source, text.replace(/^ +/, ''));
  if (cur.rest.length > 0 && WILDCARDS.has(cur.rest[0]!)) {
    const after = cur.rest.slice(1).replace(/^ +/, '');
    if (after === '') return build([]);
    if (after.startsWith(',')) cur.fail('wildcard req (*) must be the only comparator');
    cur.fail('unexpected character after wildcard in version req');
  }
  const comparators: Comparator[] = [];
  for (;;) {
    const start = cur.rest;
    const parsed = parseOne(cur, start);
    comparators.push(parsed);
    if (cur.rest === '') break;
    if (!cur.rest.startsWith(','))
      cur.fail(`expected comma after ${positionOf(parsed)}, found '${cur.rest[0]!}'`);
    cur.rest = cur.rest.slice(1).replace(/^ +/, '');
    if (comparators.length === MAX_COMPARATORS) cur.fail('excessive number of version comparators');
  }
  return build(comparators);
}

function parseOne(cur: Cursor, start: string): Comparator {
  const sub = new Cursor(cur.source, start);
  try {
    const parsed = comparator(sub);
    cur.rest = sub.rest;
    return parsed;
  } catch (error) {
    const after = start.slice(1).replace(/^ +/, '');
    if (WILDCARDS.has(start[0] ?? '') && (after === '' || after.startsWith(',')))
      cur.fail('wildcard req (*) must be the only comparator');
    throw error;
  }
}

function build(comparators: Comparator[]): Requirement {
  const display =
    comparators.length === 0 ? '*' : comparators.map((c) => formatComparator(c)).join(', ');
  const nodeRange = comparators.length === 0 ? '>=0.0.0' : comparators.map(toNode).join(' ');
  return { comparators, display, range: new semver.Range(nodeRange) };
}

function formatVersion(c: Comparator): string {
  let out = String(c.major);
  if (c.minor === undefined) return c.op === 'wildcard' ? `${out}.*` : out;
  out += `.${c.minor}`;
  if (c.patch === undefined) return c.op === 'wildcard' ? `${out}.*` : out;
  out += `.${c.patch}`;
  return c.pre === '' ? out : `${out}-${c.pre}`;
}

/** Rust's `Display` of one comparator. */
export function formatComparator(c: Comparator): string {
  return (c.op === 'wildcard' ? '' : c.op) + formatVersion(c);
}

/** node-semver comparators (space-joined) equivalent to one Rust comparator. */
function toNode(c: Comparator): string {
  const { major: i, minor: j, patch: k } = c;
  const full = k === undefined ? '' : `${i}.${j ?? 0}.${k}${c.pre === '' ? '' : `-${c.pre}`}`;
  const below = (v: string): string => `<${v}-0`;
  const majorRange = `>=${i}.0.0 ${below(`${i + 1}.0.0`)}`;
  const minorRange = (jj: number): string => `>=${i}.${jj}.0 ${below(`${i}.${jj + 1}.0`)}`;
  switch (c.op) {
    case '=':
    case 'wildcard':
      if (j === undefined) return majorRange;
      if (k === undefined) return minorRange(j);
      return `=${full}`;
    case '~':
      if (j === undefined) return majorRange;
      if (k === undefined) return minorRange(j);
      return `>=${full} ${below(`${i}.${j + 1}.0`)}`;
    case '^':
      return caretToNode(c, full);
    case '>':
      if (j === undefined) return `>=${i + 1}.0.0`;
      if (k === undefined) return `>=${i}.${j + 1}.0`;
      return `>${full}`;
    case '>=':
      return k === undefined ? `>=${i}.${j ?? 0}.0` : `>=${full}`;
    case '<':
      return k === undefined ? below(`${i}.${j ?? 0}.0`) : `<${full}`;
    case '<=':
      if (j === undefined) return below(`${i + 1}.0.0`);
      if (k === undefined) return below(`${i}.${j + 1}.0`);
      return `<=${full}`;
  }
}

function caretToNode(c: Comparator, full: string): string {
  const { major: i, minor: j, patch: k } = c;
  const below = (v: string): string => `<${v}-0`;
  if (j === undefined) return `>=${i}.0.0 ${below(`${i + 1}.0.0`)}`;
  const lower = k === undefined ? `>=${i}.${j}.0` : `>=${full}`;
  if (i > 0) return `${lower} ${below(`${i + 1}.0.0`)}`;
  if (j > 0 || k === undefined) return `${lower} ${below(`0.${j + 1}.0`)}`;
  return `${lower} ${below(`0.0.${k + 1}`)}`;
}

/** True when `version` (a parsed semver) satisfies the requirement, with Rust's prerelease rule. */
export function satisfies(requirement: Requirement, version: semver.SemVer | string): boolean {
  return requirement.range.test(version);
}

/** True when some comparator names a prerelease (so prerelease tags may be selected). */
export function namesPrerelease(requirement: Requirement): boolean {
  return requirement.comparators.some((c) => c.pre !== '');
}

/** The exact requirement `=x.y.z` that a WIT reference `@x.y.z` stands for. */
export function exactRequirement(version: string): Requirement {
  return parseRequirement(`=${version}`);
}

const SEMVER_TAG =
  /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Parses a tag as a strict SemVer 2.0 version (no `v` prefix), or returns undefined. */
export function parseVersion(tag: string): semver.SemVer | undefined {
  if (!SEMVER_TAG.test(tag)) return undefined;
  const parsed = semver.parse(tag);
  return parsed ?? undefined;
}
