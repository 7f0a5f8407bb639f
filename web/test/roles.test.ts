import { describe, expect, it } from "vitest";
import { can, homePage, navFor } from "../src/roles";
import { Session, type KeyValueStore } from "../src/session";
import { pageFromHash } from "../src/router";

describe("roles", () => {
  it("show a force user only the dispatch board, and never the analyst pages", () => {
    expect(navFor("force").map((n) => n.page)).toEqual(["dispatches"]);
    expect(can("force", "search")).toBe(false);
    expect(can("force", "dispatch_ack")).toBe(true);
    expect(can("force", "dispatch_route")).toBe(false);
  });
  it("let the hub route and resend but not judge", () => {
    expect(can("hub", "dispatch_route")).toBe(true);
    expect(can("hub", "judge")).toBe(false);
    expect(can("hub", "dispatch_ack")).toBe(false);
  });
  it("let analysts judge but not see the dispatch board", () => {
    expect(can("analyst", "judge")).toBe(true);
    expect(can("analyst", "dispatch_view")).toBe(false);
    expect(homePage("analyst")).toBe("search");
    expect(homePage("ingest")).toBe("nothing");
    expect(homePage("hub")).toBe("dispatches");
  });
});

class MemStore implements KeyValueStore {
  data = new Map<string, string>();
  getItem(k: string) { return this.data.get(k) ?? null; }
  setItem(k: string, v: string) { this.data.set(k, v); }
  removeItem(k: string) { this.data.delete(k); }
}

describe("the session", () => {
  it("keeps only the token and the purpose, and forgets them at sign-out", () => {
    const store = new MemStore();
    const s = new Session(store);
    s.signIn(" tok ", " OP-1 ", { name: "ana", role: "analyst", force: null });
    expect(JSON.parse(store.getItem("linkage.session")!)).toEqual({ token: "tok", purpose: "OP-1" });
    s.setPurpose("OP-2");
    expect(new Session(store).purpose).toBe("OP-2");
    expect(new Session(store).me).toBeNull(); // who you are is asked again, never stored
    s.signOut();
    expect(store.data.size).toBe(0);
  });
});

describe("routes", () => {
  it("carry only the page name in the address bar", () => {
    expect(pageFromHash("#/entity")).toBe("entity");
    expect(pageFromHash("")).toBe("");
  });
});
