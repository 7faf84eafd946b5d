/** Ctrl-C on the real process: exit 130, one clear message, and a re-run picks up. */
import { describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";
import { runNode } from "./run-node.js";

const t = useSandbox({ provisioningDelayMs: 2000 });

function plsctl(args: string[], onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void) {
  return runNode(["bin/plsctl.js", ...args], {
    home: "/nonexistent",
    env: t.env,
    ...(onStderr ? { onStderr } : {}),
  });
}

describe("signals", () => {
  it("exits 130 on SIGINT while waiting, and a re-run finishes the job", async () => {
    await createService(t.core, "ctrl-c", INTERNAL);
    let sent = false;
    const r = await plsctl(["expose", "ctrl-c"], (text, kill) => {
      if (!sent && text.includes("Annotated Service")) {
        sent = true;
        kill("SIGINT");
      }
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(
      /error: Interrupted after: [^\n]+\. The rest was not done\.\n {2}Nothing is lost: re-run the same command/,
    );
    const again = await plsctl(["expose", "ctrl-c", "-o", "json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, provisioningState: "Succeeded" });
  });
});
