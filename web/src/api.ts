// The one way the app talks to the server: /api/v1 with the user's bearer token and the stated
// purpose (X-Purpose) on every request. Errors come back as ApiError with the API's message.

import type { ErrorBody, Me, Page } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function newRequestId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return `web-${c.randomUUID().replace(/-/g, "")}`;
  return `web-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}

export type Params = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

export function queryString(params: Params | undefined): string {
  if (!params) return "";
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === "" || v === false) continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, String(x)));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** A readable message from any failed response body (never raw JSON). */
export function errorFrom(status: number, body: unknown, statusText = ""): ApiError {
  if (body && typeof body === "object" && "message" in body) {
    const b = body as ErrorBody;
    return new ApiError(status, String(b.code ?? "error"), String(b.message), b.details ?? null);
  }
  if (body && typeof body === "object" && "detail" in body) {
    const d = (body as { detail: unknown }).detail;
    const msg = typeof d === "string" ? d : Array.isArray(d) ? d.map((x) => (x as { msg?: string }).msg ?? "").filter(Boolean).join("; ") : "";
    return new ApiError(status, "error", msg || describeStatus(status, statusText));
  }
  return new ApiError(status, "error", describeStatus(status, statusText));
}

export function describeStatus(status: number, statusText = ""): string {
  const known: Record<number, string> = {
    0: "the server could not be reached; check your connection and try again",
    400: "the request was not accepted",
    401: "your sign-in is no longer valid; sign in again",
    403: "your role may not do this",
    404: "not found",
    413: "the upload is too large",
    422: "the request is not valid",
    429: "too many requests; wait a moment and try again",
    500: "the server failed; try again, or quote the time to the service team",
    502: "the server is not reachable",
    503: "the service is not available right now; try again shortly",
  };
  return known[status] ?? `the server answered ${status}${statusText ? ` ${statusText}` : ""}`;
}

export interface Credentials {
  token: string | null;
  purpose: string | null;
}

export class Api {
  /** Called on any 401: the app returns to sign-in. */
  onUnauthorized: (err: ApiError) => void = () => {};
  /** Counts requests (tests and the status bar read it). */
  requests = 0;

  constructor(
    private base: string,
    private creds: () => Credentials,
    private fetchImpl: typeof fetch = (...a) => fetch(...a),
  ) {}

  headers(extra?: Record<string, string>, creds: Credentials = this.creds()): Record<string, string> {
    // A request id of our own: the API puts it on its log line and in the audit entry, so an
    // error shown here can be traced ("quote request id ...").
    const h: Record<string, string> = { Accept: "application/json", "X-Request-ID": newRequestId(), ...extra };
    if (creds.token) h.Authorization = `Bearer ${creds.token}`;
    if (creds.purpose) h["X-Purpose"] = creds.purpose;
    return h;
  }

  async request<T>(method: string, path: string, opts: { params?: Params; body?: unknown; creds?: Credentials; raw?: boolean } = {}): Promise<T> {
    const url = `${this.base}${path}${queryString(opts.params)}`;
    const init: RequestInit = { method, headers: this.headers(opts.body !== undefined ? { "Content-Type": "application/json" } : undefined, opts.creds) };
    if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
    this.requests++;
    let res: Response;
    try {
      res = await this.fetchImpl(url, init);
    } catch {
      throw new ApiError(0, "network", describeStatus(0));
    }
    if (!res.ok) {
      let body: unknown = null;
      try {
        body = await res.json();
      } catch {
        body = null;
      }
      const err = errorFrom(res.status, body, res.statusText);
      if (res.status === 401 && !opts.creds) this.onUnauthorized(err);
      throw err;
    }
    if (opts.raw) return (await res.blob()) as T;
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  get<T>(path: string, params?: Params): Promise<T> {
    return this.request<T>("GET", path, { params });
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>("POST", path, { body });
  }

  blob(path: string, params?: Params): Promise<Blob> {
    return this.request<Blob>("GET", path, { params, raw: true });
  }

  /** Every page of a paged list, up to `max` items. */
  async all<T>(path: string, params: Params = {}, max = 2000): Promise<{ items: T[]; truncated: boolean; message: string | null }> {
    const items: T[] = [];
    let cursor: string | null = null;
    let message: string | null = null;
    do {
      const page: Page<T> = await this.get<Page<T>>(path, { ...params, limit: Math.min(500, max), cursor });
      items.push(...page.items);
      cursor = page.next_cursor;
      message = page.message ?? message;
      if (page.truncated) return { items, truncated: true, message };
    } while (cursor && items.length < max);
    return { items, truncated: !!cursor, message };
  }

  /** Who the token belongs to; `creds` lets sign-in check a token before it is kept. */
  me(creds?: Credentials): Promise<Me> {
    return this.request<Me>("GET", "/me", { creds });
  }
}
