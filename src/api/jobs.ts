// The queue's jobs, for the operator: the dead-letter queue, listable (docs/processing.md) — every
// message the jobs queue gave up on after its retries, with the failure its version recorded.
import { z } from "zod";
import { access, route } from "./contract";
import { named, Timestamp } from "./shapes";

export const DeadLetterList = named(
  "DeadLetterList",
  "Messages the jobs queue gave up on (every retry failed), newest first, paged with `next_page_token`",
  z.object({
    deadLetters: z.array(
      z.object({
        id: z.string(),
        deadAt: Timestamp.meta({ description: "when the queue moved it to the dead-letter queue" }),
        recordedAt: Timestamp,
        job: z.record(z.string(), z.unknown()).meta({ description: "the message: `type` and its fields" }),
        reason: z.string().nullable().meta({ description: "the last failure, when the version's state recorded one" }),
      }),
    ),
    next_page_token: z.string().optional(),
  }),
);

export const jobs = {
  deadLetters: route({
    methods: ["GET"],
    path: "/v1/admin/dead-letters",
    summary: "The jobs the queue gave up on, newest first (registry admins)",
    tag: "admin",
    access: access.registryAdmin(),
    query: z.object({
      limit: z.string().optional().meta({ type: "integer", minimum: 1, maximum: 100, default: 50 }),
      page_token: z.string().optional().meta({ description: "a previous answer's `next_page_token`" }),
    }),
    responses: { 200: { description: "a page of dead letters", schema: DeadLetterList } },
    errors: ["bad_request"],
  }),
};
