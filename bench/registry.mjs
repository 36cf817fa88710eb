// The real registry (Debian's docker-registry) for the benchmarks: anonymous, on 127.0.0.1:0, its
// storage under `dir`; killed when the benchmark process exits. Its log goes to a file, not a
// pipe: a benchmark blocked in spawnSync reads no pipe, and a registry whose stderr pipe is full
// stops answering (a `skopeo sync` then hangs).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Starts the registry; resolves to `{ host, stop }` once it listens. */
export function startRegistry(dir) {
  const cfg = join(dir, 'config.yml');
  writeFileSync(
    cfg,
    [
      'version: 0.1',
      'log: {level: info, accesslog: {disabled: true}}',
      `storage: {filesystem: {rootdirectory: "${join(dir, 'data')}"}, maintenance: {uploadpurging: {enabled: false}}}`,
      'http: {addr: "127.0.0.1:0", secret: bench-only}',
    ].join('\n') + '\n',
  );
  const logPath = join(dir, 'registry.log');
  const log = openSync(logPath, 'w');
  const child = spawn('/usr/bin/docker-registry', ['serve', cfg], {
    stdio: ['ignore', 'ignore', log],
  });
  closeSync(log);
  process.on('exit', () => child.kill('SIGKILL'));
  let started = false;
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(readFileSync(logPath, 'utf8'));
      if (m) {
        started = true;
        clearInterval(poll);
        resolve({ host: `127.0.0.1:${m[1]}`, stop: () => child.kill('SIGTERM') });
      }
    }, 20);
    child.once('exit', (code) => {
      if (started) return; // the benchmark is over
      clearInterval(poll);
      reject(new Error(`registry exited ${code}: ${readFileSync(logPath, 'utf8')}`));
    });
  });
}
