// Linked venues: car washes, nail bars, brothels ... ranked, each with the venues linked to it and
// the people, phones, vehicles and accounts that connect them.

import type { View } from "../app";
import { empty, errorBox, flagBadges, h, loading, setChildren } from "../dom";
import { fmtDate, forceName, humanise, plural } from "../format";
import type { Page, VenueRow } from "../types";

let linkedOnly = true;

export const venuesView: View = async (app, _params, root) => {
  const list = h("div", { id: "venue-list" });
  setChildren(
    root,
    h("h2", null, "Linked venues"),
    h("p", { class: "muted small" }, "Two venues are linked when a person, phone, vehicle or account connects them (within 3 hops, never through another venue or a benign hub). Score: each distinct connection by its evidence and grading, weighted by recency."),
    h("label", { class: "check" }, h("input", { type: "checkbox", id: "venues-linked-only", checked: linkedOnly, onchange: (e: Event) => { linkedOnly = (e.target as HTMLInputElement).checked; void load(); } }), "Only venues linked to another venue"),
    list,
  );
  await load();

  async function load(): Promise<void> {
    setChildren(list, loading("Loading venues…"));
    try {
      const page = await app.api.get<Page<VenueRow>>("/venues", { linked_only: linkedOnly, limit: 100 });
      draw(page.items);
    } catch (err) {
      setChildren(list, errorBox(err, "Could not load venues"));
    }
  }

  function entityChip(e: { entity_id: string; label?: string | null; entity_type: string; flags?: string[] }, extra?: string): HTMLElement {
    return h("button", { class: `chip t-${e.entity_type}`, title: `${humanise(e.entity_type)} ${e.entity_id}`, onclick: () => app.go("entity", { id: e.entity_id }) },
      e.label ?? e.entity_id, flagBadges(e.flags), extra ? h("span", { class: "muted" }, ` ${extra}`) : null);
  }

  function viaChips(via: VenueRow["linked"][number]["via"]): HTMLElement {
    const first = via.slice(0, 8).map((c) => entityChip(c));
    const box = h("div", { class: "via" }, first);
    if (via.length > 8) {
      const more = h("button", { class: "link-btn small", onclick: () => { more.replaceWith(...via.slice(8).map((c) => entityChip(c))); } }, `and ${via.length - 8} more`);
      box.appendChild(more);
    }
    return box;
  }

  function draw(items: VenueRow[]): void {
    if (!items.length) {
      setChildren(list, empty("No venue found."));
      return;
    }
    setChildren(
      list,
      h("ol", { class: "venues" },
        items.map((v) =>
          h("li", { class: "venue", "data-entity": v.venue.entity_id },
            h("div", { class: "venue-head" },
              entityChip(v.venue),
              " ",
              h("span", { class: "muted small" }, [v.venue_types.map(humanise).join(", "), v.forces.map(forceName).join(", ")].filter(Boolean).join(" · ")),
              h("span", { class: "score" }, `score ${v.score.toFixed(2)}`),
              h("button", { class: "secondary small-btn", onclick: () => app.go("chart", { entity: v.venue.entity_id, hops: "3" }) }, "Chart")),
            v.linked.length
              ? h("table", { class: "grid linked" },
                  h("thead", null, h("tr", null, ["Linked venue", "Connected through", "Hops", "Reports", "Last seen", "Score"].map((x) => h("th", null, x)))),
                  h("tbody", null, v.linked.map((l) =>
                    h("tr", null,
                      h("td", null, entityChip(l.venue)),
                      h("td", null, viaChips(l.via)),
                      h("td", { class: "num" }, String(l.hops)),
                      h("td", { class: "num" }, String(l.report_ids.length)),
                      h("td", null, fmtDate(l.last_seen)),
                      h("td", { class: "num" }, l.score.toFixed(2))))))
              : h("div", { class: "muted small" }, "Not linked to another venue."),
          ),
        ),
      ),
      h("p", { class: "muted small" }, plural(items.length, "venue")),
    );
  }
};
