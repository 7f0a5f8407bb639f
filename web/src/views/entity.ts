// The entity card: the records side by side (which report said what, when, with what grading),
// flags, handling-code C conditions, why the records are one entity (rule and score of each, and
// the comparison of any two), and the analyst's decisions: same / not same / split, with a reason.

import type { View } from "../app";
import { askReason, empty, errorBox, flagBadges, gradingBadge, h, handlingBadge, loading, setChildren, toast } from "../dom";
import { FLAG_LABELS, fmtDate, fmtDateTime, forceName, humanise, KIND_LABELS, pct, plural, recordFacts } from "../format";
import { can } from "../roles";
import type { EntityCard, Explanation, Judgement, RecordRow, ReportRow } from "../types";

const FLAG_NOTES: Record<string, string> = {
  section45: "Appears as a potential victim and as a suspect: consider the section 45 defence early (HMICFRS recommendation 5).",
  child: "A child: an NRM referral is mandatory and any referral is raised in priority.",
  under_order: "Subject of a Slavery and Trafficking Prevention or Risk Order: new intelligence linking to them needs action.",
  relocated: "Relocated through the NRM across a force boundary: the record follows them.",
};

export function explanationTable(ex: Explanation): HTMLElement {
  const weights = ex.comparisons.map((c) => Math.abs(c.weight ?? 0));
  const max = Math.max(1, ...weights);
  return h(
    "div",
    { class: "explain", id: "explain" },
    h("div", { class: "explain-head" },
      h("strong", null, ex.decision ? humanise(ex.decision) : ex.same_entity ? "One entity" : "Separate"),
      ` · probability ${pct(ex.probability)}`,
      ex.total !== null && ex.total !== undefined ? ` · total weight ${ex.total.toFixed(2)}` : "",
      ex.prior_weight !== undefined ? h("span", { class: "muted" }, ` (prior ${ex.prior_weight.toFixed(2)})`) : "",
      ex.same_entity !== undefined ? h("span", { class: "muted" }, ex.same_entity ? " · now in the same entity" : " · now in different entities") : ""),
    ex.cannot_link && !(ex.decision ?? "").startsWith("never") ? h("div", { class: "warn" }, `Never linked: ${ex.cannot_link}`) : null,
    h("table", { class: "grid waterfall" },
      h("thead", null, h("tr", null, h("th", null, "Comparison"), h("th", null, "Level"), h("th", null, "Weight"), h("th", null, ""))),
      h("tbody", null, ex.comparisons.map((c) => {
        const w = c.weight ?? 0;
        const width = `${(Math.abs(w) / max) * 100}%`;
        return h("tr", null,
          h("td", null, humanise(c.comparison)),
          h("td", null, humanise(c.level), c.note ? h("div", { class: "muted small" }, c.note) : null),
          h("td", { class: "num" }, c.weight === null ? "–" : w.toFixed(2)),
          h("td", { class: "bar-cell" }, h("span", { class: `bar ${w >= 0 ? "pos" : "neg"}`, style: `width:${width}` })));
      }))),
  );
}

