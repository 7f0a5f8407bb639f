// A simple map of the chart's locations (a network opened from the Networks page, or any chart)
// by latitude/longitude, over the UK and Ireland outline shipped with the app. A tile layer is
// drawn underneath only when a deployment configures `mapTileUrl` (off by default).

import type { View } from "../app";
import { empty, h, setChildren } from "../dom";
import { forceName, plural } from "../format";
import { ALL_RINGS } from "../map/outline";
import { boxOf, project, tilesFor, tileUrl, UK_BOUNDS } from "../map/project";
import type { EntitySummary } from "../types";

const SVG = "http://www.w3.org/2000/svg";
const Z = 6;
const PALETTE = ["#b23a48", "#2a9d8f", "#4a6fa5", "#d49a2a", "#7b4fa0", "#2e7d4f", "#e07a1f", "#5c7c8a", "#8d6e63", "#c2185b"];

export interface MapPoint {
  entity: EntitySummary;
  lat: number;
  lon: number;
}

export function locationsOf(nodes: Iterable<EntitySummary>): MapPoint[] {
  const out: MapPoint[] = [];
  for (const n of nodes) {
    const a = (n.attrs ?? {}) as Record<string, unknown>;
    const lat = typeof a.lat === "number" ? a.lat : null;
    const lon = typeof a.lon === "number" ? a.lon : null;
    if (n.entity_type === "location" && lat !== null && lon !== null) out.push({ entity: n, lat, lon });
  }
  return out;
}

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** The extent to show: the points' bounds with a margin (at least ~3 degrees across), or the UK. */
export function extentOf(points: MapPoint[], whole: boolean): { west: number; south: number; east: number; north: number } {
  if (whole || !points.length) return UK_BOUNDS;
  let west = Math.min(...points.map((p) => p.lon));
  let east = Math.max(...points.map((p) => p.lon));
  let south = Math.min(...points.map((p) => p.lat));
  let north = Math.max(...points.map((p) => p.lat));
  const padLon = Math.max(0.4, (3 - (east - west)) / 2);
  const padLat = Math.max(0.25, (1.8 - (north - south)) / 2);
  west -= padLon;
  east += padLon;
  south -= padLat;
  north += padLat;
  // no narrower than it is tall (a degree of longitude is cos(latitude) of a degree of latitude)
  const k = Math.cos((((north + south) / 2) * Math.PI) / 180);
  const wide = (north - south) / k;
  if (east - west < wide) {
    const extra = (wide - (east - west)) / 2;
    west -= extra;
    east += extra;
  }
  return { west, south, east, north };
}

