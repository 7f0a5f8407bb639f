// The review queue: pairs the scorer could not decide, both records side by side with the
// comparison levels and weights. Same / not same / skip with s / n / k.

import type { View } from "../app";
import { empty, errorBox, gradingBadge, h, handlingBadge, loading, setChildren, toast } from "../dom";
import { fmtDate, forceName, humanise, KIND_LABELS, pct, recordFacts } from "../format";
import { can } from "../roles";
import type { Explanation, Page, RecordRow, ReportRow, ReviewItem } from "../types";
import { explanationTable } from "./entity";

let standingReason = "";

export function forgetReview(): void {
  standingReason = "";
}

/** "nrm-abc-v1/person/nguyen van an" -> { report_id, record_type, ref }. */
export function parseRecordId(id: string): { report_id: string; record_type: string; ref: string } {
  const [report_id, record_type, ...rest] = id.split("/");
  return { report_id, record_type: record_type ?? "", ref: rest.join("/") };
}

type Detail = { record?: RecordRow; report?: ReportRow | null; reportError?: string };

export const reviewView: View = async (app, _params, root) => {
  const mayJudge = can(app.role, "judge");
  setChildren(root, loading("Loading the review queue…"));
  let items: ReviewItem[];
  let total: number | null = null;
  try {
    const page = await app.api.get<Page<ReviewItem>>("/review-queue", { limit: 200 });
    items = page.items;
    total = page.total;
  } catch (err) {
    setChildren(root, h("h2", null, "Review queue"), errorBox(err, "Could not load the review queue"));
    return;
  }
  let i = 0;
  let busy = false;
  const body = h("div", { id: "review-body" });
  const reason = h("input", { id: "review-reason", type: "text", maxlength: 2000, placeholder: "Reason for your decision (kept; edit it for each pair as needed)", value: standingReason, oninput: (e: Event) => { standingReason = (e.target as HTMLInputElement).value; } });
  setChildren(
    root,
    h("h2", null, "Review queue"),
    h("p", { class: "muted" },
      `Pairs in the review band${total !== null ? ` (${total})` : ""}: the scorer could not decide. `,
      mayJudge ? h("span", null, "Keys: ", h("kbd", null, "s"), " same, ", h("kbd", null, "n"), " not same, ", h("kbd", null, "k"), " skip.") : "Your role may read the queue; analysts decide."),
    mayJudge ? h("label", { class: "reason-row" }, h("span", null, "Reason"), reason) : null,
    body,
  );

  const onKey = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) {
      if (e.key === "Escape") t.blur();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "s" && mayJudge) void decide("same");
    else if (e.key === "n" && mayJudge) void decide("not-same");
    else if (e.key === "k") skip();
  };
  document.addEventListener("keydown", onKey);

  void show();
  return () => document.removeEventListener("keydown", onKey);

  function skip(): void {
    if (busy || i >= items.length) return;
    i++;
    void show();
  }

  async function decide(decision: "same" | "not-same"): Promise<void> {
    if (busy || i >= items.length) return;
    const why = reason.value.trim();
    if (!why) {
      toast("Give a reason first (the Reason box), then press the key again.", "error");
      reason.focus();
      return;
    }
    const it = items[i];
    busy = true;
    body.classList.add("busy");
    try {
      await app.api.post("/judgements", { decision, record_a: it.record_a, record_b: it.record_b, reason: why });
      toast(`Recorded: ${decision === "same" ? "same" : "not same"}`);
      app.chart.reset(null);
      i++;
    } catch (err) {
      toast(`Not recorded: ${(err as Error).message}`, "error");
    } finally {
      busy = false;
      body.classList.remove("busy");
    }
    void show();
  }

  async function details(rid: string): Promise<Detail> {
    const { report_id } = parseRecordId(rid);
    try {
      const rep = await app.api.get<ReportRow & { records?: RecordRow[] }>(`/reports/${encodeURIComponent(report_id)}`);
      return { report: rep, record: rep.records?.find((r) => r.record_id === rid) };
    } catch (err) {
      return { report: null, reportError: (err as Error).message };
    }
  }

  async function show(): Promise<void> {
    if (i >= items.length) {
      setChildren(body, empty(items.length ? "You have been through every pair loaded. Reload the page for more." : "The review queue is empty."));
      return;
    }
    const it = items[i];
    setChildren(body, loading(`Pair ${i + 1} of ${items.length}…`));
    const [ex, da, db] = await Promise.all([
      app.api.get<Explanation>("/explain", { record_a: it.record_a, record_b: it.record_b }).catch((e: Error) => e),
      details(it.record_a),
      details(it.record_b),
    ]);
    if (items[i] !== it) return; // moved on meanwhile
    setChildren(
      body,
      h("div", { class: "review-head" },
        h("strong", null, `Pair ${i + 1} of ${items.length}`),
        ` · ${humanise(it.entity_type)} · match probability ${pct(it.probability)}`,
        it.weight !== undefined ? ` · weight ${it.weight.toFixed(2)}` : ""),
      h("div", { class: "side-by-side" }, side("A", it.record_a, da), side("B", it.record_b, db)),
      ex instanceof Error
        ? h("div", null, levelsTable(it), errorBox(ex, "Could not load the weights"))
        : explanationTable(ex),
      h("div", { class: "review-actions" },
        mayJudge ? h("button", { id: "review-same", onclick: () => void decide("same") }, "Same ", h("kbd", null, "s")) : null,
        mayJudge ? h("button", { class: "danger", id: "review-not-same", onclick: () => void decide("not-same") }, "Not same ", h("kbd", null, "n")) : null,
        h("button", { class: "secondary", id: "review-skip", onclick: () => skip() }, "Skip ", h("kbd", null, "k"))),
    );
  }
};

