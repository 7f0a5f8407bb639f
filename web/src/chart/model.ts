// The link chart's data, independent of drawing: the entities and links loaded so far (from
// network calls and expansions), the filters, and what passes them. Pure; unit-tested.

import { gradingAtLeast, gradingRank } from "../format";
import type { EntitySummary, LinkRow, NetworkResponse, ReportRow } from "../types";

export interface Filters {
  /** Link types to show; null = all. */
  linkTypes: Set<string> | null;
  /** Entity types to show; null = all. */
  entityTypes: Set<string> | null;
  /** Only links seen on or after / on or before (ISO dates). */
  from: string | null;
  to: string | null;
  /** Minimum 3x5x2 grading ("2B"); ungraded links fail any minimum. */
  minGrading: string | null;
  /** Hide benign hubs (safe houses, police stations, referring charities). */
  hideHubs: boolean;
}

export const NO_FILTERS: Filters = { linkTypes: null, entityTypes: null, from: null, to: null, minGrading: null, hideHubs: false };

/** All links between one pair of entities, drawn as one edge. */
export interface PairEdge {
  id: string;
  source: string;
  target: string;
  links: LinkRow[];
}

export interface Visible {
  nodes: Set<string>;
  /** Edge id -> the links of that pair that pass the filters. */
  edges: Map<string, LinkRow[]>;
}

export function pairId(a: string, b: string): string {
  return a < b ? `${a}~${b}` : `${b}~${a}`;
}

function linkKey(l: LinkRow): string {
  return `${l.src}>${l.dst}>${l.link_type}`;
}

export function linkPasses(l: LinkRow, f: Filters): boolean {
  if (f.linkTypes && !f.linkTypes.has(l.link_type)) return false;
  // a link's activity [first_seen, last_seen] must overlap [from, to]
  if (f.from && (!l.last_seen || l.last_seen < f.from)) return false;
  if (f.to && (!l.first_seen || l.first_seen > f.to)) return false;
  if (f.minGrading && !gradingAtLeast(l.best_grading, f.minGrading)) return false;
  return true;
}

/** Evidence behind a set of links: distinct reports (a link's count is its distinct reports). */
export function evidenceCount(links: LinkRow[]): number {
  const ids = new Set<string>();
  let counted = 0;
  for (const l of links) {
    if (l.report_ids && l.report_ids.length) l.report_ids.forEach((r) => ids.add(r));
    else counted += l.count ?? 1;
  }
  return ids.size + counted;
}

export function bestGrading(links: LinkRow[]): string | null {
  let best: string | null = null;
  for (const l of links) {
    if (l.best_grading && (best === null || gradingRank(l.best_grading) < gradingRank(best))) best = l.best_grading;
  }
  return best;
}

/** Edge width in px from evidence count: 1 report = 1.5 px, growing with the log, capped. */
export function edgeWidth(count: number): number {
  return Math.min(12, 1.5 + 2.2 * Math.log2(Math.max(1, count)));
}

export class ChartModel {
  nodes = new Map<string, EntitySummary>();
  links = new Map<string, LinkRow>();
  reports = new Map<string, ReportRow>();
  root: string | null = null;
  /** A title for the chart when it is not "the network of <root>" (an opened network). */
  title: string | null = null;
  hops = 2;
  expanded = new Set<string>();
  truncated = false;
  message: string | null = null;
  /** Layout positions kept across page changes. */
  positions = new Map<string, { x: number; y: number }>();
  filters: Filters = { ...NO_FILTERS };

  reset(root: string | null, hops = 2): void {
    this.nodes.clear();
    this.links.clear();
    this.reports.clear();
    this.expanded.clear();
    this.positions.clear();
    this.root = root;
    this.title = null;
    this.hops = hops;
    this.truncated = false;
    this.message = null;
    this.filters = { ...NO_FILTERS };
  }

  get empty(): boolean {
    return this.nodes.size === 0;
  }

  /** Add a network response; returns the ids of entities not on the chart before. */
  merge(net: NetworkResponse, expandedFrom?: string): string[] {
    const added: string[] = [];
    // hops are counted from the chart's root: an expansion adds the expanded node's distance
    const base = expandedFrom ? (this.nodes.get(expandedFrom)?.hops ?? 0) : 0;
    for (const n of net.nodes ?? []) {
      const prev = this.nodes.get(n.entity_id);
      if (!prev) added.push(n.entity_id);
      const h = n.hops !== undefined ? n.hops + base : undefined;
      const hops = prev?.hops !== undefined && h !== undefined ? Math.min(prev.hops, h) : (prev?.hops ?? h);
      this.nodes.set(n.entity_id, { ...prev, ...n, hops });
    }
    for (const l of net.links ?? []) this.links.set(linkKey(l), l);
    const reps = net.reports;
    if (Array.isArray(reps)) reps.forEach((r) => this.reports.set(r.report_id, r));
    else if (reps && typeof reps === "object") Object.values(reps).forEach((r) => this.reports.set(r.report_id, r));
    if (net.truncated) {
      this.truncated = true;
      this.message = net.message ?? this.message;
    }
    if (expandedFrom) this.expanded.add(expandedFrom);
    return added;
  }

