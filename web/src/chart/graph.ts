// Cytoscape on top of ChartModel: build elements, apply filters, lay out, expand, highlight paths.

import cytoscape from "cytoscape";
import type { Core, ElementDefinition, NodeSingular } from "cytoscape";
import fcose from "cytoscape-fcose";
import { primaryRole } from "../format";
import type { LinkRow } from "../types";
import { bestGrading, ChartModel, edgeWidth, evidenceCount, pairId, Visible } from "./model";
import { layoutOptions, WORKER_THRESHOLD, type LayoutJob, type LayoutResult } from "./layoutOptions";
import { chartStyle } from "./style";

cytoscape.use(fcose);

export function edgeTypesLabel(links: LinkRow[]): string {
  const byType = new Map<string, number>();
  for (const l of links) byType.set(l.link_type, (byType.get(l.link_type) ?? 0) + (l.count ?? 1));
  return [...byType.entries()].map(([t, n]) => (n > 1 ? `${t} ×${n}` : t)).join(", ");
}

export function shortLabel(s: string, max = 26): string {
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}

export function nodeClasses(model: ChartModel, id: string): string[] {
  const n = model.nodes.get(id)!;
  const cls = [`t-${n.entity_type}`, `r-${primaryRole(n.roles)}`];
  for (const f of n.flags ?? []) cls.push(`f-${f}`);
  if (n.hub) cls.push("hub");
  if (id === model.root) cls.push("root");
  if ((n.hops ?? 9) <= 1) cls.push("near");
  return cls;
}

export function nodeElement(model: ChartModel, id: string): ElementDefinition {
  const n = model.nodes.get(id)!;
  const pos = model.positions.get(id);
  // labels are cut here, not by the renderer: Cytoscape's "ellipsis" wrap measures text again
  // and again, which is most of the cost of drawing a large chart
  const label = shortLabel(n.label || n.value || n.entity_id) + ((n.flags ?? []).includes("child") ? " (child)" : "");
  return {
    group: "nodes",
    data: { id, label, type: n.entity_type },
    classes: nodeClasses(model, id),
    ...(pos ? { position: { ...pos } } : {}),
  };
}

export function edgeElement(id: string, source: string, target: string, links: LinkRow[]): ElementDefinition {
  const count = evidenceCount(links);
  const handlingC = links.some((l) => (l.handling ?? "").toUpperCase() === "C");
  return {
    group: "edges",
    data: { id, source, target, width: edgeWidth(count), count, types: edgeTypesLabel(links), grading: bestGrading(links) ?? "" },
    classes: handlingC ? ["handling-c"] : [],
  };
}

export class Graph {
  cy: Core;
  /** Time of the last layout, from its start to the final positions (ms). */
  layoutMs = 0;
  /** A worker is refining the layout. */
  layoutPending = false;
  /** Called when a layout finishes (after the worker's refinement, for large charts). */
  onLayout: () => void = () => {};
  /** What the filters let through (counted from the model: Cytoscape restyles lazily). */
  shown = { nodes: 0, edges: 0 };
  private worker: Worker | null = null;
  private job = 0;

  constructor(
    container: HTMLElement,
    readonly model: ChartModel,
  ) {
    this.cy = cytoscape({
      container,
      style: chartStyle(),
      minZoom: 0.05,
      maxZoom: 4,
      selectionType: "single",
      boxSelectionEnabled: true,
      textureOnViewport: true,
      hideEdgesOnViewport: model.links.size > 800,
      pixelRatio: 1,
    });
    this.cy.style().selector(".hidden").style({ display: "none" }).update();
    this.cy.on("mouseover", "node", (e) => e.target.addClass("hover"));
    this.cy.on("mouseout", "node", (e) => e.target.removeClass("hover"));
  }

