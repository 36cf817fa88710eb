// The real registry (Debian's docker-registry) for the benchmarks: anonymous, on 127.0.0.1:0, its
// storage under `dir`; killed when the benchmark process exits.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
  const child = spawn('/usr/bin/docker-registry', ['serve', cfg], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  process.on('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(log);
      if (m) {
        child.stderr.removeAllListeners('data');
        child.stderr.resume();
        resolve({ host: `127.0.0.1:${m[1]}`, stop: () => child.kill('SIGTERM') });
      }
    });
    child.once('exit', (code) => reject(new Error(`registry exited ${code}: ${log}`)));
  });
}
