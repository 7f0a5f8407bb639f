// Networks: the connected groups (cross-border filter, force, size, recency, score), each opening
// in the link chart or on the map.

import type { App, View } from "../app";
import { empty, errorBox, h, loading, setChildren, toast } from "../dom";
import { fmtDate, forceName, humanise, plural } from "../format";
import type { EntitySummary, NetworkResponse } from "../types";

export interface NetworkItem {
  network_id: string;
  size: number;
  members_by_type?: Record<string, string[]>;
  victims?: EntitySummary[];
  suspects?: EntitySummary[];
  venues?: EntitySummary[];
  child_victims?: number;
  exploitation_types?: string[];
  forces?: string[];
  rocu_regions?: string[];
  cross_border?: boolean;
  first_seen?: string | null;
  last_seen?: string | null;
  report_count?: number;
  score?: number;
  member_ids?: string[];
}

interface NetFilters {
  crossBorder: boolean;
  force: string;
  minSize: number;
  since: string;
  sort: "score" | "size" | "recent";
}

const filters: NetFilters = { crossBorder: false, force: "", minSize: 3, since: "", sort: "score" };

export function filterNetworks(items: NetworkItem[], f: NetFilters): NetworkItem[] {
  const out = items.filter(
    (n) =>
      (!f.crossBorder || (n.forces ?? []).length >= 2) &&
      (!f.force || (n.forces ?? []).includes(f.force)) &&
      n.size >= f.minSize &&
      (!f.since || (!!n.last_seen && n.last_seen >= f.since)),
  );
  const key: Record<NetFilters["sort"], (n: NetworkItem) => number | string> = {
    score: (n) => -(n.score ?? 0),
    size: (n) => -n.size,
    recent: (n) => -(n.last_seen ? Date.parse(n.last_seen) : 0),
  };
  return out.sort((a, b) => {
    const ka = key[f.sort](a);
    const kb = key[f.sort](b);
    return ka < kb ? -1 : ka > kb ? 1 : a.network_id.localeCompare(b.network_id);
  });
}

/** The seed to chart a network from: its first suspect, else victim, else venue, else member. */
export function seedOf(n: NetworkItem): string | null {
  return n.suspects?.[0]?.entity_id ?? n.victims?.[0]?.entity_id ?? n.venues?.[0]?.entity_id ?? n.member_ids?.[0] ?? null;
}

/** Put a network on the chart: walk from its seed (and from any member not yet reached), then
 *  keep its members only. */
export async function loadNetworkIntoChart(app: App, n: NetworkItem): Promise<void> {
  const seed = seedOf(n);
  if (!seed) throw new Error("this network has no members");
  const members = new Set(n.member_ids ?? []);
  const model = app.chart;
  const first = await app.api.get<NetworkResponse>(`/entities/${encodeURIComponent(seed)}/network`, { hops: 4, max_nodes: app.config.maxNodes });
  model.reset(seed, 4);
  model.merge(first);
  for (let round = 0; round < 4 && members.size; round++) {
    const missing = [...members].find((m) => !model.nodes.has(m));
    if (!missing) break;
    model.merge(await app.api.get<NetworkResponse>(`/entities/${encodeURIComponent(missing)}/network`, { hops: 4, max_nodes: app.config.maxNodes }));
  }
  if (members.size) model.restrictTo(members);
  model.title = `Network ${n.network_id}`;
}

