// Panel 2, a sampling network learning a target distribution (arXiv:2503.02642,
// Figs. 4-5): the same problem runs twice, SAL on and SAL off, each in its own
// worker; DKL (log) and ASYM per validation epoch side by side, and for the
// run the switch selects: target vs sampled distribution and W vs Wᵀ.
import { SimClient } from "./client";
import { $, fmt, input, lab, reportError, requestedBackend } from "./lab";
import { barPlot, COLORS, linePlot, perFrame, xyPlot } from "./plots";

interface SsnRow {
  epoch: number;
  dkl: number | null;
  asym: number;
  W: number[][];
  q?: number[];
}
type Which = "on" | "off";

const SCENARIOS = {
  "syn-noise": { noise: { min: 0, max: 1, step: 0.05, value: 0.8 }, epochs: 3001, valFactor: 50 },
  "plast-noise": { noise: { min: 0, max: 0.1, step: 0.005, value: 0.05 }, epochs: 1501, valFactor: 100 },
} as const;
type Scenario = keyof typeof SCENARIOS;

export function ssnPanel(): void {
  // the two workers start with the first run (the page loads faster, and phones keep their memory)
  let workers: Record<Which, SimClient> | null = null;
  const clients = () =>
    (workers ??= {
      on: new SimClient("ssn SAL on", requestedBackend, reportError),
      off: new SimClient("ssn SAL off", requestedBackend, reportError),
    });
  const dim = input("s-dim"),
    scenario = $("s-scenario") as HTMLSelectElement,
    noise = input("s-noise"),
    noiseOut = $("s-noise-out");
  const seed = input("s-seed"),
    epochs = input("s-epochs");
  const startBtn = $("s-start") as HTMLButtonElement,
    pauseBtn = $("s-pause") as HTMLButtonElement,
    resetBtn = $("s-reset") as HTMLButtonElement;
  const salSwitch = $("s-sal"),
    salState = $("s-sal-state"),
    readout = $("s-readout");
  const distCaption = $("s-dist-caption"),
    scatterCaption = $("s-scatter-caption");
  const settings = [dim, scenario, noise, seed, epochs];

  const dklPlot = linePlot("dkl", $("plot-dkl"), {
    x: "epoch",
    y: "DKL",
    logY: true,
    series: [
      { label: "SAL on", stroke: COLORS.salOn },
      { label: "SAL off", stroke: COLORS.salOff },
    ],
  });
  const asymPlot = linePlot("asym", $("plot-asym"), {
    x: "epoch",
    y: "ASYM",
    series: [
      { label: "SAL on", stroke: COLORS.salOn },
      { label: "SAL off", stroke: COLORS.salOff },
    ],
  });
  const distPlot = barPlot("dist", $("plot-dist"), {
    x: "state (by target probability)",
    y: "probability",
    series: [
      { label: "sampled", stroke: COLORS.sampled, fill: COLORS.sampled + "88" },
      { label: "target", stroke: "#333", bars: false, width: 1.5 },
    ],
  });
  const scatter = xyPlot("scatter", $("plot-scatter"), {
    x: "W[i][j]",
    y: "W[j][i]",
    series: [
      { label: "W = Wᵀ", stroke: COLORS.guide, dash: [4, 4], width: 1, line: true },
      { label: "synapses", stroke: COLORS.salOn, points: true },
    ],
  });

  // the run's state: validation epochs, and per run its metrics by validation index
  let valEpochs: number[] = [];
  let target: number[] = [];
  let order: number[] = [];
  const rows: Record<Which, SsnRow[]> = { on: [], off: [] };
  const state = { started: false, paused: false };

  const noiseSettings = () => {
    const sc = SCENARIOS[scenario.value as Scenario];
    noise.min = String(sc.noise.min);
    noise.max = String(sc.noise.max);
    noise.step = String(sc.noise.step);
  };
  scenario.addEventListener("change", () => {
    const sc = SCENARIOS[scenario.value as Scenario];
    noiseSettings();
    noise.value = String(sc.noise.value);
    epochs.value = String(sc.epochs);
    noiseOut.textContent = Number(noise.value).toFixed(scenario.value === "syn-noise" ? 2 : 3);
  });
  noise.addEventListener("input", () => {
    noiseOut.textContent = Number(noise.value).toFixed(scenario.value === "syn-noise" ? 2 : 3);
  });

  const config = (sal: boolean): Record<string, unknown> => {
    const sc = scenario.value as Scenario,
      s = Math.max(0, Math.floor(Number(seed.value) || 0));
    const E = Math.max(20, Math.floor(Number(epochs.value) || SCENARIOS[sc].epochs));
    const level = Number(noise.value);
    return {
      preset: sal ? `${sc}-sal` : sc,
      dim: Math.min(8, Math.max(2, Math.floor(Number(dim.value) || 7))),
      seeds: { distr: s, init: s, sim: s },
      epochs: E,
      valStep: Math.max(1, Math.round(E / 60)),
      valFactor: SCENARIOS[sc].valFactor,
      ...(sc === "syn-noise" ? { initNoise: level } : { stdpNoise: { ws: level, sal: level } }),
    };
  };

  const detail = (): Which => lab.ssn.detail;

  const drawCurves = () => {
    const n = Math.max(rows.on.length, rows.off.length);
    const x = valEpochs.slice(0, n);
    const col = (w: Which, f: (r: SsnRow) => number | null) => x.map((_, i) => (rows[w][i] ? f(rows[w][i]) : null));
    dklPlot.set(x, [col("on", (r) => r.dkl), col("off", (r) => r.dkl)]);
    asymPlot.set(x, [col("on", (r) => r.asym), col("off", (r) => r.asym)]);
    lab.ssn.epochs = x;
  };

  const drawDetail = () => {
    const w = detail(),
      name = w === "on" ? "SAL on" : "SAL off";
    distCaption.textContent = `Target vs sampled distribution (states sorted by target probability), ${name}`;
    scatterCaption.textContent = `W vs Wᵀ (one point per synapse; symmetric weights lie on the diagonal), ${name}`;
    const last = rows[w][rows[w].length - 1];
    const ranks = order.map((_, i) => i + 1);
    distPlot.set(ranks, [last?.q ? order.map((s) => last.q![s]) : ranks.map(() => null), order.map((s) => target[s])]);
    const xs: number[] = [],
      ys: number[] = [];
    let r = 0.5;
    if (last) {
      const W = last.W;
      for (let i = 0; i < W.length; i++)
        for (let j = 0; j < W.length; j++)
          if (i !== j) {
            xs.push(W[i][j]);
            ys.push(W[j][i]);
            r = Math.max(r, Math.abs(W[i][j]) * 1.1);
          }
    }
    const color = w === "on" ? COLORS.salOn : COLORS.salOff;
    scatter.u.series[2].stroke = () => color;
    scatter.u.series[2].fill = () => color;
    scatter.set([
      [
        [-r, r],
        [-r, r],
      ],
      [xs, ys],
    ]);
    scatter.u.batch(() => {
      scatter.u.setScale("x", { min: -r, max: r });
      scatter.u.setScale("y", { min: -r, max: r });
    });
  };

  const redraw = perFrame(() => {
    drawCurves();
    drawDetail();
    describe();
  });

  const describe = () => {
    const a = rows.on[rows.on.length - 1],
      b = rows.off[rows.off.length - 1];
    const ep = Math.max(a?.epoch ?? 0, b?.epoch ?? 0);
    const E = valEpochs[valEpochs.length - 1] ?? 0;
    const done = lab.ssn.done.on && lab.ssn.done.off;
    readout.textContent =
      `${done ? "Done" : state.paused ? "Paused" : "Running"}: epoch ${ep} of ${E}. ` +
      `SAL on: DKL ${fmt(a?.dkl)}, ASYM ${fmt(a?.asym)}. SAL off: DKL ${fmt(b?.dkl)}, ASYM ${fmt(b?.asym)}.`;
  };

  const setButtons = () => {
    const running = state.started && !state.paused && !(lab.ssn.done.on && lab.ssn.done.off);
    lab.ssn.running = running;
    startBtn.disabled = running;
    startBtn.textContent = state.started && state.paused ? "Resume" : "Start";
    pauseBtn.disabled = !running;
    settings.forEach((el) => {
      el.disabled = state.started && !(lab.ssn.done.on && lab.ssn.done.off);
    });
  };

  const start = () => {
    if (state.started && state.paused && !(lab.ssn.done.on && lab.ssn.done.off)) {
      state.paused = false;
      clients().on.resume();
      clients().off.resume();
      setButtons();
      describe();
      return;
    }
    rows.on = [];
    rows.off = [];
    lab.ssn.done = { on: false, off: false };
    state.started = true;
    state.paused = false;
    for (const w of ["on", "off"] as const) {
      clients()[w].start(
        "ssn",
        config(w === "on"),
        {
          started: (m) => {
            const c = m.config as { epochs: number; valStep: number };
            valEpochs = Array.from({ length: c.epochs }, (_, e) => e).filter((e) => e % c.valStep === 0 || e === c.epochs - 1);
            if (m.target) {
              target = m.target.p;
              order = target.map((_, s) => s).sort((i, j) => target[j] - target[i]);
            }
          },
          rows: (m) => {
            rows[w].push(...(m.rows as SsnRow[]));
            redraw();
          },
          summary: () => {
            lab.ssn.done[w] = true;
            setButtons();
            describe();
          },
        },
        { chunkMs: 40 },
      );
    }
    setButtons();
    describe();
  };

  startBtn.addEventListener("click", start);
  pauseBtn.addEventListener("click", () => {
    state.paused = true;
    clients().on.pause();
    clients().off.pause();
    setButtons();
    describe();
  });
  resetBtn.addEventListener("click", () => {
    workers?.on.stop();
    workers?.off.stop();
    state.started = false;
    state.paused = false;
    rows.on = [];
    rows.off = [];
    valEpochs = [];
    target = [];
    order = [];
    lab.ssn.done = { on: false, off: false };
    drawCurves();
    drawDetail();
    setButtons();
    readout.textContent = "Press Start.";
  });
  salSwitch.addEventListener("click", () => {
    lab.ssn.detail = lab.ssn.detail === "on" ? "off" : "on";
    salSwitch.setAttribute("aria-checked", String(lab.ssn.detail === "on"));
    salState.textContent = lab.ssn.detail === "on" ? "SAL on" : "SAL off";
    drawDetail();
  });

  noiseSettings();
  setButtons();
}
