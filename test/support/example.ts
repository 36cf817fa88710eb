/**
 * A clean copy of the bundled example project (`examples/http-app`) for a test: its committed
 * files only. What the README's main command writes there (`wit/deps/`, `wkg.lock`, the journal
 * and lock files of an interrupted run) is left out, so the tests pass in a clone where that
 * command already ran.
 */
import { cp } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLE = fileURLToPath(new URL('../../examples/http-app', import.meta.url));

/** What `install` writes into the example (the names its `.gitignore` lists, and our own files). */
function written(rel: string): boolean {
  const parts = rel.split(sep);
  return (
    (parts[0] === 'wit' && parts[1] === 'deps') ||
    rel === 'wkg.lock' ||
    parts.some((part) => part.startsWith('.wit-deps'))
  );
}

/** Copies the example's committed files into `dest`. */
export async function copyExample(dest: string): Promise<void> {
  await cp(EXAMPLE, dest, {
    recursive: true,
    filter: (source) => !written(relative(EXAMPLE, source)),
  });
}
