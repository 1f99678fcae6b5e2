// Liveness: answers without touching storage, so it stays cheap enough to poll often.
import { Hono } from "hono";
import type { AppEnv } from "../../env";

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get("/health", (c) => c.json({ status: "ok", time: new Date().toISOString() }));
