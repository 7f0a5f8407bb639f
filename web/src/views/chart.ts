// The link chart page: the k-hop network of an entity, expand by double-click, filters, paths
// between two selected entities with the evidence on each hop, a timeline of the reports behind
// what is on screen, and exports (PNG from the chart; ANX and GraphML from the API).

import type { App, View } from "../app";
import { Graph } from "../chart/graph";
import type { Filters } from "../chart/model";
import { bestGrading, evidenceCount, NO_FILTERS } from "../chart/model";
import { TYPE_STYLE, ROLE_COLORS } from "../chart/style";
import { drawTimeline, TimelineRow } from "../chart/timeline";
import { downloadBlob, empty, errorBox, flagBadges, gradingBadge, h, handlingBadge, loading, reportLine, setChildren, toast } from "../dom";
import { fmtDate, forceName, humanise, plural, slug, TYPE_LABELS } from "../format";
import type { LinkRow, NetworkResponse, PathRow } from "../types";

const GRADINGS = ["1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C"];

/** Load an entity's network as the chart's content (replacing what was there). */
export async function loadChart(app: App, root: string, hops: number): Promise<void> {
  const net = await app.api.get<NetworkResponse>(`/entities/${encodeURIComponent(root)}/network`, { hops, max_nodes: app.config.maxNodes });
  app.chart.reset(root, hops);
  app.chart.merge(net);
}

