/**
 * A syntax error in the wasm-pkg `config.toml` names the file, line and column but never quotes
 * the line, which may hold a password (`auth = { ... }`), also under `--verbose` and `--json`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { tempDirSync } from '../../support/temp-project.js';

describe('config.toml errors', () => {
  it('do not quote the offending line', async () => {
    const cwd = tempDirSync('wit-deps-config-');
    writeFileSync(join(cwd, 'wit.toml'), '[dependencies]\n"wasi:http" = "0.2.0"\n');
    writeFileSync(
      join(cwd, 'config.toml'),
      '[registry."acme.io".oci]\nauth = { username = "open", password = "SESAME-PW }\n',
    );
    for (const flag of ['-v', '--json']) {
      const io = bufferIo({ cwd, env: {} });
      const code = await main([flag, 'install', '--config', 'config.toml'], io);
      expect(code).toBe(1);
      expect(io.out() + io.err()).toContain('ERR_CONFIG_INVALID');
      expect(io.out() + io.err()).not.toContain('SESAME-PW');
    }
  });
});
