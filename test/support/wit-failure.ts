/**
 * Parse-and-resolve outcome of one WIT file (`t.wit`) in the compact form the WIT error tests
 * compare: the `line:col` the rendered snippet points at and the first line of the message, or
 * `ok` when the text resolves.
 */
import { WitDepsError } from '../../src/errors.js';
import { parseWitPackage } from '../../src/wit/parse.js';

export function witFailure(text: string): string {
  try {
    parseWitPackage([{ path: 't.wit', text }]);
  } catch (err) {
    if (!(err instanceof WitDepsError)) throw err;
    const rendered = String(err.details.rendered);
    const at = /--> t\.wit:(\d+:\d+)/.exec(rendered)?.[1] ?? '-';
    return `${at} ${err.message.split('\n')[0]!}`;
  }
  return 'ok';
}

/** `package a:b;` with one interface `i` holding `body`. */
export const iface = (body: string): string => `package a:b;\ninterface i {\n${body}\n}\n`;
