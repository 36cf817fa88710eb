// Differential check of the WIT text toolchain against wasm-tools (via jco-transpile, installed
// OUTSIDE the project, see bench/wit-reference.mjs). Inputs: generated packages (bench/wit-gen.mjs),
// the WASI packages in fixtures/wasi and the corpus text inputs, plus token-level mutations of
// them. For each input:
//   * both parse + resolve: same accept/reject; when both reject, the same message;
//   * accepted: our encode → reference unpackWit(bytes) equals our decode + print(bytes) and our
//     print of the parsed package, and every world's component type as the reference encodes it
//     is found in our package bytes.
//
//   npm run build && node bench/wit-text-diff.mjs [generated=300] [mutants=600] [seed=1]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWitPackage } from '../dist/wit/encode/index.js';
import { decodeWit, printWitPackage } from '../dist/wit/index.js';
import { parseWitPackage } from '../dist/wit/parse.js';
import { FEATURES, generateWit, mulberry32 } from './wit-gen.mjs';
import { loadReference, referenceParse, referenceUnpack } from './wit-reference.mjs';
import { corpusInputs, mutateText, wasiInputs } from './wit-text-inputs.mjs';

const GENERATED = Number(process.argv[2] ?? 300);
const MUTANTS = Number(process.argv[3] ?? 600);
const SEED = Number(process.argv[4] ?? 1);
const OUT = process.env.WIT_DIFF_OUT ?? join(tmpdir(), 'wit-text-diff');

const ref = await loadReference();
if (ref === undefined) process.exit(0);
mkdirSync(OUT, { recursive: true });

function ours(input) {
  try {
    const { resolve, package: id } = parseWitPackage(input.files, input.deps, {
      features: FEATURES,
    });
    const bytes = encodeWitPackage(resolve, id, { producersVersion: '0.0.0' });
    const worlds = [...resolve.packages[id].worlds.keys()];
    const printed = printWitPackage(resolve, id); // straight from the parsed text
    return { ok: true, bytes, worlds, text: decodeAndPrint(bytes), printed };
  } catch (error) {
    return { ok: false, error: String(error.message).split('\n')[0], code: error.code };
  }
}

function decodeAndPrint(bytes) {
  try {
    const decoded = decodeWit(bytes);
    return printWitPackage(decoded.resolve, decoded.package);
  } catch (error) {
    return `(our decoder fails: ${error.code} ${error.message})`;
  }
}

/** The reference's view: one call per world (a package with none is still parsed once). */
async function reference(input, worlds) {
  const where =
    input.files.length === 1 && input.deps.length === 0
      ? { source: input.files[0].text }
      : { path: writeFolder(input) };
  try {
    const results = [];
    for (const w of worlds.length === 0 ? [undefined] : worlds) {
      const r = await referenceParse(ref, where, w, FEATURES);
      if (!r.ok) return r;
      results.push({ world: w, type: r.worldType });
    }
    return { ok: true, results };
  } finally {
    if (where.path !== undefined) rmSync(where.path, { recursive: true, force: true });
  }
}

function writeFolder(input) {
  const dir = mkdtempSync(join(tmpdir(), 'wit-ref-'));
  for (const f of input.files) writeFileSync(join(dir, f.path.split('/').pop()), f.text);
  input.deps.forEach((dep, i) => {
    const d = join(dir, 'deps', `d${String(i).padStart(3, '0')}`);
    mkdirSync(d, { recursive: true });
    for (const f of dep) writeFileSync(join(d, f.path.split('/').pop()), f.text);
  });
  return dir;
}

const stats = { inputs: 0, bothOk: 0, bothFail: 0, sameMessage: 0, folderFail: 0, divergences: 0 };
const seen = new Map();

function report(kind, input, detail) {
  stats.divergences++;
  const n = (seen.get(kind) ?? 0) + 1;
  seen.set(kind, n);
  if (n > 50) return;
  const file = join(OUT, `${kind}-${n}.txt`);
  const body = input.files.map((f) => `// ${f.path}\n${f.text}`).join('\n');
  writeFileSync(file, `${detail}\n\n${body}`);
  if (n <= 5)
    console.log(`${kind}: ${input.name}: ${detail.split('\n')[0].slice(0, 200)} (${file})`);
}

async function compare(input) {
  stats.inputs++;
  const a = ours(input);
  const b = await reference(input, a.ok ? a.worlds : []);
  if (a.ok !== b.ok) {
    const detail = a.ok ? `reference rejects: ${b.error}` : `we reject: ${a.code} ${a.error}`;
    return report(a.ok ? 'we-accept' : 'we-reject', input, detail);
  }
  if (!a.ok) {
    stats.bothFail++;
    const refMsg = b.error.split('\n')[0];
    // with a folder, the reference reports only `failed to parse package: <dir>`
    if (refMsg.startsWith('failed to parse package: ')) stats.folderFail++;
    // the reference's message leaves out the list of places (and its colon) of a package defined
    // twice; the corpus has wasm-tools' full rendering, with both
    else if (refMsg === a.error.replace(/ locations:$/, ' locations')) stats.sameMessage++;
    else report('message', input, `ours:      ${a.error}\nreference: ${refMsg}`);
    return;
  }
  stats.bothOk++;
  const u = await referenceUnpack(ref, a.bytes);
  if (!u.ok) {
    // wit-parser accepts what wasmparser then refuses (empty flags, `stream<char>`...): fine when
    // our decoder refuses the bytes too
    if (!a.text.startsWith('(our decoder fails')) report('unpack-fails', input, u.error);
    return;
  }
  if (u.text !== a.text) report('print', input, `ours:\n${a.text}\nreference:\n${u.text}`);
  else if (a.printed !== u.text)
    report('print-parsed', input, `ours:\n${a.printed}\nreference:\n${u.text}`);
  for (const { world, type } of b.results) {
    if (type !== undefined && Buffer.from(a.bytes).indexOf(Buffer.from(type)) < 0) {
      report(
        'world-bytes',
        input,
        `world ${world}: reference type ${Buffer.from(type).toString('hex')}`,
      );
    }
  }
}

const rand = mulberry32(SEED);
const valid = [];
for (let i = 0; i < GENERATED; i++) {
  const text = generateWit(SEED * 100_000 + i);
  const input = { name: `gen-${SEED}-${i}`, files: [{ path: 'gen.wit', text }], deps: [] };
  await compare(input);
  valid.push(input);
}
const fixed = [...corpusInputs(), ...wasiInputs()];
for (const input of fixed) await compare(input);
// Mutants: one to three token edits in one file of any input (a folder input is compared on
// acceptance only, as the reference names no cause for it).
const bases = [...valid, ...fixed];
for (let i = 0; i < MUTANTS; i++) {
  const base = bases[Math.floor(rand() * bases.length)];
  const at = Math.floor(rand() * base.files.length);
  let text = base.files[at].text;
  for (let n = 1 + Math.floor(rand() * rand() * 3); n > 0; n--) text = mutateText(text, rand);
  const files = base.files.map((f, k) => (k === at ? { path: f.path, text } : f));
  await compare({ name: `${base.name}~m${i}`, files, deps: base.deps });
}
console.log(
  JSON.stringify({
    reference: `jco-transpile ${ref.version}`,
    ...stats,
    byKind: Object.fromEntries(seen),
  }),
);
