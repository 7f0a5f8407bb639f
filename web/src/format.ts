// Pure formatting and domain helpers (no DOM): unit-tested in test/format.test.ts.

export const ENTITY_TYPES = ["person", "location", "business", "phone", "vehicle", "account", "email"] as const;

export const TYPE_LABELS: Record<string, string> = {
  person: "People",
  location: "Locations",
  business: "Businesses",
  phone: "Phones",
  vehicle: "Vehicles",
  account: "Accounts",
  email: "Emails",
};

export const FLAG_LABELS: Record<string, string> = {
  section45: "Section 45: victim and suspect",
  child: "Child",
  under_order: "Under STPO/STRO",
  relocated: "Relocated",
};

export const FLAG_SHORT: Record<string, string> = {
  section45: "s45",
  child: "child",
  under_order: "order",
  relocated: "relocated",
};

export const KIND_LABELS: Record<string, string> = {
  nrm: "NRM referral",
  dtn: "Duty to Notify",
  intel: "Intelligence",
  referral: "Partner referral",
};

/** "3x5x2" grading of a report or link: "2B" from parts or a ready string; null when ungraded. */
export function gradingOf(r: { grading?: string | null; grading_source?: string | null; grading_intel?: string | null; best_grading?: string | null }): string | null {
  const g = r.grading ?? r.best_grading ?? `${r.grading_source ?? ""}${r.grading_intel ?? ""}`;
  return g ? g.toUpperCase() : null;
}

export function splitGrading(g: string): [string | null, string | null] {
  const up = g.trim().toUpperCase();
  const src = [...up].find((c) => "123".includes(c)) ?? null;
  const intel = [...up].find((c) => "ABCDE".includes(c)) ?? null;
  return [src, intel];
}

/** Same order as linkage.model.grading_rank: 1A strongest (0), ungraded weakest. */
export function gradingRank(g: string | null | undefined): number {
  if (!g) return 3 * 6 + 5;
  const [s, i] = splitGrading(g);
  const sr = s === null ? 3 : { "1": 0, "2": 1, "3": 2 }[s as "1" | "2" | "3"];
  const ir = i === null ? 5 : "ABCDE".indexOf(i);
  return sr * 6 + ir;
}

/** True when `best` is at least as good as `minimum` ("2B"); ungraded never passes a minimum. */
export function gradingAtLeast(best: string | null | undefined, minimum: string | null | undefined): boolean {
  if (!minimum) return true;
  if (!best) return false;
  return gradingRank(best) <= gradingRank(minimum);
}

export function gradingTitle(g: string | null): string {
  if (!g) return "ungraded";
  const [s, i] = splitGrading(g);
  const src = { "1": "reliable source", "2": "untested source", "3": "not reliable source" }[s ?? ""] ?? "";
  const intel = { A: "known directly", B: "known indirectly, corroborated", C: "known indirectly", D: "not known", E: "suspected false" }[i ?? ""] ?? "";
  return [src, intel].filter(Boolean).join("; ");
}

/** ISO date or datetime -> "12 Mar 2025"; blank for null. */
export function fmtDate(v: string | null | undefined): string {
  if (!v) return "";
  const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime())) return String(v);
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export function fmtDateTime(v: string | null | undefined): string {
  if (!v) return "";
  const d = new Date(v.endsWith("Z") || /[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  if (Number.isNaN(d.getTime())) return String(v);
  return d.toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }) + " UTC";
}

