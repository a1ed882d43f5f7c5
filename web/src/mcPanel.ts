// Panel 3, the cortical microcircuit (arXiv:2503.02642, Fig. 6): BP, FA and SAL
// feedback, each condition in its own worker; for 1-1-1 the traces of B12 and
// W21 per condition, for wider nets angle(B12, W21ᵀ); the validation loss of
// all three.
import { SimClient } from "./client";
import { $, fmt, input, lab, reportError, requestedBackend } from "./lab";
import { COLORS, linePlot, perFrame } from "./plots";

const FEEDBACKS = ["bp", "fa", "sal"] as const;
type Fb = (typeof FEEDBACKS)[number];
const NAMES: Record<Fb, string> = { bp: "BP", fa: "FA", sal: "SAL" };

interface McRow {
  feedback: Fb;
  epoch: number;
  validationLoss: number;
  angleDeg: number[];
  weights: { W10: number; W21: number; B12: number } | null;
}

export function mcPanel(): void {
  // the three workers start with the first run
  let workers: Record<Fb, SimClient> | null = null;
  const clients = () =>
    (workers ??= Object.fromEntries(FEEDBACKS.map((fb) => [fb, new SimClient(`mc ${NAMES[fb]}`, requestedBackend, reportError)])) as Record<
      Fb,
      SimClient
    >);
  const dims = $("m-dims") as HTMLSelectElement,
    seed = input("m-seed"),
    epochs = input("m-epochs");
  const startBtn = $("m-start") as HTMLButtonElement,
    pauseBtn = $("m-pause") as HTMLButtonElement,
    resetBtn = $("m-reset") as HTMLButtonElement;
  const readout = $("m-readout"),
    traces = $("mc-traces"),
    angleFig = $("mc-angle-fig");
  const settings = [dims, seed, epochs];

  const tracePlots = Object.fromEntries(
    FEEDBACKS.map((fb) => {
      const fig = document.createElement("figure");
      const div = document.createElement("div");
      div.className = "plot";
      div.id = `plot-mc-${fb}`;
      const cap = document.createElement("figcaption");
      cap.textContent = `${NAMES[fb]}: B12 and W21 per epoch (teacher W21 = 2)`;
      fig.append(div, cap);
      traces.append(fig);
      return [
        fb,
        linePlot(`mc-${fb}`, div, {
          x: "epoch",
          y: "weight",
          series: [
            { label: "W21", stroke: "#333" },
            { label: "B12", stroke: COLORS[fb] },
            { label: "teacher W21", stroke: COLORS.guide, dash: [4, 4], width: 1 },
          ],
        }),
      ];
    }),
  ) as Record<Fb, ReturnType<typeof linePlot>>;
  const lossPlot = linePlot("mc-loss", $("plot-mc-loss"), {
    x: "epoch",
    y: "validation loss",
    logY: true,
    series: FEEDBACKS.map((fb) => ({ label: NAMES[fb], stroke: COLORS[fb] })),
  });
  const anglePlot = linePlot("mc-angle", $("plot-mc-angle"), {
    x: "epoch",
    y: "angle (deg)",
    yRange: [0, 180],
    series: FEEDBACKS.map((fb) => ({ label: NAMES[fb], stroke: COLORS[fb] })),
  });

  const rows: Record<Fb, McRow[]> = { bp: [], fa: [], sal: [] };
  const state = { started: false, paused: false };
  const allDone = () => FEEDBACKS.every((fb) => lab.mc.done[fb]);

  const layout = () => {
    const wide = dims.value === "wide";
    traces.hidden = wide;
    angleFig.hidden = !wide;
    angleFig.parentElement!.classList.toggle("single", !wide);
  };
  dims.addEventListener("change", () => {
    layout();
    epochs.value = dims.value === "wide" ? "30" : "60";
  });

  const draw = () => {
    const n = Math.max(...FEEDBACKS.map((fb) => rows[fb].length));
    const x = Array.from({ length: n }, (_, e) => e);
    const col = (fb: Fb, f: (r: McRow) => number | null) => x.map((e) => (rows[fb][e] ? f(rows[fb][e]) : null));
    // epoch 0 is before learning: no validation loss
    lossPlot.set(
      x,
      FEEDBACKS.map((fb) => col(fb, (r) => (r.epoch > 0 && Number.isFinite(r.validationLoss) ? r.validationLoss : null))),
    );
    anglePlot.set(
      x,
      FEEDBACKS.map((fb) => col(fb, (r) => r.angleDeg[0])),
    );
    // one weight scale for the three conditions, so that their traces compare at a glance
    let lo = 0,
      hi = 2.5;
    for (const fb of FEEDBACKS)
      for (const r of rows[fb])
        if (r.weights) {
          lo = Math.min(lo, r.weights.W21, r.weights.B12);
          hi = Math.max(hi, r.weights.W21, r.weights.B12);
        }
    const pad = 0.08 * (hi - lo);
    for (const fb of FEEDBACKS) {
      tracePlots[fb].set(x, [col(fb, (r) => r.weights?.W21 ?? null), col(fb, (r) => r.weights?.B12 ?? null), x.map(() => 2)]);
      tracePlots[fb].u.setScale("y", { min: lo - pad, max: hi + pad });
    }
  };

  const redraw = perFrame(() => {
    draw();
    describe();
  });

  const describe = () => {
    const parts = FEEDBACKS.map((fb) => {
      const r = rows[fb][rows[fb].length - 1];
      return (
        `${NAMES[fb]}: epoch ${r?.epoch ?? 0}, loss ${fmt(r && r.epoch > 0 ? r.validationLoss : null)}` +
        `, angle ${r ? r.angleDeg[0].toFixed(1) : "–"}°`
      );
    });
    readout.textContent = `${allDone() ? "Done" : state.paused ? "Paused" : "Running"}. ${parts.join("; ")}.`;
  };

  const setButtons = () => {
    const running = state.started && !state.paused && !allDone();
    lab.mc.running = running;
    startBtn.disabled = running;
    startBtn.textContent = state.started && state.paused ? "Resume" : "Start";
    pauseBtn.disabled = !running;
    settings.forEach((el) => {
      el.disabled = state.started && !allDone();
    });
  };

  startBtn.addEventListener("click", () => {
    if (state.started && state.paused && !allDone()) {
      state.paused = false;
      FEEDBACKS.forEach((fb) => clients()[fb].resume());
      setButtons();
      describe();
      return;
    }
    const wide = dims.value === "wide";
    const E = Math.max(1, Math.floor(Number(epochs.value) || 40));
    state.started = true;
    state.paused = false;
    lab.mc.done = {};
    for (const fb of FEEDBACKS) {
      rows[fb] = [];
      clients()[fb].start(
        "microcircuit",
        { preset: wide ? "wide" : "paper", feedback: fb, epochs: E, seeds: 1, seed: Math.max(0, Math.floor(Number(seed.value) || 0)) },
        {
          rows: (m) => {
            rows[fb].push(...(m.rows as McRow[]));
            redraw();
          },
          summary: () => {
            lab.mc.done[fb] = true;
            setButtons();
            describe();
          },
        },
        { chunkMs: 60, pace: wide ? 0 : 25 },
      );
    }
    setButtons();
    describe();
  });
  pauseBtn.addEventListener("click", () => {
    state.paused = true;
    FEEDBACKS.forEach((fb) => clients()[fb].pause());
    setButtons();
    describe();
  });
  resetBtn.addEventListener("click", () => {
    FEEDBACKS.forEach((fb) => {
      workers?.[fb].stop();
      rows[fb] = [];
    });
    state.started = false;
    state.paused = false;
    lab.mc.done = {};
    draw();
    setButtons();
    readout.textContent = "Press Start.";
  });

  layout();
  setButtons();
}
