/**
 * The network flags as the CLI parsed them, and the one check of their numeric values (a flag,
 * else its environment variable). A leaf module: the CLI validates flags before a command starts
 * without loading the OCI client or the credential readers.
 */
import { WitDepsError } from '../../errors.js';

/** Raw flag values, as the CLI parsed them (strings, unvalidated). */
export interface NetworkFlags {
  insecure?: boolean;
  retries?: string;
  timeout?: string;
  deadline?: string;
  maxConnections?: string;
  chunkSize?: string;
  maxTagPages?: string;
  username?: string;
  password?: string;
  token?: string;
}

/** A whole number of at least `min`, or undefined for none; anything else is a usage error. */
function integer(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
    throw new WitDepsError(
      'ERR_USAGE',
      `${name} must be a whole number of at least ${min}, got \`${value}\``,
      {
        hint: `fix \`${name}\``,
      },
    );
  }
  return Number(value);
}

function pick(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): [string | undefined, string] {
  return flag !== undefined ? [flag, 'the flag'] : [env[name], name];
}

/** The numeric network knobs, validated: a flag, else its environment variable. */
export interface NetworkNumbers {
  retries?: number | undefined;
  timeout?: number | undefined;
  deadline?: number | undefined;
  connections?: number | undefined;
  chunkSize?: number | undefined;
  maxTagPages?: number | undefined;
}

/**
 * Validates the numeric knobs (flags, else environment): the one check, run by the CLI before a
 * command starts (a bad value is a usage error, exit code 2) and again when the clients open.
 */
export function networkNumbers(
  flags: NetworkFlags,
  env: Readonly<Record<string, string | undefined>>,
): NetworkNumbers {
  const num = (
    flag: string | undefined,
    name: string,
    flagName: string,
    min: number,
  ): number | undefined => {
    const [value, source] = pick(flag, env, name);
    return integer(value, source === 'the flag' ? flagName : source, min);
  };
  return {
    retries: num(flags.retries, 'WIT_DEPS_RETRIES', '--retries', 0),
    timeout: num(flags.timeout, 'WIT_DEPS_TIMEOUT', '--timeout', 1),
    deadline: num(flags.deadline, 'WIT_DEPS_DEADLINE', '--deadline', 0),
    connections: num(flags.maxConnections, 'WIT_DEPS_MAX_CONNECTIONS', '--max-connections', 1),
    chunkSize: num(flags.chunkSize, 'WIT_DEPS_CHUNK_SIZE', '--chunk-size', 1024),
    maxTagPages: num(flags.maxTagPages, 'WIT_DEPS_MAX_TAG_PAGES', '--max-tag-pages', 1),
  };
}

/**
 * Parallel fetches: `--concurrency <n>`, else `WIT_DEPS_CONCURRENCY`, else the default (8). A value
 * that is not a whole number of at least 1 is a usage error (exit code 2).
 */
export function concurrencySetting(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): number | undefined {
  const [value, source] = pick(flag, env, 'WIT_DEPS_CONCURRENCY');
  return integer(value, source === 'the flag' ? '--concurrency' : source, 1);
}