/** What a report's payload says about the subject with this reference (a record's `ref`). */
export function factsFromPayload(raw: unknown, ref: string): [string, string][] {
  const stack: unknown[] = [raw];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.ref === ref) {
        const out: [string, string][] = [];
        for (const [k, x] of Object.entries(o)) {
          if (k === "ref" || x === null || x === undefined || x === "") continue;
          if (typeof x === "object" && !Array.isArray(x)) continue;
          if (Array.isArray(x) && x.some((i) => i && typeof i === "object")) continue;
          out.push([humanise(k), Array.isArray(x) ? x.join(", ") : String(x)]);
        }
        return out;
      }
      stack.push(...Object.values(o));
    }
  }
  return [];
}

function side(which: string, rid: string, d: Detail): HTMLElement {
  const parsed = parseRecordId(rid);
  const rep = d.report;
  const fromPayload = rep ? factsFromPayload((rep as { raw?: unknown }).raw, parsed.ref) : [];
  const facts = d.record ? recordFacts(d.record) : fromPayload.length ? fromPayload : [["Reference in report", parsed.ref] as [string, string]];
  return h(
    "article",
    { class: "record review-record", "data-record": rid },
    h("div", { class: "record-top" }, h("strong", null, `Record ${which}`), rep ? gradingBadge(rep) : null),
    rep
      ? h("div", { class: "record-src" },
          h("span", { class: "badge kind" }, KIND_LABELS[rep.kind] ?? rep.kind), " ", h("span", { class: "mono" }, rep.source_ref ?? rep.report_id),
          h("div", { class: "muted small" }, [fmtDate(rep.reported_at), rep.organisation, forceName(rep.force)].filter(Boolean).join(" · ")),
          handlingBadge(rep.handling, rep.conditions))
      : h("div", { class: "muted small" }, d.reportError ? `Report not available: ${d.reportError}` : parsed.report_id),
    d.record?.role ? h("div", { class: "record-role" }, h("span", { class: "muted" }, "Role "), humanise(d.record.role)) : null,
    h("dl", { class: "kv" }, facts.map(([k, v]) => [h("dt", null, k), h("dd", null, v)])),
  );
}

function levelsTable(it: ReviewItem): HTMLElement {
  return h("table", { class: "grid" },
    h("thead", null, h("tr", null, h("th", null, "Comparison"), h("th", null, "Level"))),
    h("tbody", null, Object.entries(it.levels ?? {}).map(([k, v]) => h("tr", null, h("td", null, humanise(k)), h("td", null, humanise(v))))));
}
