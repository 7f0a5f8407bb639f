// The web app end to end, in headless Chromium (playwright-core from web/node_modules), against a
// real `linkage serve`. Driven by tests/web/test_web_e2e.py, which builds the data, starts the
// server, passes a JSON config (argv[2]) and reads the JSON results this writes (argv[3]).
//
// Each step records {ok, detail, ms}; a failing step records its error and the run goes on, so
// one broken page does not hide the others. Every request to /api/v1 is logged (method, path,
// status, X-Purpose, X-Request-ID) so the test can match each consultation to its audit entry.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const outFile = process.argv[3];
const require = createRequire(path.join(cfg.webDir, "package.json"));
const { chromium } = require("playwright-core");

const results = { steps: {}, requests: [], console: [], screenshots: [] };
const save = () => fs.writeFileSync(outFile, JSON.stringify(results, null, 1));

const context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(cfg.tmp, "chromium-")), {
  executablePath: cfg.chromium,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
  viewport: { width: 1440, height: 900 },
  locale: "en-GB",
  timezoneId: "Europe/London",
  acceptDownloads: true,
});
context.setDefaultTimeout(cfg.timeoutMs ?? 30000);
const page = context.pages()[0] ?? (await context.newPage());

const pending = new Map();
page.on("request", (req) => {
  const u = new URL(req.url());
  if (!u.pathname.startsWith("/api/v1")) return;
  const hd = req.headers();
  pending.set(req, { method: req.method(), path: u.pathname, query: u.search, purpose: hd["x-purpose"] ?? null, request_id: hd["x-request-id"] ?? null, auth: !!hd.authorization });
});
page.on("response", (res) => {
  const row = pending.get(res.request());
  if (row) {
    row.status = res.status();
    results.requests.push(row);
    pending.delete(res.request());
  }
});
page.on("console", (m) => { if (m.type() === "error") results.console.push(m.text()); });
page.on("pageerror", (e) => results.console.push(`pageerror: ${e.message}`));

