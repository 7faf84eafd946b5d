/**
 * A command's `--timeout` as one deadline, also for what no wait of plsctl's bounds: a long-running
 * operation Azure takes longer over (an endpoint's PUT that Azure provisions for minutes). The
 * waits end at the deadline on their own, each with its own words; DEADLINE_GRACE_MS later, the
 * requests still in flight are abandoned and the command ends with exit 5. Azure goes on with what
 * it accepted, so a re-run picks it up (connect waits for an endpoint still provisioning).
 */
import { type Azure, boundedBy } from "../../azure/index.js";
import type { Context } from "../../context.js";
import { type Deadline, remainingMs } from "../../domain/deadline.js";
import { isAbortError, timeoutError } from "../../domain/errors.js";

/** After the deadline, how long a wait's last look (a GET that began at the deadline) may take. */
export const DEADLINE_GRACE_MS = 5_000;

/** Runs `work` with an Azure handle whose requests end DEADLINE_GRACE_MS after `deadline`. */
export async function withinDeadline<T>(
  ctx: Context,
  azure: Azure,
  deadline: Deadline,
  work: (bounded: Azure) => Promise<T>,
): Promise<T> {
  const expired = new AbortController();
  const ended = new AbortController(); // the timer must not outlive the work
  const backstop = remainingMs(deadline, ctx.clock.now()) + DEADLINE_GRACE_MS;
  void ctx.clock.sleep(backstop, ended.signal, { background: true }).then(
    () => {
      if (!ended.signal.aborted)
        expired.abort(Object.assign(new Error("Deadline passed"), { name: "AbortError" }));
    },
    () => undefined,
  );
  try {
    return await work(boundedBy(azure, expired.signal));
  } catch (err) {
    if (expired.signal.aborted && !ctx.signal.aborted && isAbortError(err)) {
      throw timeoutError(
        `Timed out after ${Math.round(deadline.timeoutMs / 1000)} s (--timeout) while Azure was still working on this run's last request.`,
        "Azure goes on with what it accepted: re-run the same command to pick it up (it creates nothing twice), or give --timeout more time.",
      );
    }
    throw err;
  } finally {
    ended.abort();
  }
}
