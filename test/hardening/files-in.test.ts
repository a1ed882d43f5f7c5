// Files in: a config file is read only if it is a regular file of at most
// 4 MB; .json is JSON, anything else YAML without tags or warnings; an empty
// file is an error; __proto__ and constructor are unknown keys. Each case is
// exit 2 with one line naming the file, and nothing written.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, entries, expectUsage, tmp } from "./cli.js";

describe("config files", () => {
  const dir = tmp();
  const file = (name: string, content: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const fifo = join(dir, "fifo.yaml");
  execFileSync("mkfifo", [fifo]);
  const cases: [string, string, RegExp, number?][] = [
    ["a device (/dev/zero) is not read", "/dev/zero", /--config: got "\/dev\/zero"; is not a regular file/],
    ["a FIFO is not opened for a blocking read", fifo, /fifo\.yaml"; is not a regular file/],
    ["a directory", dir, /is a directory; give a file/],
    [
      "a file over the size cap",
      file("huge.json", `{"dim": 3, "pad": "${"x".repeat(5 * 1024 * 1024)}"}`),
      /huge\.json"; is 5\.0 MB; at most 4\.0 MB is read/,
    ],
    ["an empty file", file("empty.yaml", ""), /empty\.yaml"; the file is empty/],
    ["a file of comments only", file("comments.yaml", "# dim: 3\n"), /comments\.yaml"; holds no keys/],
    ["a trailing comma in .json", file("comma.json", '{"dim": 3,}\n'), /comma\.json"; not valid JSON: /],
    ["a YAML tag", file("tag.yaml", 'dim: !!js/function "function () { return 3 }"\n'), /tag\.yaml"; not valid YAML: Unresolved tag/],
    ["a duplicate YAML key", file("dup.yaml", "dim: 3\ndim: 4\n"), /dup\.yaml"; not valid YAML: Map keys must be unique/],
    ["__proto__ in YAML", file("proto.yaml", "__proto__:\n  dim: 3\n"), /unknown key '__proto__'/],
    ["__proto__ in JSON", file("proto.json", '{"__proto__": {"dim": 3}}'), /unknown key '__proto__'/],
    ["constructor deep inside", file("ctor.json", '{"lr": {"constructor": 1}}'), /unknown key 'constructor' in lr/],
    ["a list instead of a mapping", file("list.json", "[1, 2]"), /must hold a mapping of keys to values/],
  ];
  for (const [what, path, re] of cases) {
    it(what, () => {
      const out = join(dir, "never");
      const r = cli(["ssn", "--config", path, "--out", out], { timeout: 20_000 });
      expect(r.signal, `${what}: ended by itself`).toBeNull();
      expectUsage(r, re, what);
      expect(entries(out)).toBeNull();
    });
  }

  it("the authors' YAML layout and JSON with the same keys still load", () => {
    const yaml = file("ok.yaml", "dim: 3\nnum_epochs: 3\nval_step: 2\nval_factor: 2\ndur: 10\nsim_params: {t_ref: &t 20, tau_syn: *t}\n");
    const r = cli(["ssn", "--config", yaml, "--json", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").pop()!)).toMatchObject({ dim: 3, epochs: 3 });
  });
});
