// Start-up: config, session, the header bar (who, role, force, purpose), navigation by role, and
// the pages. A 401 from any call returns to sign-in.

import "./styles.css";
import { Api, ApiError } from "./api";
import type { App, View } from "./app";
import { ChartModel } from "./chart/model";
import { loadConfig } from "./config";
import { askReason, clear, errorBox, h, setChildren } from "./dom";
import { forceName, humanise } from "./format";
import { can, homePage, navFor, type Capability } from "./roles";
import { Router, type Route } from "./router";
import { browserSessionStorage, Session } from "./session";
import type { Me, Role } from "./types";
import { chartView } from "./views/chart";
import { dispatchesView } from "./views/dispatches";
import { entityView } from "./views/entity";
import { mapView } from "./views/map";
import { networksView } from "./views/networks";
import { forgetReview, reviewView } from "./views/review";
import { scansView } from "./views/scans";
import { forgetSearch, searchView } from "./views/search";
import { venuesView } from "./views/venues";

const PAGES: Record<string, { view: View; cap: Capability; title: string }> = {
  search: { view: searchView, cap: "search", title: "Search" },
  entity: { view: entityView, cap: "entity", title: "Entity" },
  chart: { view: chartView, cap: "search", title: "Link chart" },
  map: { view: mapView, cap: "search", title: "Map" },
  networks: { view: networksView, cap: "search", title: "Networks" },
  venues: { view: venuesView, cap: "search", title: "Venues" },
  review: { view: reviewView, cap: "review", title: "Review queue" },
  scans: { view: scansView, cap: "search", title: "Daily scan" },
  dispatches: { view: dispatchesView, cap: "dispatch_view", title: "Dispatch board" },
};

