// Liveness (answers without touching storage, cheap enough to poll often) and the API document.
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { openApiDocument } from "../openapi";

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get("/health", (c) => c.json({ status: "ok", time: new Date().toISOString() }));

healthRoutes.get("/openapi.json", (c) => c.json(openApiDocument()));
