// Monitoring: liveness (answers without touching storage, cheap enough to poll often) and this
// API's own OpenAPI document.
import { z } from "zod";
import { access, route } from "./contract";
import { named, Timestamp } from "./shapes";

export const Health = named("Health", "The Worker is up", z.object({ status: z.literal("ok"), time: Timestamp }));

export const OpenApiDocument = z.record(z.string(), z.unknown()).meta({ description: "an OpenAPI 3.1 document" });

export const health = {
  health: route({
    methods: ["GET"],
    path: "/v1/health",
    summary: "Liveness",
    tag: "monitoring",
    access: access.anyone("none"),
    responses: { 200: { description: "the Worker answers", schema: Health } },
  }),
  openapi: route({
    methods: ["GET"],
    path: "/v1/openapi.json",
    summary: "This document (OpenAPI 3.1), generated from the contract in src/api/",
    tag: "monitoring",
    access: access.anyone(),
    responses: { 200: { description: "the OpenAPI document", schema: OpenApiDocument } },
  }),
};

export type Health = z.output<typeof Health>;
