/**
 * De-identification of a FHIR R4 Bundle for research export (level-2 grants), following the HIPAA
 * Safe Harbor list (45 CFR 164.514(b)(2)) as a checklist of 18 identifier kinds. Identifiers are
 * removed, generalized (dates → year, address → province/state, ages over 89 → "90 or older") or
 * replaced by a keyed pseudonym: HMAC-SHA256 under the export's secret salt, so one patient maps to
 * one pseudonym within an export but two exports cannot be linked without their salts.
 * Free text is scrubbed by patterns (TEXT_RULES) and by the names found elsewhere in the bundle.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { ADDRESS_SYSTEM, type Bundle } from "./fhir.ts";

export type IdentifierKind =
  | "name" | "address" | "date" | "age" | "phone" | "fax" | "email" | "national-id" | "mrn"
  | "health-plan" | "account" | "licence" | "vehicle" | "device" | "url" | "ip" | "biometric"
  | "photo" | "other-id";

export interface DeidReport {
  removed: Array<{ path: string; kind: IdentifierKind }>;
  generalized: Array<{ path: string; kind: IdentifierKind; to: string }>;
}
export interface DeidOptions {
  /** Secret of this export (≥ 16 bytes); kept by the exporter, never given to the recipient. */
  salt: string | Uint8Array;
  /** Reference time for ages (default: now). */
  now?: Date | number | string;
}

/** Identifier system of pseudonyms in de-identified bundles. */
export const PSEUDONYM_SYSTEM = "urn:yyl:pseudonym";
/** Extension that carries the aggregated age of patients aged 90 or older (birthDate is removed). */
export const AGE_BAND_EXTENSION = "urn:yyl:fhir:age-band";
export const AGE_90_OR_OLDER = "90 or older";

