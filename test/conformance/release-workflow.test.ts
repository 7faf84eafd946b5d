/**
 * The repository's GitHub workflows, parsed and checked for their structure: ci.yml tests every
 * push and pull request; release.yml, on a version tag, tests, then publishes the package to npm
 * with provenance and pushes the container image (Dockerfile) to ghcr.io for amd64 and arm64.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const WORKFLOWS = join(import.meta.dirname, "../../.github/workflows");
// biome-ignore lint/suspicious/noExplicitAny: parsed workflows are walked by known paths
type Doc = Record<string, any>;
const workflow = (name: string): Doc => parse(readFileSync(join(WORKFLOWS, name), "utf8"));
const uses = (steps: Doc[], action: string): Doc | undefined =>
  steps.find((s) => String(s.uses ?? "").split("@")[0] === action);
/** A GitHub expression, `${{ … }}`, matched exactly. */
const expression = (inner: string) => new RegExp(`^\\$\\{\\{ ${inner.replace(/\./g, "\\.")} \\}\\}$`);
const runs = (steps: Doc[]): string => steps.map((s) => String(s.run ?? "")).join("\n");

describe("ci.yml", () => {
  it("tests every push to main and every pull request on Node 22 and 24", () => {
    const wf = workflow("ci.yml");
    expect(wf.on.push.branches).toEqual(["main"]);
    expect(wf.on).toHaveProperty("pull_request");
    expect(wf.jobs.test.strategy.matrix.node).toEqual([22, 24]);
    expect(runs(wf.jobs.test.steps)).toMatch(/npm ci/);
  });
});

describe("release.yml", () => {
  const wf = workflow("release.yml");

  it("runs on version tags only, read-only by default", () => {
    expect(Object.keys(wf.on)).toEqual(["push"]);
    expect(wf.on.push.tags).toEqual(["v*.*.*"]);
    expect(wf.on.push.branches).toBeUndefined();
    expect(wf.permissions).toEqual({ contents: "read" });
  });

  it("tests first, and checks that the tag is the package's version", () => {
    const steps: Doc[] = wf.jobs.test.steps;
    expect(runs(steps)).toMatch(/npm test/);
    expect(runs(steps)).toMatch(/require\("\.\/package\.json"\)\.version.*GITHUB_REF_NAME/);
    expect(wf.jobs.npm.needs).toBe("test");
    expect(wf.jobs.image.needs).toBe("test");
  });

  it("publishes to npm with provenance (an OIDC token, the npm token from a secret)", () => {
    const job = wf.jobs.npm;
    expect(job.permissions["id-token"]).toBe("write");
    const steps: Doc[] = job.steps;
    expect(uses(steps, "actions/setup-node")?.with).toMatchObject({
      "node-version": 22,
      "registry-url": "https://registry.npmjs.org",
    });
    const publish = steps.find((s) => /npm publish/.test(String(s.run ?? "")));
    expect(publish?.run).toMatch(/^npm publish --provenance\b/);
    expect(publish?.env.NODE_AUTH_TOKEN).toMatch(expression("secrets.NPM_TOKEN"));
  });

  it("pushes the image to this repository's ghcr.io, multi-arch through buildx", () => {
    const job = wf.jobs.image;
    expect(job.permissions.packages).toBe("write");
    const steps: Doc[] = job.steps;
    expect(uses(steps, "docker/setup-buildx-action")).toBeDefined();
    const login = uses(steps, "docker/login-action")?.with;
    expect(Object.keys(login).sort()).toEqual(["password", "registry", "username"]);
    expect(login.registry).toBe("ghcr.io");
    expect(login.username).toMatch(expression("github.actor"));
    expect(login.password).toMatch(expression("secrets.GITHUB_TOKEN"));
    const images = String(uses(steps, "docker/metadata-action")?.with.images);
    expect(images.slice(0, "ghcr.io/".length)).toBe("ghcr.io/");
    expect(images.slice("ghcr.io/".length)).toMatch(expression("github.repository"));
    const build = uses(steps, "docker/build-push-action")?.with;
    expect(build).toMatchObject({ context: ".", push: true });
    expect(String(build?.platforms).split(",").sort()).toEqual(["linux/amd64", "linux/arm64"]);
    expect(build?.tags).toMatch(/steps\.meta\.outputs\.tags/);
    // Buildx is set up before the login and the build.
    const order = ["docker/setup-buildx-action", "docker/login-action", "docker/build-push-action"].map((a) =>
      steps.indexOf(uses(steps, a) as Doc),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("pins each action to a major version", () => {
    for (const job of Object.values(wf.jobs) as Doc[])
      for (const s of job.steps as Doc[]) if (s.uses) expect(s.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
  });
});
