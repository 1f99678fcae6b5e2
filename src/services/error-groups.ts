// The error groups as the admin routes read and resolve them (the ErrorTracker Durable Object;
// what fills it is the recorder, src/objects/error-recorder.ts).
import type { Env } from "../env";
import type { ErrorGroupRecord, ErrorSampleRecord } from "../objects/error-tracker";
import { ERROR_TRACKER_NAME } from "../storage/keys";

export class ErrorGroups {
  constructor(private readonly env: Env) {}

  private tracker() {
    return this.env.ERROR_TRACKER.getByName(ERROR_TRACKER_NAME);
  }

  list(status: "open" | "resolved" | null, limit: number): Promise<ErrorGroupRecord[]> {
    return Promise.resolve(this.tracker().list(status, limit));
  }

  find(fingerprint: string): Promise<{ group: ErrorGroupRecord; samples: ErrorSampleRecord[] } | null> {
    return Promise.resolve(this.tracker().find(fingerprint));
  }

  resolve(fingerprint: string, by: string): Promise<ErrorGroupRecord | null> {
    return Promise.resolve(this.tracker().resolve(fingerprint, by, Date.now()));
  }
}
