/** `plsctl completion` through the built bundle: a cheap command that never loads an SDK. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { guarded } from "../helpers/loopback-env.js";

describe("plsctl completion (bundle)", () => {
  it.each(["bash", "zsh", "fish"])(
    "writes the %s script without loading the Azure or Kubernetes SDKs",
    (shell) => {
      const r = spawnSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `const {registerHooks}=await import('node:module');const seen=[];registerHooks({resolve(s,c,n){const r=n(s,c);seen.push(r.url);return r;}});
         const {main}=await import('./dist/cli.js');
         let out='';
         const code=await main(['completion',${JSON.stringify(shell)}],{stdout:{write(s){out+=s}},stderr:{write(s){process.stderr.write(s)}},env:{}});
         console.log(JSON.stringify({code,sdks:seen.filter(u=>/@azure|@kubernetes/.test(u)),head:out.split('\\n')[0]}));`,
        ],
        { encoding: "utf8", env: guarded({ PATH: process.env.PATH ?? "" }), input: "" },
      );
      expect(r.stderr).toBe("");
      const result = JSON.parse(r.stdout.trim());
      expect(result).toMatchObject({ code: 0, sdks: [] });
      expect(result.head).toMatch(new RegExp(`${shell}|#compdef plsctl`));
    },
  );
});
