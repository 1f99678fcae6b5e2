// Job: a queue heartbeat (sent by deep health and the probes at most once a minute). Consuming
// it records when it was consumed, so deep health can say how long the oldest unconsumed one
// has waited — the queue's lag, measured from the outside of the queue.
import type { Env } from "../env";
import type { Heartbeat } from "./messages";
import { StatusStore } from "../services/status-store";

export async function heartbeat(env: Env, msg: Heartbeat): Promise<void> {
  await new StatusStore(env).heartbeatProcessed(msg.sentAt, Date.now());
}
