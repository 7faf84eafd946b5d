/** When plsctl may prompt: stdin and stderr terminals, CI unset (STYLE.md rule 11). */
import { describe, expect, it } from "vitest";
import { promptRule } from "../../src/commands/runtime.js";
import { runCli } from "../helpers/run-cli.js";

const STATE = ["sandbox", "status", "--state-dir", "/nonexistent-plsctl-prompts", "--verbose"];

describe("the prompt rule", () => {
  it("is on only when stdin and stderr are terminals and CI is unset", () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(promptRule({ stdin: tty, stderr: tty }, { ci: false }).interactive).toBe(true);
    expect(promptRule({ stdin: pipe, stderr: tty }, { ci: false })).toEqual({
      interactive: false,
      why: "stdin is not a terminal",
    });
    expect(promptRule({ stderr: tty }, { ci: false }).interactive).toBe(false);
    expect(promptRule({ stdin: tty, stderr: pipe }, { ci: false }).why).toBe("stderr is not a terminal");
    expect(promptRule({ stdin: tty, stderr: tty }, { ci: true }).why).toBe("CI is set");
  });

  it("reaches the command's context through main()", async () => {
    const on = await runCli(STATE, { tty: true, env: { NO_COLOR: "1" } });
    expect(on.code).toBe(0);
    expect(on.stderr).toMatch(/prompts on: stdin and stderr are terminals/);

    // stderr is a terminal but stdin is a pipe (`… | plsctl …`): nobody can answer.
    const piped = await runCli(STATE, { tty: true, stdinTty: false, env: { NO_COLOR: "1" } });
    expect(piped.stderr).toMatch(/prompts off: stdin is not a terminal/);

    const ci = await runCli(STATE, { tty: true, env: { NO_COLOR: "1", CI: "true" } });
    expect(ci.stderr).toMatch(/prompts off: CI is set/);
  });
});
