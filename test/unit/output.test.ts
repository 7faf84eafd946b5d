import { describe, expect, it, vi } from "vitest";
import { makeColors } from "../../src/output/colors.js";
import { renderFields, renderJson, renderTable, renderYaml } from "../../src/output/format.js";
import { makeRedactor } from "../../src/output/redact.js";
import { createReporter } from "../../src/output/reporter.js";

describe("renderers", () => {
  it("aligns table columns like kubectl", () => {
    expect(
      renderTable(
        ["name", "state"],
        [
          ["pe-a", "Pending"],
          ["partner-endpoint", "Approved"],
        ],
      ),
    ).toBe("NAME               STATE\npe-a               Pending\npartner-endpoint   Approved\n");
  });
  it("renders one JSON and one YAML document", async () => {
    expect(JSON.parse(renderJson({ a: [1] }))).toEqual({ a: [1] });
    expect(await renderYaml({ a: [1] })).toBe("a:\n  - 1\n");
  });
  it("skips empty fields", () => {
    expect(
      renderFields([
        ["Name", "pls"],
        ["Alias", undefined],
        ["Id", "/x"],
      ]),
    ).toBe("Name: pls\nId:   /x\n");
  });
});

describe("redaction", () => {
  it("never lets a token through", () => {
    const redact = makeRedactor(["s3cr3t-token-value"]);
    const text = redact(
      "token s3cr3t-token-value; Authorization: Bearer abc.def.ghijklmnop; eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.sig; ?access_token=zzz",
    );
    expect(text).not.toMatch(/s3cr3t|abc\.def|eyJhbGci|zzz/);
  });
});

describe("reporter", () => {
  const sink = () => {
    const s = { text: "", isTTY: false, write: (c: string) => (s.text += c) };
    return s;
  };
  it("prints one line per phase without a TTY", () => {
    const stderr = sink();
    const r = createReporter({
      stderr,
      colors: makeColors(0),
      quiet: false,
      verbose: false,
      interactive: false,
      redact: (t) => t,
    });
    r.phase("Annotating");
    r.phase("Waiting");
    r.debug("hidden");
    r.warn("careful", "do this");
    r.done("Ready");
    expect(stderr.text).toBe("→ Annotating\n→ Waiting\nwarning: careful\n  do this\n✓ Ready\n");
  });
  it("is silent except warnings with --quiet, and shows debug with --verbose", () => {
    const stderr = sink();
    const r = createReporter({
      stderr,
      colors: makeColors(0),
      quiet: true,
      verbose: true,
      interactive: false,
      redact: (t) => t,
    });
    r.phase("Annotating");
    r.info("note");
    r.warn("careful");
    r.debug("details");
    expect(stderr.text).toBe("warning: careful\ndebug: details\n");
  });
});

describe("reporter on a terminal", () => {
  it("animates only after a delay and leaves one line per finished phase", async () => {
    vi.useFakeTimers();
    try {
      const stderr = { text: "", isTTY: true, write: (c: string) => (stderr.text += c) };
      const r = createReporter({
        stderr,
        colors: makeColors(0),
        quiet: false,
        verbose: false,
        interactive: true,
        redact: (t) => t,
      });
      r.phase("Quick");
      r.phase("Slow");
      expect(stderr.text).toBe("✓ Quick\n");
      await vi.advanceTimersByTimeAsync(400);
      expect(stderr.text).toContain("\r\u001b[2K⠋ Slow");
      r.done("Ready");
      expect(stderr.text.endsWith("\r\u001b[2K✓ Ready\n")).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("cuts the spinner's line to the terminal's width (a wrapped line leaves a copy per frame); the finished line is whole", async () => {
    vi.useFakeTimers();
    try {
      const stderr = { text: "", isTTY: true, columns: 40, write: (c: string) => (stderr.text += c) };
      const r = createReporter({
        stderr,
        colors: makeColors(0),
        quiet: false,
        verbose: false,
        interactive: true,
        redact: (t) => t,
      });
      const long = `Alias not visible to this subscription yet; retrying in 5 s ${"x".repeat(60)}`;
      r.phase(long);
      await vi.advanceTimersByTimeAsync(400);
      const frames = stderr.text.split("\r\u001b[2K").filter(Boolean);
      expect(frames.length).toBeGreaterThan(1);
      for (const f of frames) expect(f.length, f).toBeLessThan(40);
      expect(frames[0]).toBe(`⠋ ${long.slice(0, 36)}…`);
      r.done();
      expect(stderr.text.endsWith(`✓ ${long}\n`)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
