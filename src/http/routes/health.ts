// Liveness (answers without touching storage, cheap enough to poll often) and the API document.
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { openApiDocument } from "../openapi";
import { access } from "../middleware/route-access";

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get("/health", access.anyone(), (c) => c.json({ status: "ok", time: new Date().toISOString() }));

healthRoutes.get("/openapi.json", access.anyone(), (c) => c.json(openApiDocument()));
