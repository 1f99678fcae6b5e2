// ScopeOwnership: one Durable Object per scope (`@acme`), the single writer of who may publish
// under it. The first publish under a new scope claims it (first come, first served): claim()
// is atomic here, so two accounts racing for one new scope cannot both win. Its table is
// created by the first write: asking about a scope nobody claimed stores nothing.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type { RpcResult } from "./rpc-result";
import type { ScopeMember, ScopeRole } from "../domain/accounts";

export type { ScopeMember, ScopeRole } from "../domain/accounts";

type Result<T> = RpcResult<T, "conflict" | "not_found">;

export class ScopeOwnership extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private ready = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
  }

  /** The caller's role, claiming the scope for them if nobody owns it yet. */
  claim(username: string): { role: ScopeRole | null; claimed: boolean } {
    const existing = this.listMembers();
    if (existing.length === 0) {
      this.insert(username, "owner");
      return { role: "owner", claimed: true };
    }
    return { role: existing.find((m) => m.username === username)?.role ?? null, claimed: false };
  }

  findRole(username: string): ScopeRole | null {
    return this.listMembers().find((m) => m.username === username)?.role ?? null;
  }

  listMembers(): ScopeMember[] {
    if (!this.exists()) return [];
    return this.sql
      .exec<{ username: string; role: string; added_at: string }>("SELECT * FROM members ORDER BY added_at, username")
      .toArray()
      .map((r) => ({ username: r.username, role: r.role as ScopeRole, addedAt: r.added_at }));
  }

  /** Adds a member or changes a member's role. */
  saveMember(username: string, role: ScopeRole): Result<ScopeMember> {
    const current = this.findRole(username);
    if (current === "owner" && role !== "owner" && this.ownerCount() === 1) {
      return { ok: false, code: "conflict", message: `${username} is the scope's last owner` };
    }
    if (current) this.sql.exec("UPDATE members SET role = ? WHERE username = ?", role, username);
    else this.insert(username, role);
    return { ok: true, value: this.listMembers().find((m) => m.username === username)! };
  }

  removeMember(username: string): Result<null> {
    const current = this.findRole(username);
    if (!current) return { ok: false, code: "not_found", message: `${username} is not a member of this scope` };
    if (current === "owner" && this.ownerCount() === 1)
      return { ok: false, code: "conflict", message: `${username} is the scope's last owner` };
    this.sql.exec("DELETE FROM members WHERE username = ?", username);
    return { ok: true, value: null };
  }

  private ownerCount(): number {
    return this.listMembers().filter((m) => m.role === "owner").length;
  }

  private exists(): boolean {
    this.ready ||=
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'members'").toArray().length > 0;
    return this.ready;
  }

  private insert(username: string, role: ScopeRole): void {
    if (!this.exists()) {
      this.sql.exec(
        "CREATE TABLE IF NOT EXISTS members (username TEXT PRIMARY KEY, role TEXT NOT NULL, added_at TEXT NOT NULL)",
      );
      this.ready = true;
    }
    this.sql.exec(
      "INSERT INTO members (username, role, added_at) VALUES (?, ?, ?)",
      username,
      role,
      new Date().toISOString(),
    );
  }
}
