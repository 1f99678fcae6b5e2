// `/status`: how each public endpoint behaved, from the probes the registry runs on itself
// (docs/monitoring.md): state, last result, the day's uptime and latency, an hourly latency
// chart, and recent incidents.
import { Empty, Time } from "../components/bits";
import { LatencyChart } from "../components/latency-chart";
import type { StatusView } from "../views";

const STATE_LABEL = { up: "up", failing: "failing", down: "down", unknown: "unknown" } as const;

export function StatusPage(props: { view: StatusView | null }) {
  const v = props.view;
  if (v === null)
    return (
      <>
        <h1>Status</h1>
        <p>
          The probe history is not available on this registry yet. <a href="/v1/health">/v1/health</a> answers whether
          it is up.
        </p>
      </>
    );
  return (
    <>
      <h1>Status</h1>
      <p role="status">
        <strong
          class={v.status === "operational" ? "state-up" : v.status === "degraded" ? "state-down" : "state-unknown"}
        >
          {v.status === "operational"
            ? "All endpoints operational"
            : v.status === "degraded"
              ? "Degraded"
              : "No probe has run yet"}
        </strong>
        {v.lastProbeAt ? (
          <>
            {" "}
            — last probe <Time at={v.lastProbeAt} />
          </>
        ) : null}
      </p>
      {v.endpoints.length === 0 ? <Empty>No endpoint has been probed yet.</Empty> : null}
      {v.endpoints.map((e) => (
        <section aria-labelledby={`endpoint-${e.endpoint}`}>
          <h2 id={`endpoint-${e.endpoint}`}>
            {e.endpoint} <span class={`state-${e.state}`}>{STATE_LABEL[e.state]}</span>
          </h2>
          {e.route ? (
            <p class="meta-line">
              <code>{e.route}</code>
            </p>
          ) : null}
          <p>
            {e.last ? (
              <>
                Last probe <Time at={e.last.at} />: {e.last.ok ? "ok" : "failed"}
                {e.last.status !== null ? `, HTTP ${e.last.status}` : ""}, {e.last.latencyMs} ms
                {e.last.error ? ` — ${e.last.error}` : ""}.{" "}
              </>
            ) : null}
            Last 24 hours: {e.uptime24h === null ? "no probes" : `${e.uptime24h.toFixed(2)}% up`}
            {e.p50Ms24h !== null ? `, median ${e.p50Ms24h} ms` : ""}
            {e.p95Ms24h !== null ? `, p95 ${e.p95Ms24h} ms` : ""}.
          </p>
          <LatencyChart endpoint={e.endpoint} points={e.hourly} now={v.generatedAt} />
        </section>
      ))}
      <section aria-labelledby="incidents-heading">
        <h2 id="incidents-heading">Incidents (7 days)</h2>
        {v.incidents.length === 0 ? (
          <Empty>None.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Failed probes</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {v.incidents.map((i) => (
                <tr>
                  <td>{i.endpoint}</td>
                  <td>
                    <Time at={i.startedAt} />
                  </td>
                  <td>{i.endedAt ? <Time at={i.endedAt} /> : "ongoing"}</td>
                  <td>{i.failures}</td>
                  <td>{i.lastError ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
