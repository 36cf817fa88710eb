/**
 * Network events as stderr lines: retries and timeouts as they happen (always, unless `--quiet` or
 * `--json`), and with `-v` one line per request sent (method, URL without user info or query,
 * status, milliseconds). Shared by the install family and the `oci` commands.
 */
import type { OciEvent } from '../../app/oci/artifacts.js';
import type { CommandContext } from '../context.js';

/** A network event of the app layer: the OCI client's event, as the app passes it on. */
export type NetworkLine = OciEvent;

/** `retrying tag list in 400 ms (WIT_DEPS_REQUEST_TIMEOUT, attempt 1)`, `GET http://… 200 12 ms`. */
export function describeNetwork(event: NetworkLine): string {
  switch (event.type) {
    case 'warning':
      return `registry ${event.registry}: ${event.text}`;
    case 'retry': {
      // the OCI client's code for a request that exceeded `--timeout`
      const reason = event.reason === 'WIT_DEPS_REQUEST_TIMEOUT' ? 'timed out' : event.reason;
      return `retrying ${event.what} of ${event.registry} in ${event.delayMs} ms (${reason}, attempt ${event.attempt})`;
    }
    case 'request':
      return `${event.method} ${event.url} ${event.status ?? 'no answer'} ${event.ms} ms`;
  }
}

/** Prints `event` through `ctx` (warnings as warnings; request lines only with `-v`). */
export function reportNetwork(ctx: CommandContext, event: NetworkLine): void {
  if (event.type === 'warning') ctx.warn(describeNetwork(event));
  else if (event.type === 'retry' || ctx.terminal().verbose) ctx.info(describeNetwork(event));
}
