// The registry's log lines: one JSON object per line with `level` and `msg` first, so Workers
// Logs, `wrangler tail` and a Tail Worker can filter on fields (`alert`, `route`, `status`).
// Callers pass only what is safe to log (no token, no body, no full IP). Pure.

export type LogLevel = "debug" | "info" | "warn" | "error";

export function logLine(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ level, msg, ...fields });
}