export const entityView: View = async (app, params, root) => {
  const id = params.id;
  if (!id) {
    setChildren(root, empty("No entity chosen. Search first."));
    return;
  }
  setChildren(root, loading("Loading the entity…"));
  let ent: EntityCard;
  try {
    ent = await app.api.get<EntityCard>(`/entities/${encodeURIComponent(id)}`);
  } catch (err) {
    setChildren(root, errorBox(err, "Could not open the entity"));
    return;
  }
  const mayJudge = can(app.role, "judge");
  const reports = new Map<string, ReportRow>(ent.reports.map((r) => [r.report_id, r]));
  const selected = new Set<string>();
  const explainBox = h("div", { class: "explain-box", id: "explain-box" });
  const decisions = h("div", { class: "decisions", id: "decisions" });
  const actionBar = h("div", { class: "pair-actions", id: "pair-actions" });

  const header = h(
    "header",
    { class: "card-head" },
    h("div", { class: "panel-type" }, humanise(ent.entity_type), h("span", { class: "mono muted" }, ` ${ent.entity_id}`)),
    h("h2", { id: "entity-label" }, ent.label ?? ent.value ?? ent.entity_id),
    h("div", { class: "badges", id: "entity-flags" }, flagBadges(ent.flags, true)),
    h("div", { class: "facts" },
      (ent.roles ?? []).length ? h("span", null, h("span", { class: "muted" }, "Roles "), (ent.roles ?? []).map(humanise).join(", ")) : null,
      (ent.forces ?? []).length ? h("span", null, h("span", { class: "muted" }, "Forces "), (ent.forces ?? []).map(forceName).join(", ")) : null,
      h("span", null, h("span", { class: "muted" }, "Records "), String(ent.records.length)),
      h("span", null, h("span", { class: "muted" }, "Reports "), String(ent.reports.length)),
      ent.first_seen ? h("span", null, h("span", { class: "muted" }, "Seen "), `${fmtDate(ent.first_seen)} – ${fmtDate(ent.last_seen)}`) : null),
    can(app.role, "search")
      ? h("div", { class: "actions" },
          h("button", { id: "open-chart", onclick: () => app.go("chart", { entity: ent.entity_id, hops: "2" }) }, "Open in link chart"))
      : null,
  );

  const notes = (ent.flags ?? []).filter((f) => FLAG_NOTES[f]).map((f) => h("div", { class: `flag-note flag-${f}` }, h("strong", null, `${FLAG_LABELS[f] ?? f}: `), FLAG_NOTES[f]));
  const conditionsReports = ent.reports.filter((r) => (r.handling ?? "").toUpperCase() === "C");
  const conditionsNote = conditionsReports.length
    ? h("div", { class: "conditions-note", id: "conditions-note" },
        h("strong", null, "Handling code C: "),
        `${plural(conditionsReports.length, "report")} here may be shared only with conditions, which travel with the item:`,
        h("ul", null, conditionsReports.map((r) => h("li", null, h("span", { class: "mono" }, r.source_ref ?? r.report_id), ": ", r.conditions || "conditions not stated"))))
    : null;

  const attrs = summaryAttrs(ent);
  const cards = h("div", { class: "records", id: "records" }, ent.records.map((r, i) => recordCard(r, i)));

  setChildren(
    root,
    header,
    ent.scoped_to_force ? h("div", { class: "info" }, `Shown as dispatched to ${forceName(ent.scoped_to_force)}: only the reports sent to your force.`) : null,
    notes,
    conditionsNote,
    attrs.length ? h("dl", { class: "kv wide" }, attrs.map(([k, v]) => [h("dt", null, k), h("dd", null, v)])) : null,
    h("h3", null, `Records (${ent.records.length}) — what each report said`),
    h("p", { class: "muted small" },
      "Each record is one mention in one report, with the rule and score that put it in this entity.",
      mayJudge ? " Tick two records to compare them and record “same” or “not same”; tick some to split them out." : " Tick two records to compare them."),
    actionBar,
    cards,
    explainBox,
    h("h3", null, "Analysts’ decisions on these records"),
    decisions,
  );
  drawActions();
  void loadDecisions();

  function recordCard(r: RecordRow, i: number): HTMLElement {
    const rep = reports.get(r.report_id);
    const facts = recordFacts(r);
    const box = h("input", { type: "checkbox", class: "record-pick", "aria-label": `Select record ${i + 1}`, "data-record": r.record_id, onchange: (e: Event) => {
      const on = (e.target as HTMLInputElement).checked;
      if (on) selected.add(r.record_id);
      else selected.delete(r.record_id);
      card.classList.toggle("picked", on);
      drawActions();
    } });
    const card = h(
      "article",
      { class: "record", "data-record": r.record_id },
      h("div", { class: "record-top" },
        h("label", { class: "check" }, box, h("span", { class: "badge kind" }, KIND_LABELS[rep?.kind ?? ""] ?? rep?.kind ?? r.report_id.split("-")[0])),
        rep ? gradingBadge(rep) : null),
      h("div", { class: "record-src" },
        h("span", { class: "mono" }, rep?.source_ref ?? r.report_id),
        h("div", { class: "muted small" }, [fmtDate(rep?.reported_at ?? r.reported_at), rep?.organisation, forceName(rep?.force ?? r.force)].filter(Boolean).join(" · "))),
      rep ? handlingBadge(rep.handling, rep.conditions) : null,
      h("div", { class: "record-role" }, h("span", { class: "muted" }, "Role "), humanise(r.role)),
      h("dl", { class: "kv" }, facts.map(([k, v]) => [h("dt", null, k), h("dd", null, v)])),
      h("div", { class: "record-why small" },
        h("span", { class: "muted" }, "In this entity by "),
        h("span", { class: "rule" }, humanise(r.rule ?? "")),
        r.score !== null && r.score !== undefined ? ` · ${pct(r.score)}` : ""),
    );
    return card;
  }

  function drawActions(): void {
    const ids = [...selected];
    const two = ids.length === 2;
    setChildren(
      actionBar,
      h("span", { class: "muted small" }, ids.length ? `${ids.length} selected` : "No record selected"),
      h("button", { class: "secondary", id: "explain-pair", disabled: !two, onclick: () => void explain(ids[0], ids[1]) }, "Why (compare)"),
      mayJudge ? h("button", { id: "judge-same", disabled: !two, onclick: () => void judge("same", ids[0], ids[1]) }, "Same") : null,
      mayJudge ? h("button", { class: "danger", id: "judge-not-same", disabled: !two, onclick: () => void judge("not-same", ids[0], ids[1]) }, "Not same") : null,
      mayJudge ? h("button", { class: "secondary", id: "split", disabled: !ids.length || ids.length >= ent.records.length, onclick: () => void split(ids) }, "Split selected out…") : null,
    );
  }

  async function explain(a: string, b: string): Promise<void> {
    setChildren(explainBox, loading("Comparing…"));
    try {
      const ex = await app.api.get<Explanation>("/explain", { record_a: a, record_b: b });
      setChildren(explainBox, h("h3", null, "Why these two records are (or are not) one entity"), explanationTable(ex));
    } catch (err) {
      setChildren(explainBox, errorBox(err, "Could not compare"));
    }
  }

  async function judge(decision: "same" | "not-same", a: string, b: string): Promise<void> {
    const reason = await askReason(decision === "same" ? "These two records are the same" : "These two records are NOT the same", {
      confirm: decision === "same" ? "Record “same”" : "Record “not same”",
    });
    if (reason === null) return;
    try {
      await app.api.post("/judgements", { decision, record_a: a, record_b: b, reason });
      toast(`Judgement recorded (${decision === "same" ? "same" : "not same"}); the entity was re-resolved.`);
      await reload();
    } catch (err) {
      toast(`Not recorded: ${(err as Error).message}`, "error");
    }
  }

  async function split(ids: string[]): Promise<void> {
    const reason = await askReason(`Split ${plural(ids.length, "record")} out of this entity`, { confirm: "Split" });
    if (reason === null) return;
    try {
      await app.api.post(`/entities/${encodeURIComponent(ent.entity_id)}/split`, { records: ids, reason });
      toast("Split recorded; the entity was re-resolved.");
      await reload();
    } catch (err) {
      toast(`Not split: ${(err as Error).message}`, "error");
    }
  }

  async function reload(): Promise<void> {
    app.chart.reset(null);
    await entityView(app, params, root);
  }

  async function loadDecisions(): Promise<void> {
    if (!can(app.role, "search")) {
      setChildren(decisions, empty("Decisions are shown to analysts and the hub."));
      return;
    }
    setChildren(decisions, loading());
    try {
      const mine = new Set(ent.records.map((r) => r.record_id));
      const all = await app.api.all<Judgement>("/judgements", { include_undone: true }, 2000);
      const rel = all.items.filter((j) => mine.has(j.record_a) || mine.has(j.record_b));
      if (!rel.length) {
        setChildren(decisions, empty("No analyst has judged these records."));
        return;
      }
      setChildren(
        decisions,
        h("table", { class: "grid", id: "judgements" },
          h("thead", null, h("tr", null, ["Decision", "Records", "By", "When", "Reason", ""].map((x) => h("th", null, x)))),
          h("tbody", null, rel.map((j) =>
            h("tr", { class: j.undone ? "undone" : "", "data-judgement": j.judgement_id },
              h("td", null, h("span", { class: `badge decision-${j.decision}` }, j.decision === "same" ? "Same" : "Not same"), j.undone ? h("span", { class: "muted small" }, " (undone)") : null),
              h("td", { class: "small" }, recordName(j.record_a), h("br"), recordName(j.record_b)),
              h("td", null, j.by),
              h("td", null, fmtDateTime(j.at)),
              h("td", null, j.reason),
              h("td", null, mayJudge && !j.undone ? h("button", { class: "secondary small-btn", onclick: () => void undo(j) }, "Undo") : null))))),
      );
    } catch (err) {
      setChildren(decisions, errorBox(err, "Could not load decisions"));
    }
  }

  function recordName(rid: string): HTMLElement {
    const r = ent.records.find((x) => x.record_id === rid);
    const rep = r ? reports.get(r.report_id) : undefined;
    if (!r) return h("span", { class: "mono muted", title: rid }, `${rid.split("/")[0]} (now elsewhere)`);
    return h("span", { title: rid }, r.display ?? r.value ?? rid, h("span", { class: "muted" }, ` · ${rep?.source_ref ?? r.report_id}`));
  }

  async function undo(j: Judgement): Promise<void> {
    try {
      await app.api.post(`/judgements/${encodeURIComponent(j.judgement_id)}/undo`, {});
      toast("Judgement undone; the entity was re-resolved.");
      await reload();
    } catch (err) {
      toast(`Not undone: ${(err as Error).message}`, "error");
    }
  }
};