  /** Build every element from the model and apply the filters; lays out when positions are missing. */
  build(): void {
    const v = this.model.visible();
    const els: ElementDefinition[] = [];
    for (const id of this.model.nodes.keys()) els.push(nodeElement(this.model, id));
    for (const e of this.model.pairs()) els.push(edgeElement(e.id, e.source, e.target, e.links));
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(els);
    });
    this.applyVisible(v);
    const missing = [...this.model.nodes.keys()].some((id) => !this.model.positions.has(id));
    if (missing) this.layout(true);
    else this.cy.fit(undefined, 30);
  }

  /** Lay out the visible elements with fcose (timed: `layoutMs`). A large chart is drawn at once
   *  with a draft layout and refined in a worker, so the page stays responsive meanwhile. */
  layout(randomize = true): void {
    const t0 = performance.now();
    const eles = this.cy.elements().not(".hidden");
    const n = eles.nodes().length;
    const job = ++this.job;
    if (n <= 1) {
      this.cy.fit(undefined, 30);
      this.finish(t0);
      return;
    }
    const worker = n > WORKER_THRESHOLD ? this.getWorker() : null;
    if (!worker) {
      eles.layout(layoutOptions("default", randomize)).run();
      this.finish(t0);
      return;
    }
    // at once: rings by distance from the root (cheap); then fcose in the worker
    const hops = (id: string) => this.model.nodes.get(id)?.hops ?? 5;
    eles.layout({ name: "concentric", animate: false, fit: true, padding: 30, minNodeSpacing: 6, avoidOverlap: false,
      concentric: (node: NodeSingular) => 10 - hops(node.id()), levelWidth: () => 1 } as unknown as cytoscape.LayoutOptions).run();
    this.savePositions();
    this.layoutPending = true;
    const msg: LayoutJob = {
      id: job,
      nodes: eles.nodes().map((x) => x.id()),
      edges: eles.edges().map((x) => [x.source().id(), x.target().id()] as [string, string]),
    };
    worker.onmessage = (e: MessageEvent<LayoutResult>) => {
      if (e.data.id !== this.job || this.cy.destroyed()) return;
      const pos = e.data.positions;
      if (pos) {
        this.cy.batch(() => {
          this.cy.nodes().forEach((node) => {
            const p = pos[node.id()];
            if (p) node.position(p);
          });
        });
        this.cy.fit(this.cy.elements().not(".hidden"), 30);
      }
      this.finish(t0);
    };
    worker.onerror = () => {
      // no worker after all: refine on the main thread
      this.worker = null;
      if (job === this.job && !this.cy.destroyed()) {
        eles.layout(layoutOptions("default", true)).run();
        this.finish(t0);
      }
    };
    worker.postMessage(msg);
  }

  private finish(t0: number): void {
    this.layoutPending = false;
    this.layoutMs = performance.now() - t0;
    this.savePositions();
    this.onLayout();
  }

  private getWorker(): Worker | null {
    if (this.worker) return this.worker;
    try {
      this.worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
    } catch {
      this.worker = null;
    }
    return this.worker;
  }

  savePositions(): void {
    this.cy.nodes().forEach((n) => {
      this.model.positions.set(n.id(), { ...n.position() });
    });
  }

  /** Show what passes the filters. Only elements whose state changes are touched: a class or
   *  data change restyles the element, and restyling every element of a large chart is slow. */
  applyVisible(v: Visible = this.model.visible()): void {
    this.shown = { nodes: v.nodes.size, edges: v.edges.size };
    this.cy.batch(() => {
      this.cy.nodes().forEach((n) => {
        const hide = !v.nodes.has(n.id());
        if (n.hasClass("hidden") !== hide) n.toggleClass("hidden", hide);
      });
      this.cy.edges().forEach((e) => {
        const pass = v.edges.get(e.id());
        if (e.hasClass("hidden") !== !pass) e.toggleClass("hidden", !pass);
        if (pass) {
          const count = evidenceCount(pass);
          if (e.data("count") !== count) e.data({ width: edgeWidth(count), count, types: edgeTypesLabel(pass) });
        }
      });
    });
  }

  /** Add what an expansion brought, placed in a ring around the expanded node. */
  addAround(centre: string, added: string[]): void {
    const c = this.cy.getElementById(centre);
    const at = c.nonempty() ? c.position() : { x: 0, y: 0 };
    const r = 60 + 8 * Math.sqrt(added.length) * 6;
    added.forEach((id, i) => {
      const a = (2 * Math.PI * i) / Math.max(1, added.length);
      this.model.positions.set(id, { x: at.x + r * Math.cos(a), y: at.y + r * Math.sin(a) });
    });
    const have = new Set(this.cy.elements().map((e) => e.id()));
    const els: ElementDefinition[] = [];
    for (const id of added) if (!have.has(id)) els.push(nodeElement(this.model, id));
    for (const e of this.model.pairs()) if (!have.has(e.id)) els.push(edgeElement(e.id, e.source, e.target, e.links));
    this.cy.batch(() => {
      this.cy.add(els);
      // pairs already drawn may have gained links: refresh their data
      for (const e of this.model.pairs()) this.cy.getElementById(e.id).data({ types: edgeTypesLabel(e.links) });
    });
    this.cy.$(".new").removeClass("new");
    this.cy.nodes().filter((n) => added.includes(n.id())).addClass("new");
    this.applyVisible();
  }

  highlightPath(nodeIds: string[]): void {
    this.clearHighlight();
    const pathEls = this.cy.collection();
    nodeIds.forEach((id, i) => {
      pathEls.merge(this.cy.getElementById(id));
      if (i > 0) pathEls.merge(this.cy.getElementById(pairId(nodeIds[i - 1], id)));
    });
    pathEls.removeClass("hidden").addClass("path");
    this.cy.elements().not(pathEls).addClass("faded");
    this.focus(pathEls);
  }

  /** Fit these elements in view, without zooming in past a readable scale. */
  focus(eles: cytoscape.CollectionReturnValue): void {
    this.cy.fit(eles, 60);
    if (this.cy.zoom() > 1.4) {
      this.cy.zoom(1.4);
      this.cy.center(eles);
    }
  }

  highlightReport(reportId: string | null): void {
    this.clearHighlight();
    if (!reportId) return;
    const cited = new Set(this.model.pairs().filter((p) => p.links.some((l) => (l.report_ids ?? []).includes(reportId))).map((p) => p.id));
    const hit = this.cy.edges().not(".hidden").filter((e) => cited.has(e.id()));
    hit.addClass("report-hit");
    this.cy.elements().not(hit.union(hit.connectedNodes())).addClass("faded");
  }

  clearHighlight(): void {
    this.cy.$(".path, .faded, .report-hit").removeClass("path faded report-hit");
  }

  selectedNodes(): NodeSingular[] {
    return this.cy.nodes(":selected").toArray() as NodeSingular[];
  }

  png(): Blob {
    return this.cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff", maxWidth: 6000, maxHeight: 6000 }) as unknown as Blob;
  }

  destroy(): void {
    this.job++;
    this.worker?.terminate();
    this.worker = null;
    if (this.layoutPending) this.model.positions.clear(); // lay out again next time
    else this.savePositions();
    this.cy.destroy();
  }
}