  /** Keep only these entities (and the links among them). */
  restrictTo(ids: Set<string>): void {
    for (const id of [...this.nodes.keys()]) if (!ids.has(id)) this.nodes.delete(id);
    for (const [k, l] of [...this.links]) if (!this.nodes.has(l.src) || !this.nodes.has(l.dst)) this.links.delete(k);
    if (this.root && !this.nodes.has(this.root)) this.root = this.nodes.keys().next().value ?? null;
  }

  addReports(rows: ReportRow[]): void {
    rows.forEach((r) => this.reports.set(r.report_id, r));
  }

  pairs(): PairEdge[] {
    const m = new Map<string, PairEdge>();
    for (const l of this.links.values()) {
      if (!this.nodes.has(l.src) || !this.nodes.has(l.dst) || l.src === l.dst) continue;
      const id = pairId(l.src, l.dst);
      let e = m.get(id);
      if (!e) {
        const [s, t] = l.src < l.dst ? [l.src, l.dst] : [l.dst, l.src];
        e = { id, source: s, target: t, links: [] };
        m.set(id, e);
      }
      e.links.push(l);
    }
    return [...m.values()];
  }

  linkTypes(): string[] {
    return [...new Set([...this.links.values()].map((l) => l.link_type))].sort();
  }

  entityTypes(): string[] {
    return [...new Set([...this.nodes.values()].map((n) => n.entity_type))].sort();
  }

  dateBounds(): [string | null, string | null] {
    let lo: string | null = null;
    let hi: string | null = null;
    for (const l of this.links.values()) {
      if (l.first_seen && (lo === null || l.first_seen < lo)) lo = l.first_seen;
      if (l.last_seen && (hi === null || l.last_seen > hi)) hi = l.last_seen;
    }
    return [lo, hi];
  }

  /** What passes the filters. The root (and `keep`) always stay on the chart. */
  visible(f: Filters = this.filters, keep: Iterable<string> = []): Visible {
    const always = new Set<string>(keep);
    if (this.root) always.add(this.root);
    const nodeOk = new Set<string>();
    for (const [id, n] of this.nodes) {
      if (always.has(id)) nodeOk.add(id);
      else if (f.hideHubs && n.hub) continue;
      else if (f.entityTypes && !f.entityTypes.has(n.entity_type)) continue;
      else nodeOk.add(id);
    }
    const edges = new Map<string, LinkRow[]>();
    const touched = new Set<string>();
    for (const e of this.pairs()) {
      if (!nodeOk.has(e.source) || !nodeOk.has(e.target)) continue;
      const pass = e.links.filter((l) => linkPasses(l, f));
      if (!pass.length) continue;
      edges.set(e.id, pass);
      touched.add(e.source);
      touched.add(e.target);
    }
    const filtering = f.linkTypes || f.from || f.to || f.minGrading;
    const nodes = new Set<string>();
    for (const id of nodeOk) {
      // with a link filter on, an entity with no passing link is hidden (the root stays)
      if (!filtering || touched.has(id) || always.has(id)) nodes.add(id);
    }
    return { nodes, edges };
  }

  /** The reports behind what is visible: id -> the dates known for it. */
  visibleReports(v: Visible): { report_id: string; date: string | null; report?: ReportRow; links: LinkRow[] }[] {
    const out = new Map<string, { report_id: string; date: string | null; report?: ReportRow; links: LinkRow[] }>();
    for (const links of v.edges.values()) {
      for (const l of links) {
        for (const rid of l.report_ids ?? []) {
          let row = out.get(rid);
          if (!row) {
            const rep = this.reports.get(rid);
            // when the report itself is not loaded: a one-report link's date is the report's date
            const date = rep?.reported_at ?? (l.count === 1 || (l.report_ids ?? []).length === 1 ? (l.first_seen ?? null) : null);
            row = { report_id: rid, date, report: rep, links: [] };
            out.set(rid, row);
          } else if (!row.date && (l.report_ids ?? []).length === 1) {
            row.date = l.first_seen ?? null;
          }
          row.links.push(l);
        }
      }
    }
    return [...out.values()].sort((a, b) => (a.date ?? "9999").localeCompare(b.date ?? "9999") || a.report_id.localeCompare(b.report_id));
  }
}
