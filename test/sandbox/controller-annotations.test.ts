import { describe, expect, it } from "vitest";
import {
  ANN,
  floatingIpDisabled,
  goParseInt32,
  hasAdditionalConfigs,
  internalSubnet,
  isInternal,
  plsAutoApproval,
  plsCreate,
  plsFqdns,
  plsIpConfigCount,
  plsNameAnnotation,
  plsProxyProtocol,
  plsResourceGroup,
  plsStaticIps,
  plsSubnetName,
  plsVisibility,
} from "../../src/sandbox/controller/annotations.js";

const internal = { [ANN.internal]: "true" };

describe("boolean annotations", () => {
  it("azure-pls-create: EqualFold after TrimSpace", () => {
    expect(plsCreate({ [ANN.plsCreate]: "true" })).toBe(true);
    expect(plsCreate({ [ANN.plsCreate]: " TRUE \n" })).toBe(true);
    expect(plsCreate({ [ANN.plsCreate]: "True" })).toBe(true);
    expect(plsCreate({ [ANN.plsCreate]: "yes" })).toBe(false);
    expect(plsCreate({ [ANN.plsCreate]: "" })).toBe(false);
    expect(plsCreate({})).toBe(false);
  });
  it("azure-pls-proxy-protocol: EqualFold after TrimSpace", () => {
    expect(plsProxyProtocol({ [ANN.plsProxyProtocol]: " tRuE" })).toBe(true);
    expect(plsProxyProtocol({ [ANN.plsProxyProtocol]: "1" })).toBe(false);
    expect(plsProxyProtocol({})).toBe(false);
  });
  it("azure-load-balancer-internal: exactly 'true'", () => {
    expect(isInternal({ [ANN.internal]: "true" })).toBe(true);
    expect(isInternal({ [ANN.internal]: "True" })).toBe(false);
    expect(isInternal({ [ANN.internal]: " true" })).toBe(false);
    expect(isInternal({})).toBe(false);
  });
  it("azure-disable-load-balancer-floating-ip: EqualFold without trim", () => {
    expect(floatingIpDisabled({ [ANN.disableFloatingIp]: "TRUE" })).toBe(true);
    expect(floatingIpDisabled({ [ANN.disableFloatingIp]: "true " })).toBe(false);
  });
});

describe("names, groups and subnets", () => {
  it("azure-pls-name is trimmed; absence is undefined, empty stays empty", () => {
    expect(plsNameAnnotation({ [ANN.plsName]: "  my-pls " })).toBe("my-pls");
    expect(plsNameAnnotation({ [ANN.plsName]: "" })).toBe("");
    expect(plsNameAnnotation({})).toBeUndefined();
  });
  it("azure-pls-resource-group: trimmed, blank falls back", () => {
    expect(plsResourceGroup({ [ANN.plsResourceGroup]: " rg-pls " }, "MC_x")).toBe("rg-pls");
    expect(plsResourceGroup({ [ANN.plsResourceGroup]: "   " }, "MC_x")).toBe("MC_x");
    expect(plsResourceGroup({}, "MC_x")).toBe("MC_x");
  });
  it("internal subnet only counts for internal Services and when non-blank", () => {
    expect(internalSubnet({ ...internal, [ANN.internalSubnet]: "apps" })).toBe("apps");
    expect(internalSubnet({ [ANN.internalSubnet]: "apps" })).toBeUndefined();
    expect(internalSubnet({ ...internal, [ANN.internalSubnet]: " " })).toBeUndefined();
  });
  it("NAT subnet: untrimmed annotation, else the internal subnet, else undefined", () => {
    expect(plsSubnetName({ [ANN.plsSubnet]: " nat " })).toBe(" nat ");
    expect(plsSubnetName({ ...internal, [ANN.plsSubnet]: "  ", [ANN.internalSubnet]: "apps" })).toBe("apps");
    expect(plsSubnetName({ [ANN.internalSubnet]: "apps" })).toBeUndefined();
    expect(plsSubnetName({})).toBeUndefined();
  });
});

