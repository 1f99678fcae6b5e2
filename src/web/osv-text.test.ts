import { describe, expect, it } from "vitest";
import { describeEvents } from "./osv-text";

describe("describeEvents", () => {
  it("writes each introduced…fixed pair as an interval", () => {
    expect(describeEvents([{ introduced: "1.0.0" }, { fixed: "1.2.3" }])).toEqual([">= 1.0.0, < 1.2.3"]);
  });
  it("leaves out the lower bound of introduced 0", () => {
    expect(
      describeEvents([{ introduced: "0" }, { fixed: "1.0.1" }, { introduced: "2.0.0" }, { fixed: "2.0.5" }]),
    ).toEqual(["< 1.0.1", ">= 2.0.0, < 2.0.5"]);
  });
  it("says <= for last_affected, and leaves a range with no end open", () => {
    expect(describeEvents([{ introduced: "3.0.0" }, { last_affected: "3.1.0" }, { introduced: "4.0.0" }])).toEqual([
      ">= 3.0.0, <= 3.1.0",
      ">= 4.0.0",
    ]);
    expect(describeEvents([{ introduced: "0" }])).toEqual(["every version"]);
  });
});
