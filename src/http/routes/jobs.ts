// The queue's jobs, for the operator (contract: src/api/jobs.ts): the dead letters.
import { api } from "../../api";
import { RegistryError } from "../../domain/errors";
import { DeadLetterStore } from "../../storage/dead-letters";
import { decodePageToken, encodePageToken } from "../../advisories/paging";
import { implement } from "../implement";

export const jobRoutes = implement(api.jobs, {
  deadLetters: async (c, { query }) => {
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new RegistryError("bad_request", "limit must be an integer from 1 to 100");
    const cursor = query.page_token === undefined ? null : decodePageToken(query.page_token, ["c"]).c;
    const page = await DeadLetterStore.of(c.env).list(limit, cursor);
    return {
      status: 200,
      body: {
        deadLetters: page.letters.map((l) => ({ ...l, job: l.job as unknown as Record<string, unknown> })),
        ...(page.cursor ? { next_page_token: encodePageToken({ c: page.cursor }) } : {}),
      },
    };
  },
});
