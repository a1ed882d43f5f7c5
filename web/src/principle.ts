// Panel 1, the SAL principle on two neurons (arXiv:2503.02642, Fig. 2c-e):
// sliders for the weights and biases; the exact STDD (both halves) and the
// expected SAL update as an arrow in the weight plane, recomputed in the
// worker as the sliders move; "Learn" runs the two-neuron SAL experiment
// (pair, Fig. 2d) from the sliders' weights and draws them meeting.
import { SimClient } from "./client";
import { $, fmt, input, lab, reportError, requestedBackend } from "./lab";
import { barPlot, COLORS, linePlot, xyPlot } from "./plots";

const DEFAULTS = { w01: 1.5, w10: 0.5, b0: -0.5, b1: -0.2 };
/** The pair experiment's neurons (fig2d): t_ref = tau_syn = 25 steps, ssn time convention. */
const T_REF = 25;
/** Arrow length per unit of expected update (plot units). */
const ARROW_SCALE = 8;

export function principlePanel(): void {
  const client = new SimClient("principle", requestedBackend, reportError);
  const sliders = (["w01", "w10", "b0", "b1"] as const).map((name) => ({ name, el: input(`p-${name}`), out: $(`p-${name}-out`) }));
  const learnBtn = $("p-learn") as HTMLButtonElement,
    resetBtn = $("p-reset") as HTMLButtonElement;
  const readout = $("p-readout"),
    learned = $("p-learned");

  const stddPlot = barPlot("stdd", $("plot-stdd"), {
    x: "dt = t1 − t0 (steps)",
    y: "p(dt)",
    series: [
      { label: "dt > 0 (causal for W10)", stroke: COLORS.causal, fill: COLORS.causal + "99" },
      { label: "dt < 0 (causal for W01)", stroke: COLORS.anti, fill: COLORS.anti + "99" },
    ],
  });
  const phase = xyPlot("phase", $("plot-phase"), {
    x: "W01",
    y: "W10",
    range: [-2.2, 2.2],
    series: [
      { label: "W01 = W10", stroke: COLORS.guide, dash: [4, 4], width: 1, line: true },
      { label: "learned path", stroke: COLORS.w10, width: 1.5, line: true },
      { label: "expected update", stroke: COLORS.causal, width: 2.5, line: true },
      { label: "weights", stroke: "#111", points: true },
    ],
  });
  const learnPlot = linePlot("learn", $("plot-learn"), {
    x: "epoch",
    y: "weight",
    series: [
      { label: "W01", stroke: COLORS.w01 },
      { label: "W10", stroke: COLORS.w10 },
    ],
  });

  const values = () => Object.fromEntries(sliders.map((s) => [s.name, Number(s.el.value)])) as typeof DEFAULTS;
  let path: { x: number[]; y: number[] } = { x: [], y: [] };
  let last: { w01: number; w10: number; u: { W01: number; W10: number } } | null = null;

  const drawPhase = () => {
    const v = values();
    const arrow: [number[], number[]] = [[], []];
    if (last) {
      const { w01, w10, u } = last;
      const tx = w01 + ARROW_SCALE * u.W01,
        ty = w10 + ARROW_SCALE * u.W10;
      const len = Math.hypot(tx - w01, ty - w10);
      arrow[0].push(w01, tx);
      arrow[1].push(w10, ty);
      if (len > 0.05) {
        // the head: two barbs at +-25 degrees from the shaft, drawn as one polyline through the tip
        const h = Math.min(0.18, 0.5 * len),
          bx = (w01 - tx) / len,
          by = (w10 - ty) / len,
          c = Math.cos(0.44),
          s = Math.sin(0.44);
        arrow[0].push(tx + h * (c * bx - s * by), tx, tx + h * (c * bx + s * by));
        arrow[1].push(ty + h * (s * bx + c * by), ty, ty + h * (-s * bx + c * by));
      }
    }
    phase.set([
      [
        [-2.2, 2.2],
        [-2.2, 2.2],
      ],
      [path.x, path.y],
      arrow,
      [[v.w01], [v.w10]],
    ]);
  };

  let pending = false,
    dirty = false;
  const recompute = async () => {
    if (pending) {
      dirty = true;
      return;
    }
    pending = true;
    const v = values();
    try {
      const r = await client.stdd({
        preset: "fig2c",
        tRef: T_REF,
        tauSyn: T_REF,
        b0: v.b0,
        b1: v.b1,
        pairs: [{ W01: v.w01, W10: v.w10 }],
        maxLag: 3 * T_REF,
        normalize: "joint",
      });
      const x: number[] = [],
        right: (number | null)[] = [],
        left: (number | null)[] = [];
      for (let i = 0; i < r.p.length; i++) {
        const dt = i - r.L;
        x.push(dt);
        right.push(dt > 0 ? r.p[i] : null);
        left.push(dt < 0 ? r.p[i] : null);
      }
      stddPlot.set(x, [right, left]);
      last = { w01: v.w01, w10: v.w10, u: r.expectedUpdate };
      drawPhase();
      {
        readout.textContent =
          `Expected SAL update per spike pair: ΔW01 = ${fmt(r.expectedUpdate.W01, 4)}, ΔW10 = ${fmt(r.expectedUpdate.W10, 4)}; ` +
          `${(100 * r.massCausal).toFixed(1)} % of spike pairs have dt > 0 (exact chain, ${r.ms.toFixed(0)} ms).`;
      }
    } finally {
      pending = false;
      if (dirty) {
        dirty = false;
        void recompute();
      }
    }
  };

  const showSliders = () =>
    sliders.forEach((s) => {
      s.out.textContent = Number(s.el.value).toFixed(2);
    });
  for (const s of sliders) {
    s.el.addEventListener("input", () => {
      showSliders();
      drawPhase();
      void recompute();
    });
  }

  const setSliders = (v: Partial<typeof DEFAULTS>) => {
    for (const s of sliders) if (v[s.name] !== undefined) s.el.value = String(v[s.name]);
    showSliders();
  };

  learnBtn.addEventListener("click", () => {
    const v = values();
    const x: number[] = [0],
      w01: number[] = [v.w01],
      w10: number[] = [v.w10];
    path = { x: [v.w01], y: [v.w10] };
    learnPlot.set(x, [w01, w10]);
    Object.assign(lab.learn, { running: true, done: false, W01: null, W10: null });
    learnBtn.disabled = true;
    sliders.forEach((s) => {
      s.el.disabled = true;
    });
    learned.textContent = "Learning: both weights follow SAL…";
    client.start(
      "pair",
      {
        preset: "fig2d",
        W: [
          [0, v.w01],
          [v.w10, 0],
        ],
        b: [v.b0, v.b1],
      },
      {
        rows: (m) => {
          for (const r of m.rows as { epoch: number; W01: number; W10: number }[]) {
            x.push(r.epoch);
            w01.push(r.W01);
            w10.push(r.W10);
            // every 5th epoch: uPlot thins long lines by x, which would fold a path that turns back
            if (r.epoch % 5 === 0 || r.epoch === m.total) {
              path.x.push(r.W01);
              path.y.push(r.W10);
            }
          }
          learnPlot.set(x, [w01, w10]);
          // the sliders follow the weights, and the STDD and arrow with them
          setSliders({ w01: +w01[w01.length - 1].toFixed(2), w10: +w10[w10.length - 1].toFixed(2) });
          void recompute();
        },
        summary: (s) => {
          const f = (s as { final: { W01: number; W10: number } }).final;
          Object.assign(lab.learn, { running: false, done: true, W01: f.W01, W10: f.W10 });
          learnBtn.disabled = false;
          sliders.forEach((el) => {
            el.el.disabled = false;
          });
          learned.textContent =
            `Learned: W01 ${fmt(v.w01, 2)} → ${fmt(f.W01)}, W10 ${fmt(v.w10, 2)} → ${fmt(f.W10)}` +
            ` (difference ${fmt(Math.abs(f.W01 - f.W10))}) after ${x.length - 1} epochs.`;
          void recompute();
        },
      },
      { pace: 600, chunkMs: 15 },
    );
  });

  resetBtn.addEventListener("click", () => {
    client.stop();
    Object.assign(lab.learn, { running: false, done: false, W01: null, W10: null });
    learnBtn.disabled = false;
    sliders.forEach((s) => {
      s.el.disabled = false;
    });
    path = { x: [], y: [] };
    learnPlot.set([], [[], []]);
    learned.textContent = "Press Learn to run SAL on both weights from the sliders' values.";
    setSliders(DEFAULTS);
    drawPhase();
    void recompute();
  });

  showSliders();
  drawPhase();
  void client.ready.then(() => recompute());
}
