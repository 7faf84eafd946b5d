/** pollUntil, driven by a fake clock: no real timer runs. */
import { describe, expect, it } from "vitest";
import {
  type Check,
  createWaker,
  done,
  notYet,
  type PollOptions,
  pollUntil,
} from "../../src/flows/support/poll.js";
import { runClock as drive, FakeClock } from "../sandbox/helpers/clock.js";

function setup(o: Partial<PollOptions<string>> & { doneAt?: number } = {}) {
  const clock = new FakeClock(0);
  const controller = new AbortController();
  const checks: number[] = [];
  const options: PollOptions<string> = {
    backoff: [100, 200, 400],
    clock,
    signal: controller.signal,
    timeoutMs: 60_000,
    onTimeout: () => new Error("timed out"),
    check: async (attempt): Promise<Check<string>> => {
      checks.push(clock.now());
      return attempt === o.doneAt ? done(`after ${attempt}`) : notYet;
    },
    ...o,
  };
  return { clock, controller, checks, options };
}

describe("pollUntil", () => {
  it("checks at once, then along the backoff, repeating its last step", async () => {
    const { clock, checks, options } = setup({ doneAt: 5 });
    await expect(drive(clock, pollUntil(options))).resolves.toBe("after 5");
    expect(checks).toEqual([0, 100, 300, 700, 1100, 1500]);
  });

  it("is woken early by news, but keeps checks minSpacingMs apart", async () => {
    const waker = createWaker();
    const { clock, checks, options } = setup({
      backoff: [10_000],
      minSpacingMs: 250,
      wake: waker,
      doneAt: 3,
    });
    const p = pollUntil(options);
    await clock.sleeping();
    clock.advance(50);
    waker.wake(); // 50 ms after the first check: the next waits for the spacing
    await clock.sleeping();
    expect(clock.nextDue()).toBe(250);
    clock.advance(200);
    await clock.sleeping();
    clock.advance(400);
    waker.wake(); // 400 ms after the second check: at once
    await clock.sleeping();
    clock.advance(10_000);
    await expect(p).resolves.toBe("after 3");
    expect(checks).toEqual([0, 250, 650, 10_650]);
  });

  it("turns news that comes during a check into the shortest next sleep", async () => {
    const waker = createWaker();
    const { clock, checks, options } = setup({ backoff: [10_000], minSpacingMs: 250, wake: waker });
    let n = 0;
    options.check = async () => {
      checks.push(clock.now());
      if (n++ === 0) waker.wake();
      return n === 3 ? done("ok") : notYet;
    };
    await expect(drive(clock, pollUntil(options))).resolves.toBe("ok");
    expect(checks).toEqual([0, 250, 10_250]);
  });

  it("rejects with the abort reason when aborted while sleeping, and checks no more", async () => {
    const { clock, controller, checks, options } = setup();
    const p = pollUntil(options);
    await clock.sleeping();
    const reason = Object.assign(new Error("Interrupted"), { name: "AbortError" });
    controller.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(checks).toEqual([0]);
  });

  it("gives up at the deadline with the caller's error, after one last check at the deadline", async () => {
    const { clock, checks, options } = setup({ backoff: [1000], timeoutMs: 2500 });
    await expect(drive(clock, pollUntil(options))).rejects.toThrow("timed out");
    expect(checks).toEqual([0, 1000, 2000, 2500]);
  });
});
