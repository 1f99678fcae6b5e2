// The StatusHistory Durable Object behind one port: recording probe runs and reading the status
// page, the checkpoint the probes remember (a CheckpointStore for the client's LogWitness, per
// verifier key), and the queue heartbeats. Strongly consistent (one object).
import type { Env } from "../env";
import type { CheckpointStore } from "../client/consistency";
import type { EndpointTransition, HourlyLatency, ProbeResult, QueueState, StatusData } from "../objects/status-history";
import { STATUS_HISTORY_NAME } from "../storage/keys";

export type { EndpointTransition, HourlyLatency, ProbeResult, QueueState, StatusData } from "../objects/status-history";

export class StatusStore {
  constructor(private readonly env: Env) {}

  private history() {
    return this.env.STATUS_HISTORY.getByName(STATUS_HISTORY_NAME);
  }

  record(at: number, results: ProbeResult[], alertAfter: number): Promise<EndpointTransition[]> {
    return Promise.resolve(this.history().record(at, results, alertAfter));
  }

  status(now: number, alertAfter: number): Promise<StatusData> {
    return Promise.resolve(this.history().status(now, alertAfter));
  }

  /** Each endpoint's last 24 hours by hour (the web status page's chart). */
  hourlyLatency(now: number): Promise<HourlyLatency[]> {
    return Promise.resolve(this.history().hourlyLatency(now));
  }

  /** The probes' memory of the log, for the client's LogWitness (it only grows; per key). */
  checkpoints(verifierKey: string): CheckpointStore {
    return {
      load: async () => (await this.history().lastCheckpoint(verifierKey))?.note ?? null,
      save: async (note, size) => {
        await this.history().saveCheckpoint(verifierKey, note, size);
      },
    };
  }

  /**
   * Sends a queue heartbeat unless one went out less than `intervalMs` ago; a send that fails
   * is forgotten (so the lag is not blamed on the consumer) and rethrown.
   */
  async heartbeat(env: Env, now: number, intervalMs: number): Promise<boolean> {
    if (!(await this.history().claimHeartbeat(now, intervalMs))) return false;
    try {
      await env.JOBS.send({ type: "heartbeat", sentAt: now });
    } catch (e) {
      await this.history().dropHeartbeat(now);
      throw e;
    }
    return true;
  }

  heartbeatProcessed(sentAt: number, now: number): Promise<void> {
    return Promise.resolve(this.history().heartbeatProcessed(sentAt, now));
  }

  queueState(): Promise<QueueState> {
    return Promise.resolve(this.history().queueState());
  }
}
