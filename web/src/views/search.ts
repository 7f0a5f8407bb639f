// Search: one box for a name (diacritics and order optional), a phone in any format, a postcode
// or partial address, a VRM, an account. Results grouped by type with why each matched.
// The search text is kept in memory only (never in the URL or storage).

import type { View } from "../app";
import { empty, errorBox, flagBadges, h, loading, setChildren } from "../dom";
import { forceName, groupByType, humanise, matchReason, plural, TYPE_LABELS } from "../format";
import type { Page, SearchHit } from "../types";

let lastQuery = "";
let lastResults: Page<SearchHit> | null = null;

export function forgetSearch(): void {
  lastQuery = "";
  lastResults = null;
}

export const searchView: View = (app, _params, root) => {
  const input = h("input", {
    id: "search-input",
    type: "search",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "Name, phone, postcode or address, VRM, account, business…",
    "aria-label": "Search",
    value: lastQuery,
    maxlength: 200,
  });
  const results = h("div", { id: "search-results", class: "search-results" });
  const form = h(
    "form",
    { class: "search-form", role: "search", onsubmit: (e: Event) => { e.preventDefault(); void run(); } },
    input,
    h("button", { type: "submit", id: "search-go" }, "Search"),
  );
  setChildren(
    root,
    h("h2", null, "Search"),
    h("p", { class: "muted" }, "Names match without diacritics and in any order (Nguyễn Văn An = Van An NGUYEN); phones in any format (07700 900123, +44 7700 900123); postcodes with or without the space; VRMs; account numbers or IBANs."),
    form,
    results,
  );
  input.focus();
  if (lastResults) draw(lastResults);

  async function run(): Promise<void> {
    const q = input.value.trim();
    if (!q) return;
    lastQuery = q;
    setChildren(results, loading("Searching…"));
    try {
      const page = await app.api.get<Page<SearchHit>>("/search", { q, limit: 100 });
      lastResults = page;
      draw(page);
    } catch (err) {
      setChildren(results, errorBox(err, "Search failed"));
    }
  }

  function draw(page: Page<SearchHit>): void {
    if (!page.items.length) {
      setChildren(results, empty("No entity matches. Try fewer words, or part of the postcode."));
      return;
    }
    const groups = groupByType(page.items);
    setChildren(
      results,
      h("p", { class: "muted small" }, `${plural(page.items.length, "result")}${page.next_cursor ? " (more exist: narrow the search)" : ""}`),
      groups.map(([type, hits]) =>
        h(
          "section",
          { class: "result-group", "data-type": type },
          h("h3", null, `${TYPE_LABELS[type] ?? humanise(type)} (${hits.length})`),
          h(
            "ul",
            { class: "hits" },
            hits.map((hit) =>
              h(
                "li",
                { class: "hit", "data-entity": hit.entity_id },
                h("div", { class: "hit-main" },
                  h("button", { class: "link-btn hit-open", onclick: () => app.go("entity", { id: hit.entity_id }) }, hit.label || hit.value || hit.entity_id),
                  " ",
                  flagBadges(hit.flags),
                  (hit.roles ?? []).length ? h("span", { class: "muted small" }, ` ${(hit.roles ?? []).map(humanise).join(", ")}`) : null),
                h("div", { class: "hit-why small" },
                  matchReason(hit) ? h("span", { class: "why" }, matchReason(hit)) : null,
                  hit.score !== undefined ? h("span", { class: "muted", title: "Match score, 0-100" }, ` · score ${Math.round(hit.score <= 1 ? hit.score * 100 : hit.score)}`) : null,
                  (hit.forces ?? []).length ? h("span", { class: "muted" }, ` · ${(hit.forces ?? []).map(forceName).join(", ")}`) : null),
                h("div", { class: "hit-actions" },
                  h("button", { class: "secondary small-btn", onclick: () => app.go("entity", { id: hit.entity_id }) }, "Card"),
                  h("button", { class: "secondary small-btn", onclick: () => app.go("chart", { entity: hit.entity_id, hops: "2" }) }, "Chart")),
              ),
            ),
          ),
        ),
      ),
    );
  }
};
