// The manifest's free text follows the one text rule (text.ts): what a terminal would obey
// (ESC, BEL, OSC, C1, bidi overrides) never gets into a published manifest.
import { describe, expect, it } from "vitest";
import { parseManifest } from "./manifest";
import { RegistryError } from "./errors";

const manifest = (extra: string, description = '"A library"') =>
  `[project]\nname = "@acme/app"\nversion = "1.0.0"\ndescription = ${description}\nori = "0.5.0"\n${extra}\n`;

function refusal(text: string): RegistryError {
  try {
    parseManifest(text);
  } catch (err) {
    if (err instanceof RegistryError) return err;
    throw err;
  }
  throw new Error("the manifest was accepted");
}

describe("oripk.toml free text", () => {
  it.each([
    ["an ESC sequence that clears the screen", '"A library\\u001b[2J"'],
    ["a fake VERIFIED line drawn with a carriage return", '"bad\\r\\u001b[32mVERIFIED"'],
    ["BEL", '"ding\\u0007"'],
    ["an OSC hyperlink", '"\\u001b]8;;https://evil.example\\u001b\\\\x"'],
    ["a C1 CSI", '"A\\u009b2J"'],
    ["a right-to-left override", '"abc\\u202Edcb"'],
  ])("refuses a description with %s", (_, description) => {
    const err = refusal(manifest("", description));
    expect(err.code).toBe("manifest_invalid_field");
    expect(err.details).toEqual({ field: "project.description" });
  });

  it("keeps a multi-line description with newlines and tabs", () => {
    expect(parseManifest(manifest("", '"""\nFirst line.\n\tIndented second line.\n"""')).description).toBe(
      "First line.\n\tIndented second line.\n",
    );
  });

  it.each([
    ['license = "MIT\\u001b[8m"', "project.license"],
    ['authors = ["Eve \\u009d0;title\\u0007"]', "project.authors"],
    ['authors = ["Eve\\u202E"]', "project.authors"],
    ['repository = "https://example.com/\\u2028"', "project.repository"],
    ['readme = "README\\nmd"', "project.readme"],
  ])("refuses control characters in single-line fields: %s", (line, field) => {
    const err = refusal(manifest(line));
    expect(err.code).toBe("manifest_invalid_field");
    expect(err.details).toEqual({ field });
  });
});
