// The daily scan: the latest scan (alerts, then new, escalating and unchanged findings by type)
// and the history; each finding opens its evidence.

import type { App, View } from "../app";
import { empty, errorBox, flagBadges, gradingBadge, h, handlingBadge, loading, reportLine, setChildren, toast } from "../dom";
import { fmtDate, fmtDateTime, forceName, humanise, plural } from "../format";
import { can } from "../roles";
import type { Page, ReportRow } from "../types";

export interface Finding {
  key: string;
  type?: string;
  kind?: string;
  alert?: boolean;
  title?: string;
  detail?: string;
  entity_id?: string | null;
  entity_type?: string | null;
  label?: string | null;
  status?: string;
  reports?: number;
  previous_reports?: number | null;
  forces?: string[];
  roles?: string[];
  best_grading?: string | null;
  handling?: string | null;
  conditions?: string[];
  child_involved?: boolean;
  flags?: string[];
  first_seen?: string | null;
  last_seen?: string | null;
  priority?: number;
  evidence?: (ReportRow & { roles?: string[]; chain?: string })[];
}

export interface Scan {
  scan_id?: string;
  key?: string;
  date?: string;
  force?: string | null;
  ran_at?: string;
  window?: { start?: string; end?: string };
  previous?: { date?: string } | null;
  counts?: {
    reports_in_window?: number;
    findings?: Record<string, Record<string, number>>;
    total_findings?: number;
    alerts?: Record<string, number>;
    excluded?: number;
  };
  findings?: Record<string, Finding[]>;
  alerts?: Finding[];
  excluded?: Finding[];
  warnings?: string[];
}

let statusFilter = "";

/** Findings of one scan, flattened: alerts first, then findings by type in priority order. */
export function flatten(scan: Scan): Finding[] {
  const out: Finding[] = [...(scan.alerts ?? [])];
  for (const items of Object.values(scan.findings ?? {})) out.push(...items);
  return out.sort((a, b) => (a.priority ?? 1e9) - (b.priority ?? 1e9));
}

export const scansView: View = async (app, params, root) => {
  const main = h("div", { id: "scan-main" });
  const history = h("div", { id: "scan-history" });
  setChildren(
    root,
    h("div", { class: "toolbar" },
      h("h2", null, "Daily scan"),
      h("span", { class: "spacer" }),
      can(app.role, "scan_run") ? h("button", { id: "run-scan", onclick: () => void runNow() }, "Run the scan now") : null),
    h("p", { class: "muted small" }, "Repeat locations, people, phones, vehicles and accounts in the window, compared with the previous scan: new, escalating (more reports than then) or unchanged. Benign hubs are never findings."),
    h("div", { class: "scan-layout" }, main, h("aside", null, h("h3", null, "History"), history)),
  );
  void loadHistory();
  await load(params.date);

  async function load(date?: string): Promise<void> {
    setChildren(main, loading("Loading the scan…"));
    try {
      const scan = await app.api.get<Scan>(date ? `/scans/${encodeURIComponent(date)}` : "/scans/latest");
      drawScan(app, main, scan);
    } catch (err) {
      setChildren(main, errorBox(err, "No scan to show"));
    }
  }

  async function loadHistory(): Promise<void> {
    setChildren(history, loading());
    try {
      const page = await app.api.get<Page<Scan>>("/scans", { limit: 60 });
      if (!page.items.length) {
        setChildren(history, empty("No scan has run yet."));
        return;
      }
      setChildren(history, h("ul", { class: "scan-list" }, page.items.map((s) => {
        const f = s.counts?.findings ?? {};
        const sum = (st: string) => Object.values(f).reduce((n, c) => n + (c[st] ?? 0), 0);
        return h("li", null,
          h("button", { class: "link-btn", onclick: () => { app.router.remember({ date: String(s.date) }); void load(String(s.date)); } }, fmtDate(s.date)),
          s.force ? h("span", { class: "muted small" }, ` ${forceName(s.force)}`) : null,
          h("div", { class: "small muted" }, `${sum("new")} new · ${sum("escalating")} escalating · ${sum("unchanged")} unchanged`));
      })));
    } catch (err) {
      setChildren(history, errorBox(err));
    }
  }

  async function runNow(): Promise<void> {
    toast("Running the scan…");
    try {
      const scan = await app.api.post<Scan>("/scans", {});
      drawScan(app, main, scan);
      void loadHistory();
    } catch (err) {
      toast(`The scan failed: ${(err as Error).message}`, "error");
    }
  }
};

