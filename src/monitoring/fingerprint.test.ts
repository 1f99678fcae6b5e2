import { describe, expect, it } from "vitest";
import { FINGERPRINT, fingerprintOf, shortStack, stackFrames, topFrame } from "./fingerprint";

const SOURCE_STACK = `Error: boom
    at Object.fetch (file:///work/repo/node_modules/hono/dist/hono-base.js:10:5)
    at unwrap (/work/repo/src/objects/rpc-result.ts:12:11)
    at async PackageReader.version (/work/repo/src/services/package-reader.ts:33:7)
    at /work/repo/src/http/implement.ts:42:27`;

const BUNDLED_STACK = `RegistryError: the log has no entry
    at JSON.parse (<anonymous>)
    at LogSequencer.prove (index.js:4211:13)
    at async dispatch (index.js:120:5)`;

describe("topFrame", () => {
  it("is the first frame from the project's own sources, without line numbers", () => {
    expect(topFrame(SOURCE_STACK)).toBe("unwrap (src/objects/rpc-result.ts)");
  });

  it("in a bundle (one file for everything) is the first frame that is not the runtime's", () => {
    expect(topFrame(BUNDLED_STACK)).toBe("LogSequencer.prove (index.js)");
  });

  it("is null without a stack", () => {
    expect(topFrame(undefined)).toBeNull();
    expect(topFrame("Error: no frames")).toBeNull();
  });

  it("reads anonymous frames and `as` aliases", () => {
    expect(stackFrames("Error\n    at /x/src/a.ts:1:2\n    at Foo.bar [as baz] (/x/src/b.ts:3:4)")).toEqual([
      { fn: "<anonymous>", file: "/x/src/a.ts" },
      { fn: "Foo.bar", file: "/x/src/b.ts" },
    ]);
  });
});

describe("shortStack", () => {
  it("keeps the frames (paths made relative), never the message line", () => {
    expect(shortStack(SOURCE_STACK)).toEqual([
      "at Object.fetch (node_modules/hono/dist/hono-base.js:10:5)",
      "at unwrap (src/objects/rpc-result.ts:12:11)",
      "at async PackageReader.version (src/services/package-reader.ts:33:7)",
      "at src/http/implement.ts:42:27",
    ]);
  });
});

describe("fingerprintOf", () => {
  it("is 16 hex characters, the same for the same parts and different for others", async () => {
    const parts = {
      errorClass: "Error",
      code: "internal_error",
      where: "GET /v1/packages/{scope}/{name}/versions",
      frame: "unwrap (src/objects/rpc-result.ts)",
    };
    const a = await fingerprintOf(parts);
    expect(a).toMatch(FINGERPRINT);
    expect(await fingerprintOf({ ...parts })).toBe(a);
    expect(await fingerprintOf({ ...parts, where: "GET /v1/search" })).not.toBe(a);
    expect(await fingerprintOf({ ...parts, code: null })).not.toBe(a);
  });
});
