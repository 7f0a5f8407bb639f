// How the link chart looks: shape and colour by entity type, border by role (victim, suspect),
// dashed for benign hubs, edge width by evidence count, handling code C edges marked.

import type { StylesheetJson } from "cytoscape";

export const TYPE_STYLE: Record<string, { shape: string; color: string; glyph: string }> = {
  person: { shape: "ellipse", color: "#4a6fa5", glyph: "👤" },
  location: { shape: "round-rectangle", color: "#d49a2a", glyph: "⌂" },
  business: { shape: "hexagon", color: "#7b4fa0", glyph: "▣" },
  phone: { shape: "diamond", color: "#2b8ec4", glyph: "☎" },
  vehicle: { shape: "barrel", color: "#6b705c", glyph: "🚗" },
  account: { shape: "pentagon", color: "#2e7d4f", glyph: "£" },
  email: { shape: "rhomboid", color: "#5c7c8a", glyph: "@" },
};

export const ROLE_COLORS = { victim: "#1f9e89", suspect: "#c62828", other: "#8896a6" };

export function chartStyle(): StylesheetJson {
  const s: StylesheetJson = [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "font-size": 8,
        "font-family": "system-ui, sans-serif",
        color: "#1d2733",
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-wrap": "none",
        "min-zoomed-font-size": 9,
        width: 20,
        height: 20,
        "background-color": "#8896a6",
        "border-width": 2,
        "border-color": "#ffffff",
      },
    },
  ];
  for (const [t, st] of Object.entries(TYPE_STYLE)) {
    s.push({ selector: `node.t-${t}`, style: { shape: st.shape as never, "background-color": st.color } });
  }
  s.push(
    { selector: "node.t-person", style: { width: 22, height: 22 } },
    { selector: "node.near", style: { "font-size": 10, "min-zoomed-font-size": 6 } },
    { selector: "node.r-victim", style: { "border-color": ROLE_COLORS.victim, "border-width": 4 } },
    { selector: "node.r-suspect", style: { "border-color": ROLE_COLORS.suspect, "border-width": 4 } },
    { selector: "node.t-person.r-suspect", style: { "background-color": "#b23a48" } },
    { selector: "node.t-person.r-victim", style: { "background-color": "#2a9d8f" } },
    { selector: "node.f-section45", style: { "border-style": "double", "border-width": 6, "border-color": "#c62828" } },
    { selector: "node.f-child", style: { "outline-width": 3, "outline-color": "#f4a261", "outline-offset": 2 } as never },
    { selector: "node.f-under_order", style: { "underlay-color": "#c62828", "underlay-opacity": 0.25, "underlay-padding": 6 } as never },
    { selector: "node.hub", style: { "border-style": "dashed", "border-color": "#9aa5b1", opacity: 0.7 } },
    { selector: "node.root", style: { width: 32, height: 32, "font-weight": "bold", "font-size": 12, "min-zoomed-font-size": 0, "z-index": 20 } },
    { selector: "node:selected", style: { "overlay-color": "#1a73e8", "overlay-opacity": 0.25, "overlay-padding": 6, "min-zoomed-font-size": 0, "font-size": 11, "z-index": 30 } },
    { selector: "node.hover", style: { "min-zoomed-font-size": 0, "font-size": 11, "z-index": 30, "text-background-color": "#fff", "text-background-opacity": 0.85 } },
    {
      selector: "edge",
      style: {
        width: "data(width)",
        "line-color": "#9aa5b1",
        "curve-style": "haystack",
        "haystack-radius": 0,
        opacity: 0.85,
      },
    },
    { selector: "edge.handling-c", style: { "line-style": "dashed", "line-color": "#e07a1f" } },
    { selector: "edge:selected", style: { "line-color": "#1a73e8", opacity: 1, label: "data(types)", "font-size": 8, "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.9, "curve-style": "straight" } },
    { selector: ".faded", style: { opacity: 0.12 } },
    { selector: "node.path", style: { "overlay-color": "#ffb300", "overlay-opacity": 0.35, "overlay-padding": 8, opacity: 1 } },
    { selector: "edge.path", style: { "line-color": "#ffb300", opacity: 1, width: 6, label: "data(types)", "font-size": 8, "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.9, "curve-style": "straight", "z-index": 10 } },
    { selector: "edge.report-hit", style: { "line-color": "#1a73e8", opacity: 1, width: 5 } },
    { selector: "node.new", style: { "overlay-color": "#43a047", "overlay-opacity": 0.2, "overlay-padding": 6 } },
  );
  return s;
}