function drawScan(app: App, host: HTMLElement, scan: Scan): void {
  const items = flatten(scan);
  const list = h("div", { id: "findings" });
  const byStatus = (st: string) => items.filter((f) => !f.alert && f.status === st).length;
  const draw = () => {
    const shown = items.filter((f) => !statusFilter || (statusFilter === "alert" ? f.alert : !f.alert && f.status === statusFilter));
    setChildren(list, shown.length ? h("ol", { class: "findings" }, shown.map((f) => findingRow(app, f))) : empty("Nothing in this category."));
  };
  const tab = (st: string, label: string, n: number) =>
    h("button", { class: `tab${statusFilter === st ? " active" : ""}`, "data-status": st, onclick: (e: Event) => {
      statusFilter = st;
      host.querySelectorAll(".tab").forEach((t) => t.classList.remove("active"));
      (e.currentTarget as HTMLElement).classList.add("active");
      draw();
    } }, `${label} (${n})`);
  setChildren(
    host,
    h("div", { class: "scan-head" },
      h("strong", null, `Scan of ${fmtDate(scan.date)}`),
      scan.force ? ` · ${forceName(scan.force)}` : "",
      scan.window ? ` · window ${fmtDate(scan.window.start)} – ${fmtDate(scan.window.end)}` : "",
      scan.counts?.reports_in_window !== undefined ? ` · ${plural(scan.counts.reports_in_window, "report")}` : "",
      scan.previous?.date ? h("span", { class: "muted" }, ` · compared with ${fmtDate(scan.previous.date)}`) : h("span", { class: "muted" }, " · first scan: everything is new"),
      scan.ran_at ? h("div", { class: "muted small" }, `ran ${fmtDateTime(scan.ran_at)}`) : null),
    (scan.warnings ?? []).map((w) => h("div", { class: "warn" }, w)),
    h("div", { class: "tabs", role: "tablist" },
      tab("", "All", items.length),
      tab("alert", "Alerts", (scan.alerts ?? []).length),
      tab("new", "New", byStatus("new")),
      tab("escalating", "Escalating", byStatus("escalating")),
      tab("unchanged", "Unchanged", byStatus("unchanged"))),
    list,
  );
  draw();
}

function findingRow(app: App, f: Finding): HTMLElement {
  const ev = h("div", { class: "evidence-box", hidden: true });
  const toggle = h("button", { class: "link-btn finding-open", "aria-expanded": "false", onclick: () => {
    const open = ev.hidden;
    ev.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open && !ev.firstChild) {
      setChildren(ev,
        h("ul", { class: "evidence" }, (f.evidence ?? []).map((e) =>
          h("li", null, reportLine(e), e.roles?.length ? h("span", { class: "muted small" }, ` · ${e.roles.map(humanise).join(", ")}`) : null))),
        f.entity_id ? h("div", { class: "actions" },
          h("button", { class: "small-btn", onclick: () => app.go("entity", { id: f.entity_id! }) }, "Entity card"),
          can(app.role, "search") ? h("button", { class: "secondary small-btn", onclick: () => app.go("chart", { entity: f.entity_id!, hops: "2" }) }, "Chart") : null) : null);
    }
  } }, f.alert ? (f.title ?? humanise(f.kind)) : (f.label ?? f.entity_id ?? f.key));
  const status = f.alert ? "alert" : (f.status ?? "");
  return h(
    "li",
    { class: `finding status-${status}`, "data-key": f.key },
    h("div", { class: "finding-head" },
      h("span", { class: `badge status status-${status}` }, humanise(status)),
      " ",
      toggle,
      f.alert && f.label ? h("span", null, ` — ${f.label}`) : null,
      " ",
      flagBadges(f.flags),
      f.child_involved ? h("span", { class: "badge flag flag-child" }, "child") : null),
    h("div", { class: "small" },
      f.alert && f.detail ? h("div", null, f.detail) : null,
      f.type ? `${humanise(f.type)} · ` : "",
      plural(f.reports ?? 0, "report"),
      f.status === "escalating" && f.previous_reports !== null && f.previous_reports !== undefined ? ` (was ${f.previous_reports})` : "",
      (f.forces ?? []).length ? ` · ${(f.forces ?? []).map(forceName).join(", ")}` : "",
      f.last_seen ? ` · last ${fmtDate(f.last_seen)}` : "",
      " ", gradingBadge({ best_grading: f.best_grading }), " ", handlingBadge(f.handling, f.conditions)),
    ev,
  );
}

