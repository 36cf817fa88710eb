// `npm run bench`: runs every benchmark with targets (each bench/*.mjs that imports
// ./result.mjs), one after the other, shows their output as it comes, collects their
// `RESULT {...}` lines (bench/README.md) and prints one table: figure, value, reference, ratio,
// target, PASS/MISS. Exits 1 when a script fails or prints no result; a MISS is reported, not an
// error (`--strict` makes it one).
//   node bench/run-all.mjs [--strict] [name...]   (names: `startup`, `oci-pull`, ...)
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULT_PREFIX } from './result.mjs';

const DIR = import.meta.dirname;
const args = process.argv.slice(2);
const strict = args.includes('--strict');
const only = args.filter((a) => a !== '--strict');

/** The bench scripts that report results through ./result.mjs. */
function scripts() {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs' && f !== 'result.mjs')
    .filter((f) => /from '\.\/result\.mjs'/.test(readFileSync(join(DIR, f), 'utf8')))
    .filter((f) => only.length === 0 || only.includes(f.replace(/\.mjs$/, '')))
    .sort();
}

/** Runs one script; resolves to its results (its other output goes to this process's stdout). */
function runScript(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(DIR, file)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const results = [];
    let rest = '';
    const take = (line) => {
      if (!line.startsWith(RESULT_PREFIX)) return void process.stdout.write(`  ${line}\n`);
      try {
        results.push(JSON.parse(line.slice(RESULT_PREFIX.length)));
      } catch {
        process.stdout.write(`  (unreadable result line) ${line}\n`);
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      lines.forEach(take);
    });
    child.on('close', (code) => {
      if (rest !== '') take(rest);
      resolve({ file, code, results });
    });
  });
}

function fmt(value, unit) {
  if (typeof value !== 'number') return value === undefined ? '' : String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

function table(rows) {
  const head = ['script', 'figure', 'value', 'reference', 'ratio', 'target', 'result'];
  const body = rows.map(({ file, r }) => [
    file.replace(/\.mjs$/, ''),
    r.figure,
    fmt(r.value, r.unit),
    fmt(r.reference, r.unit),
    typeof r.ratio === 'number' ? `${r.ratio.toFixed(2)}x` : '',
    r.target ?? '',
    r.pass === true ? 'PASS' : r.pass === false ? 'MISS' : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const rows = [];
const failed = [];
for (const file of scripts()) {
  console.log(`== ${file}`);
  const { code, results } = await runScript(file);
  if (code !== 0 || results.length === 0)
    failed.push(`${file} (${code !== 0 ? `exit ${code}` : 'no result lines'})`);
  for (const r of results) rows.push({ file, r });
}
console.log(`\n${table(rows)}\n`);
const missed = rows.filter(({ r }) => r.pass === false).length;
console.log(`${rows.length} figures, ${rows.length - missed} PASS, ${missed} MISS`);
if (failed.length > 0) console.log(`failed: ${failed.join(', ')}`);
process.exitCode = failed.length > 0 || (strict && missed > 0) ? 1 : 0;
