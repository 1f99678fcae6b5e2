// Text from the registry (an advisory's summary, a package's name) is untrusted: before it
// reaches a terminal, every control character — escape sequences, carriage returns, C1 codes —
// and every bidirectional override is shown as a visible `\u{…}` escape instead of acting.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`);
}
