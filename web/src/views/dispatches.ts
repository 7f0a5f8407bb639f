// The dispatch board (SOCEX hub and force users): referrals by status - triage, pending, sent,
// acknowledged, rejected, overdue - with their timings. The hub routes, places triage items and
// resends; a force user sees only its own force's dispatches and acknowledges or rejects them.

import type { View } from "../app";
import { askReason, errorBox, h, handlingBadge, loading, setChildren, toast } from "../dom";
import { fmtDateTime, fmtHours, forceName, humanise, KIND_LABELS, plural } from "../format";
import { can } from "../roles";
import type { Page } from "../types";

export interface Dispatch {
  dispatch_id: string;
  report_id?: string;
  source_ref?: string;
  kind?: string;
  organisation?: string;
  force: string;
  force_name?: string;
  status: string;
  priority?: string;
  priority_reasons?: string[];
  reasons?: { basis?: string; detail?: string }[];
  handling?: string | null;
  conditions?: string | null;
  child_involved?: boolean;
  created_at?: string;
  deadline?: string;
  sent_at?: string | null;
  acknowledged_at?: string | null;
  rejected_at?: string | null;
  overdue?: boolean;
  timings?: { hours?: Record<string, number | null>; acknowledged_late?: boolean };
  history?: { status: string; by: string; at: string; reason?: string | null }[];
  entities?: { suspects?: string[]; venues?: string[] };
}

export interface TriageItem {
  triage_id: string;
  status: string;
  basis?: string;
  reason?: string;
  report_id?: string;
  source_ref?: string;
  kind?: string;
  priority?: string;
  priority_reasons?: string[];
  dispatch_id?: string | null;
  force?: string | null;
  at?: string;
  notes?: string[];
  submitting_force?: string | null;
}

export const COLUMNS = ["triage", "pending", "sent", "acknowledged", "rejected", "overdue"] as const;
export type Column = (typeof COLUMNS)[number];

/** Which column a dispatch sits in: overdue wins; failed waits with pending. */
export function columnOf(d: Dispatch): Column | null {
  if (d.overdue) return "overdue";
  if (d.status === "pending" || d.status === "failed") return "pending";
  if (d.status === "sent" || d.status === "acknowledged" || d.status === "rejected") return d.status;
  return null; // superseded: not on the board
}

const STATUS_QUERIES = ["pending", "failed", "sent", "acknowledged", "rejected"];
const PER_COLUMN = 40;

const STAGE_LABELS: Record<string, string> = {
  received_to_assessed: "received → assessed",
  assessed_to_sent: "assessed → sent",
  sent_to_acknowledged: "sent → acknowledged",
  received_to_acknowledged: "received → acknowledged",
};