async function shot(name) {
  const file = path.join(cfg.screenshots, `${String(results.screenshots.length + 1).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file });
  results.screenshots.push(file);
}

async function step(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    results.steps[name] = { ok: true, detail: detail ?? null, ms: Date.now() - t0 };
  } catch (err) {
    results.steps[name] = { ok: false, error: String(err?.stack ?? err), ms: Date.now() - t0 };
    try { await shot(`FAILED-${name}`); } catch { /* the page may be gone */ }
  }
  save();
}

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function signIn(token, purpose) {
  await page.goto(cfg.base + "/");
  await page.waitForSelector("#token");
  await page.fill("#token", token);
  await page.fill("#purpose", purpose);
  await page.click("#signin");
  await page.waitForSelector(".topbar");
}

async function signOut() {
  await page.click("#sign-out");
  await page.waitForSelector("#token");
}

/** Absolute page coordinates of a chart node. */
async function nodeXY(id) {
  return page.evaluate((nid) => {
    const { cy } = window.__chart;
    const n = cy.getElementById(nid);
    const box = cy.container().getBoundingClientRect();
    const p = n.renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y, visible: n.visible() };
  }, id);
}

async function chartCount() {
  return page.evaluate(() => window.__chart.cy.nodes().length);
}

async function search(q) {
  if (!(await page.$("#search-input"))) {
    await page.click('.nav-item[data-page="search"]');
    await page.waitForSelector("#search-input");
  }
  await page.fill("#search-input", q);
  await page.click("#search-go");
  await page.waitForSelector("#search-results .hit, #search-results .empty, #search-results .error");
}

// ---------------------------------------------------------------------------------------------

await step("refused_bad_token", async () => {
  await page.goto(cfg.base + "/");
  await page.waitForSelector("#token");
  await shot("sign-in");
  await page.fill("#token", "not-a-real-token");
  await page.fill("#purpose", cfg.purpose);
  await page.click("#signin");
  const box = await page.waitForSelector("#signin-error .error");
  const text = (await box.textContent()) ?? "";
  check(!text.includes("{") && /token/i.test(text), `sign-in error not readable: ${text}`);
  return text;
});

await step("sign_in", async () => {
  await signIn(cfg.users.analyst.token, cfg.purpose);
  const purpose = await page.textContent("#purpose-text");
  const user = await page.textContent("#user-display");
  check(purpose === cfg.purpose, `header shows purpose ${purpose}`);
  check(user.includes(cfg.users.analyst.name) && /analyst/i.test(user), `header shows ${user}`);
  const nav = await page.$$eval(".nav-item", (els) => els.map((e) => e.dataset.page));
  check(!nav.includes("dispatches"), "an analyst must not see the dispatch board");
  const stored = await page.evaluate(() => ({ local: Object.keys(localStorage), session: Object.keys(sessionStorage), cookie: document.cookie }));
  check(stored.local.length === 0 && stored.cookie === "", `the app stored something: ${JSON.stringify(stored)}`);
  return { purpose, user, nav, stored };
});

await step("search_name_without_diacritics_other_order", async () => {
  await search(cfg.search.query);
  await shot("search");
  const hit = await page.waitForSelector(`.hit[data-entity="${cfg.search.entity_id}"]`);
  const group = await hit.evaluate((el) => el.closest(".result-group").dataset.type);
  const why = await hit.$eval(".hit-why", (el) => el.textContent);
  check(group === "person", `grouped under ${group}`);
  check(why.trim().length > 0, "no match reason shown");
  await (await hit.$(".hit-open")).click();
  await page.waitForSelector("#records .record");
  const label = await page.textContent("#entity-label");
  check(label.trim() === cfg.search.label, `opened ${label}`);
  const state = await page.evaluate(() => ({ url: location.href, session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage) }));
  check(!state.url.includes(cfg.search.entity_id) && !state.session.includes(cfg.search.query) && !state.session.includes(cfg.search.entity_id), "search text or entity persisted in the browser");
  await shot("entity-card");
  return { group, why, label, url: state.url };
});

await step("chart", async () => {
  await page.click("#open-chart");
  await page.waitForFunction(() => window.__chart && window.__chart.cy.nodes().length > 1 && document.querySelector("#chart-status")?.dataset.layoutMs);
  const n = await chartCount();
  const layoutMs = Number(await page.$eval("#chart-status", (el) => el.dataset.layoutMs));
  await shot("link-chart");
  return { nodes: n, layoutMs };
});

await step("expand_by_double_click", async () => {
  const candidates = await page.evaluate((root) => {
    const { model } = window.__chart;
    return [...model.nodes.values()].filter((n) => n.entity_id !== root && !n.hub).sort((a, b) => (b.hops ?? 0) - (a.hops ?? 0)).slice(0, 6).map((n) => n.entity_id);
  }, cfg.search.entity_id);
  const tried = [];
  for (const id of candidates) {
    const before = await chartCount();
    const xy = await nodeXY(id);
    if (!xy.visible) continue;
    // the node under the pointer is expanded (another node may lie on top of this one)
    const wait = page.waitForResponse((r) => /\/entities\/[^/]+\/network\?/.test(r.url()) && r.url().includes("hops=1"));
    await page.mouse.dblclick(xy.x, xy.y);
    const res = await wait;
    check(res.status() === 200, `expansion answered ${res.status()}`);
    const expanded = decodeURIComponent(res.url().split("/entities/")[1].split("/network")[0]);
    await page.waitForFunction((e) => window.__chart.model.expanded.has(e), expanded);
    const after = await chartCount();
    tried.push({ id: expanded, before, after });
    if (after > before) break;
  }
  check(tried.length > 0, "no node could be double-clicked");
  await shot("chart-expanded");
  const last = tried[tried.length - 1];
  check(last.after >= last.before, "nodes disappeared");
  return { tried, grew: last.after > last.before };
});

await step("paths_between_two_entities", async () => {
  // the root is selected; Shift+click a second entity
  await page.click("#clear-highlight");
  const target = cfg.path_target;
  const present = await page.evaluate((t) => window.__chart.model.nodes.has(t), target);
  const pick = present ? target : await page.evaluate((root) => {
    const { model } = window.__chart;
    return [...model.nodes.values()].filter((n) => n.entity_id !== root && !n.hub && n.hops === 2)[0]?.entity_id;
  }, cfg.search.entity_id);
  check(!!pick, "no second entity to find a path to");
  const a = await nodeXY(cfg.search.entity_id);
  await page.mouse.click(a.x, a.y);
  const b = await nodeXY(pick);
  await page.keyboard.down("Shift");
  await page.mouse.click(b.x, b.y);
  await page.keyboard.up("Shift");
  await page.waitForFunction(() => !document.querySelector("#find-paths").disabled);
  await page.click("#find-paths");
  await page.waitForSelector("#paths li.path, .chart-side .empty, .chart-side .error");
  const paths = await page.$$eval("#paths > li.path", (els) => els.length);
  const hops = await page.$$eval("#paths li.hop", (els) => els.length);
  const evidence = await page.$$eval("#paths .evidence li", (els) => els.length);
  const highlighted = await page.evaluate(() => window.__chart.cy.elements(".path").length);
  await shot("chart-paths");
  check(paths >= 1, "no path shown");
  check(hops >= 1 && evidence >= 1, `hops ${hops}, evidence ${evidence}`);
  check(highlighted >= 3, "path not highlighted on the chart");
  return { target: pick, paths, hops, evidence, highlighted };
});

await step("chart_filters", async () => {
  const visible = () => page.$eval("#chart-status", (el) => Number(el.dataset.visibleNodes));
  const all = await visible();
  await page.check("#hide-hubs");
  const noHubs = await visible();
  await page.selectOption("#filter-grading", "2B");
  const graded = await visible();
  await shot("chart-filtered");
  await page.click("#reset-filters");
  const back = await visible();
  check(noHubs <= all && graded <= noHubs && back === all, `visible ${all} -> ${noHubs} -> ${graded} -> ${back}`);
  return { all, noHubs, graded, back };
});

await step("exports", async () => {
  const out = {};
  for (const [btn, ext] of [["#export-png", ".png"], ["#export-anx", ".anx"], ["#export-graphml", ".graphml"]]) {
    const dl = page.waitForEvent("download");
    await page.click(btn);
    const d = await dl;
    const file = path.join(cfg.tmp, `download${ext}`);
    await d.saveAs(file);
    const size = fs.statSync(file).size;
    check(d.suggestedFilename().endsWith(ext) && size > 100, `${btn}: ${d.suggestedFilename()} ${size} bytes`);
    out[ext] = { name: d.suggestedFilename(), size, head: fs.readFileSync(file).subarray(0, 60).toString("latin1") };
  }
  return out;
});

await step("not_same_judgement_in_entity_card", async () => {
  await search(cfg.judge.query);
  const hit = await page.waitForSelector(`.hit[data-entity="${cfg.judge.entity_id}"] .hit-open`);
  await hit.click();
  await page.waitForSelector("#records .record");
  const boxes = await page.$$(".record-pick");
  check(boxes.length >= 2, "fewer than two records");
  await boxes[0].check();
  await boxes[1].check();
  await page.click("#explain-pair");
  await page.waitForSelector("#explain table, #explain-box .error");
  await shot("entity-explain");
  await page.click("#judge-not-same");
  await page.fill("#reason-input", cfg.judge.reason);
  await page.click("#reason-confirm");
  const row = await page.waitForSelector(`#judgements tr:has-text("${cfg.judge.reason}")`, { timeout: 90000 });
  const text = await row.textContent();
  check(/not same/i.test(text) && text.includes(cfg.users.analyst.name), `judgement row: ${text}`);
  await shot("entity-judged");
  return { row: text };
});

