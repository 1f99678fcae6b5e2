// Who owns what: scope members, package owners, and package transfers (offer → accept).
import { z } from "zod";
import { access, route } from "./contract";
import { PackagePath, PackageUserPath, ScopePath, ScopeUserPath, UsernameField } from "./params";
import { named, PackageName, PendingTransfer, ScopeMember, Username } from "./shapes";

export const MemberRequest = z.object({ username: UsernameField, role: z.enum(["owner", "member"]).optional() });
export const OwnerRequest = z.object({ username: UsernameField });
/** The owner offers `{to}`, the recipient accepts `{accept: true}`, either side cancels `{cancel: true}`. */
export const TransferRequest = z.union([
  z.object({ to: UsernameField }).strict(),
  z.object({ accept: z.literal(true) }).strict(),
  z.object({ cancel: z.literal(true) }).strict(),
]);

export const ScopeMembers = named(
  "ScopeMembers",
  "A scope's owners and members",
  z.object({ scope: z.string().meta({ example: "@acme" }), members: z.array(ScopeMember) }),
);
export const PackageOwners = named(
  "PackageOwners",
  "A package's owners",
  z.object({ name: PackageName, owners: z.array(Username) }),
);
export const TransferState = named(
  "TransferState",
  "The package's owners and its pending transfer (null once accepted or cancelled)",
  PackageOwners.extend({ transfer: PendingTransfer.nullable() }),
);

const members = { 200: { description: "the scope's members", schema: ScopeMembers } } as const;
const owners = { 200: { description: "the package's owners", schema: PackageOwners } } as const;

export const ownership = {
  members: route({
    methods: ["GET"],
    path: "/v1/scopes/{scope}/members",
    summary: "The scope's owners and members (404 for a scope nobody published under)",
    tag: "ownership",
    access: access.read("scope"),
    params: ScopePath,
    responses: members,
    errors: ["not_found"],
  }),
  addMember: route({
    methods: ["POST"],
    path: "/v1/scopes/{scope}/members",
    summary: "Add a member (or change a role); scope owners only",
    tag: "ownership",
    access: access.token("admin", "scope"),
    params: ScopePath,
    body: { kind: "json", schema: MemberRequest },
    responses: members,
    errors: ["not_found", "conflict"],
  }),
  removeMember: route({
    methods: ["DELETE"],
    path: "/v1/scopes/{scope}/members/{username}",
    summary: "Remove a member (never the last owner)",
    tag: "ownership",
    access: access.token("admin", "scope"),
    params: ScopeUserPath,
    responses: members,
    errors: ["not_found", "conflict"],
  }),
  owners: route({
    methods: ["GET"],
    path: "/v1/packages/{scope}/{name}/owners",
    summary: "The package's owners",
    tag: "ownership",
    access: access.read("package"),
    params: PackagePath,
    responses: owners,
    errors: ["package_not_found"],
  }),
  addOwner: route({
    methods: ["POST"],
    path: "/v1/packages/{scope}/{name}/owners",
    summary: "Add an owner",
    tag: "ownership",
    access: access.token("admin", "package"),
    params: PackagePath,
    body: { kind: "json", schema: OwnerRequest },
    responses: owners,
    errors: ["package_not_found", "not_found"],
  }),
  removeOwner: route({
    methods: ["DELETE"],
    path: "/v1/packages/{scope}/{name}/owners/{username}",
    summary: "Remove an owner (never the last)",
    tag: "ownership",
    access: access.token("admin", "package"),
    params: PackageUserPath,
    responses: owners,
    errors: ["package_not_found", "not_found", "conflict"],
  }),
  transfer: route({
    methods: ["POST"],
    path: "/v1/packages/{scope}/{name}/transfer",
    summary:
      "Transfer: the owner offers `{to}`, the recipient accepts `{accept: true}`, either side cancels `{cancel: true}`",
    tag: "ownership",
    access: access.token("admin", "package"),
    params: PackagePath,
    body: { kind: "json", schema: TransferRequest },
    responses: { 200: { description: "the package's owners and pending transfer", schema: TransferState } },
    errors: ["package_not_found", "not_found", "conflict"],
  }),
};

export type ScopeMembers = z.output<typeof ScopeMembers>;
export type PackageOwners = z.output<typeof PackageOwners>;
export type TransferState = z.output<typeof TransferState>;
