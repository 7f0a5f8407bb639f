import { describe, expect, it } from "vitest";
import { axisTicks, dayNumber, kindOf } from "../src/chart/timeline";
import { columnOf } from "../src/views/dispatches";
import { filterNetworks, seedOf } from "../src/views/networks";
import { parseRecordId, factsFromPayload } from "../src/views/review";
import { extentOf } from "../src/views/map";

describe("the timeline strip", () => {
  it("labels months on a short span and years on a long one", () => {
    const lo = dayNumber("2025-01-10");
    expect(axisTicks(lo, dayNumber("2025-04-20")).map((t) => t.label)).toEqual(["Feb 25", "Mar 25", "Apr 25"]);
    expect(axisTicks(lo, dayNumber("2032-01-01")).map((t) => t.label)[0]).toBe("2026");
  });
  it("knows a report's kind from its id when the report is not loaded", () => {
    expect(kindOf("intel-abc-v1")).toBe("intel");
    expect(kindOf("x")).toBe("other");
  });
});

describe("the dispatch board", () => {
  it("puts overdue dispatches in Overdue, failed ones with pending, superseded nowhere", () => {
    expect(columnOf({ dispatch_id: "d", force: "f", status: "sent", overdue: true })).toBe("overdue");
    expect(columnOf({ dispatch_id: "d", force: "f", status: "failed" })).toBe("pending");
    expect(columnOf({ dispatch_id: "d", force: "f", status: "acknowledged" })).toBe("acknowledged");
    expect(columnOf({ dispatch_id: "d", force: "f", status: "superseded" })).toBeNull();
  });
});

describe("networks", () => {
  const nets = [
    { network_id: "a", size: 10, forces: ["kent"], score: 5, last_seen: "2025-01-01" },
    { network_id: "b", size: 4, forces: ["kent", "metropolitan"], score: 9, last_seen: "2025-06-01" },
    { network_id: "c", size: 2, forces: ["essex", "kent"], score: 1, last_seen: "2024-01-01" },
  ];
  it("filter by cross-border, force, size and activity, sorted as asked", () => {
    const f = { crossBorder: true, force: "", minSize: 3, since: "", sort: "score" as const };
    expect(filterNetworks(nets, f).map((n) => n.network_id)).toEqual(["b"]);
    expect(filterNetworks(nets, { ...f, crossBorder: false, sort: "size" }).map((n) => n.network_id)).toEqual(["a", "b"]);
    expect(filterNetworks(nets, { ...f, crossBorder: false, minSize: 2, since: "2025-01-01", sort: "recent" }).map((n) => n.network_id)).toEqual(["b", "a"]);
  });
  it("open from a suspect first", () => {
    expect(seedOf({ network_id: "x", size: 2, victims: [{ entity_id: "V", entity_type: "person" }], suspects: [{ entity_id: "S", entity_type: "person" }] })).toBe("S");
  });
});

describe("the review queue", () => {
  it("reads a record id and finds what the report said about that reference", () => {
    expect(parseRecordId("nrm-abc-v1/person/p1")).toEqual({ report_id: "nrm-abc-v1", record_type: "person", ref: "p1" });
    const raw = { victim: { ref: "p1", full_name: "Ana Pop", dob: "1990", addresses: [{ line: "x" }] }, suspects: [{ ref: "s1", full_name: "Ion" }] };
    expect(factsFromPayload(raw, "p1")).toEqual([["Full name", "Ana Pop"], ["Dob", "1990"]]);
    expect(factsFromPayload(raw, "s1")).toEqual([["Full name", "Ion"]]);
    expect(factsFromPayload(raw, "zz")).toEqual([]);
  });
});

describe("the map", () => {
  it("frames the points, never narrower than tall, or the whole UK", () => {
    const pts = [{ entity: { entity_id: "L", entity_type: "location" }, lat: 52.5, lon: -1.9 }, { entity: { entity_id: "M", entity_type: "location" }, lat: 53.5, lon: -2.2 }];
    const e = extentOf(pts, false);
    expect(e.west).toBeLessThan(-2.2);
    expect(e.north).toBeGreaterThan(53.5);
    expect((e.east - e.west) * Math.cos((53 * Math.PI) / 180)).toBeGreaterThanOrEqual((e.north - e.south) * 0.99);
    expect(extentOf(pts, true).west).toBeLessThan(-10);
  });
});