describe("azure-pls-ip-configuration-ip-address-count", () => {
  const count = (v: string) => plsIpConfigCount({ [ANN.plsIpCount]: v });
  it("defaults to 1 and accepts 1..8 (trimmed, Go syntax)", () => {
    expect(plsIpConfigCount({})).toBe(1);
    expect(count("1")).toBe(1);
    expect(count(" 8 ")).toBe(8);
    expect(count("+3")).toBe(3);
    expect(count("003")).toBe(3);
  });
  it("below 1", () => {
    expect(() => count("0")).toThrow(
      "error parsing value: minimum number of private link service ipConfig is 1, 0 provided",
    );
    expect(() => count("-2")).toThrow(
      "error parsing value: minimum number of private link service ipConfig is 1, -2 provided",
    );
  });
  it("above 8", () => {
    expect(() => count("9")).toThrow(
      "error parsing value: maximum number of private link service ipConfig is 8, 9 provided",
    );
  });
  it("not a whole number", () => {
    expect(() => count("two")).toThrow(
      'error value: strconv.ParseInt: parsing "two": invalid syntax: two value must be a whole number',
    );
    expect(() => count(" 1.5 ")).toThrow(
      'error value: strconv.ParseInt: parsing "1.5": invalid syntax: 1.5 value must be a whole number',
    );
    expect(() => count("")).toThrow(
      'error value: strconv.ParseInt: parsing "": invalid syntax:  value must be a whole number',
    );
  });
  it("out of int32 range", () => {
    expect(() => count("3000000000")).toThrow(
      'error value: strconv.ParseInt: parsing "3000000000": value out of range: 3000000000 value must be a whole number',
    );
    expect(goParseInt32("2147483647")).toBe(2147483647);
  });
});

describe("azure-pls-ip-configuration-ip-address", () => {
  const ips = (v: string) => plsStaticIps({ [ANN.plsIps]: v });
  it("splits on single spaces, drops empties, dedupes, first is primary", () => {
    expect(ips(" 10.0.0.5  10.0.0.6 10.0.0.5 ")).toEqual({
      ips: ["10.0.0.5", "10.0.0.6"],
      primary: "10.0.0.5",
    });
    expect(plsStaticIps({})).toEqual({ ips: [], primary: "" });
  });
  it("rejects non-IPs with the real message (commas and tabs are not separators)", () => {
    expect(() => ips("10.0.0.5,10.0.0.6")).toThrow(
      "getPLSStaticIPs: 10.0.0.5,10.0.0.6 is not a valid IP address",
    );
    expect(() => ips("10.0.0.5\t10.0.0.6")).toThrow(
      "getPLSStaticIPs: 10.0.0.5\t10.0.0.6 is not a valid IP address",
    );
    expect(() => ips("10.0.0.256")).toThrow("getPLSStaticIPs: 10.0.0.256 is not a valid IP address");
    // Go's net.ParseIP refuses leading zeros (since Go 1.17) and zones.
    expect(() => ips("010.0.0.1")).toThrow("getPLSStaticIPs: 010.0.0.1 is not a valid IP address");
    expect(() => ips("fe80::1%eth0")).toThrow("getPLSStaticIPs: fe80::1%eth0 is not a valid IP address");
  });
  it("an IPv4-mapped IPv6 address counts as IPv4, as Go's To4() says", () => {
    expect(ips("::ffff:10.0.0.5")).toEqual({ ips: ["::ffff:10.0.0.5"], primary: "::ffff:10.0.0.5" });
  });
  it("rejects IPv6", () => {
    expect(() => ips("10.0.0.5 fd00::5")).toThrow(
      "getPLSStaticIPs: private link service ip config only supports IPv4, fd00::5 provided",
    );
  });
});

describe("list annotations", () => {
  it("fqdns: split on spaces, trimmed, empties dropped", () => {
    expect(plsFqdns({ [ANN.plsFqdns]: " a.example.com  b.example.com " })).toEqual([
      "a.example.com",
      "b.example.com",
    ]);
    expect(plsFqdns({})).toEqual([]);
  });
  it("visibility: any * makes it exactly ['*']", () => {
    expect(plsVisibility({ [ANN.plsVisibility]: "sub-a sub-b" })).toEqual(["sub-a", "sub-b"]);
    expect(plsVisibility({ [ANN.plsVisibility]: "sub-a * sub-b" })).toEqual(["*"]);
    expect(plsVisibility({})).toEqual([]);
  });
  it("auto-approval: split, no * special case", () => {
    expect(plsAutoApproval({ [ANN.plsAutoApproval]: " sub-a  sub-b" })).toEqual(["sub-a", "sub-b"]);
    expect(plsAutoApproval({ [ANN.plsAutoApproval]: "*" })).toEqual(["*"]);
  });
});

describe("additional configs (ownership check)", () => {
  it("counts presence of the eight keys, not create or resource-group", () => {
    expect(hasAdditionalConfigs({ [ANN.plsCreate]: "true", [ANN.plsResourceGroup]: "rg" })).toBe(false);
    for (const k of [
      ANN.plsName,
      ANN.plsSubnet,
      ANN.plsIpCount,
      ANN.plsIps,
      ANN.plsFqdns,
      ANN.plsProxyProtocol,
      ANN.plsVisibility,
      ANN.plsAutoApproval,
    ]) {
      expect(hasAdditionalConfigs({ [k]: "" })).toBe(true);
    }
  });
});
