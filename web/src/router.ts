// In-memory routing. The address bar shows only the page name (#/entity); the parameters (entity
// ids, search text) stay in memory, so nothing about a subject lands in the browser history or
// the URL. Back and forward work within the tab's session; a reload opens the page empty.

export interface Route {
  page: string;
  params: Record<string, string>;
}

export function pageFromHash(hash: string): string {
  const m = /^#\/?([a-z-]+)/.exec(hash);
  return m ? m[1] : "";
}

export class Router {
  private stack: Route[] = [];
  private index = -1;
  private listener: ((r: Route) => void) | null = null;

  constructor(private win: Pick<Window, "history" | "location" | "addEventListener"> = window) {
    win.addEventListener("popstate", (e: Event) => {
      const st = (e as PopStateEvent).state as { i?: number } | null;
      const i = st && typeof st.i === "number" ? st.i : -1;
      const r = this.stack[i] ?? { page: pageFromHash(this.win.location.hash), params: {} };
      if (i >= 0) this.index = i;
      this.listener?.(r);
    });
  }

  get current(): Route | null {
    return this.stack[this.index] ?? null;
  }

  onRoute(fn: (r: Route) => void): void {
    this.listener = fn;
  }

  go(page: string, params: Record<string, string> = {}, replace = false): void {
    const r: Route = { page, params };
    if (replace && this.index >= 0) {
      this.stack[this.index] = r;
      this.win.history.replaceState({ i: this.index }, "", `#/${page}`);
    } else {
      this.stack = this.stack.slice(0, this.index + 1);
      this.stack.push(r);
      this.index = this.stack.length - 1;
      this.win.history.pushState({ i: this.index }, "", `#/${page}`);
    }
    this.listener?.(r);
  }

  /** Update the current route's parameters without a new history entry or a re-render. */
  remember(params: Record<string, string>): void {
    const cur = this.stack[this.index];
    if (cur) cur.params = { ...cur.params, ...params };
  }

  /** Forget every parameter held (sign-out). */
  reset(): void {
    this.stack = [];
    this.index = -1;
  }
}