export const chartView: View = async (app, params, root) => {
  const model = app.chart;
  const wanted = params.entity;
  const hops = Number(params.hops ?? model.hops ?? 2);
  if (wanted && (wanted !== model.root || model.empty)) {
    setChildren(root, loading("Loading the network…"));
    try {
      await loadChart(app, wanted, hops);
    } catch (err) {
      setChildren(root, errorBox(err, "Could not load the network"));
      return;
    }
  }
  if (model.empty) {
    setChildren(
      root,
      h("h2", null, "Link chart"),
      empty("Nothing on the chart yet. Search for a person, phone, address, vehicle or account and choose “Chart”, or open a network from the Networks page."),
    );
    return;
  }

  // ---- layout of the page ----
  const canvas = h("div", { id: "cy", class: "cy", tabindex: "0", "aria-label": "Link chart" });
  const side = h("div", { class: "chart-side", id: "chart-side" });
  const filtersBox = h("div", { class: "chart-filters", id: "chart-filters" });
  const timeline = h("div", { class: "timeline", id: "timeline" });
  const status = h("div", { class: "chart-status", id: "chart-status" });
  const pathBtn = h("button", { id: "find-paths", disabled: true, title: "Select two entities (click one, then Shift+click another)" }, "Paths between selected");
  const hopsSel = h("select", { id: "chart-hops", "aria-label": "Hops" }, [1, 2, 3, 4].map((n) => h("option", { value: String(n), selected: n === model.hops }, `${n} hop${n > 1 ? "s" : ""}`)));
  const rootNode = model.root ? model.nodes.get(model.root) : undefined;

  const toolbar = h(
    "div",
    { class: "toolbar" },
    h("strong", { class: "chart-title" }, model.title ?? `Network of ${rootNode?.label ?? model.root ?? ""}`),
    hopsSel,
    h("button", { class: "secondary", id: "relayout", onclick: () => { graph.layout(true); showStatus(); } }, "Re-layout"),
    h("button", { class: "secondary", onclick: () => graph.cy.fit(graph.cy.elements().not(".hidden"), 30) }, "Fit"),
    h("button", { class: "secondary", id: "open-map", onclick: () => app.go("map", {}) }, "Map"),
    pathBtn,
    h("button", { class: "secondary", id: "clear-highlight", onclick: () => { graph.clearHighlight(); graph.cy.elements().unselect(); showEmptySide(); } }, "Clear"),
    h("span", { class: "spacer" }),
    h("span", { class: "muted small" }, "Export:"),
    h("button", { class: "secondary", id: "export-png", onclick: () => exportPng() }, "PNG"),
    h("button", { class: "secondary", id: "export-anx", onclick: () => exportApi("anx") }, "ANX (i2)"),
    h("button", { class: "secondary", id: "export-graphml", onclick: () => exportApi("graphml") }, "GraphML"),
  );

  setChildren(
    root,
    h("div", { class: "chart-page" }, toolbar, h("div", { class: "chart-body" }, filtersBox, h("div", { class: "chart-main" }, canvas, status), side), timeline),
  );

  const graph = new Graph(canvas, model);
  (window as unknown as { __chart?: unknown }).__chart = { cy: graph.cy, model, graph };
  graph.onLayout = () => showStatus();
  graph.build();

  // ---- status line, side panel ----
  function showStatus(extra = ""): void {
    const v = graph.shown.nodes;
    const e = graph.shown.edges;
    setChildren(
      status,
      `${plural(v, "entity", "entities")}, ${plural(e, "link")} shown of ${model.nodes.size}`,
      graph.layoutPending ? " · refining the layout…" : graph.layoutMs ? ` · layout ${Math.round(graph.layoutMs)} ms` : "",
      model.truncated ? h("span", { class: "warn" }, ` · ${model.message ?? "the network was cut at the node cap"}`) : "",
      extra ? ` · ${extra}` : "",
    );
    status.dataset.visibleNodes = String(v);
    // tests and the benchmark wait for this: set once the final layout is on screen
    if (graph.layoutPending) delete status.dataset.layoutMs;
    else status.dataset.layoutMs = String(Math.round(graph.layoutMs));
  }

  function showEmptySide(): void {
    setChildren(
      side,
      h("h3", null, "How to use"),
      h("ul", { class: "help" },
        h("li", null, "Click an entity or link to see its details and evidence."),
        h("li", null, "Double-click an entity to expand it (its direct links)."),
        h("li", null, "Shift+click a second entity, then “Paths between selected”."),
        h("li", null, "Drag on the background with Shift to select a group."),
      ),
      legend(),
    );
  }

  function nodePanel(id: string): void {
    const n = model.nodes.get(id);
    if (!n) return;
    setChildren(
      side,
      h("div", { class: "panel-type" }, humanise(n.entity_type), n.hub ? h("span", { class: "badge hub" }, "benign hub") : null),
      h("h3", { class: "panel-title" }, n.label ?? n.entity_id),
      h("div", { class: "badges" }, flagBadges(n.flags, true)),
      kv([
        ["Roles", (n.roles ?? []).map(humanise).join(", ")],
        ["Forces", (n.forces ?? []).map(forceName).join(", ")],
        ["Reports", n.report_count ?? ""],
        ["Seen", [fmtDate(n.first_seen), fmtDate(n.last_seen)].filter(Boolean).join(" – ")],
        ["Hops from root", n.hops ?? ""],
        ["Id", h("span", { class: "mono" }, n.entity_id)],
      ]),
      n.hub ? h("p", { class: "muted small" }, "A benign hub (safe house, police station, referring organisation…): shown, but walks and paths do not pass through it.") : null,
      h("div", { class: "actions" },
        h("button", { id: "panel-open-card", onclick: () => app.go("entity", { id }) }, "Open entity card"),
        h("button", { class: "secondary", id: "panel-expand", onclick: () => expand(id) }, model.expanded.has(id) ? "Expanded" : "Expand"),
        id !== model.root ? h("button", { class: "secondary", onclick: () => app.go("chart", { entity: id, hops: String(model.hops) }) }, "Chart from here") : null,
      ),
    );
  }

  function edgePanel(edgeId: string): void {
    const pair = model.pairs().find((p) => p.id === edgeId);
    if (!pair) return;
    const v = model.visible(model.filters);
    const links = v.edges.get(edgeId) ?? pair.links;
    const a = model.nodes.get(pair.source);
    const b = model.nodes.get(pair.target);
    setChildren(
      side,
      h("div", { class: "panel-type" }, "Link"),
      h("h3", { class: "panel-title" }, a?.label ?? pair.source, " — ", b?.label ?? pair.target),
      h("p", { class: "muted small" }, `${plural(evidenceCount(links), "report")} · best grading ${bestGrading(links) ?? "ungraded"}`),
      linkList(links),
    );
  }

  function linkList(links: LinkRow[]): HTMLElement {
    return h(
      "ul",
      { class: "links" },
      links.map((l) => {
        const from = model.nodes.get(l.src)?.label ?? l.src;
        const to = model.nodes.get(l.dst)?.label ?? l.dst;
        return h(
          "li",
          null,
          h("div", null, h("strong", null, from), " ", h("span", { class: "link-type" }, l.link_type), " ", h("strong", null, to)),
          h("div", { class: "small" },
            plural(l.count ?? (l.report_ids ?? []).length, "report"),
            l.first_seen ? ` · ${fmtDate(l.first_seen)}${l.last_seen && l.last_seen !== l.first_seen ? ` – ${fmtDate(l.last_seen)}` : ""}` : "",
            " ", gradingBadge({ best_grading: l.best_grading }), " ", handlingBadge(l.handling, l.conditions)),
          (l.report_ids ?? []).length
            ? h("div", { class: "small muted" }, (l.report_ids ?? []).map((rid) => {
                const rep = model.reports.get(rid);
                return rep ? h("div", null, reportLine(rep)) : h("div", { class: "mono" }, rid);
              }))
            : null,
        );
      }),
    );
  }

  function legend(): HTMLElement {
    return h(
      "div",
      { class: "legend" },
      h("h4", null, "Legend"),
      Object.entries(TYPE_STYLE).map(([t, s]) =>
        h("div", { class: "legend-row" }, h("span", { class: `legend-swatch shape-${s.shape}`, style: `background:${s.color}` }), TYPE_LABELS[t] ?? t),
      ),
      h("div", { class: "legend-row" }, h("span", { class: "legend-swatch ring", style: `border-color:${ROLE_COLORS.victim}` }), "Victim"),
      h("div", { class: "legend-row" }, h("span", { class: "legend-swatch ring", style: `border-color:${ROLE_COLORS.suspect}` }), "Suspect / exploiter"),
      h("div", { class: "legend-row" }, h("span", { class: "legend-swatch ring double" }), "Section 45: victim and suspect"),
      h("div", { class: "legend-row" }, h("span", { class: "legend-swatch ring dashed" }), "Benign hub"),
      h("div", { class: "legend-row" }, h("span", { class: "legend-line dashed-c" }), "Handling code C (conditions)"),
      h("div", { class: "legend-row" }, h("span", { class: "legend-line thick" }), "Width: number of reports"),
    );
  }

  // ---- filters ----
  function drawFilters(): void {
    const f = model.filters;
    const types = model.linkTypes();
    const etypes = model.entityTypes();
    const [lo, hi] = model.dateBounds();
    const update = (patch: Partial<Filters>) => {
      model.filters = { ...model.filters, ...patch };
      graph.applyVisible();
      graph.clearHighlight();
      showStatus();
      drawTime();
    };
    const typeBoxes = types.map((t) =>
      h("label", { class: "check" },
        h("input", { type: "checkbox", name: "link-type", value: t, checked: !f.linkTypes || f.linkTypes.has(t), onchange: () => {
          const checked = [...filtersBox.querySelectorAll<HTMLInputElement>("input[name=link-type]:checked")].map((x) => x.value);
          update({ linkTypes: checked.length === types.length ? null : new Set(checked) });
        } }),
        humanise(t.toLowerCase())),
    );
    const etypeBoxes = etypes.map((t) =>
      h("label", { class: "check" },
        h("input", { type: "checkbox", name: "entity-type", value: t, checked: !f.entityTypes || f.entityTypes.has(t), onchange: () => {
          const checked = [...filtersBox.querySelectorAll<HTMLInputElement>("input[name=entity-type]:checked")].map((x) => x.value);
          update({ entityTypes: checked.length === etypes.length ? null : new Set(checked) });
        } }),
        TYPE_LABELS[t] ?? t),
    );
    setChildren(
      filtersBox,
      h("h3", null, "Filters"),
      h("label", { class: "check" }, h("input", { type: "checkbox", id: "hide-hubs", checked: f.hideHubs, onchange: (e: Event) => update({ hideHubs: (e.target as HTMLInputElement).checked }) }), "Hide benign hubs"),
      h("fieldset", null, h("legend", null, "Seen between"),
        h("input", { type: "date", id: "filter-from", "aria-label": "From", value: f.from ?? "", min: lo ?? undefined, max: hi ?? undefined, onchange: (e: Event) => update({ from: (e.target as HTMLInputElement).value || null }) }),
        h("input", { type: "date", id: "filter-to", "aria-label": "To", value: f.to ?? "", min: lo ?? undefined, max: hi ?? undefined, onchange: (e: Event) => update({ to: (e.target as HTMLInputElement).value || null }) }),
        lo ? h("div", { class: "muted small" }, `${fmtDate(lo)} – ${fmtDate(hi)}`) : null),
      h("fieldset", null, h("legend", null, "Minimum grading"),
        h("select", { id: "filter-grading", onchange: (e: Event) => update({ minGrading: (e.target as HTMLSelectElement).value || null }) },
          h("option", { value: "", selected: !f.minGrading }, "Any (incl. ungraded)"),
          GRADINGS.map((g) => h("option", { value: g, selected: f.minGrading === g }, `${g} or better`)))),
      h("fieldset", null, h("legend", null, "Link types"), typeBoxes),
      h("fieldset", null, h("legend", null, "Entity types"), etypeBoxes),
      h("button", { class: "secondary small-btn", id: "reset-filters", onclick: () => { model.filters = { ...NO_FILTERS }; drawFilters(); graph.applyVisible(); showStatus(); drawTime(); } }, "Reset filters"),
    );
  }

  // ---- timeline ----
  function drawTime(): void {
    const rows: TimelineRow[] = model.visibleReports(model.visible());
    drawTimeline(timeline, rows, {
      width: timeline.clientWidth || root.clientWidth,
      onPick: (row) => {
        graph.highlightReport(row?.report_id ?? null);
        if (row) {
          setChildren(side,
            h("div", { class: "panel-type" }, "Report"),
            row.report ? reportLine(row.report) : h("div", { class: "mono" }, row.report_id),
            h("p", { class: "small" }, `${plural(row.links.length, "link")} on the chart rest on it:`),
            linkList(row.links));
        }
      },
    });
  }

  // ---- interactions ----
  async function expand(id: string): Promise<void> {
    showStatus("expanding…");
    try {
      const net = await app.api.get<NetworkResponse>(`/entities/${encodeURIComponent(id)}/network`, { hops: 1, max_nodes: app.config.maxNodes });
      const added = model.merge(net, id);
      graph.addAround(id, added);
      graph.savePositions();
      drawFilters();
      drawTime();
      showStatus(added.length ? `${plural(added.length, "entity", "entities")} added` : "nothing new linked");
      if (graph.cy.$id(id).selected()) nodePanel(id);
    } catch (err) {
      toast(`Could not expand: ${(err as Error).message}`, "error");
      showStatus();
    }
  }

  async function findPaths(a: string, b: string): Promise<void> {
    const la = model.nodes.get(a)?.label ?? a;
    const lb = model.nodes.get(b)?.label ?? b;
    setChildren(side, h("h3", null, "Paths"), loading(`Finding paths between ${la} and ${lb}…`));
    try {
      const out = await app.api.get<PathRow[] | { paths: PathRow[] }>("/paths", { source: a, target: b, max_hops: 4, limit: 5 });
      const paths = Array.isArray(out) ? out : out.paths ?? [];
      showPaths(a, b, paths);
    } catch (err) {
      setChildren(side, h("h3", null, "Paths"), errorBox(err, "Could not find paths"));
    }
  }

  function showPaths(a: string, b: string, paths: PathRow[]): void {
    const la = model.nodes.get(a)?.label ?? a;
    const lb = model.nodes.get(b)?.label ?? b;
    if (!paths.length) {
      setChildren(side, h("h3", null, "Paths"), empty(`No path of 4 hops or fewer between ${la} and ${lb} (paths do not pass through benign hubs).`));
      return;
    }
    // put every path's entities and links on the chart
    let added: string[] = [];
    for (const p of paths) {
      added = added.concat(model.merge({ nodes: p.nodes.map((n) => ({ ...n, hops: undefined })), links: p.hops.flatMap((hp) => hp.links) }));
      for (const hp of p.hops) model.addReports(hp.reports ?? []);
    }
    if (added.length) graph.addAround(a, added);
    const pick = (p: PathRow) => graph.highlightPath(p.nodes.map((n) => n.entity_id));
    setChildren(
      side,
      h("h3", null, `Paths: ${la} → ${lb}`),
      h("p", { class: "muted small" }, `${plural(paths.length, "path")}, shortest and strongest first. Click a path to show it.`),
      h("ol", { class: "paths", id: "paths" },
        paths.map((p, i) =>
          h("li", { class: "path", "data-path": String(i) },
            h("button", { class: "link-btn path-pick", onclick: () => pick(p) }, `Path ${i + 1} · ${plural(p.length, "hop")}`),
            h("ol", { class: "hops" }, p.hops.map((hp) => {
              const s = p.nodes.find((n) => n.entity_id === hp.src) ?? model.nodes.get(hp.src);
              const d = p.nodes.find((n) => n.entity_id === hp.dst) ?? model.nodes.get(hp.dst);
              return h("li", { class: "hop" },
                h("div", null, h("strong", null, s?.label ?? hp.src), " — ", h("span", { class: "link-type" }, [...new Set(hp.links.map((l) => l.link_type))].join(", ")), " — ", h("strong", null, d?.label ?? hp.dst)),
                h("div", { class: "small" }, hp.links.map((l) => h("span", { class: "hop-link" }, `${l.link_type} ×${l.count ?? 1} `, gradingBadge({ best_grading: l.best_grading }), " ", handlingBadge(l.handling, l.conditions), " "))),
                h("ul", { class: "evidence small" }, (hp.reports ?? []).map((r) => h("li", null, reportLine(r)))),
              );
            })),
          ),
        ),
      ),
    );
    pick(paths[0]);
    drawTime();
  }

  async function exportApi(format: "anx" | "graphml"): Promise<void> {
    if (!model.root) return;
    try {
      const blob = await app.api.blob(`/entities/${encodeURIComponent(model.root)}/export`, { format, hops: model.hops });
      downloadBlob(blob, `network-${slug(model.root)}-${model.hops}hops.${format}`);
      toast(`Exported the ${model.hops}-hop network as ${format === "anx" ? "ANX (i2)" : "GraphML"}`);
    } catch (err) {
      toast(`Export failed: ${(err as Error).message}`, "error");
    }
  }

  function exportPng(): void {
    downloadBlob(graph.png(), `chart-${slug(model.root ?? "network")}.png`);
  }

  const selectionOrder: string[] = [];
  graph.cy.on("select", "node", (e) => {
    const id = e.target.id();
    selectionOrder.push(id);
    nodePanel(id);
    updatePathBtn();
  });
  graph.cy.on("unselect", "node", (e) => {
    const i = selectionOrder.indexOf(e.target.id());
    if (i >= 0) selectionOrder.splice(i, 1);
    updatePathBtn();
  });
  graph.cy.on("tap", "edge", (e) => edgePanel(e.target.id()));
  graph.cy.on("dbltap", "node", (e) => void expand(e.target.id()));
  graph.cy.on("dragfree", "node", (e) => model.positions.set(e.target.id(), { ...e.target.position() }));
  function updatePathBtn(): void {
    const sel = graph.selectedNodes().map((n) => n.id());
    pathBtn.disabled = sel.length !== 2;
    pathBtn.title = sel.length === 2 ? "Shortest paths between the two selected entities" : "Select two entities (click one, then Shift+click another)";
  }
  pathBtn.addEventListener("click", () => {
    const sel = graph.selectedNodes().map((n) => n.id());
    if (sel.length !== 2) return;
    const ordered = sel.sort((x, y) => selectionOrder.indexOf(x) - selectionOrder.indexOf(y));
    void findPaths(ordered[0], ordered[1]);
  });
  hopsSel.addEventListener("change", async () => {
    if (!model.root) return;
    const n = Number(hopsSel.value);
    setChildren(status, "Loading…");
    try {
      await loadChart(app, model.root, n);
      app.router.remember({ entity: model.root, hops: String(n) });
      graph.build();
      drawFilters();
      drawTime();
      showStatus();
    } catch (err) {
      toast(`Could not load: ${(err as Error).message}`, "error");
    }
  });

  drawFilters();
  showEmptySide();
  showStatus();
  requestAnimationFrame(() => drawTime());
  const onResize = () => drawTime();
  window.addEventListener("resize", onResize);
  if (model.root) graph.cy.$id(model.root).select();
  return () => {
    window.removeEventListener("resize", onResize);
    graph.destroy();
    delete (window as unknown as { __chart?: unknown }).__chart;
  };
};

export function kv(rows: [string, unknown][]): HTMLElement {
  return h("dl", { class: "kv" }, rows.filter(([, v]) => v !== "" && v !== null && v !== undefined).map(([k, v]) => [h("dt", null, k), h("dd", null, v as Node | string)]));
}