export const networksView: View = async (app, _params, root) => {
  setChildren(root, h("h2", null, "Networks"), loading("Loading networks…"));
  let all: NetworkItem[];
  let note: string | null = null;
  try {
    const got = await app.api.all<NetworkItem>("/networks", { min_size: 2 }, 2000);
    all = got.items;
    if (got.truncated) note = got.message ?? "only the first networks are listed";
  } catch (err) {
    setChildren(root, h("h2", null, "Networks"), errorBox(err, "Could not load networks"));
    return;
  }
  const forces = [...new Set(all.flatMap((n) => n.forces ?? []))].sort();
  const list = h("div", { id: "network-list" });
  const redraw = () => draw();
  const controls = h(
    "form",
    { class: "filters-row", onsubmit: (e: Event) => e.preventDefault() },
    h("label", { class: "check" }, h("input", { type: "checkbox", id: "net-cross-border", checked: filters.crossBorder, onchange: (e: Event) => { filters.crossBorder = (e.target as HTMLInputElement).checked; redraw(); } }), "Cross-border only"),
    h("label", null, "Force ", h("select", { id: "net-force", onchange: (e: Event) => { filters.force = (e.target as HTMLSelectElement).value; redraw(); } },
      h("option", { value: "" }, "Any"), forces.map((f) => h("option", { value: f, selected: filters.force === f }, forceName(f))))),
    h("label", null, "Min size ", h("input", { type: "number", id: "net-min-size", min: 2, max: 1000, value: filters.minSize, style: "width:5em", onchange: (e: Event) => { filters.minSize = Number((e.target as HTMLInputElement).value) || 2; redraw(); } })),
    h("label", null, "Active since ", h("input", { type: "date", id: "net-since", value: filters.since, onchange: (e: Event) => { filters.since = (e.target as HTMLInputElement).value; redraw(); } })),
    h("label", null, "Sort ", h("select", { id: "net-sort", onchange: (e: Event) => { filters.sort = (e.target as HTMLSelectElement).value as NetFilters["sort"]; redraw(); } },
      (["score", "size", "recent"] as const).map((s) => h("option", { value: s, selected: filters.sort === s }, { score: "Score", size: "Size", recent: "Most recent" }[s])))),
  );
  setChildren(
    root,
    h("h2", null, "Networks"),
    h("p", { class: "muted small" }, "Connected groups of people, places, businesses and identifiers (benign hubs left out). Score: victims, suspects, venues, child victims and force areas, weighted by recency."),
    controls,
    note ? h("div", { class: "warn" }, note) : null,
    list,
  );
  draw();

  function draw(): void {
    const shown = filterNetworks(all, filters);
    if (!shown.length) {
      setChildren(list, empty("No network matches these filters."));
      return;
    }
    setChildren(
      list,
      h("p", { class: "muted small" }, `${plural(shown.length, "network")} of ${all.length}`),
      h("table", { class: "grid networks" },
        h("thead", null, h("tr", null, ["Network", "Size", "Victims", "Suspects", "Venues", "Forces", "Exploitation", "Last seen", "Score", ""].map((x) => h("th", null, x)))),
        h("tbody", null, shown.slice(0, 300).map((n) =>
          h("tr", { "data-network": n.network_id },
            h("td", null, h("span", { class: "mono" }, n.network_id), n.cross_border ? h("span", { class: "badge cross" }, "cross-border") : null),
            h("td", { class: "num" }, String(n.size)),
            h("td", { class: "num" }, String(n.victims?.length ?? 0), n.child_victims ? h("span", { class: "badge flag flag-child" }, `${n.child_victims} child`) : null),
            h("td", { class: "num" }, String(n.suspects?.length ?? 0)),
            h("td", { class: "num" }, String(n.venues?.length ?? 0)),
            h("td", null, (n.forces ?? []).map(forceName).join(", ")),
            h("td", null, (n.exploitation_types ?? []).map(humanise).join(", ")),
            h("td", null, fmtDate(n.last_seen)),
            h("td", { class: "num" }, (n.score ?? 0).toFixed(1)),
            h("td", { class: "row-actions" },
              h("button", { class: "small-btn open-network", onclick: () => void open(n, "chart") }, "Chart"),
              h("button", { class: "secondary small-btn", onclick: () => void open(n, "map") }, "Map")),
          )))),
    );
  }

  async function open(n: NetworkItem, page: "chart" | "map"): Promise<void> {
    toast(`Loading ${n.network_id}…`);
    try {
      await loadNetworkIntoChart(app, n);
      app.go(page, {});
    } catch (err) {
      toast(`Could not open the network: ${(err as Error).message}`, "error");
    }
  }
};
