import { describe, expect, it } from "vitest";
import { Api, ApiError, errorFrom, queryString } from "../src/api";

function fakeFetch(status: number, body: unknown, seen: { url?: string; init?: RequestInit } = {}): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    seen.url = url;
    seen.init = init;
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  }) as unknown as typeof fetch;
}

describe("the API client", () => {
  it("sends the bearer token and the stated purpose on every request", async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const api = new Api("/api/v1", () => ({ token: "tok", purpose: "OP-X" }), fakeFetch(200, { items: [] }, seen));
    await api.get("/search", { q: "an nguyen", types: ["person", "phone"], cursor: null });
    expect(seen.url).toBe("/api/v1/search?q=an+nguyen&types=person&types=phone");
    const hd = seen.init!.headers as Record<string, string>;
    expect(hd.Authorization).toBe("Bearer tok");
    expect(hd["X-Purpose"]).toBe("OP-X");
  });

  it("turns the uniform error body into a readable message, never raw JSON", async () => {
    const api = new Api("/api/v1", () => ({ token: "t", purpose: "p" }), fakeFetch(403, { code: "forbidden", message: "this dispatch was sent to another force", details: null }));
    const err = (await api.get("/dispatches/D-1").catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(403);
    expect(err.message).toBe("this dispatch was sent to another force");
  });

  it("reports a 401 so the app returns to sign-in", async () => {
    const api = new Api("/api/v1", () => ({ token: "t", purpose: "p" }), fakeFetch(401, { code: "unauthorized", message: "the bearer token is not valid or was revoked" }));
    let called = "";
    api.onUnauthorized = (e) => (called = e.message);
    await expect(api.get("/me")).rejects.toThrow("revoked");
    expect(called).toContain("revoked");
  });

  it("explains bodies that are not the API's own", () => {
    expect(errorFrom(502, null).message).toMatch(/not reachable/);
    expect(errorFrom(422, { detail: [{ msg: "field required" }] }).message).toBe("field required");
  });

  it("drops empty parameters", () => {
    expect(queryString({ a: "", b: null, c: false, d: 0, e: "x" })).toBe("?d=0&e=x");
  });
});