async function start(): Promise<void> {
  const config = await loadConfig();
  const session = new Session(browserSessionStorage());
  const api = new Api(config.apiBase, () => ({ token: session.token, purpose: session.purpose }));
  const router = new Router();
  const chart = new ChartModel();
  const body = document.getElementById("app")!;
  let cleanup: (() => void) | void = undefined;
  let notice: string | null = null;

  const app: App = {
    api,
    session,
    config,
    router,
    chart,
    get role(): Role {
      return (session.me?.role ?? "analyst") as Role;
    },
    go: (page, params = {}) => router.go(page, params),
  };
  (window as unknown as { __app?: App }).__app = app;

  api.onUnauthorized = (err: ApiError) => {
    notice = `Signed out: ${err.message}`;
    signOut();
  };

  function signOut(): void {
    session.signOut();
    chart.reset(null);
    forgetSearch();
    forgetReview();
    router.reset();
    runCleanup();
    showSignIn();
  }

  function runCleanup(): void {
    try {
      cleanup?.();
    } catch {
      /* a page's clean-up must never block navigation */
    }
    cleanup = undefined;
  }

  // ---- sign-in ----
  function showSignIn(): void {
    document.title = "Sign in · linkage";
    const token = h("input", { id: "token", type: "password", autocomplete: "off", required: true, placeholder: "Bearer token from `linkage users add`" });
    const purpose = h("input", { id: "purpose", type: "text", required: true, maxlength: 200, placeholder: "e.g. OP-KESTREL or case 24/1234", value: session.purpose ?? "" });
    const err = h("div", { id: "signin-error" });
    const submit = h("button", { type: "submit", id: "signin" }, "Sign in");
    setChildren(
      body,
      h("div", { class: "signin-page" },
        h("form", { class: "signin", onsubmit: (e: Event) => { e.preventDefault(); void signIn(); } },
          h("h1", null, "linkage"),
          h("p", { class: "muted" }, "Intelligence linkage for modern slavery and human trafficking."),
          notice ? h("div", { class: "info" }, notice) : null,
          h("label", { for: "token" }, "Your token"),
          token,
          h("label", { for: "purpose" }, "Purpose of this session"),
          purpose,
          h("p", { class: "muted small" }, "Every search and every record you open is logged with your name and this purpose (Data Protection Act 2018, s.62). Change it from the header bar when you move to other work."),
          err,
          submit,
          h("p", { class: "muted small" }, "Your token and purpose are kept in this browser tab only and are forgotten when the tab closes. No names, entities or searches are stored in the browser."))),
    );
    notice = null;
    token.focus();

    async function signIn(): Promise<void> {
      const t = token.value.trim();
      const p = purpose.value.trim();
      if (!t || !p) {
        setChildren(err, errorBox(new Error(!t ? "Paste your token." : "State the purpose: an operation name or case reference.")));
        return;
      }
      submit.disabled = true;
      try {
        const me = await api.me({ token: t, purpose: p });
        session.signIn(t, p, me);
        enter();
      } catch (e) {
        setChildren(err, errorBox(e, "Cannot sign in"));
      } finally {
        submit.disabled = false;
      }
    }
  }

  // ---- the shell ----
  const main = h("main", { id: "main" });
  const nav = h("nav", { class: "nav", "aria-label": "Pages" });
  const who = h("div", { class: "who" });

  function header(): HTMLElement {
    return h("header", { class: "topbar" }, h("div", { class: "brand" }, "linkage"), nav, who);
  }

  function drawHeader(current: string): void {
    const me = session.me as Me;
    setChildren(nav, navFor(me.role).map((n) =>
      h("button", { class: `nav-item${n.page === current ? " active" : ""}`, "data-page": n.page, onclick: () => app.go(n.page, n.page === "chart" ? {} : {}) }, n.label)));
    setChildren(
      who,
      h("span", { class: "purpose", id: "purpose-display", title: "Stated purpose: sent with every request and written to the audit log" },
        h("span", { class: "muted" }, "Purpose: "), h("strong", { id: "purpose-text" }, session.purpose ?? ""),
        " ", h("button", { class: "link-btn light", id: "change-purpose", onclick: () => void changePurpose() }, "change")),
      h("span", { class: "user", id: "user-display" }, me.name, h("span", { class: "muted" }, ` · ${humanise(me.role)}${me.force ? ` · ${forceName(me.force)}` : ""}`)),
      h("button", { class: "link-btn light", id: "sign-out", onclick: () => signOut() }, "Sign out"),
    );
  }

  async function changePurpose(): Promise<void> {
    const p = await askReason("Change the purpose", {
      label: "Operation name or case reference for what you do next",
      confirm: "Change",
      initial: session.purpose ?? "",
      placeholder: "e.g. OP-KESTREL",
      maxlength: 200,
    });
    if (p) {
      session.setPurpose(p);
      drawHeader(router.current?.page ?? "");
    }
  }

  function enter(): void {
    clear(body);
    body.appendChild(header());
    body.appendChild(main);
    const first = homePage(session.me?.role);
    router.go(first === "nothing" ? "nothing" : first, {}, true);
  }

  let renderSeq = 0;
  router.onRoute((r: Route) => void render(r));

  async function render(r: Route): Promise<void> {
    if (!session.signedIn) {
      showSignIn();
      return;
    }
    if (!body.contains(main)) {
      clear(body);
      body.appendChild(header());
      body.appendChild(main);
    }
    runCleanup();
    const seq = ++renderSeq;
    const role = session.me!.role;
    let page = PAGES[r.page];
    if (!page || !can(role, page.cap)) {
      const home = homePage(role);
      if (home === "nothing" || !PAGES[home]) {
        drawHeader("");
        setChildren(main, h("div", { class: "empty" }, `The ${humanise(role)} role has no pages in this app (it is for API clients).`));
        return;
      }
      page = PAGES[home];
      r = { page: home, params: {} };
    }
    drawHeader(r.page);
    document.title = `${page.title} · linkage`;
    main.className = `page-${r.page}`;
    clear(main);
    try {
      const c = await page.view(app, r.params, main);
      if (seq === renderSeq) cleanup = c;
      else c?.();
    } catch (e) {
      setChildren(main, errorBox(e, "This page failed"));
    }
  }

  // ---- resume a session held by this tab ----
  if (session.token && session.purpose) {
    try {
      session.me = await api.me({ token: session.token, purpose: session.purpose });
      enter();
      return;
    } catch (e) {
      session.signOut();
      notice = e instanceof ApiError && e.status !== 401 ? e.message : null;
    }
  }
  showSignIn();
}

void start();
