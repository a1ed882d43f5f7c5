// Numbers in human text: durations.

/** "45 s", "12 min", "3.5 h", "2.0 days". */
export function fmtSeconds(s: number): string {
  if (s < 90) return `${s.toPrecision(2)} s`;
  if (s < 5400) return `${(s / 60).toPrecision(2)} min`;
  if (s < 172800) return `${(s / 3600).toPrecision(2)} h`;
  return `${(s / 86400).toPrecision(2)} days`;
}