export const dispatchesView: View = async (app, _params, root) => {
  const hub = can(app.role, "dispatch_route");
  const ack = can(app.role, "dispatch_ack");
  const board = h("div", { class: "board", id: "board" });
  const lookup = h("input", { id: "dispatch-lookup", placeholder: "Dispatch reference, e.g. D-…", "aria-label": "Dispatch reference", maxlength: 100 });
  const lookupOut = h("div", { id: "dispatch-lookup-result" });
  setChildren(
    root,
    h("div", { class: "toolbar" },
      h("h2", null, app.role === "force" && app.session.me?.force ? `Dispatches to ${forceName(app.session.me.force)}` : "Dispatch board"),
      h("span", { class: "spacer" }),
      hub ? h("button", { id: "route-referrals", onclick: () => void route() }, "Route new referrals") : null,
      h("button", { class: "secondary", onclick: () => void load() }, "Refresh")),
    h("p", { class: "muted small" }, hub
      ? "Every referral is sent to the force(s) that must act, with a clear record of when it was assessed, sent and acknowledged (HMICFRS recommendation 3)."
      : "Referrals the SOCEX hub sent to your force. Acknowledge each one, or reject it with a reason (it goes back to the hub)."),
    h("form", { class: "lookup", onsubmit: (e: Event) => { e.preventDefault(); void find(); } }, lookup, h("button", { class: "secondary", type: "submit" }, "Open")),
    lookupOut,
    board,
  );
  await load();

  // One page per status (the board shows the oldest first, as a work queue), and the overdue.
  async function load(): Promise<void> {
    setChildren(board, loading("Loading dispatches…"));
    try {
      const [lists, overdue, triage] = await Promise.all([
        Promise.all(STATUS_QUERIES.map((status) => app.api.get<Page<Dispatch>>("/dispatches", { status, limit: PER_COLUMN }))),
        app.api.get<Page<Dispatch>>("/dispatches/overdue", { limit: PER_COLUMN }),
        hub ? app.api.get<Page<TriageItem>>("/referrals/triage", { limit: PER_COLUMN }) : Promise.resolve(null),
      ]);
      const totals = new Map<Column, number>(COLUMNS.map((c) => [c, 0]));
      STATUS_QUERIES.forEach((s, i) => {
        const c = columnOf({ status: s } as Dispatch)!;
        totals.set(c, (totals.get(c) ?? 0) + (lists[i].total ?? lists[i].items.length));
      });
      totals.set("overdue", overdue.total ?? overdue.items.length);
      totals.set("triage", triage?.total ?? triage?.items.length ?? 0);
      const seen = new Set<string>();
      const items = [...overdue.items, ...lists.flatMap((p) => p.items)].filter((d) => !seen.has(d.dispatch_id) && !!seen.add(d.dispatch_id));
      drawBoard(items, triage?.items ?? [], totals);
    } catch (err) {
      setChildren(board, errorBox(err, "Could not load dispatches"));
    }
  }

  function drawBoard(items: Dispatch[], triage: TriageItem[], totals: Map<Column, number>): void {
    const cols = new Map<Column, HTMLElement[]>(COLUMNS.map((c) => [c, []]));
    for (const t of triage) cols.get("triage")!.push(triageCard(t));
    for (const d of items) {
      const c = columnOf(d);
      if (c) cols.get(c)!.push(dispatchCard(d));
    }
    const shown = COLUMNS.filter((c) => c !== "triage" || hub);
    setChildren(
      board,
      shown.map((c) => {
        const cards = cols.get(c)!;
        const total = Math.max(totals.get(c) ?? 0, cards.length);
        return h("section", { class: `column col-${c}`, "data-column": c },
          h("h3", null, `${humanise(c)} `, h("span", { class: "count", title: c === "overdue" ? "Past the acknowledgement deadline" : "" }, String(total))),
          cards.length ? cards : h("div", { class: "muted small" }, "None"),
          total > cards.length ? h("div", { class: "muted small" }, `${total - cards.length} more${c !== "overdue" ? " (overdue ones are in Overdue)" : ""}`) : null);
      }),
    );
  }

  function timings(d: Dispatch): HTMLElement | null {
    const hrs = d.timings?.hours ?? {};
    const rows = Object.entries(hrs).filter(([k, v]) => v !== null && v !== undefined && k !== "received_to_acknowledged");
    if (!rows.length) return null;
    return h("div", { class: "timings small" }, rows.map(([k, v]) => h("span", null, `${STAGE_LABELS[k] ?? humanise(k)} ${fmtHours(v)}`)),
      d.timings?.acknowledged_late ? h("span", { class: "warn" }, "acknowledged late") : null);
  }

  function dispatchCard(d: Dispatch): HTMLElement {
    const awaiting = ["pending", "sent", "failed"].includes(d.status);
    return h(
      "article",
      { class: `dispatch${d.overdue ? " overdue" : ""}`, "data-dispatch": d.dispatch_id, "data-force": d.force, "data-status": d.status },
      h("div", { class: "dispatch-top" },
        h("span", { class: "mono" }, d.source_ref ?? d.report_id ?? d.dispatch_id),
        d.priority === "immediate" ? h("span", { class: "badge urgent" }, "immediate") : null,
        d.child_involved ? h("span", { class: "badge flag flag-child" }, "child") : null,
        d.status === "failed" ? h("span", { class: "badge warn-badge" }, "delivery failed") : null),
      h("div", { class: "small" }, KIND_LABELS[d.kind ?? ""] ?? d.kind ?? "", d.organisation ? ` · ${d.organisation}` : ""),
      h("div", { class: "small" }, h("strong", null, d.force_name ?? forceName(d.force)), ` · ${humanise(d.status)}`),
      handlingBadge(d.handling, d.conditions),
      h("div", { class: "small muted" },
        d.created_at ? `assessed ${fmtDateTime(d.created_at)}` : "",
        d.deadline && awaiting ? h("div", { class: d.overdue ? "warn" : "" }, `due ${fmtDateTime(d.deadline)}`) : null),
      timings(d),
      (d.reasons ?? []).length ? h("details", { class: "small" }, h("summary", null, "Why this force"), h("ul", null, (d.reasons ?? []).map((r) => h("li", null, r.detail ?? r.basis ?? "")))) : null,
      entityButtons(d),
      (d.history ?? []).length ? h("details", { class: "small" }, h("summary", null, "History"), h("ol", null, (d.history ?? []).map((x) => h("li", null, `${humanise(x.status)} · ${x.by} · ${fmtDateTime(x.at)}`, x.reason ? h("div", { class: "muted" }, x.reason) : null)))) : null,
      h("div", { class: "card-actions" },
        ack && awaiting ? h("button", { class: "small-btn ack", onclick: () => void acknowledge(d) }, "Acknowledge") : null,
        ack && awaiting ? h("button", { class: "danger small-btn reject", onclick: () => void reject(d) }, "Reject…") : null,
        hub && d.status !== "acknowledged" ? h("button", { class: "secondary small-btn resend", onclick: () => void resend(d) }, "Resend") : null),
    );
  }

  /** The suspects and venues the dispatch names, each opening its entity card (a force user
   *  sees there only what was dispatched to it). */
  function entityButtons(d: Dispatch): HTMLElement | null {
    const rows: [string, string[]][] = [["Suspect", d.entities?.suspects ?? []], ["Venue", d.entities?.venues ?? []]];
    if (!can(app.role, "entity") || !rows.some(([, ids]) => ids.length)) return null;
    return h("details", { class: "small" }, h("summary", null, "Suspects and venues"),
      rows.map(([kind, ids]) => ids.slice(0, 20).map((id, i) =>
        h("button", { class: "link-btn small", title: id, onclick: () => app.go("entity", { id }) }, `${kind} ${i + 1}`, " "))));
  }

  function triageCard(t: TriageItem): HTMLElement {
    return h(
      "article",
      { class: "dispatch triage", "data-triage": t.triage_id },
      h("div", { class: "dispatch-top" }, h("span", { class: "mono" }, t.source_ref ?? t.report_id ?? t.triage_id),
        t.priority === "immediate" ? h("span", { class: "badge urgent" }, "immediate") : null),
      h("div", { class: "small" }, KIND_LABELS[t.kind ?? ""] ?? t.kind ?? "", t.at ? ` · ${fmtDateTime(t.at)}` : ""),
      h("div", { class: "small" }, humanise(t.basis), t.reason ? `: ${t.reason}` : ""),
      t.force ? h("div", { class: "small muted" }, `rejected by ${forceName(t.force)}`) : null,
      h("div", { class: "card-actions" },
        h("button", { class: "small-btn", onclick: () => void assign(t) }, "Send to a force…"),
        h("button", { class: "secondary small-btn", onclick: () => void close(t) }, "Close…")),
    );
  }

  async function act(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
      toast(what);
      await load();
    } catch (err) {
      toast(`${(err as Error).message}`, "error");
    }
  }

  async function acknowledge(d: Dispatch): Promise<void> {
    await act(`Acknowledged ${d.source_ref ?? d.dispatch_id}`, () => app.api.post(`/dispatches/${encodeURIComponent(d.dispatch_id)}/ack`, {}));
  }

  async function reject(d: Dispatch): Promise<void> {
    const reason = await askReason(`Reject ${d.source_ref ?? d.dispatch_id}`, { label: "Why your force will not act on it", confirm: "Reject" });
    if (reason === null) return;
    await act(`Rejected ${d.source_ref ?? d.dispatch_id}; it is back with the hub`, () => app.api.post(`/dispatches/${encodeURIComponent(d.dispatch_id)}/reject`, { reason }));
  }

  async function resend(d: Dispatch): Promise<void> {
    await act(`Resent ${d.source_ref ?? d.dispatch_id}`, () => app.api.post(`/dispatches/${encodeURIComponent(d.dispatch_id)}/resend`, {}));
  }

  async function route(): Promise<void> {
    try {
      const out = await app.api.post<{ count?: number }>("/referrals/route", { dry_run: false });
      toast(`Routed ${plural(out.count ?? 0, "referral")}`);
      await load();
    } catch (err) {
      toast(`Routing failed: ${(err as Error).message}`, "error");
    }
  }

  async function assign(t: TriageItem): Promise<void> {
    const force = h("input", { id: "assign-force", placeholder: "force code, e.g. west-midlands", "aria-label": "Force", required: true });
    const reason = await askReason(`Send ${t.source_ref ?? t.triage_id} to a force`, {
      extra: h("label", null, "Force ", force),
      label: "Why this force",
      confirm: "Send",
    });
    if (reason === null) return;
    await act(`Sent to ${force.value}`, () => app.api.post(`/referrals/triage/${encodeURIComponent(t.triage_id)}/assign`, { force: force.value.trim(), reason }));
  }

  async function close(t: TriageItem): Promise<void> {
    const reason = await askReason(`Close ${t.source_ref ?? t.triage_id}: no force needs it`, { confirm: "Close" });
    if (reason === null) return;
    await act("Closed", () => app.api.post(`/referrals/triage/${encodeURIComponent(t.triage_id)}/close`, { reason }));
  }

  async function find(): Promise<void> {
    const id = lookup.value.trim();
    if (!id) return;
    setChildren(lookupOut, loading());
    try {
      const d = await app.api.get<Dispatch>(`/dispatches/${encodeURIComponent(id)}`);
      setChildren(lookupOut, h("div", { class: "lookup-card" }, dispatchCard(d)));
    } catch (err) {
      setChildren(lookupOut, errorBox(err, "Cannot open this dispatch"));
    }
  }
};
