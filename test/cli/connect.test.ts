/** plsctl connect/disconnect on the command line: usage errors before any request, exit codes, the table. */
import { beforeAll, describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";

const t = useSandbox();
let partner: Record<string, string>;
let plsId = "";

beforeAll(async () => {
  partner = sandboxEnv(t.sb, "partner");
  plsId = await exposeToPartner(t, "cli", "pls-cli");
});

describe("plsctl connect (CLI)", () => {
  it.each([
    [["connect", "-g", "rg-partner", "--vnet", "spoke01", "--subnet", "pe-subnet"], /required option '--pls/],
    [
      ["connect", "--pls", "nope", "-g", "rg-partner", "--vnet", "v", "--subnet", "s"],
      /neither a Private Link Service/,
    ],
    [
      [
        "connect",
        "--pls",
        "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/r/providers/Microsoft.Network/privateLinkServices/p",
        "-g",
        "rg-partner",
      ],
      /Which subnet/,
    ],
    [
      [
        "connect",
        "--pls",
        "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/r/providers/Microsoft.Network/privateLinkServices/p",
        "-g",
        "rg-partner",
        "--vnet",
        "v",
        "--subnet",
        "s",
        "--dns-name",
        "a",
      ],
      /go together/,
    ],
    [
      [
        "connect",
        "--pls",
        "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/r/providers/Microsoft.Network/privateLinkServices/p",
        "-g",
        "rg-partner",
        "--vnet",
        "v",
        "--subnet",
        "s",
        "--timeout",
        "10",
      ],
      /has no unit/,
    ],
    [["disconnect", "-g", "rg-partner"], /required option '--name/],
  ])("%j: exit 2, no request", async (argv, message) => {
    t.sb.arm.resetCounters();
    const r = await runCli(argv, { env: partner });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(t.sb.arm.counters().total).toBe(0);
  });

  it("a subnet that does not exist: exit 3, naming the VNet's region and its subnets", async () => {
    const r = await runCli(
      ["connect", "--pls", plsId, "-g", "rg-partner", "--vnet", "spoke01", "--subnet", "nope"],
      { env: partner },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Subnet nope does not exist in virtual network spoke01 \(westeurope\)/);
    expect(r.stderr).toMatch(/Its subnets: pe-subnet/);
  });

  it("--location other than the VNet's: exit 2 before any write", async () => {
    const r = await runCli(
      [
        "connect",
        "--pls",
        plsId,
        "-g",
        "rg-partner",
        "--vnet",
        "spoke01",
        "--subnet",
        "pe-subnet",
        "--location",
        "eastus",
      ],
      { env: partner },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/spoke01 is in westeurope/);
  });

  it("the table shows the endpoint, its state and IP, and the provider's approve line", async () => {
    const r = await runCli(
      [
        "connect",
        "--pls",
        plsId,
        "-g",
        "rg-partner",
        "--vnet",
        "spoke01",
        "--subnet",
        "pe-subnet",
        "--name",
        "pe-cli",
      ],
      { env: partner },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Private endpoint: +pe-cli/);
    expect(r.stdout).toMatch(/Connection: +manual, Pending/);
    expect(r.stdout).toMatch(/Private IP: +10\.0\.0\.\d+/);
    expect(r.stdout).toContain(`plsctl approve --pls ${plsId} pe-cli --from-subscription`);
    expect(r.stderr).toMatch(/Manual connection: the provider does not auto-approve your subscription/);
  });
});
