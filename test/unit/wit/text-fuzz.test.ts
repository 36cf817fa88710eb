/**
 * Robustness of the WIT text toolchain: mutated corpus text (seeded, reproducible) only ever
 * yields our own errors (`ERR_WIT_PARSE`, `ERR_WIT_RESOLVE`, `ERR_LIMIT_EXCEEDED`, and
 * `ERR_WIT_ENCODE` from the encoder), never a crash; deep nesting and huge inputs are refused with
 * a limit error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WitDepsError } from '../../../src/errors.js';
import { encodeWitPackage } from '../../../src/wit/encode/index.js';
import { parseWitPackage } from '../../../src/wit/parse.js';
import { FIXTURES } from '../../support/wit-fixtures.js';

const ALLOWED = new Set([
  'ERR_WIT_PARSE',
  'ERR_WIT_RESOLVE',
  'ERR_LIMIT_EXCEEDED',
  'ERR_WIT_ENCODE',
]);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '{',
  '}',
  '<',
  '>',
  '(',
  ')',
  ';',
  ':',
  ',',
  '.',
  '/',
  '@',
  '->',
  '%',
  'use ',
  'type ',
  'func',
  'resource ',
  'own<',
  'borrow<',
  'list<',
  'u32',
  'interface ',
  'world ',
  'import ',
  'export ',
  'include ',
  'package a:b;',
  '"',
  '/*',
  '*/',
  '//',
  '\n',
  '\u202e',
  '\u0007',
  '@since(version = 1.0.0)',
  '@unstable(feature = x)',
  'x-Y',
  '%type',
  '0.1.0',
];

function mutate(text: string, rand: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (out.length + 1));
    const op = Math.floor(rand() * 5);
    const len = Math.floor(rand() * 12);
    if (op === 0) out = out.slice(0, at) + out.slice(at + len);
    else if (op === 1)
      out = out.slice(0, at) + TOKENS[Math.floor(rand() * TOKENS.length)]! + out.slice(at);
    else if (op === 2) out = out.slice(0, at);
    else if (op === 3)
      out = out.slice(0, at) + out.slice(at, at + len).repeat(3) + out.slice(at + len);
    else {
      const from = Math.floor(rand() * out.length);
      out = out.slice(0, at) + out.slice(from, from + len) + out.slice(at);
    }
  }
  return out;
}

function corpusTexts(): string[] {
  const dir = join(FIXTURES, 'corpus/wit-parser-ui');
  const texts: string[] = [];
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, `${name}.wit`);
    try {
      texts.push(readFileSync(file, 'utf8'));
    } catch {
      // folder cases are covered by the conformance tests
    }
  }
  return texts;
}

function attempt(text: string): string {
  try {
    const { resolve, package: pkg } = parseWitPackage([{ path: 'fuzz.wit', text }], [], {
      features: ['active'],
    });
    encodeWitPackage(resolve, pkg, { producersVersion: '0.0.0' });
    return 'ok';
  } catch (err) {
    if (err instanceof WitDepsError && ALLOWED.has(err.code)) return err.code;
    throw new Error(`unexpected failure on input ${JSON.stringify(text.slice(0, 300))}`, {
      cause: err,
    });
  }
}

/** Asserts that `fn` throws a WitDepsError with `code` (and `message`, when given). */
function expectCode(fn: () => unknown, code: string, message?: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(WitDepsError);
  expect((caught as WitDepsError).code).toBe(code);
  if (message !== undefined) expect((caught as WitDepsError).message).toBe(message);
}

describe('WIT text fuzz', () => {
  it('mutated corpus text yields only wit-deps diagnostics', () => {
    const rand = mulberry32(20261124);
    const texts = corpusTexts();
    const counts: Record<string, number> = {};
    const start = Date.now();
    for (let i = 0; i < 2000; i++) {
      const text = mutate(texts[Math.floor(rand() * texts.length)]!, rand);
      const outcome = attempt(text);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
    console.log(
      `wit text fuzz: 2000 inputs in ${Date.now() - start} ms, outcomes ${JSON.stringify(counts)}`,
    );
    expect(counts.ok ?? 0).toBeGreaterThan(0);
    expect(counts.ERR_WIT_PARSE ?? 0).toBeGreaterThan(0);
  });

  it('refuses deeply nested types with a limit error', () => {
    const text = `package a:b;\ninterface i {\n  type t = ${'list<'.repeat(5000)}u8${'>'.repeat(5000)};\n}\n`;
    expectCode(
      () => parseWitPackage([{ path: 'deep.wit', text }]),
      'ERR_LIMIT_EXCEEDED',
      'type nesting too deep',
    );
  });

  it('refuses deeply nested packages with a limit error', () => {
    const text = `${'package a:b {\n'.repeat(500)}${'}\n'.repeat(500)}`;
    expectCode(
      () => parseWitPackage([{ path: 'deep.wit', text }]),
      'ERR_LIMIT_EXCEEDED',
      'package nesting too deep',
    );
  });

  it('refuses inputs over the size limit', () => {
    const text = `package a:b;\n${' '.repeat(16 * 1024 * 1024 + 1)}`;
    expectCode(() => parseWitPackage([{ path: 'huge.wit', text }]), 'ERR_LIMIT_EXCEEDED');
  });

  it('accepts long alias chains up to the depth limit and refuses longer ones', () => {
    const chain = (n: number): string =>
      `package a:b;\ninterface i {\n  type t0 = u32;\n${Array.from({ length: n }, (_, i) => `  type t${i + 1} = t${i};`).join('\n')}\n  f: func(x: t${n}) -> t${n};\n}\n`;
    const { resolve, package: pkg } = parseWitPackage([{ path: 'chain.wit', text: chain(900) }]);
    expect(encodeWitPackage(resolve, pkg, { producersVersion: '0' }).length).toBeGreaterThan(900);
    expectCode(
      () => parseWitPackage([{ path: 'chain.wit', text: chain(5000) }]),
      'ERR_LIMIT_EXCEEDED',
    );
  });
});