/** A duration in hours as "3 h", "2 d 4 h". */
export function fmtHours(h: number | null | undefined): string {
  if (h === null || h === undefined || Number.isNaN(h)) return "";
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${Math.round(h)} h`;
  const d = Math.floor(h / 24);
  const rest = Math.round(h - d * 24);
  return rest ? `${d} d ${rest} h` : `${d} d`;
}

/** Hours between two ISO timestamps (null when either is missing). */
export function hoursBetween(a: string | null | undefined, b: string | null | undefined): number | null {
  if (!a || !b) return null;
  const ta = Date.parse(a.endsWith("Z") ? a : `${a}Z`);
  const tb = Date.parse(b.endsWith("Z") ? b : `${b}Z`);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return null;
  return (tb - ta) / 3_600_000;
}

export function pct(p: number | null | undefined): string {
  if (p === null || p === undefined) return "";
  return `${(p * 100).toFixed(p >= 0.995 || p < 0.005 ? 0 : 1)}%`;
}

export function humanise(s: string | null | undefined): string {
  if (!s) return "";
  return s.replace(/[_-]+/g, " ").replace(/^\w/, (c) => c.toUpperCase());
}

export function forceName(code: string | null | undefined): string {
  if (!code) return "";
  return code
    .split("-")
    .map((w) => (["and", "of"].includes(w) ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(" ");
}

/** Why a search hit matched, from whichever field the API used. */
export function matchReason(hit: { reason?: string; match_reason?: string; matched?: string | string[]; why?: string; match?: unknown }): string {
  const r = hit.match_reason ?? hit.reason ?? hit.why;
  if (r) return String(r);
  if (Array.isArray(hit.matched)) return hit.matched.join(", ");
  if (hit.matched) return String(hit.matched);
  if (hit.match && typeof hit.match === "object") {
    const m = hit.match as Record<string, unknown>;
    return [m.kind ?? m.rule ?? m.field, m.value ?? m.text].filter(Boolean).map(String).join(": ");
  }
  if (typeof hit.match === "string") return hit.match;
  return "";
}

/** Group items by entity type in the app's display order. */
export function groupByType<T extends { entity_type: string }>(items: T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const it of items) {
    const g = groups.get(it.entity_type) ?? [];
    g.push(it);
    groups.set(it.entity_type, g);
  }
  const order = (t: string) => {
    const i = (ENTITY_TYPES as readonly string[]).indexOf(t);
    return i < 0 ? 99 : i;
  };
  return [...groups.entries()].sort((a, b) => order(a[0]) - order(b[0]));
}

/** The main role to style a node by: suspect-like roles win over victim (section 45 shows both). */
export function primaryRole(roles: string[] | undefined): "suspect" | "victim" | "other" {
  const rs = roles ?? [];
  if (rs.includes("suspect") || rs.includes("exploiter")) return "suspect";
  if (rs.includes("victim")) return "victim";
  return "other";
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
}

/** A filename-safe slug. */
export function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "export";
}

type Attrs = Record<string, unknown>;

function str(v: unknown): string {
  if (v === null || v === undefined || v === "") return "";
  if (Array.isArray(v)) return v.map(str).filter(Boolean).join(", ");
  if (typeof v === "object") {
    const o = v as Attrs;
    return str(o.raw ?? o.line ?? o.canonical ?? o.text ?? o.value ?? "");
  }
  if (typeof v === "boolean") return v ? "yes" : "no";
  return String(v);
}

/** What one record says, as label/value pairs an analyst reads (from its normalised attrs). */
export function recordFacts(rec: { record_type: string; display?: string; value?: string; attrs?: Attrs; use?: string | null; venue_type?: string | null; role?: string | null }): [string, string][] {
  const a = rec.attrs ?? {};
  const out: [string, string][] = [];
  const add = (k: string, v: unknown) => {
    const s = str(v);
    if (s) out.push([k, s]);
  };
  switch (rec.record_type) {
    case "person": {
      const names = Array.isArray(a.names) ? (a.names as Attrs[]).map((n) => str(n.raw ?? n.folded)) : [];
      add(names.length > 1 ? "Names" : "Name", a.anonymous ? "(not named)" : names.length ? names : rec.display);
      const dob = a.dob as Attrs | null | undefined;
      if (dob) add(dob.estimated ? "Born (estimated)" : "Born", dob.raw ?? (dob.candidates as string[] | undefined)?.join(" or "));
      add("Gender", a.gender);
      add("Nationality", a.nationality);
      if (a.is_child) add("Child", true);
      if (Array.isArray(a.documents)) add("Documents", (a.documents as Attrs[]).map((d) => `${humanise(str(d.type))} ${str(d.number)}${d.country ? ` (${str(d.country)})` : ""}`));
      if (a.consent !== undefined && a.consent !== null) add("NRM consent", a.consent);
      break;
    }
    case "location": {
      const addr = a.address as Attrs | string | undefined;
      add("Address", typeof addr === "object" && addr ? (addr.line ?? addr.canonical ?? rec.display) : (addr ?? rec.display));
      if (typeof addr === "object" && addr) add("Postcode", addr.postcode);
      add("Business", a.business_name);
      add("Venue", humanise(str(a.venue_type ?? rec.venue_type)));
      add("Use", humanise(str(a.use ?? rec.use)));
      break;
    }
    case "business":
      add("Name", (a.name as Attrs | undefined)?.raw ?? rec.display);
      add("Company no.", a.company_number);
      add("Venue", humanise(str(a.venue_type ?? rec.venue_type)));
      add("Address", a.address);
      break;
    case "vehicle":
      add("VRM", a.vrm ?? rec.value);
      add("Make / model", [a.make, a.model].filter(Boolean).map(str).join(" "));
      if (a.valid === false) add("Note", "not a valid UK VRM format");
      break;
    case "account":
      add("Account", rec.display ?? rec.value);
      add("Bank", a.bank);
      break;
    default:
      add("Value", rec.display ?? rec.value);
  }
  if (rec.display && !out.length) add("Said", rec.display);
  return out;
}
