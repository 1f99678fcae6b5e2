// Liveness (answers without touching storage, cheap enough to poll often) and the API document.
import { api } from "../../api";
import { openApiDocument } from "../../api/openapi";
import { implement } from "../implement";

export const healthRoutes = implement(api.health, {
  health: () => ({ status: 200, body: { status: "ok" as const, time: new Date().toISOString() } }),
  openapi: () => ({ status: 200, body: openApiDocument() }),
});