/** A fresh random export salt (32 bytes, hex). */
export function newExportSalt(): string {
  return bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/** Keyed pseudonym of `value` in `domain` (hex, 128 bits). */
export function pseudonym(salt: string | Uint8Array, domain: string, value: string): string {
  const key = typeof salt === "string" ? utf8ToBytes(salt) : salt;
  return bytesToHex(hmac(sha256, key, utf8ToBytes(`${domain}\u0000${value}`)).slice(0, 16));
}

function uuidOf(hex: string): string {
  const h = hex.split("");
  h[12] = "5";
  h[16] = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

// US three-digit ZIP prefixes with 20,000 people or fewer (HHS de-identification guidance, 2000
// census): these become "000". Other countries' postal codes are dropped (China: province only).
const RESTRICTED_ZIP3 = new Set("036 059 063 102 203 556 692 790 821 823 830 831 878 879 884 890 893".split(" "));
const NAMED_RESOURCES = new Set(["Patient", "Practitioner", "RelatedPerson", "Person", "Organization", "Location"]);
const INSTANT_KEYS = new Set(["timestamp", "lastUpdated", "issued", "recorded", "when"]);
// Coded and structural strings: never free text, never identifying by themselves.
const STRUCTURAL_KEYS = new Set(["resourceType", "system", "code", "url", "status", "language", "contentType",
  "unit", "profile", "version", "use", "gender", "type", "mode", "intent", "priority", "comparator"]);
const DATE_RE = /^(\d{4})-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?$/;
const BIOMETRIC_RE = /biometric|fingerprint|iris|retina|voice-?print|face-?print|指纹|虹膜|声纹|人脸/i;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

// Free-text rules, in order: the earlier ones must run first (a date or an ID number is also a digit run).
type TextRule = [IdentifierKind, RegExp, (m: string, ...g: string[]) => string];
const TEXT_RULES: TextRule[] = [
  ["other-id", /\b0x[0-9a-fA-F]{40}\b/g, () => "[address]"], // chain addresses
  ["email", /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, () => "[email]"],
  ["url", /\b(?:https?|ftp):\/\/[^\s<>"'，。]+|\bwww\.[^\s<>"'，。]+/gi, () => "[url]"],
  ["ip", /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])/g, () => "[ip]"],
  ["ip", /\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b/gi, () => "[ip]"],
  ["date", /(\d{4})-\d{1,2}-\d{1,2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:\d{2})?)?/g, (_m, y) => y],
  ["date", /(\d{4})\/\d{1,2}\/\d{1,2}/g, (_m, y) => y],
  ["date", /(\d{4})年\d{1,2}月(?:\d{1,2}[日号])?/g, (_m, y) => `${y}年`],
  ["date", /(?<![\d年])\d{1,2}月\d{1,2}[日号]/g, () => "[date]"],
  ["national-id", /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g, () => "[national-id]"],
  ["mrn", /(病历号|住院号|门诊号|病案号|MRN|medical record (?:number|no\.?))(\s*[:：#]?\s*)[A-Za-z0-9-]{3,}/gi, (_m, l, s) => `${l}${s}[mrn]`],
  ["health-plan", /(医保卡?号|社保卡?号|health plan (?:id|number)|member (?:id|number)|policy (?:number|no\.?))(\s*[:：#]?\s*)[A-Za-z0-9-]{3,}/gi, (_m, l, s) => `${l}${s}[health-plan]`],
  ["account", /(银行卡号|账号|帐号|account (?:number|no\.?))(\s*[:：#]?\s*)[A-Za-z0-9-]{3,}/gi, (_m, l, s) => `${l}${s}[account]`],
  ["licence", /(执业证书?编号|执业证号|资格证书?编号|证书编号|licen[cs]e (?:number|no\.?)|certificate (?:number|no\.?))(\s*[:：#]?\s*)[A-Za-z0-9-]{3,}/gi, (_m, l, s) => `${l}${s}[licence]`],
  ["device", /(设备序列号|序列号|serial (?:number|no\.?)|S\/N|UDI)(\s*[:：#]?\s*)[A-Za-z0-9()-]{3,}/gi, (_m, l, s) => `${l}${s}[device]`],
  ["vehicle", /(?<![A-Za-z0-9])[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])/g, () => "[vehicle]"],
  ["vehicle", /(VIN|车架号)(\s*[:：#]?\s*)[A-HJ-NPR-Z0-9]{17}/gi, (_m, l, s) => `${l}${s}[vehicle]`],
  ["fax", /(传真|fax)(\s*[:：#]?\s*)[+\d][\d\s()-]{6,}\d/gi, (_m, l, s) => `${l}${s}[fax]`],
  ["phone", /(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d{9}(?!\d)/g, () => "[phone]"],
  ["phone", /(?<![\d\w])(?:\(0\d{2,3}\)|0\d{2,3})[-\s]?\d{7,8}(?!\d)/g, () => "[phone]"],
  ["phone", /\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d{2,4}){2,4}/g, () => "[phone]"],
  ["phone", /(?<!\d)\(?\d{3}\)?[-.\s]\d{3}[-.\s]\d{4}(?!\d)/g, () => "[phone]"],
  ["other-id", /(?<![\d.])\d{8,}(?![\d.])/g, () => "[number]"],
  ["age", /(?<!\d)(\d{2,3})(\s*)(岁|周岁|歲|years?[\s-]old|y\/o)/gi, (m, n, _s, u) => (Number(n) >= 90 ? (/岁|歲/.test(u) ? "90岁及以上" : "90 or older") : m)],
];

class Deidentifier {
  readonly report: DeidReport = { removed: [], generalized: [] };
  private readonly names: string[] = [];
  private readonly refMap = new Map<string, string>();
  private readonly now: number;

  constructor(private readonly salt: string | Uint8Array, now: Date | number | string) {
    this.now = new Date(now).getTime();
    if (Number.isNaN(this.now)) throw new Error(`deidentifyBundle: now ${String(now)} is not a date`);
  }

  private removed(path: string, kind: IdentifierKind) {
    this.report.removed.push({ path, kind });
  }
  private generalized(path: string, kind: IdentifierKind, to: string) {
    this.report.generalized.push({ path, kind, to });
  }
  private pseudo(domain: string, value: string) {
    return pseudonym(this.salt, domain, value);
  }

  /** First pass: names to scrub from free text, and the old → new id of every resource. */
  prepare(bundle: Obj) {
    const names = new Set<string>();
    const collect = (v: Json, key: string, parent: Obj | null, rt: string | undefined) => {
      if (Array.isArray(v)) return v.forEach((x) => collect(x, key, parent, rt));
      if (!isObj(v)) {
        if (typeof v === "string" && parent && (key === "display" && typeof parent.reference === "string")) names.add(v);
        return;
      }
      const t = typeof v.resourceType === "string" ? v.resourceType : rt;
      for (const [k, x] of Object.entries(v)) {
        if (k === "name" && t && NAMED_RESOURCES.has(t)) collectNames(x, names);
        else if (k === "contact" || k === "alias") collectNames(x, names);
        else collect(x, k, v, t);
      }
    };
    collect(bundle, "", null, undefined);
    this.names.push(...[...names].filter((n) => n.trim().length >= 2).sort((a, b) => b.length - a.length));

    for (const e of Array.isArray(bundle.entry) ? bundle.entry : []) {
      const r = isObj(e) && isObj(e.resource) ? e.resource : undefined;
      if (!r || typeof r.id !== "string" || typeof r.resourceType !== "string") continue;
      // People and organizations get an id from their identifier, so the same patient keeps one id
      // across the bundles of one export; other resources from their own id.
      const ids = Array.isArray(r.identifier) ? r.identifier.filter(isObj) : [];
      const primary = ids.find((i) => i.system === ADDRESS_SYSTEM) ?? ids[0];
      const seed = primary ? `${primary.system ?? ""}|${primary.value ?? ""}` : `id|${r.id}`;
      const fresh = uuidOf(this.pseudo(`resource:${r.resourceType}`, seed));
      this.refMap.set(`${r.resourceType}/${r.id}`, `${r.resourceType}/${fresh}`);
      this.refMap.set(`id:${r.resourceType}/${r.id}`, fresh);
      if (isObj(e) && typeof e.fullUrl === "string") this.refMap.set(e.fullUrl, `urn:uuid:${fresh}`);
    }
  }

  scrubText(s: string, path: string, markup: boolean): string {
    // In XHTML only text between tags is scrubbed: the xmlns URL and tags must survive.
    if (markup) return s.split(/(<[^>]*>)/).map((part) => (part.startsWith("<") ? this.scrubTag(part, path) : this.scrubText(part, path, false))).join("");
    const seen = new Set<IdentifierKind>();
    let out = s;
    for (const [kind, re, to] of TEXT_RULES) {
      out = out.replace(re, (...args) => {
        const replaced = to(...(args as [string, ...string[]]));
        if (replaced !== args[0]) seen.add(kind);
        return replaced;
      });
    }
    for (const name of this.names) {
      if (out.includes(name)) {
        out = out.split(name).join("[name]");
        seen.add("name");
      }
    }
    for (const kind of seen) this.removed(path, kind);
    return out;
  }

  /** Images in a narrative may be faces, and links point to identifying places: both go. */
  private scrubTag(tag: string, path: string): string {
    if (/^<img\b/i.test(tag)) return this.removed(path, "photo"), "";
    return tag.replace(/\b(href|src|cite)\s*=\s*("[^"]*"|'[^']*')/gi, (m, attr: string, value: string) => {
      if (value.length <= 2 || value.startsWith('"#') || value.startsWith("'#")) return m;
      this.removed(path, "url");
      return `${attr}="#"`;
    });
  }

  walk(v: Json, path: string, key: string, parent: Obj | null, rt: string | undefined): Json | undefined {
    if (Array.isArray(v)) {
      const out = v.map((x, i) => this.walk(x, `${path}[${i}]`, key, parent, rt)).filter((x) => x !== undefined) as Json[];
      return out.length ? out : undefined;
    }
    if (typeof v === "string") return this.string(v, path, key, parent, rt);
    if (!isObj(v)) return v;
    return this.object(v, path, rt);
  }

  private string(v: string, path: string, key: string, parent: Obj | null, rt: string | undefined): Json | undefined {
    const date = DATE_RE.exec(v);
    if (date) {
      const to = INSTANT_KEYS.has(key) ? `${date[1]}-01-01T00:00:00Z` : (date[1] as string);
      this.generalized(path, "date", to);
      return to;
    }
    if (key === "reference") {
      const to = this.refMap.get(v) ?? (v.startsWith("#") ? v : `urn:uuid:${uuidOf(this.pseudo("reference", v))}`);
      if (to !== v) this.generalized(path, "other-id", to);
      return to;
    }
    if (key === "url" && parent && isAttachment(parent)) return this.removed(path, "url"), undefined;
    if (key === "url" && rt === "Device") return this.removed(path, "url"), undefined;
    if (STRUCTURAL_KEYS.has(key)) return v;
    return this.scrubText(v, path, key === "div");
  }

  private object(o: Obj, path: string, outerRt: string | undefined): Obj | undefined {
    const isResource = typeof o.resourceType === "string";
    const rt = isResource ? (o.resourceType as string) : outerRt;
    if (isAgeQuantity(o)) {
      this.generalized(path, "age", AGE_90_OR_OLDER);
      return { ...o, value: 90, comparator: ">=" };
    }
    const out: Obj = {};
    const extra: Obj[] = [];
    for (const [k, v] of Object.entries(o)) {
      const p = `${path}.${k}`;
      if (k === "resourceType") out[k] = v;
      else if (k === "id" && isResource && typeof v === "string") {
        const to = rt === "Bundle" ? uuidOf(this.pseudo("bundle", v)) : (this.refMap.get(`id:${rt}/${v}`) ?? uuidOf(this.pseudo(`resource:${rt}`, `id|${v}`)));
        this.generalized(p, "other-id", to);
        out[k] = to;
      } else if (k === "fullUrl" && typeof v === "string") {
        const to = this.refMap.get(v) ?? `urn:uuid:${uuidOf(this.pseudo("fullUrl", v))}`;
        this.generalized(p, "other-id", to);
        out[k] = to;
      } else if (k === "identifier") {
        const ids = (Array.isArray(v) ? v : [v]).filter(isObj);
        const mapped = ids.map((id, i) => this.identifier(id, Array.isArray(v) ? `${p}[${i}]` : p, rt));
        out[k] = Array.isArray(v) ? mapped : (mapped[0] as Obj);
      } else if ((k === "name" && isResource && rt && NAMED_RESOURCES.has(rt)) || (k === "alias" && isResource))
        this.removed(p, "name");
      else if (k === "contact" && isResource && (rt === "Patient" || rt === "Organization")) this.removed(p, "name");
      else if (k === "display" && typeof o.reference === "string") this.removed(p, "name");
      else if (k === "telecom") for (const [i, t] of (Array.isArray(v) ? v : [v]).entries()) this.removed(`${p}[${i}]`, telecomKind(t));
      else if (k === "photo") this.removed(p, "photo");
      else if (k === "data" && isAttachment(o)) this.removed(p, /^image\//.test(String(o.contentType)) ? "photo" : "other-id");
      else if (k === "address" && typeof v === "string") this.removed(p, /^\d+\.\d+\.\d+\.\d+$|:.*:/.test(v) ? "ip" : /^\w+:\/\//.test(v) ? "url" : "address");
      else if (k === "address") {
        const mapped = (Array.isArray(v) ? v : [v]).map((a, i) => this.address(a, Array.isArray(v) ? `${p}[${i}]` : p)).filter((a) => a !== undefined);
        if (mapped.length) out[k] = Array.isArray(v) ? mapped : (mapped[0] as Obj);
      } else if (k === "position" && rt === "Location") this.removed(p, "address");
      else if (rt === "Device" && ["udiCarrier", "serialNumber", "lotNumber", "distinctIdentifier"].includes(k)) this.removed(p, "device");
      else if (k === "subscriberId" && typeof v === "string") {
        const to = this.pseudo("identifier", `subscriberId|${v}`);
        this.generalized(p, "health-plan", to);
        out[k] = to;
      } else if ((k === "extension" || k === "modifierExtension") && Array.isArray(v)) {
        const kept = v.filter((x, i) => {
          const bio = isObj(x) && typeof x.url === "string" && BIOMETRIC_RE.test(x.url);
          if (bio) this.removed(`${p}[${i}]`, "biometric");
          return !bio;
        });
        const w = this.walk(kept, p, k, o, rt);
        if (w !== undefined) out[k] = w;
      } else if (k === "birthDate" && typeof v === "string") {
        if (this.ageAtLeast90(v)) {
          this.generalized(p, "age", AGE_90_OR_OLDER);
          extra.push({ url: AGE_BAND_EXTENSION, valueString: AGE_90_OR_OLDER });
        } else out[k] = this.walk(v, p, k, o, rt) as Json;
      } else {
        const w = this.walk(v, p, k, o, rt);
        if (w !== undefined) out[k] = w;
      }
    }
    if (extra.length) out.extension = [...(Array.isArray(out.extension) ? out.extension : []), ...extra];
    return out;
  }

  private identifier(id: Obj, path: string, rt: string | undefined): Obj {
    const kind = identifierKind(id, rt, path);
    const value = this.pseudo("identifier", `${String(id.system ?? "")}|${String(id.value ?? "")}`);
    this.generalized(path, kind, value);
    return { system: PSEUDONYM_SYSTEM, value };
  }

  private address(a: Json, path: string): Obj | undefined {
    if (!isObj(a)) return this.removed(path, "address"), undefined;
    const out: Obj = {};
    for (const [k, v] of Object.entries(a)) {
      if (k === "state" || k === "country") out[k] = v;
      else if (k === "postalCode" && typeof v === "string" && /^(us|usa|united states)$/i.test(String(a.country ?? ""))) {
        const zip3 = v.replace(/\D/g, "").slice(0, 3);
        out[k] = zip3.length === 3 && !RESTRICTED_ZIP3.has(zip3) ? zip3 : "000";
        this.generalized(`${path}.${k}`, "address", out[k] as string);
      } else this.removed(`${path}.${k}`, "address");
    }
    return Object.keys(out).length ? out : undefined;
  }

  private ageAtLeast90(birthDate: string): boolean {
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birthDate);
    if (!m) return false;
    // With only a year or month known, assume the earliest birthday: over-aggregating is the safe side.
    const birth = Date.UTC(Number(m[1]), Number(m[2] ?? 1) - 1, Number(m[3] ?? 1));
    const ninetieth = new Date(birth);
    ninetieth.setUTCFullYear(ninetieth.getUTCFullYear() + 90);
    return this.now >= ninetieth.getTime();
  }
}

function collectNames(v: Json, into: Set<string>) {
  if (typeof v === "string") into.add(v);
  else if (Array.isArray(v)) v.forEach((x) => collectNames(x, into));
  else if (isObj(v)) {
    const given = Array.isArray(v.given) ? v.given.filter((g): g is string => typeof g === "string") : [];
    const family = typeof v.family === "string" ? v.family : "";
    if (family && given.length) {
      into.add(`${family}${given.join("")}`); // Chinese order, no space
      into.add(`${given.join(" ")} ${family}`);
    }
    for (const [k, x] of Object.entries(v)) if (["text", "family", "given", "name"].includes(k)) collectNames(x, into);
  }
}

function isAttachment(o: Obj): boolean {
  return "contentType" in o || "data" in o || "hash" in o || ("size" in o && "url" in o);
}

function isAgeQuantity(o: Obj): boolean {
  if (typeof o.value !== "number" || o.value < 90) return false;
  const unit = String(o.unit ?? "");
  return (o.system === "http://unitsofmeasure.org" && ["a", "ann"].includes(String(o.code))) || /^(a|yr|years?|岁)$/i.test(unit);
}

function telecomKind(t: Json): IdentifierKind {
  const system = isObj(t) ? String(t.system ?? "") : "";
  return system === "fax" ? "fax" : system === "email" ? "email" : system === "url" ? "url" : "phone";
}

function identifierKind(id: Obj, rt: string | undefined, path: string): IdentifierKind {
  const system = String(id.system ?? "").toLowerCase();
  const type = isObj(id.type) ? id.type : {};
  const codes = Array.isArray(type.coding) ? type.coding.filter(isObj).map((c) => String(c.code ?? "")) : [];
  const text = `${system} ${String(type.text ?? "")}`.toLowerCase();
  const has = (...cs: string[]) => codes.some((c) => cs.includes(c) || cs.some((x) => x.endsWith("*") && c.startsWith(x.slice(0, -1))));
  if (system === ADDRESS_SYSTEM) return "other-id";
  if (has("NI", "NN*", "SS", "SB", "CZ") || /id-?card|身份证|resident|citizen|ssn|social-security/.test(text) || /^\d{17}[\dXx]$/.test(String(id.value ?? ""))) return "national-id";
  if (has("MR", "PI") || /mrn|medical-record|病历|病案|住院号|门诊号/.test(text)) return "mrn";
  if (has("MB", "SN", "MA", "MC") || rt === "Coverage" || /insurance|health-?plan|医保|社保|member/.test(text)) return "health-plan";
  if (has("AN", "BA") || rt === "Account" || /account|账号|帐号/.test(text)) return "account";
  if (has("DL", "LN", "MD", "DEA", "NPI") || /qualification/.test(path) || /licen[cs]e|certificate|执业|资格证/.test(text)) return "licence";
  if (/vehicle|plate|vin\b|车牌|车架/.test(text)) return "vehicle";
  if (rt === "Device" || /device|udi|serial|设备/.test(text)) return "device";
  return "other-id";
}

/**
 * A de-identified copy of `bundle` and the report of what was removed or generalized (the input is
 * not changed). See the module comment for the rules; `docs` list the choices for Chinese addresses.
 */
export function deidentifyBundle(bundle: Bundle, opts: DeidOptions): { bundle: Bundle; report: DeidReport } {
  if (!isObj(bundle) || bundle.resourceType !== "Bundle") throw new Error('deidentifyBundle: input must be a FHIR Bundle (resourceType "Bundle")');
  const salt = opts?.salt;
  const saltLength = typeof salt === "string" ? utf8ToBytes(salt).length : salt instanceof Uint8Array ? salt.length : 0;
  if (saltLength < 16) throw new Error("deidentifyBundle: salt must be at least 16 bytes (use newExportSalt())");
  const d = new Deidentifier(salt, opts.now ?? Date.now());
  const json = JSON.parse(JSON.stringify(bundle)) as Obj; // also drops undefined and non-JSON values
  d.prepare(json);
  const out = d.walk(json, "Bundle", "", null, undefined) as unknown as Bundle;
  return { bundle: out, report: d.report };
}
