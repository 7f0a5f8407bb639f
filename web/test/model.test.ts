import { describe, expect, it } from "vitest";
import { ChartModel, edgeWidth, evidenceCount, linkPasses, NO_FILTERS } from "../src/chart/model";
import type { LinkRow, NetworkResponse } from "../src/types";

const link = (src: string, dst: string, t: string, extra: Partial<LinkRow> = {}): LinkRow => ({ src, dst, link_type: t, count: 1, report_ids: [`r-${src}-${dst}-${t}`], first_seen: "2025-01-10", last_seen: "2025-01-10", best_grading: null, ...extra });

function sample(): NetworkResponse {
  return {
    nodes: [
      { entity_id: "P1", entity_type: "person", label: "An Nguyen", hops: 0, roles: ["suspect"] },
      { entity_id: "PH1", entity_type: "phone", label: "+447700900123", hops: 1 },
      { entity_id: "L1", entity_type: "location", label: "Safe house", hops: 1, hub: true },
      { entity_id: "P2", entity_type: "person", label: "Victim", hops: 2, roles: ["victim"] },
    ],
    links: [
      link("P1", "PH1", "USES_PHONE", { best_grading: "2B", count: 3, report_ids: ["a", "b", "c"], first_seen: "2024-06-01", last_seen: "2025-02-01" }),
      link("P2", "PH1", "USES_PHONE"),
      link("P2", "L1", "LIVES_AT"),
      link("P1", "PH1", "MENTIONED_WITH", { report_ids: ["a"] }),
    ],
  };
}

describe("the chart model", () => {
  it("draws one edge per pair of entities, whatever the number of link types", () => {
    const m = new ChartModel();
    m.reset("P1");
    m.merge(sample());
    const pairs = m.pairs();
    expect(pairs).toHaveLength(3);
    const p = pairs.find((e) => e.id === "P1~PH1")!;
    expect(p.links.map((l) => l.link_type).sort()).toEqual(["MENTIONED_WITH", "USES_PHONE"]);
    // distinct reports: a, b, c (a is cited twice)
    expect(evidenceCount(p.links)).toBe(3);
  });

  it("filters by link type, date range, minimum grading and benign hubs", () => {
    const m = new ChartModel();
    m.reset("P1");
    m.merge(sample());
    let v = m.visible({ ...NO_FILTERS, hideHubs: true });
    expect(v.nodes.has("L1")).toBe(false);
    expect(v.nodes.has("P2")).toBe(true);
    v = m.visible({ ...NO_FILTERS, minGrading: "2B" });
    expect([...v.nodes].sort()).toEqual(["P1", "PH1"]);
    v = m.visible({ ...NO_FILTERS, linkTypes: new Set(["LIVES_AT"]) });
    expect([...v.nodes].sort()).toEqual(["L1", "P1", "P2"]); // the root always stays
    v = m.visible({ ...NO_FILTERS, from: "2025-01-20" });
    expect([...v.edges.keys()]).toEqual(["P1~PH1"]);
    expect(v.edges.get("P1~PH1")!.map((l) => l.link_type)).toEqual(["USES_PHONE"]);
    v = m.visible({ ...NO_FILTERS, to: "2024-12-31" });
    expect([...v.edges.keys()]).toEqual(["P1~PH1"]);
  });

  it("a date range keeps a link whose activity overlaps it", () => {
    const l = link("a", "b", "X", { first_seen: "2024-01-01", last_seen: "2024-12-31" });
    expect(linkPasses(l, { ...NO_FILTERS, from: "2024-06-01", to: "2024-06-30" })).toBe(true);
    expect(linkPasses(l, { ...NO_FILTERS, from: "2025-01-01" })).toBe(false);
  });

  it("an expansion adds only new entities and counts hops from the root", () => {
    const m = new ChartModel();
    m.reset("P1");
    m.merge(sample());
    const added = m.merge({ nodes: [{ entity_id: "P2", entity_type: "person", hops: 0 }, { entity_id: "V9", entity_type: "vehicle", hops: 1 }], links: [link("P2", "V9", "USES_VEHICLE")] }, "P2");
    expect(added).toEqual(["V9"]);
    expect(m.nodes.get("V9")!.hops).toBe(3);
    expect(m.nodes.get("P2")!.hops).toBe(2);
    expect(m.expanded.has("P2")).toBe(true);
  });

  it("lists the reports behind what is visible, dated when a link has one report", () => {
    const m = new ChartModel();
    m.reset("P1");
    m.merge(sample());
    const rows = m.visibleReports(m.visible());
    const ids = rows.map((r) => r.report_id);
    expect(ids).toContain("a");
    expect(rows.find((r) => r.report_id === "r-P2-L1-LIVES_AT")!.date).toBe("2025-01-10");
    m.addReports([{ report_id: "b", kind: "intel", reported_at: "2024-07-01" }]);
    expect(m.visibleReports(m.visible()).find((r) => r.report_id === "b")!.date).toBe("2024-07-01");
  });

  it("restricts to a network's members", () => {
    const m = new ChartModel();
    m.reset("P1");
    m.merge(sample());
    m.restrictTo(new Set(["P1", "PH1"]));
    expect([...m.nodes.keys()].sort()).toEqual(["P1", "PH1"]);
    expect(m.pairs()).toHaveLength(1);
  });

  it("edge width grows with evidence and is capped", () => {
    expect(edgeWidth(1)).toBeLessThan(edgeWidth(4));
    expect(edgeWidth(10_000)).toBe(12);
  });
});
