/** Display helpers: short addresses and hashes, dates in the current locale. */
import { getAddress, isAddress } from "ethers";
import { i18n } from "@/locales";

export function shortHex(value: string | null | undefined, head = 6, tail = 4): string {
  if (!value) return "—";
  if (value.length <= head + tail + 2) return value;
  return `${value.slice(0, head)}…${value.slice(-tail)}`;
}

export function checksum(address: string): string {
  try {
    return getAddress(address);
  } catch {
    return address;
  }
}

/** Whether each filled value (trimmed) is an account address; empty ones are no filter. */
export function allAddresses(values: readonly string[]): boolean {
  return values.every((v) => !v.trim() || isAddress(v.trim()));
}

export function sameAddress(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

function currentLocale(): string {
  return String(i18n.global.locale.value);
}

export function formatDateTime(ms: number | string | null | undefined): string {
  if (ms === null || ms === undefined || ms === "") return "—";
  const n = typeof ms === "string" ? Number(ms) : ms;
  if (!Number.isFinite(n) || n <= 0) return "—";
  return new Intl.DateTimeFormat(currentLocale(), {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  }).format(new Date(n));
}

/** The `formatter` of a table column of times (ms), as `formatDateTime` writes them. */
export function dateTimeCell(_row: unknown, _column: unknown, value: unknown): string {
  return formatDateTime(value as number | string | null | undefined);
}

export function formatDate(ms: number | string | null | undefined): string {
  if (ms === null || ms === undefined || ms === "") return "—";
  const n = typeof ms === "string" ? Number(ms) : ms;
  if (!Number.isFinite(n) || n <= 0) return "—";
  return new Intl.DateTimeFormat(currentLocale(), { year: "numeric", month: "long", day: "numeric" }).format(
    new Date(n),
  );
}

export const DAY_MS = 86_400_000;

/** The last millisecond of the local day that `ms` falls in (a date picked ends there). */
export function endOfDay(ms: number): number {
  const end = new Date(ms);
  end.setHours(23, 59, 59, 999);
  return end.getTime();
}

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  return new Intl.NumberFormat(currentLocale()).format(n);
}

/** Renders an arbitrary JSON-ish value for a check table. */
export function displayValue(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return JSON.stringify(v);
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
