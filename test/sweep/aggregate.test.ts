import { describe, expect, it } from "vitest";
import { aggregate, band, isSeedPath, type RunRecord } from "../../src/cli/sweep/aggregate.js";

const run = (index: number, values: Record<string, unknown>, ys: number[], final: number): RunRecord => ({
  id: `r${index}`,
  index,
  values,
  finals: { dkl: final },
  rows: ys.map((y, e) => ({ epoch: 10 * e, dkl: y, asym: 2 * y })),
});

describe("sweep aggregation", () => {
  it("seed paths vary within a condition; everything else makes the condition", () => {
    expect(isSeedPath("seeds.init")).toBe(true);
    expect(isSeedPath("seed")).toBe(true);
    expect(isSeedPath("teacherSeed")).toBe(true);
    expect(isSeedPath("initNoise")).toBe(false);
  });

  it("medians and quartiles per epoch and of the finals, against values computed by hand", () => {
    // condition A (noise 0.2): four seeds; condition B (noise 0.8): one seed
    const runs = [
      run(0, { noise: 0.2, "seeds.init": 1 }, [4, 2], 1),
      run(1, { noise: 0.2, "seeds.init": 2 }, [1, 5], 3),
      run(2, { noise: 0.8, "seeds.init": 1 }, [9, 9], 7),
      run(3, { noise: 0.2, "seeds.init": 3 }, [3, 3], 2),
      run(4, { noise: 0.2, "seeds.init": 4 }, [2, 4], 10),
    ];
    const [a, b] = aggregate(runs, { metrics: ["dkl", "asym"] });
    expect(a.label).toBe("noise=0.2");
    expect(a.runs.map((r) => r.id)).toEqual(["r0", "r1", "r3", "r4"]);
    // epoch 0: 4, 1, 3, 2 -> sorted 1 2 3 4: median 2.5, q25 = 1 + 0.75 (2 - 1) = 1.75, q75 = 3 + 0.25 = 3.25
    expect(a.curves.dkl.x).toEqual([0, 10]);
    expect(a.curves.dkl.median[0]).toBeCloseTo(2.5, 12);
    expect(a.curves.dkl.q25[0]).toBeCloseTo(1.75, 12);
    expect(a.curves.dkl.q75[0]).toBeCloseTo(3.25, 12);
    // epoch 10: 2, 5, 3, 4 -> 2 3 4 5: median 3.5; asym is twice dkl
    expect(a.curves.dkl.median[1]).toBeCloseTo(3.5, 12);
    expect(a.curves.asym.median[1]).toBeCloseTo(7, 12);
    // finals 1, 3, 2, 10 -> 1 2 3 10: median 2.5, q75 = 3 + 0.25 * 7 = 4.75
    expect(a.finals.dkl).toMatchObject({ values: [1, 3, 2, 10], median: 2.5, q25: 1.75, q75: 4.75 });
    expect(b.label).toBe("noise=0.8");
    expect(b.curves.dkl.median).toEqual([9, 9]);
    expect(b.finals.dkl.median).toBe(7);
  });

  it("a band over series of different lengths counts the runs at each x; non-finite values are left out", () => {
    const b = band([
      { x: [0, 1, 2], y: [1, 2, 3] },
      { x: [0, 1], y: [3, NaN] },
    ]);
    expect(b.x).toEqual([0, 1, 2]);
    expect(b.n).toEqual([2, 1, 1]);
    expect(b.median).toEqual([2, 2, 3]);
  });

  it("curves split by a row field (the microcircuit's feedback)", () => {
    const rows = (fb: string, y: number) => [
      { epoch: 1, feedback: fb, validationLoss: y },
      { epoch: 2, feedback: fb, validationLoss: y / 2 },
    ];
    const [c] = aggregate([{ id: "x", index: 0, values: {}, finals: {}, rows: [...rows("bp", 4), ...rows("sal", 8)] }], {
      metrics: ["validationLoss"],
      splitBy: "feedback",
    });
    expect(Object.keys(c.curves)).toEqual(["validationLoss [bp]", "validationLoss [sal]"]);
    expect(c.curves["validationLoss [sal]"].median).toEqual([8, 4]);
  });
});