await step("review_queue", async () => {
  await page.click('.nav-item[data-page="review"]');
  await page.waitForSelector("#review-body .review-record, #review-body .empty");
  await shot("review-queue");
  const head = await page.$eval("#review-body", (el) => el.textContent.slice(0, 40));
  if (await page.$("#review-skip")) {
    await page.keyboard.press("k");
    await page.waitForFunction((h) => !document.querySelector("#review-body").textContent.startsWith(h.slice(0, 12)) || document.querySelector("#review-body .empty"), head);
  }
  return { head };
});

await step("networks_chart_and_map", async () => {
  await page.click('.nav-item[data-page="networks"]');
  await page.waitForSelector("#network-list table, #network-list .empty");
  await page.check("#net-cross-border");
  await shot("networks");
  const rows = await page.$$eval("#network-list tr[data-network]", (els) => els.length);
  check(rows > 0, "no cross-border network listed");
  await page.click("#network-list tr[data-network] .open-network");
  await page.waitForFunction(() => window.__chart && window.__chart.cy.nodes().length > 1 && document.querySelector("#chart-status")?.dataset.layoutMs);
  const nodes = await chartCount();
  await shot("network-chart");
  await page.click("#open-map");
  await page.waitForSelector(".uk-map");
  const points = await page.$$eval(".uk-map .map-point", (els) => els.length);
  const land = await page.$$eval(".uk-map .land", (els) => els.length);
  await shot("network-map");
  check(land >= 2, "no UK outline");
  return { rows, nodes, points };
});

