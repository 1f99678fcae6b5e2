// What a Durable Object's RPC method returns when it can refuse: typed errors do not survive
// the RPC boundary (only their message does), so refusals travel as plain data with a code,
// and the caller turns them back into a RegistryError.
export type RpcResult<T, Code extends string> = { ok: true; value: T } | { ok: false; code: Code; message: string };
