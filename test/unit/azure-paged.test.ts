/** One shape for a paged Azure list (src/azure/call.ts): every item mapped, or the first that fits. */
import { describe, expect, it } from "vitest";
import { all, first } from "../../src/azure/call.js";

/** A paged list as the SDK's iterator yields it, counting how many items were read. */
function pages<T>(items: T[]): { list: AsyncIterable<T>; read: () => number } {
  let read = 0;
  return {
    list: (async function* () {
      for (const x of items) {
        read++;
        yield x;
      }
    })(),
    read: () => read,
  };
}

describe("all", () => {
  it("maps every item and leaves out those mapped to undefined", async () => {
    const p = pages([{ id: "a" }, { id: undefined }, { id: "c" }]);
    expect(await all(p.list, (x) => x.id)).toEqual(["a", "c"]);
    expect(p.read()).toBe(3);
  });
});

describe("first", () => {
  it("returns the first item picked and reads no further", async () => {
    const p = pages([1, 2, 3, 4]);
    expect(await first(p.list, (n) => (n % 2 === 0 ? `even ${n}` : undefined))).toBe("even 2");
    expect(p.read()).toBe(2);
  });

  it("is undefined when nothing fits, after reading everything", async () => {
    const p = pages([1, 3]);
    expect(await first(p.list, (n) => (n > 5 ? n : undefined))).toBeUndefined();
    expect(p.read()).toBe(2);
  });
});
