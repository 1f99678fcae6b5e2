import { describe, expect, it } from "vitest";
import { rating, scoreSeverity } from "./cvss";

// FIRST, "CVSS v3.1: Examples" (https://www.first.org/cvss/v3.1/examples): the published vector
// and base score of each worked example.
const FIRST_V31_EXAMPLES: [string, string, number][] = [
  ["phpMyAdmin reflected XSS (CVE-2013-1937)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1],
  ["MySQL stored SQL injection (CVE-2013-0375)", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4],
  ["SSLv3 POODLE (CVE-2014-3566)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1],
  ["VMware guest to host escape (CVE-2012-1516)", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9],
  ["Apple iWork denial of service (CVE-2015-1098)", "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 5.5],
  ["OpenSSL Heartbleed (CVE-2014-0160)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5],
  ["GNU Bash Shellshock (CVE-2014-6271)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8],
  ["DNS Kaminsky bug (CVE-2008-1447)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8],
  ["Sophos login screen bypass (CVE-2014-2005)", "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8],
  ["Joomla directory traversal (CVE-2010-0467)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8],
  ["Cisco IOS arbitrary command execution (CVE-2012-0384)", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8],
  ["Apple iOS security control bypass (CVE-2014-2019)", "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6],
  ["Juniper proxy ARP denial of service (CVE-2013-6014)", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:N/I:H/A:H", 9.3],
  ["DokuWiki reflected XSS (CVE-2014-9253)", "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4],
  ["Adobe Acrobat buffer overflow (CVE-2009-0658)", "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8],
  ["Microsoft Windows Bluetooth RCE (CVE-2011-1265)", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8],
  ["Google Chrome sandbox bypass (CVE-2012-5376)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6],
];

// FIRST, "CVSS v4.0: Examples" (https://www.first.org/cvss/v4.0/examples), and the all-High
// vectors of the v4.0 specification's calculator.
const FIRST_V40_EXAMPLES: [string, string, number][] = [
  [
    "nginx mp4 module memory corruption (CVE-2022-41741)",
    "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    7.3,
  ],
  ["Log4Shell (CVE-2021-44228)", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10],
  [
    "network, no privileges, high vulnerable-system impact",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    9.3,
  ],
  ["Heartbleed, scored in v4.0", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", 8.7],
];

describe("scoreSeverity", () => {
  it.each(FIRST_V31_EXAMPLES)("CVSS v3.1: %s", (_name, vector, score) => {
    const r = scoreSeverity("CVSS_V3", vector);
    expect(r).toEqual({
      ok: true,
      value: { type: "CVSS_V3", vector, version: "3.1", baseScore: score, baseSeverity: rating(score) },
    });
  });

  it.each(FIRST_V40_EXAMPLES)("CVSS v4.0: %s", (_name, vector, score) => {
    const r = scoreSeverity("CVSS_V4", vector);
    expect(r.ok && r.value.baseScore).toBe(score);
  });

  it("scores CVSS v3.0 vectors with the v3.0 rules", () => {
    const r = scoreSeverity("CVSS_V3", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    expect(r.ok && [r.value.version, r.value.baseScore]).toEqual(["3.0", 9.8]);
  });

  it("a v4.0 base score ignores threat and environmental metrics (CVSS-B)", () => {
    const r = scoreSeverity("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U");
    expect(r.ok && r.value.baseScore).toBe(9.3);
  });

  it("rates scores on FIRST's scale", () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(rating)).toEqual([
      "NONE",
      "LOW",
      "LOW",
      "MEDIUM",
      "MEDIUM",
      "HIGH",
      "HIGH",
      "CRITICAL",
      "CRITICAL",
    ]);
  });

  it.each([
    ["a missing base metric", "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", /lacks the base metric A/],
    ["only one metric", "CVSS_V3", "CVSS:3.1/AV:N", /lacks the base metrics/],
    ["a repeated metric", "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L", /appears twice/],
    ["an unknown metric", "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y", /not a CVSS 3.1 metric/],
    ["an unknown value", "CVSS_V3", "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", /not a value/],
    ["a not-defined base value", "CVSS_V3", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", /not a value/],
    [
      "a v4 vector under CVSS_V3",
      "CVSS_V3",
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
      /starts with CVSS:3.1/,
    ],
    ["garbage", "CVSS_V4", "garbage", /starts with CVSS:4.0/],
    ["an empty metric", "CVSS_V3", "CVSS:3.1/AV:N//AC:L", /not a CVSS 3.1 metric/],
    ["CVSS v2", "CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P", /not accepted/],
  ])("refuses %s", (_name, type, vector, message) => {
    const r = scoreSeverity(type, vector);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });
});
