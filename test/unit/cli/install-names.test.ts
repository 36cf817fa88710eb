/** `wit-deps install <pkg>`: a usage error whose hint is the `add` command (before: commander's generic "too many arguments"). */
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';

describe('install <pkg>', () => {
  it('is ERR_USAGE (exit 2) with a hint to run add', async () => {
    const io = bufferIo();
    expect(await main(['--json', 'install', 'wasi:http@0.2.3'], io)).toBe(2);
    const doc = JSON.parse(io.out()) as { error: { code: string; hint: string } };
    expect(doc.error).toMatchObject({
      code: 'ERR_USAGE',
      hint: 'to add a package to wit.toml and install it, run `wit-deps add wasi:http@0.2.3`',
    });
  });
});
