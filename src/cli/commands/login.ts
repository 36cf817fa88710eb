/**
 * `wit-deps login <registry> -u <user> --password-stdin` and `wit-deps logout <registry>`: thin
 * commands over `app/oci/login.ts`. The password is read from standard input only (never a flag: it
 * would show in the process list and the shell history).
 */
import type { Command } from 'commander';
import type { LoginResult } from '../../app/oci/login.js';
import { WitDepsError } from '../../errors.js';
import type { CommandContext } from '../context.js';

function where(result: LoginResult): string {
  return result.store.kind === 'helper'
    ? `credential helper docker-credential-${result.store.helper}`
    : result.store.path;
}

async function password(ctx: CommandContext, fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin !== true || ctx.io.readStdin === undefined) {
    throw new WitDepsError('ERR_USAGE', 'login reads the password from standard input only', {
      hint: 'pipe it in: `printf %s "$TOKEN" | wit-deps login <registry> -u <user> --password-stdin`',
    });
  }
  return ctx.io.readStdin();
}

export function registerLogin(program: Command, ctx: CommandContext): void {
  program
    .command('login')
    .description(
      'store registry credentials in the docker config (or its credential helper), as docker login does',
    )
    .argument('<registry>', 'the registry host, e.g. ghcr.io or 127.0.0.1:5000')
    .requiredOption('-u, --username <user>', 'the user name')
    .option('--password-stdin', 'read the password or token from standard input')
    .action(async (registry: string, opts: { username: string; passwordStdin?: boolean }) => {
      const secret = await password(ctx, opts.passwordStdin);
      const { login } = await import('../../app/oci/login.js');
      const result = await login({
        registry,
        username: opts.username,
        password: secret,
        env: ctx.io.env,
      });
      ctx.emit({ json: result, human: () => `logged in to ${result.registry} (${where(result)})` });
    });
  program
    .command('logout')
    .description('remove the credentials of a registry from the docker config (or its helper)')
    .argument('<registry>', 'the registry host')
    .action(async (registry: string) => {
      const { logout } = await import('../../app/oci/login.js');
      const result = await logout({ registry, env: ctx.io.env });
      ctx.emit({
        json: result,
        human: () =>
          result.removed
            ? `logged out of ${result.registry} (${where(result)})`
            : `no credentials for ${result.registry} in ${where(result)}`,
      });
    });
}
