/**
 * "Everything is checked before anything is written" also for what Azure knows: the NAT subnet must
 * exist in the cluster's VNet, static NAT IPs must be in its prefix, not reserved, and free.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { armWrites, kubeWrites } from "../helpers/sandbox-sdk.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox();

const resourceVersion = async (name: string) =>
  (await t.core.readNamespacedService({ name, namespace: "default" })).metadata?.resourceVersion;

async function expose(name: string, ...flags: string[]) {
  await createService(t.core, name, INTERNAL);
  const r = await runCli(["expose", name, ...flags], { env: t.env });
  expect(r.code, r.stderr).toBe(0);
}

describe("expose checks the NAT subnet and IPs in Azure before writing", () => {
  beforeAll(async () => {
    await expose("pre", "--nat-subnet", "pls-nat-subnet", "--nat-ip", "10.225.0.20");
    await expose("other", "--nat-subnet", "pls-nat-subnet", "--nat-ip", "10.225.0.21");
  });

  it.each([
    [
      ["--nat-subnet", "no-such-subnet"],
      /--nat-subnet no-such-subnet: the cluster's virtual network aks-vnet \(resource group rg-aks\) has no subnet of that name/,
      /Its subnets: aks-subnet, pls-nat-subnet/,
    ],
    [["--internal-subnet", "nope"], /--internal-subnet nope: .* has no subnet of that name/, /aks-subnet/],
    [
      ["--nat-ip", "10.99.0.5"],
      /--nat-ip 10\.99\.0\.5: not in NAT subnet pls-nat-subnet \(10\.225\.0\.0\/24\)/,
      /free/,
    ],
    [["--nat-ip", "10.225.0.2"], /--nat-ip 10\.225\.0\.2: Azure reserves it/, /another address/],
    [["--nat-ip", "10.225.0.21"], /10\.225\.0\.21 is already in use .* by Private Link Service pls-/, /free/],
    [
      ["--nat-subnet", "aks-subnet", "--nat-ip", "10.224.0.5"],
      /10\.224\.0\.5 is already in use in subnet aks-subnet, by node aks-nodepool1-/,
      /free/,
    ],
    [
      ["--nat-subnet", "aks-subnet"],
      /strands the Service's static NAT IPs 10\.225\.0\.20/,
      /--nat-ip, or let Azure pick them with --no-nat-ip/,
    ],
  ])("refuses %j with exit 2 and writes nothing", async (flags, message, hint) => {
    await t.sb.controller.idle();
    const before = {
      rv: await resourceVersion("pre"),
      kube: kubeWrites(t.sb),
      arm: armWrites(t.sb, "provider"),
      controller: armWrites(t.sb, "aks-controller"),
    };
    const r = await runCli(["expose", "pre", ...flags], { env: t.env });
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(hint);
    expect(r.code).toBe(2);
    await t.sb.controller.idle();
    expect({
      rv: await resourceVersion("pre"),
      kube: kubeWrites(t.sb),
      arm: armWrites(t.sb, "provider"),
      controller: armWrites(t.sb, "aks-controller"),
    }).toEqual(before);
  });

  it("counts the Service's own NAT IPs as free", async () => {
    const r = await runCli(
      ["expose", "pre", "--nat-ip", "10.225.0.20", "--nat-ip", "10.225.0.22", "-o", "json"],
      {
        env: t.env,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).natIps).toEqual(expect.arrayContaining(["10.225.0.20", "10.225.0.22"]));
    const fewer = await runCli(["expose", "pre", "--nat-ip-count", "1"], { env: t.env });
    expect(fewer.code).toBe(2);
    expect(fewer.stderr).toMatch(/2 static NAT IPs \(10\.225\.0\.20 10\.225\.0\.22\) but only 1 NAT IP/);
  });

  it("moves to another subnet with new addresses", async () => {
    const r = await runCli(
      [
        "expose",
        "pre",
        "--nat-subnet",
        "aks-subnet",
        "--nat-ip",
        "10.224.1.20",
        "--nat-ip-count",
        "2",
        "-o",
        "json",
      ],
      { env: t.env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).natIps).toContain("10.224.1.20");
  });
});
