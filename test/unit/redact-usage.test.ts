/** The one redactor every byte passes through, and how usage errors find the output format. */
import { describe, expect, it } from "vitest";
import { makeRedactor, redactIo } from "../../src/output/redact.js";
import { commandPath, outputFormatFromArgv, usageMessage } from "../../src/output/usage.js";

const sink = (isTTY: boolean) => {
  const s = { text: "", isTTY, columns: 77, write: (c: string) => (s.text += c) };
  return s;
};

describe("makeRedactor", () => {
  const token = "Zq3vK9sP2mXw7LrT5nBy";
  it("hides a known secret in any letter case", () => {
    const redact = makeRedactor([token]);
    const text = redact(`a ${token} b ${token.toUpperCase()} c ${token.toLowerCase()}`);
    expect(text).toBe("a [redacted] b [redacted] c [redacted]");
  });
  it("hides JWT-shaped text in any letter case", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJ0aWQiOiJ4eXoifQ.c2lnbmF0dXJlLXBhcnQ";
    const redact = makeRedactor([]);
    expect(redact(`${jwt} ${jwt.toUpperCase()} ${jwt.toLowerCase()}`)).not.toMatch(/eyJ|c2ln|EYJ|eyj/i);
  });
  it("learns secrets found later, longest first", () => {
    const redact = makeRedactor([]);
    redact.addSecret("0123456789abcdef");
    redact.addSecret("0123456789abcdef-and-more");
    redact.addSecret("short");
    expect(redact("x 0123456789ABCDEF-and-more y short")).toBe("x [redacted] y short");
  });
  it("treats regular-expression characters in a secret literally", () => {
    const redact = makeRedactor(["a.b*c+d?e(f)"]);
    expect(redact("a.b*c+d?e(f) aXbbcdef")).toBe("[redacted] aXbbcdef");
  });
});

describe("redactIo", () => {
  it("redacts stdout and stderr, keeps isTTY and columns, and lets stdout through only when told", () => {
    const stdout = sink(true);
    const stderr = sink(false);
    const secret = "s3cr3t-access-token";
    const { io, setStdoutVerbatim } = redactIo({ stdout, stderr, env: {} }, makeRedactor([secret]));
    expect(io.stdout.isTTY).toBe(true);
    expect(io.stderr.isTTY).toBe(false);
    expect(io.stdout.columns).toBe(77);
    io.stdout.write(`out ${secret}\n`);
    io.stderr.write(`err ${secret.toUpperCase()}\n`);
    setStdoutVerbatim(true);
    io.stdout.write(`export PLSCTL_ACCESS_TOKEN='${secret}'\n`);
    io.stderr.write(`still ${secret}\n`);
    expect(stdout.text).toBe(`out [redacted]\nexport PLSCTL_ACCESS_TOKEN='${secret}'\n`);
    expect(stderr.text).toBe("err [redacted]\nstill [redacted]\n");
  });
});

describe("outputFormatFromArgv (only used when commander failed)", () => {
  it.each([
    [["expos", "-o", "json"], "json"],
    [["expose", "--output", "json"], "json"],
    [["expose", "-ojson"], "json"],
    [["expose", "--output=json"], "json"],
    [["expose", "-o=json"], "json"],
    [["expose", "-o", "jsno"], "json"],
    [["expose", "-o", "JSON"], "json"],
    [["expose", "-o", "json", "-o", "table"], "table"],
    [["expose", "-o", "yaml"], "yaml"],
    [["expose", "-o", "xml"], undefined],
    [["expose", "-o"], undefined],
    [["expose", "--", "-o", "json"], undefined],
    [["expose", "--other", "json"], undefined],
  ])("%j → %s", (argv, format) => {
    expect(outputFormatFromArgv(argv)).toBe(format);
  });
});

describe("usage messages", () => {
  it("turns commander's two lines into one sentence", () => {
    expect(usageMessage("error: unknown option '--verbos'\n(Did you mean --verbose?)")).toBe(
      "unknown option '--verbos' — did you mean --verbose?",
    );
  });
  it("names a command the way a user types it", () => {
    const root = { name: () => "plsctl", parent: null };
    const sandbox = { name: () => "sandbox", parent: root };
    expect(commandPath({ name: () => "env", parent: sandbox })).toBe("plsctl sandbox env");
  });
});
