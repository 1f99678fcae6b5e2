import { describe, expect, it } from "vitest";
import { textProblem, visible } from "./text";

const ESC = "\u001b";

describe("textProblem", () => {
  it.each([
    ["ESC (a colour or a screen clear)", `${ESC}[2J${ESC}[1;32mVERIFIED`],
    ["BEL", "ding\u0007"],
    ["an OSC hyperlink", `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`],
    ["an 8-bit CSI (C1)", "\u009b2J"],
    ["another C1 control", "\u0085next line"],
    ["DEL", "x\u007f"],
    ["CR (overwrites a line)", "safe\rEVIL"],
    ["NUL", "a\u0000b"],
    ["a right-to-left override", "abc\u202edcb"],
    ["a bidi isolate", "\u2066x\u2069"],
    ["a line separator", "one\u2028two"],
    ["a lone surrogate", "x\ud800y"],
    ["a lone low surrogate", "\udc00"],
  ])("refuses %s in both kinds of text", (_, value) => {
    expect(textProblem(value, "line")).toMatch(/^contains /);
    expect(textProblem(value, "multiline")).toMatch(/^contains /);
  });

  it("allows newlines and tabs only in multi-line text", () => {
    expect(textProblem("first line\n\tindented", "multiline")).toBeNull();
    expect(textProblem("first line\nsecond", "line")).toMatch(/U\+000A \(LF\)/);
    expect(textProblem("a\tb", "line")).toMatch(/U\+0009/);
  });

  it("allows ordinary Unicode: accents, CJK, RTL script, emoji with joiners, direction marks", () => {
    for (const ok of ["Café — naïve", "日本語の説明", "مكتبة JSON", "👩‍💻 tools", "a\u200fb", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]) {
      expect(textProblem(ok, "line"), ok).toBeNull();
      expect(textProblem(ok, "multiline"), ok).toBeNull();
    }
  });

  it("names the character it found", () => {
    expect(textProblem(`x${ESC}`, "line")).toContain("U+001B (ESC)");
    expect(textProblem("\u202e", "line")).toContain("U+202E (RIGHT-TO-LEFT OVERRIDE)");
  });
});

describe("visible", () => {
  it("turns every control into a visible escape, so a terminal shows it instead of obeying it", () => {
    expect(visible(`${ESC}[2Jhi\u0007`)).toBe("\\x1b[2Jhi\\x07");
    expect(visible("a\u009bb\u202ec\u2028d")).toBe("a\\x9bb\\u202ec\\u2028d");
    expect(visible("line\nnext\ttab\rret")).toBe("line\\nnext\\ttab\\rret");
    expect(visible("x\ud800")).toBe("x\\ud800");
  });

  it("keeps newlines when asked, and leaves safe text alone", () => {
    expect(visible(`a\nb${ESC}`, { newlines: true })).toBe("a\nb\\x1b");
    expect(visible("Café 👩‍💻 日本")).toBe("Café 👩‍💻 日本");
  });

  it("leaves nothing that textProblem would refuse", () => {
    const nasty = Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i)).join("");
    expect(textProblem(visible(nasty), "line")).toBeNull();
  });
});
