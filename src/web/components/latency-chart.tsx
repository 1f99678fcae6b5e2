// A small inline SVG line chart of one endpoint's hourly median latency (no chart library, no
// script): one point per hour, failed hours marked, axes labelled, and a text alternative.
import type { LatencyPoint } from "../views";

const W = 640;
const H = 160;
const PAD = { left: 60, right: 12, top: 12, bottom: 28 };

/** The chart's geometry, apart from the markup (unit-tested). */
export function chartPoints(points: readonly LatencyPoint[], now: number, hours = 24) {
  const start = now - hours * 3600_000;
  const measured = points.filter((p) => p.at >= start && p.p50Ms !== null);
  const max = Math.max(10, ...measured.map((p) => p.p50Ms!));
  const top = niceCeiling(max);
  const x = (at: number) => PAD.left + ((at - start) / (hours * 3600_000)) * (W - PAD.left - PAD.right);
  const y = (ms: number) => PAD.top + (1 - ms / top) * (H - PAD.top - PAD.bottom);
  return {
    top,
    dots: measured.map((p) => ({ x: round(x(p.at)), y: round(y(p.p50Ms!)), failed: p.failures > 0, point: p })),
    y,
  };
}

export function LatencyChart(props: { endpoint: string; points: LatencyPoint[]; now: number }) {
  const { top, dots, y } = chartPoints(props.points, props.now);
  const titleId = `chart-${props.endpoint}-title`;
  const summary =
    dots.length === 0
      ? "no probe in the last 24 hours"
      : `median latency per hour over the last 24 hours, from ${Math.min(...dots.map((d) => d.point.p50Ms!))} to ${Math.max(...dots.map((d) => d.point.p50Ms!))} ms`;
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId}>
      <title id={titleId}>
        {props.endpoint}: {summary}
      </title>
      {[0, 0.5, 1].map((f) => (
        <>
          <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={round(y(top * f))} y2={round(y(top * f))} />
          <text x={PAD.left - 6} y={round(y(top * f)) + 4} text-anchor="end">
            {Math.round(top * f)} ms
          </text>
        </>
      ))}
      <text x={PAD.left} y={H - 8}>
        24 h ago
      </text>
      <text x={W - PAD.right} y={H - 8} text-anchor="end">
        now
      </text>
      {dots.length > 1 ? <polyline class="line" points={dots.map((d) => `${d.x},${d.y}`).join(" ")} /> : null}
      {dots.map((d) => (
        <circle class={d.failed ? "fail" : "dot"} cx={d.x} cy={d.y} r={d.failed ? 4 : 2.5} />
      ))}
    </svg>
  );
}

/** 10, 20, 50, 100, 200, 500 … at or above `n`. */
function niceCeiling(n: number): number {
  const base = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * base >= n) return m * base;
  return 10 * base;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
