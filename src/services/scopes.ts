// Who owns and may publish under a scope: its ScopeOwnership Durable Object, the single writer
// of the scope's members (strongly consistent; the first publish's claim is atomic there).
// Ask only about scopes the log knows, except to claim one: asking creates its storage.
import type { Env } from "../env";
import type { ScopeMember, ScopeRole } from "../domain/accounts";
import { unwrap } from "../objects/rpc-result";
import { scopeOwnershipName } from "../storage/keys";

export class Scopes {
  constructor(private readonly env: Env) {}

  private ownership(scope: string) {
    return this.env.SCOPE_OWNERSHIP.getByName(scopeOwnershipName(scope));
  }

  listMembers(scope: string): Promise<ScopeMember[]> {
    return Promise.resolve(this.ownership(scope).listMembers());
  }

  findRole(scope: string, username: string): Promise<ScopeRole | null> {
    return Promise.resolve(this.ownership(scope).findRole(username));
  }

  /** The caller's role, claiming the scope for them if nobody owns it yet. */
  claim(scope: string, username: string): Promise<{ role: ScopeRole | null; claimed: boolean }> {
    return Promise.resolve(this.ownership(scope).claim(username));
  }

  async saveMember(scope: string, username: string, role: ScopeRole): Promise<ScopeMember> {
    return unwrap(await this.ownership(scope).saveMember(username, role));
  }

  async removeMember(scope: string, username: string): Promise<void> {
    unwrap(await this.ownership(scope).removeMember(username));
  }
}
