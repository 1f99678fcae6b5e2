import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_LENGTH, redact } from "./redact";

describe("redact", () => {
  it("removes registry tokens, bearer credentials and Authorization headers", () => {
    const token = "ori_abcdefghijklmnop0123456789_-XYZ";
    expect(redact(`token ${token} was refused`)).toBe("token ori_[redacted] was refused");
    expect(redact("Authorization: Bearer abc.def-ghi")).not.toMatch(/abc\.def/);
    expect(redact('{"authorization":"Basic dXNlcjpwYXNz"}')).toBe('{"authorization":"[redacted]"}');
    expect(redact("sent Bearer eyJhbGciOi.x.y upstream")).toBe("sent Bearer [redacted] upstream");
  });

  it("removes the log's signing key, URL credentials, e-mail and IP addresses", () => {
    expect(redact("bad key PRIVATE+KEY+registry.test/v1/log+abcd1234+AQIDBA== in env")).toBe(
      "bad key PRIVATE+KEY+[redacted] in env",
    );
    expect(redact("POST https://0123abcd@o1.ingest.sentry.io/42 failed")).toBe(
      "POST https://[redacted]@o1.ingest.sentry.io/42 failed",
    );
    expect(redact("mail alice@example.org now")).toBe("mail [email] now");
    expect(redact("from 203.0.113.7 and 2001:db8::1 and 2001:0db8:85a3:0000:0000:8a2e:0370:7334")).toBe(
      "from [ip] and [ip] and [ip]",
    );
  });

  it("keeps what an operator needs: times, digests, package names, versions", () => {
    const text =
      "at 12:30:45 @acme/http@1.0.0 sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 log/tile/0/x001/067";
    expect(redact(text)).toBe(text);
  });

  it("escapes control characters and caps the length", () => {
    expect(redact("line\u001b[31m red")).toBe("line\\x1b[31m red");
    const long = redact("x".repeat(5000));
    expect(long.length).toBe(MAX_MESSAGE_LENGTH + 1);
    expect(long.endsWith("…")).toBe(true);
  });
});
