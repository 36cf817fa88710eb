/**
 * A process that takes the project lock of `argv[2]` (heartbeat every `argv[3]` ms), prints one
 * JSON line `{ pid, pidns }` once it holds it, and on the stdin line `die` kills itself with
 * SIGKILL, leaving the lock behind as a crashed install would. Bundled by
 * {@link bundleLockHolder} so that it runs under plain node (e.g. inside `unshare`).
 */
import { readlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { acquireProjectMutex } from '../../src/project/project-mutex-io.js';

const [root, heartbeat] = process.argv.slice(2);
await acquireProjectMutex(root!, { waitMs: 0, heartbeatMs: Number(heartbeat) });
let pidns = '';
try {
  pidns = readlinkSync('/proc/self/ns/pid');
} catch {
  // no /proc: pidns stays ''
}
process.stdout.write(`${JSON.stringify({ pid: process.pid, pidns })}\n`);
for await (const line of createInterface({ input: process.stdin }))
  if (line.trim() === 'die') process.kill(process.pid, 'SIGKILL');
