/**
 * Text from outside (registry error bodies, annotations, tags, file contents) may hold terminal
 * control sequences: `ESC ]0;...` retitles the terminal, `ESC [2J` clears it, bidirectional
 * overrides reorder what is shown. Human output shows such characters escaped (`\x1b`), so a
 * registry cannot draw on the user's terminal; newlines and tabs are kept.
 */

// C0 controls but tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with control characters written as `\xNN` / `\uNNNN` escapes. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** {@link printable} for a value on one line: newlines and tabs are escaped too. */
export function printableLine(text: string): string {
  return printable(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}
