// What every route needs, and Spring's request binding as WeBASE-Front's beans see it.
import type { Chain } from "./chain/chain.ts";
import type { Queries } from "./chain/queries.ts";
import type { Sealer } from "./chain/sealer.ts";
import { BadRequest, JavaError } from "./errors.ts";
import type { KeyStore } from "./keys/keystore.ts";
import type { Logger } from "./logger.ts";

export interface App {
  chain: Chain;
  queries: Queries;
  sealer: Sealer;
  keys: KeyStore;
  groupId: string;
  logger: Logger;
  /** `/web3/encrypt`: 0 ECDSA, 1 SM (only answered; the EVM stays keccak/secp256k1) */
  cryptoType: 0 | 1;
  systemConfig: ReadonlyMap<string, string>;
}

/**
 * Web3ApiService.getWeb3j(groupId) → BcosSDK.getClient: a group the node does not have fails in
 * ClientImpl.initGroupInfo, and BcosSDK wraps it (SDK BcosSDK.java, client/ClientImpl.java) — an
 * uncaught exception, so HTTP 500. (What bcos-c-sdk answers in between was not read.)
 */
export function requireGroup(app: App, groupId: string | null | undefined): void {
  if (groupId === null || groupId === undefined) throw new JavaError(null);
  if (groupId !== app.groupId) {
    throw new JavaError(
      `get Client failed, e: The group not exist, please check the groupID, groupID: ${groupId}`,
    );
  }
}

/** StringUtils.isBlank */
export const isBlank = (v: string | null | undefined): boolean =>
  v === null || v === undefined || v.trim() === "";

// ---- JSON body → request bean (Jackson with FAIL_ON_UNKNOWN_PROPERTIES off) ----------------------

const cannotDeserialize = (type: string, what: string) =>
  new JavaError(`JSON parse error: Cannot deserialize value of type \`${type}\` from ${what} value`);

const kind = (v: unknown) => (Array.isArray(v) ? "Array" : typeof v === "object" ? "Object" : typeof v);

export function asBean(body: unknown, beanClass: string): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw cannotDeserialize(beanClass, kind(body));
  }
  return body as Record<string, unknown>;
}

/** A String field: scalars are coerced to their text, as Jackson does. */
export function stringField(bean: Record<string, unknown>, name: string): string | null {
  const v = bean[name];
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw cannotDeserialize("java.lang.String", kind(v));
}

/** A List<Object> field. */
export function listField(bean: Record<string, unknown>, name: string): unknown[] | null {
  const v = bean[name];
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw cannotDeserialize("java.util.ArrayList<java.lang.Object>", kind(v));
  return v;
}

/** A List<String> field: elements coerced like String fields, JSON null kept as null. */
export function stringListField(bean: Record<string, unknown>, name: string): (string | null)[] | null {
  const list = listField(bean, name);
  if (list === null) return null;
  return list.map((v) => {
    if (v === null) return null;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    throw cannotDeserialize("java.lang.String", kind(v));
  });
}

/** A Boolean field: JSON booleans, and the strings "true"/"false". */
export function booleanField(bean: Record<string, unknown>, name: string): boolean | null | undefined {
  const v = bean[name];
  if (v === undefined) return undefined;
  if (v === null || typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  throw cannotDeserialize("java.lang.Boolean", kind(v));
}

/** An Integer field: integral JSON numbers or numeric strings; fractions truncate (ACCEPT_FLOAT_AS_INT). */
export function integerField(bean: Record<string, unknown>, name: string): number | null {
  const v = bean[name];
  if (v === undefined || v === null) return null;
  const n = typeof v === "string" && /^-?[0-9]+$/.test(v.trim()) ? Number(v.trim()) : v;
  if (typeof n !== "number" || !Number.isFinite(n)) throw cannotDeserialize("java.lang.Integer", kind(v));
  const i = Math.trunc(n);
  if (i > 2147483647 || i < -2147483648) throw cannotDeserialize("java.lang.Integer", "Integer");
  return i;
}

// ---- query and path parameters ----------------------------------------------------------------------

/** A required @RequestParam String: missing is a ServletRequestBindingException (400). */
export function requiredParam(q: URLSearchParams, name: string, type = "String"): string {
  const v = q.get(name);
  if (v === null) {
    throw new BadRequest(
      `Required request parameter '${name}' for method parameter type ${type} is not present`,
    );
  }
  return v;
}

const mismatchMessage = (value: string, type: string, cause: string) =>
  `Failed to convert value of type 'java.lang.String' to required type '${type}'; nested exception is ${cause}`;

/** A BigInteger path variable (Spring: TypeMismatchException → 400 when it does not parse). */
export function bigIntegerPath(s: string | undefined): bigint {
  const v = s ?? "";
  if (!/^[+-]?[0-9]+$/.test(v)) {
    const cause =
      v === ""
        ? "java.lang.NumberFormatException: Zero length BigInteger"
        : `java.lang.NumberFormatException: For input string: "${v}"`;
    throw new BadRequest(mismatchMessage(v, "java.math.BigInteger", cause));
  }
  return BigInt(v);
}

/** A boolean @RequestParam with a default (Spring's StringToBooleanConverter). */
export function booleanParam(q: URLSearchParams, name: string, dflt: boolean): boolean {
  const v = q.get(name);
  if (v === null || v.trim() === "") return dflt;
  const s = v.trim().toLowerCase();
  if (["true", "on", "yes", "1"].includes(s)) return true;
  if (["false", "off", "no", "0"].includes(s)) return false;
  throw new BadRequest(
    mismatchMessage(v, "boolean", `java.lang.IllegalArgumentException: Invalid boolean value [${v}]`),
  );
}

/** An int @RequestParam with a default. */
export function intParam(q: URLSearchParams, name: string, dflt: number): number {
  const v = q.get(name);
  if (v === null || v.trim() === "") return dflt;
  if (!/^[+-]?[0-9]+$/.test(v.trim()) || Math.abs(Number(v)) > 2147483647) {
    throw new BadRequest(
      mismatchMessage(v, "int", `java.lang.NumberFormatException: For input string: "${v}"`),
    );
  }
  return Number(v.trim());
}
