/** expose flags refused before anything is contacted: durations without a unit, empty list values. */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

describe("expose flags", () => {
  it.each([
    [["--timeout", "10"], /--timeout "10" has no unit/, /--timeout 10s or --timeout 10m/],
    [["--timeout", "0"], /--timeout must be longer than zero/, /30s/],
    [["--auto-approve", ""], /--auto-approve needs a subscription id; an empty value/, /--no-auto-approve/],
    [["--visibility", " "], /--visibility needs a subscription id or '\*'/, /--no-visibility/],
    [["--fqdn", ""], /--fqdn needs a domain name/, /--no-fqdns/],
    [["--nat-ip", ""], /--nat-ip needs an IPv4 address/, /--no-nat-ip/],
    [
      ["--fqdn", "a.contoso.com", "--no-fqdns"],
      /--no-fqdns.*cannot be used with.*--fqdn/,
      /plsctl expose --help/,
    ],
  ])("%j exits 2 with a hint, before contacting anything", async (flags, message, hint) => {
    // No kubeconfig and no Azure credentials exist here: reaching them would fail differently.
    const r = await runCli(["expose", "web", ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(hint);
    expect(r.stderr).not.toMatch(/No Kubernetes cluster configured/);
  });

  it("takes durations with a unit, as kubectl does", async () => {
    const r = await runCli(["expose", "web", "--timeout", "1m30s"]);
    expect(r.stderr).toMatch(/No Kubernetes cluster configured/);
  });

  it("documents the --no-… flags", async () => {
    const r = await runCli(["expose", "--help"]);
    for (const flag of ["--no-nat-ip", "--no-fqdns", "--no-visibility", "--no-auto-approve"]) {
      expect(r.stdout).toContain(flag);
    }
  });
});
