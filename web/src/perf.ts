// Responsiveness of the page while the workers compute: frames per second and
// the longest frame of the last second (requestAnimationFrame), and the
// simulated steps per second summed over the running workers.
import { clients } from "./client";
import { $, lab } from "./lab";

export function startMeters(): void {
  const fpsEl = $("fps"),
    speedEl = $("speed");
  let frames = 0,
    longest = 0,
    last = performance.now(),
    windowStart = last;
  const frame = (t: number) => {
    frames++;
    longest = Math.max(longest, t - last);
    last = t;
    if (t - windowStart >= 1000) {
      lab.fps = (frames * 1000) / (t - windowStart);
      fpsEl.textContent = `${lab.fps.toFixed(0)} fps · longest frame ${longest.toFixed(0)} ms`;
      fpsEl.classList.toggle("warn", longest > 100);
      frames = 0;
      longest = 0;
      windowStart = t;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  setInterval(() => {
    const running = clients.filter((c) => c.running && c.stepsPerSecond > 0);
    const total = running.reduce((s, c) => s + c.stepsPerSecond, 0);
    speedEl.textContent = running.length
      ? `${(total / 1e6).toFixed(1)} M steps/s (${running.map((c) => `${c.label} ${(c.stepsPerSecond / 1e6).toFixed(1)} M`).join(", ")})`
      : "idle";
  }, 500);
}