export function drawMap(points: MapPoint[], opts: { tileUrl: string | null; attribution: string; whole?: boolean; onPick: (p: MapPoint) => void }): { svg: SVGSVGElement; forces: Map<string, string> } {
  const ext = extentOf(points, !!opts.whole);
  const box = boxOf(ext.west, ext.south, ext.east, ext.north, Z, 8);
  const scale = Math.max(1, box.w / 900); // keep dots and lines a readable size at any extent
  const svg = svgEl("svg", { viewBox: `${box.x} ${box.y} ${box.w} ${box.h}`, class: "uk-map", role: "img", "aria-label": "Map of the network's locations" });
  svg.appendChild(svgEl("rect", { x: box.x, y: box.y, width: box.w, height: box.h, class: "sea" }));
  if (opts.tileUrl) {
    for (const t of tilesFor(box, Z)) {
      const img = svgEl("image", { x: t.x * 256, y: t.y * 256, width: 256, height: 256 });
      img.setAttribute("href", tileUrl(opts.tileUrl, t));
      svg.appendChild(img);
    }
  }
  for (const [name, ring] of ALL_RINGS) {
    const d = ring.map(([lon, lat], i) => {
      const [x, y] = project(lon, lat, Z);
      return `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
    }).join("") + "Z";
    svg.appendChild(svgEl("path", { d, class: opts.tileUrl ? "land land-over-tiles" : "land", "data-name": name, "stroke-width": 0.8 * scale }));
  }
  const forces = new Map<string, string>();
  for (const p of points) {
    const f = p.entity.forces?.[0] ?? "";
    if (!forces.has(f)) forces.set(f, PALETTE[forces.size % PALETTE.length]);
  }
  const sorted = [...points].sort((a, b) => (b.entity.report_count ?? 1) - (a.entity.report_count ?? 1));
  for (const p of sorted) {
    const [x, y] = project(p.lon, p.lat, Z);
    const r = (Math.min(9, 2.5 + 1.5 * Math.sqrt(p.entity.report_count ?? 1)) * box.w) / 640;
    const c = svgEl("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(2), "stroke-width": (r / 5).toFixed(2), fill: forces.get(p.entity.forces?.[0] ?? "") ?? "#333", class: "map-point", "data-entity": p.entity.entity_id });
    const title = svgEl("title", {});
    title.textContent = `${p.entity.label ?? p.entity.entity_id} · ${(p.entity.forces ?? []).map(forceName).join(", ")} · ${plural(p.entity.report_count ?? 0, "report")}`;
    c.appendChild(title);
    c.addEventListener("click", () => opts.onPick(p));
    svg.appendChild(c);
  }
  if (opts.tileUrl && opts.attribution) {
    const t = svgEl("text", { x: box.x + box.w - 4, y: box.y + box.h - 4, class: "attribution", "text-anchor": "end", "font-size": (box.w / 90).toFixed(1) });
    t.textContent = opts.attribution;
    svg.appendChild(t);
  }
  return { svg, forces };
}

let wholeUk = false;

export const mapView: View = (app, _params, root) => {
  const model = app.chart;
  const points = locationsOf(model.nodes.values());
  const rootNode = model.root ? model.nodes.get(model.root) : undefined;
  if (model.empty) {
    setChildren(root, h("h2", null, "Map"), empty("Nothing on the chart yet: open a network (Networks page) or chart an entity first."));
    return;
  }
  const detail = h("div", { class: "map-detail", id: "map-detail" });
  const holder = h("div", { class: "map-holder" });
  const legend = h("div", { class: "map-legend" });
  const draw = () => {
    const { svg, forces } = drawMap(points, { tileUrl: app.config.mapTileUrl, attribution: app.config.mapTileAttribution, whole: wholeUk, onPick });
    setChildren(holder, svg);
    setChildren(legend, [...forces.entries()].map(([f, c]) => h("div", { class: "legend-row" }, h("span", { class: "legend-swatch", style: `background:${c};border-radius:50%` }), forceName(f) || "force unknown")));
  };
  const onPick = (p: MapPoint) => setChildren(detail,
      h("strong", null, p.entity.label ?? p.entity.entity_id), " ",
      h("span", { class: "muted" }, (p.entity.forces ?? []).map(forceName).join(", ")), " ",
      h("button", { class: "secondary small-btn", onclick: () => app.go("entity", { id: p.entity.entity_id }) }, "Open card"));
  setChildren(
    root,
    h("div", { class: "toolbar" },
      h("h2", null, "Map: ", model.title ?? rootNode?.label ?? "the chart"),
      h("span", { class: "spacer" }),
      h("label", { class: "check" }, h("input", { type: "checkbox", id: "map-whole", checked: wholeUk, onchange: (e: Event) => { wholeUk = (e.target as HTMLInputElement).checked; draw(); } }), "Whole UK"),
      h("button", { class: "secondary", onclick: () => app.go("chart", {}) }, "Back to the chart")),
    h("p", { class: "muted small" }, `${plural(points.length, "location")} with coordinates, of ${plural(model.nodes.size, "entity", "entities")} on the chart. Colour: force area; size: number of reports.`),
    h("div", { class: "map-wrap" }, holder, h("div", null, legend, detail)),
  );
  draw();
};
