/**
 * Text that goes into an error message, shown safe: credentials masked and echoed input capped.
 *
 * {@link redactSecrets} masks what looks like a credential anywhere in a text: the value of an
 * `Authorization` scheme (`Basic <base64>`, `Bearer <token>`), the user info of a URL
 * (`https://user:pw@host`) or of a reference (`user:pw@host/repo`, `token@host/repo`), and the
 * value of a `password=`/`token=`/`secret=`/`auth=` pair (also JSON `"token":"..."`). The error
 * renderer applies it to every string it prints, so no path leaks a credential even when a
 * message was built from raw input; registry error bodies get it where they are summarised.
 *
 * {@link boundEchoes} caps echoed input: a backticked span longer than {@link ECHO_CAP} characters
 * keeps its start, then `…` and the full length; any line is cut at {@link LINE_CAP}.
 *
 * Every pattern here runs in linear time (no nested quantifiers), since inputs can be megabytes.
 * Pure: no `node:*` imports.
 */

/** What replaces a masked credential. */
export const REDACTED = '<redacted>';
/** Characters of one echoed value (a backticked span) kept in a message. */
export const ECHO_CAP = 200;
/** Characters of one line kept in a message. */
export const LINE_CAP = 2000;

// The value after `Basic`/`Bearer`; not a challenge parameter (`realm="…"`) and not a plain word
// (`a Bearer challenge`): a short run of letters with no digit, symbol or inner capital.
const SCHEME_VALUE =
  /\b(Basic|Bearer)(\s+)(?![A-Za-z]+=")(?![A-Za-z][a-z]{0,18}(?![A-Za-z0-9._~+/=-]))[A-Za-z0-9._~+/-]+=*/gi;
const URL_USERINFO = /(:\/\/)[^\s/?#`'"<>()]+@/g;
// What follows the `@` of user info: a host (a name with a letter TLD, an IPv4 or IPv6 address,
// `localhost`, or anything with a `:port`), or anything followed by a `/path`; not a digest and not
// a version (so `wasi:http@0.2.0` and `dir@sha256:…` stay as they are).
const HOST_LIKE =
  '(?:localhost|\\[[0-9A-Fa-f:.]*\\]|\\d{1,3}(?:\\.\\d{1,3}){3}|(?:[A-Za-z0-9-]+\\.)+[A-Za-z][A-Za-z0-9-]*|[A-Za-z0-9-]+(?=:\\d))(?::\\d{1,5})?(?![A-Za-z0-9-]|\\.[A-Za-z0-9])';
// From the start of a word (after a space, backtick, quote or bracket) to its last `@`: a word
// cannot start inside another, so each character is looked at a bounded number of times.
const REF_USERINFO = new RegExp(
  `(^|[\\s\`'"<>()])[^\\s/?#\`'"<>()]+@(?!sha256:)(?=[A-Za-z0-9[][^\\s/@\`'"]*/|${HOST_LIKE})`,
  'g',
);
const KEY_VALUE = /(password|passwd|token|secret|auth)(\s*=\s*|"\s*:\s*)(["']?)[^\s"'&,;}]+/gi;

/** `text` with everything that looks like a credential replaced by {@link REDACTED}. */
export function redactSecrets(text: string): string {
  return text
    .replace(SCHEME_VALUE, `$1$2${REDACTED}`)
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(REF_USERINFO, `$1${REDACTED}@`)
    .replace(KEY_VALUE, `$1$2$3${REDACTED}`);
}

/** Cuts `text` at `max` characters (never inside a surrogate pair). */
function cut(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** `value` capped at `max` characters: its start, `…` and how long it was. */
export function capEcho(value: string, max = ECHO_CAP): string {
  if (value.length <= max) return value;
  return `${cut(value, max)}… (${value.length} characters)`;
}

const LONG_SPAN = new RegExp(`\`([^\`\\n]{${ECHO_CAP + 1},})\``, 'g');

/** `text` with every long backticked span and every long line capped. */
export function boundEchoes(text: string): string {
  const spans = text.replace(LONG_SPAN, (_match, inner: string) => `\`${capEcho(inner)}\``);
  return spans
    .split('\n')
    .map((line) => capEcho(line, LINE_CAP))
    .join('\n');
}

/** What the error renderer does to every string: credentials masked, then echoes capped. */
export function safeText(text: string): string {
  return boundEchoes(redactSecrets(text));
}
