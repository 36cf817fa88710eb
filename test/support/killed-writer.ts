/**
 * A process that starts writing one blob into a cache and stalls halfway, for a test to `kill -9`
 * it there, as a killed install would be: `argv` is `<mode> <cache dir> <digest> <size> [layout]`.
 *
 * - `layout`: the blob is copied from the OCI image layout `<layout>` (`LayoutBackend.openBlob`
 *   into `Cache.ingest`, what an install from a `layout` registry does); the layout file's read
 *   stream is made to stop after half the bytes, as a slow disk or network file system would.
 * - `download`: the blob is downloaded (`downloadStream` into `Cache.ingest`) from a response
 *   whose body stops after half the bytes (a stalled registry), without any network.
 *
 * Prints `stalled` once half the bytes have been handed to the writer. Bundled by the test (esbuild)
 * so that it runs under plain node.
 */
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { Cache } from '../../src/cache/store.js';
import { downloadStream } from '../../src/oci/download.js';
import { LayoutBackend } from '../../src/oci/layout.js';

const [mode, cacheDir, digest, sizeText, layoutDir] = process.argv.slice(2);
const size = Number(sizeText);
const half = size >> 1;

/** The first `keep` bytes of `source`, then a stream that never ends. */
function stallAfter(source: Readable, keep: number): Readable {
  const out = new PassThrough();
  let passed = 0;
  source.on('data', (chunk: Buffer) => {
    if (passed >= keep) return;
    const part = chunk.subarray(0, keep - passed);
    passed += part.length;
    out.write(part);
    if (passed < keep) return;
    source.pause();
    process.stdout.write('stalled\n');
  });
  return out;
}

// a stalled stream holds no handle: without this timer node would exit (code 13) instead of waiting
setInterval(() => undefined, 60_000);
const cache = new Cache(cacheDir!);
const expected = { digest: digest!, size };
if (mode === 'layout') {
  const probe = await open(process.execPath);
  const proto = Object.getPrototypeOf(probe) as {
    createReadStream: (this: unknown, ...args: unknown[]) => Readable;
  };
  await probe.close();
  const original = proto.createReadStream;
  proto.createReadStream = function (this: unknown, ...args: unknown[]) {
    return stallAfter(original.apply(this, args), half);
  };
  await cache.ingest(expected, await new LayoutBackend(layoutDir!).openBlob('', expected));
} else {
  const whole = new PassThrough();
  whole.end(randomBytes(size));
  const body = stallAfter(whole, half);
  const response = { status: 200, headers: {}, body, url: new URL('http://127.0.0.1/') };
  const stream = downloadStream(
    () => Promise.resolve(response),
    expected,
    'blob',
    1,
    (e) => e,
  );
  await cache.ingest(expected, stream);
}
process.stdout.write('finished\n'); // not reached: the test kills the process while it stalls
