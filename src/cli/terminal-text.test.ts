import { describe, expect, it } from "vitest";
import { terminalSafe } from "./terminal-text";

describe("terminalSafe", () => {
  it("keeps ordinary text, Unicode included", () => {
    expect(terminalSafe("Request smuggling in @acme/http — Ünïcode ✓")).toBe("Request smuggling in @acme/http — Ünïcode ✓");
  });

  it("shows escape sequences, carriage returns, C1 controls and bidi overrides as visible escapes", () => {
    expect(terminalSafe("red\u001b[31mtext")).toBe("red\\u{1b}[31mtext");
    expect(terminalSafe("ok\rFAKE")).toBe("ok\\u{d}FAKE");
    expect(terminalSafe("a\u009bb")).toBe("a\\u{9b}b");
    expect(terminalSafe("evil\u202etxt.exe")).toBe("evil\\u{202e}txt.exe");
    expect(terminalSafe("line\nbreak")).toBe("line\\u{a}break");
  });
});
