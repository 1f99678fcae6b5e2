// Every command, in the order `--help` lists them.
import type { CommandSpec } from "../command";
import { adminDelete, adminRemove, adminUserCreate } from "./admin";
import { login, logout, whoami } from "./auth";
import { download } from "./download";
import { deprecate, transferAccept, transferCancel, transferOffer, unyank, yank } from "./lifecycle";
import { pack } from "./pack";
import { memberAdd, memberList, memberRemove, ownerAdd, ownerList, ownerRemove } from "./people";
import { publish } from "./publish";
import { info, search } from "./read";
import { tokenCreate, tokenList, tokenRevoke } from "./tokens";
import { verify } from "./verify";
import { audit } from "./audit";

export const COMMANDS: CommandSpec[] = [
  login,
  logout,
  whoami,
  pack,
  publish,
  info,
  search,
  download,
  verify,
  audit,
  yank,
  unyank,
  deprecate,
  transferOffer,
  transferAccept,
  transferCancel,
  ownerList,
  ownerAdd,
  ownerRemove,
  memberList,
  memberAdd,
  memberRemove,
  tokenCreate,
  tokenList,
  tokenRevoke,
  adminUserCreate,
  adminRemove,
  adminDelete,
];
