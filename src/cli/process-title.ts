/**
 * `--password` and `--token` values are in the process's arguments, which any local user can read
 * (`ps`, `/proc/<pid>/cmdline`). When one is given, the process title is replaced by the same
 * command line with the values masked (on Linux this overwrites the arguments `ps` shows).
 * The documented ways to pass secrets stay the environment variables and the docker config.
 */

const SECRET_OPTIONS = ['--password', '--token'];
const MASK = '***';

/** The arguments with secret option values masked; undefined when there is nothing to hide. */
export function maskSecretArguments(argv: readonly string[]): string[] | undefined {
  let masked = false;
  const out = argv.map((arg, i) => {
    const previous = argv[i - 1];
    if (previous !== undefined && SECRET_OPTIONS.includes(previous)) {
      masked = true;
      return MASK;
    }
    const option = SECRET_OPTIONS.find((name) => arg.startsWith(`${name}=`));
    if (option === undefined) return arg;
    masked = true;
    return `${option}=${MASK}`;
  });
  return masked ? out : undefined;
}
