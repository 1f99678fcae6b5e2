// osv.dev answers errors as gRPC statuses in JSON (`{"code": 3, "message": "…"}`, its
// `rpcStatus`); OSV tools read that shape. On the OSV-compatible routes the registry's error
// body carries those two fields too, beside its own `error` object.
const OSV_ROUTES = /^\/v1\/(query|querybatch|vulns\/[^/]+)$/;

/** gRPC codes (google.rpc.Code) for the statuses the registry answers with. */
function grpcCode(status: number): number {
  if (status === 401) return 16; // UNAUTHENTICATED
  if (status === 403) return 7; // PERMISSION_DENIED
  if (status === 404) return 5; // NOT_FOUND
  if (status === 409) return 6; // ALREADY_EXISTS
  if (status === 429) return 8; // RESOURCE_EXHAUSTED
  if (status === 503) return 14; // UNAVAILABLE
  if (status >= 500) return 13; // INTERNAL
  return 3; // INVALID_ARGUMENT
}

export function osvErrorFields(path: string, status: number, message: string): { code: number; message: string } | Record<string, never> {
  return OSV_ROUTES.test(path) ? { code: grpcCode(status), message } : {};
}