await step("venues", async () => {
  await page.click('.nav-item[data-page="venues"]');
  await page.waitForSelector("#venue-list .venue, #venue-list .empty");
  await shot("venues");
  return { venues: await page.$$eval("#venue-list .venue", (els) => els.length) };
});

await step("scans", async () => {
  await page.click('.nav-item[data-page="scans"]');
  await page.waitForSelector("#findings .finding, #findings .empty, #scan-main .error");
  const findings = await page.$$eval("#findings .finding", (els) => els.length);
  check(findings > 0, "no findings");
  await page.click('.tab[data-status="new"]');
  await page.click("#findings .finding .finding-open");
  await page.waitForSelector("#findings .evidence-box:not([hidden]) .evidence li");
  await shot("daily-scan");
  const history = await page.$$eval("#scan-history li", (els) => els.length);
  return { findings, history };
});

await step("change_purpose", async () => {
  await page.click("#change-purpose");
  await page.fill("#reason-input", cfg.purpose2);
  await page.click("#reason-confirm");
  await page.waitForFunction((p) => document.querySelector("#purpose-text")?.textContent === p, cfg.purpose2);
  await search(cfg.search.query);
  return { purpose: await page.textContent("#purpose-text") };
});

await step("unauthorised_returns_to_sign_in", async () => {
  await page.evaluate(() => { window.__app.session.token = "revoked-or-expired-token"; });
  await page.click("#search-go");
  await page.waitForSelector("#token");
  const notice = await page.textContent(".signin .info");
  check(/signed out/i.test(notice), `notice: ${notice}`);
  return { notice };
});

await step("force_user_acknowledges_own_dispatch", async () => {
  await signIn(cfg.users.force.token, cfg.purpose);
  await page.waitForSelector("#board .column");
  const nav = await page.$$eval(".nav-item", (els) => els.map((e) => e.dataset.page));
  check(nav.length === 1 && nav[0] === "dispatches", `force nav: ${nav}`);
  const forces = await page.$$eval("#board [data-dispatch]", (els) => [...new Set(els.map((e) => e.dataset.force))]);
  check(forces.length === 1 && forces[0] === cfg.users.force.force, `board shows forces ${forces}`);
  check(!(await page.$("#route-referrals")) && !(await page.$("#board .resend")), "hub controls shown to a force user");
  await shot("force-board");
  const card = await page.$("#board [data-dispatch] .ack");
  check(!!card, "no dispatch to acknowledge");
  const id = await card.evaluate((el) => el.closest("[data-dispatch]").dataset.dispatch);
  await card.click();
  await page.waitForSelector(`[data-column="acknowledged"] [data-dispatch="${id}"]`);
  await shot("force-acknowledged");
  return { dispatch: id };
});

await step("force_user_refused_other_force_dispatch", async () => {
  await page.fill("#dispatch-lookup", cfg.other_dispatch);
  await page.click(".lookup button");
  const err = await page.waitForSelector("#dispatch-lookup-result .error");
  const text = await err.textContent();
  check(/another force/i.test(text) && !text.includes("{"), `lookup: ${text}`);
  const status = await page.evaluate(async ([id, token, purpose]) => {
    const r = await fetch(`/api/v1/dispatches/${encodeURIComponent(id)}/ack`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "X-Purpose": purpose, "X-Request-ID": `e2e-manual-${Date.now()}`, "Content-Type": "application/json" }, body: "{}" });
    return r.status;
  }, [cfg.other_dispatch, cfg.users.force.token, cfg.purpose]);
  check(status === 403, `ack of another force's dispatch answered ${status}`);
  await shot("force-refused");
  await signOut();
  return { message: text, status };
});

await step("hub_board", async () => {
  await signIn(cfg.users.hub.token, cfg.purpose);
  await page.waitForSelector('#board .column[data-column="triage"]');
  check(!!(await page.$("#route-referrals")), "the hub has no Route button");
  check(!(await page.$("#board .ack")), "acknowledge shown to the hub");
  await shot("hub-board");
  const counts = await page.$$eval("#board .column", (els) => Object.fromEntries(els.map((e) => [e.dataset.column, e.querySelector(".count").textContent])));
  await signOut();
  return counts;
});

await context.close();
save();
