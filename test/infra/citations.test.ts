// Nothing in the repository cites a file it does not have: every cited path resolves to a file or folder of the
// repository, every markdown link to a file and heading, and every cited section exists in the cited file
// (test/helpers/citations.ts says what counts as a citation). The tree walk covers src, assembly, test, bench, web,
// scripts, examples, docs and the README, with nothing excluded. The first tests show the checker failing on broken
// citations of each kind; their texts are assembled from pieces (`at`) so that this file itself cites nothing.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { anchors, citingFiles, danglingIn, slug } from "../helpers/citations.js";

const ROOT = join(import.meta.dirname, "../..");
/** A citation text from pieces: at("sr", "c/learning/sal.ts"). */
const at = (...pieces: string[]) => pieces.join("");
const check = (rel: string, content: string) => danglingIn(ROOT, rel, content).map((d) => `${d.cited}: ${d.why}`);
const SRC_FILE = at("sr", "c/x.ts"),
  DOCS_PAGE = at("do", "cs/x.", "md");
const SAL_PAGE = at("do", "cs/models/sal.", "md"),
  CONVENTIONS_PAGE = at("do", "cs/conventions.", "md");

describe("the citation checker", () => {
  it("gives headings GitHub's anchors", () => {
    expect(slug("Pair learning (Fig. 2d)")).toBe("pair-learning-fig-2d");
    expect(slug("The inference comparison (`infer`)")).toBe("the-inference-comparison-infer");
    expect([...anchors("# A\n## B\n```sh\n# not a heading\n```\n## B\n")]).toEqual(["a", "b", "b-1"]);
  });

  it("accepts citations that resolve", () => {
    const text = [
      at("// see ", "src/learning/sal.ts and ", "test/conformance/ and ", "bench/cases/<family>.ts"),
      at("// ", SAL_PAGE, "#the-window; ", CONVENTIONS_PAGE, ' "Time conventions"'),
      at("// built: ", "web/dist/index.html; ", "src/experiments/ssn/{config,run}.ts"),
      at("// the authors' unibe-cns/sal-code: ", "scr", "ipts/ssn/minimal_working_example.yaml and their"),
      at("// unibe-cns/sal-code/", "scr", "ipts/symm_net/salnet_symm.py, ", "unibe-cns/sal-code: sym", "mnet/README.", "md"),
    ].join("\n");
    expect(check(SRC_FILE, text)).toEqual([]);
    expect(check(DOCS_PAGE, at("[conventions](conventions.", "md#time-conventions) and [up](../README.", "md)"))).toEqual([]);
  });

  it("fails on a missing path (also after a path of ours and a colon), a team file, a heading, an unnamed spec's section", () => {
    const text = [
      at("// see ", "sr", "c/learning/nope.ts"),
      at("// ", "spec/", "ssn.", "md section 4"),
      at("// ", "CONVEN", "TIONS.", 'md "Metrics"'),
      at("// ", SAL_PAGE, "#no-such-anchor"),
      at("// ", CONVENTIONS_PAGE, " section 9"),
      at("// as the ", "sp", "ec section 3b says"),
      at("// our ", "src/learning/sal.ts: ", "sr", "c/learning/gone.ts; ", "test/infra: ", "sr", "c/learning/gone2.ts"),
    ].join("\n");
    expect(check(SRC_FILE, text)).toEqual([
      at("sr", "c/learning/nope.ts: no such file or folder in the repository"),
      at("sr", "c/learning/gone.ts: no such file or folder in the repository"),
      at("sr", "c/learning/gone2.ts: no such file or folder in the repository"),
      at("spec/", "ssn.", "md: no such markdown file in the repository"),
      at("CONVEN", "TIONS.", "md: no such markdown file in the repository"),
      at(SAL_PAGE, "#no-such-anchor: no heading with that anchor in ", SAL_PAGE),
      at(CONVENTIONS_PAGE, " section 9: no section 9 in ", CONVENTIONS_PAGE),
      at("sp", "ec section 3b: a section of a spec that is not in the repository"),
    ]);
  });

  it("fails on a broken markdown link: a missing file or a missing anchor", () => {
    const page = at("[a](models/nope.", "md) [b](conventions.", "md#nope) [c](#here) [d](#there)\n## Here");
    expect(check(DOCS_PAGE, page)).toEqual([
      at("models/nope.", "md: the linked file does not exist"),
      at("conventions.", "md#nope: no heading with the anchor #nope in ", CONVENTIONS_PAGE),
      "#there: no heading with that anchor on this page",
    ]);
  });

  it("reads a citation that a comment continues on the next line", () => {
    expect(check(SRC_FILE, at("// the rule (spec/", "deepnets.", "md\n// section 5)"))).toEqual([
      at("spec/", "deepnets.", "md: no such markdown file in the repository"),
    ]);
  });
});

describe("the repository", () => {
  it("cites no path, file, heading or section that it does not have", () => {
    const files = citingFiles(ROOT);
    expect(files.length).toBeGreaterThan(100);
    const dangling = files.flatMap((f) => danglingIn(ROOT, f));
    const report = dangling.map((d) => `${d.file}:${d.line}: ${d.cited} (${d.why})`).join("\n");
    expect(dangling, `${dangling.length} dangling citations:\n${report}`).toEqual([]);
  });
});