function summaryAttrs(ent: EntityCard): [string, string][] {
  const a = (ent.attrs ?? {}) as Record<string, unknown>;
  const out: [string, string][] = [];
  const list = (v: unknown) => (Array.isArray(v) ? v.filter(Boolean).map(String).join(", ") : v ? String(v) : "");
  if (ent.entity_type === "person") {
    if (list(a.names)) out.push(["Name forms", list(a.names)]);
    if (list(a.dobs)) out.push(["Dates of birth", list(a.dobs)]);
    if (list(a.nationalities)) out.push(["Nationalities", list(a.nationalities)]);
    if (list(a.genders)) out.push(["Gender", list(a.genders)]);
  } else if (ent.entity_type === "location") {
    if (a.postcode) out.push(["Postcode", String(a.postcode)]);
    const uses = a.uses as Record<string, number> | undefined;
    if (uses && Object.keys(uses).length) out.push(["Uses", Object.entries(uses).map(([k, n]) => `${humanise(k)} (${n})`).join(", ")]);
    const vt = a.venue_types as Record<string, number> | undefined;
    if (vt && Object.keys(vt).length) out.push(["Venue types", Object.keys(vt).map(humanise).join(", ")]);
  } else if (ent.entity_type === "business") {
    const vt = a.venue_types as Record<string, number> | undefined;
    if (vt && Object.keys(vt).length) out.push(["Venue types", Object.keys(vt).map(humanise).join(", ")]);
    if (list(a.company_numbers)) out.push(["Company numbers", list(a.company_numbers)]);
  }
  if (ent.value && ent.value !== ent.label) out.push(["Canonical value", ent.value]);
  return out;
}
