import { describe, expect, it } from "vitest";
import { fmtHours, gradingAtLeast, gradingOf, gradingRank, groupByType, matchReason, primaryRole, recordFacts, slug } from "../src/format";

describe("3x5x2 gradings", () => {
  it("orders gradings like linkage.model.grading_rank (1A strongest, ungraded last)", () => {
    expect(gradingRank("1A")).toBe(0);
    expect(gradingRank("2B")).toBeLessThan(gradingRank("2C"));
    expect(gradingRank("1E")).toBeLessThan(gradingRank("2A"));
    expect(gradingRank(null)).toBeGreaterThan(gradingRank("3E"));
    expect(gradingRank("b2")).toBe(gradingRank("2B"));
  });
  it("a minimum keeps only links at least that good, and never ungraded ones", () => {
    expect(gradingAtLeast("1B", "2B")).toBe(true);
    expect(gradingAtLeast("2B", "2B")).toBe(true);
    expect(gradingAtLeast("3A", "2B")).toBe(false);
    expect(gradingAtLeast(null, "3E")).toBe(false);
    expect(gradingAtLeast(null, null)).toBe(true);
  });
  it("reads a grading from parts or a ready string", () => {
    expect(gradingOf({ grading_source: "2", grading_intel: "B" })).toBe("2B");
    expect(gradingOf({ best_grading: "1a" })).toBe("1A");
    expect(gradingOf({})).toBeNull();
  });
});

describe("search results", () => {
  it("group by entity type in display order, people first", () => {
    const g = groupByType([{ entity_type: "phone" }, { entity_type: "person" }, { entity_type: "zzz" }, { entity_type: "person" }]);
    expect(g.map(([t, xs]) => [t, xs.length])).toEqual([["person", 2], ["phone", 1], ["zzz", 1]]);
  });
  it("say why each hit matched, whatever the field is called", () => {
    expect(matchReason({ reason: "name: nguyen van an" })).toBe("name: nguyen van an");
    expect(matchReason({ matched: ["phone", "postcode"] })).toBe("phone, postcode");
    expect(matchReason({})).toBe("");
  });
});

describe("small helpers", () => {
  it("suspect outranks victim for node colour (section 45 shows both elsewhere)", () => {
    expect(primaryRole(["victim", "suspect"])).toBe("suspect");
    expect(primaryRole(["victim"])).toBe("victim");
    expect(primaryRole([])).toBe("other");
  });
  it("formats durations in hours", () => {
    expect(fmtHours(0.5)).toBe("30 min");
    expect(fmtHours(5)).toBe("5 h");
    expect(fmtHours(50)).toBe("2 d 2 h");
    expect(fmtHours(null)).toBe("");
  });
  it("makes safe file names", () => {
    expect(slug("P-1a2b/../x y")).toBe("P-1a2b-..-x-y");
  });
  it("describes a person record from its attributes", () => {
    const f = recordFacts({ record_type: "person", attrs: { names: [{ raw: "Nguyễn Văn An" }], dob: { raw: "1990-03-02" }, nationality: "VNM", is_child: false } });
    expect(f).toContainEqual(["Name", "Nguyễn Văn An"]);
    expect(f).toContainEqual(["Born", "1990-03-02"]);
    expect(f).toContainEqual(["Nationality", "VNM"]);
  });
});
