/**
 * Robustness of the WIT decoder and printer: seeded mutations and truncations of every corpus
 * binary (at least 10,000 inputs) must either decode (and then print) or fail with a
 * `WitDepsError` — never a `TypeError`/`RangeError`/stack overflow — and each input must finish
 * quickly (no hang). Small limits are used for part of the inputs so the limit paths run too.
 */
import { describe, expect, it } from 'vitest';
import { WitDepsError } from '../../../src/errors.js';
import { decodeWit, printWitAll, type DecodeLimits } from '../../../src/wit/index.js';
import { loadBinaryCases } from '../../support/wit-corpus.js';
import { mulberry32, mutate } from '../../support/mutate.js';
import {
  component,
  decl,
  desc,
  exportSection,
  interfaceItem,
  name,
  typeSection,
  type Bytes,
} from '../../support/component-builder.js';

const INPUTS_PER_RUN = 10_000;
const SMALL_LIMITS: Partial<DecodeLimits> = { maxVecLength: 16, maxDepth: 4, maxTypes: 200 };

interface Outcome {
  ok: number;
  codes: Map<string, number>;
  slowestMs: number;
}

function run(input: Uint8Array, limits: Partial<DecodeLimits>, outcome: Outcome): void {
  const start = performance.now();
  try {
    const { resolve, package: pkg } = decodeWit(input, limits);
    printWitAll(resolve, pkg);
    outcome.ok++;
  } catch (error) {
    if (!(error instanceof WitDepsError)) {
      throw new Error(`non-WitDepsError on a mutated input: ${String(error)}`, { cause: error });
    }
    outcome.codes.set(error.code, (outcome.codes.get(error.code) ?? 0) + 1);
  }
  outcome.slowestMs = Math.max(outcome.slowestMs, performance.now() - start);
}

describe('wit decoder fuzz', () => {
  // The upstream corpus only: the larger WASI fixtures would make the run slow without new shapes.
  const cases = loadBinaryCases().filter((c) => !c.id.startsWith('wasi/'));

  it('truncations of every corpus binary fail with a typed error', () => {
    const outcome: Outcome = { ok: 0, codes: new Map(), slowestMs: 0 };
    for (const c of cases) {
      const step = Math.max(1, Math.floor(c.wasm.length / 60));
      for (let len = 0; len < c.wasm.length; len += step) run(c.wasm.subarray(0, len), {}, outcome);
    }
    // A cut exactly between sections leaves a smaller valid component (or none at all).
    expect([...outcome.codes.keys()].sort()).toEqual(['ERR_WIT_DECODE', 'ERR_WIT_NOT_A_PACKAGE']);
    expect(outcome.codes.get('ERR_WIT_DECODE')).toBeGreaterThan(outcome.ok * 10);
  });

  it(`${INPUTS_PER_RUN} seeded mutations only ever throw WitDepsError`, () => {
    const rand = mulberry32(0x5eed_2026);
    const outcome: Outcome = { ok: 0, codes: new Map(), slowestMs: 0 };
    for (let i = 0; i < INPUTS_PER_RUN; i++) {
      const c = cases[i % cases.length];
      if (c === undefined) continue;
      run(mutate(c.wasm, rand), i % 4 === 0 ? SMALL_LIMITS : {}, outcome);
    }
    console.log(
      `wit fuzz: ${INPUTS_PER_RUN} inputs, ${outcome.ok} decoded, errors ${JSON.stringify(Object.fromEntries(outcome.codes))}, slowest ${outcome.slowestMs.toFixed(1)} ms`,
    );
    expect(outcome.codes.get('ERR_WIT_DECODE')).toBeGreaterThan(INPUTS_PER_RUN / 4);
    expect(outcome.codes.get('ERR_LIMIT_EXCEEDED')).toBeGreaterThan(0);
    expect(outcome.slowestMs).toBeLessThan(1000);
  });

  it('decodes a 40,000-link alias chain in linear time', () => {
    const decls: Bytes[] = [decl.type([0x7d])];
    for (let i = 0; i < 40_000; i++) decls.push(decl.export(name(`a${i}`), desc.eq(i)));
    const bytes = component(typeSection(interfaceItem('a:b/i', decls)), exportSection('i', 0));
    const start = performance.now();
    const { resolve } = decodeWit(bytes);
    expect(resolve.types.length).toBe(40_000);
    // Quadratic alias peeling took ~8 s here; linear decoding takes well under one.
    const elapsed = performance.now() - start;
    console.log(`alias chain of 40,000: ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(3000);
  });
});
