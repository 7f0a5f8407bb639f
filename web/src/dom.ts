// A small DOM builder. Every value goes in as text (textContent / attributes), never as HTML, so
// nothing the API returns can inject markup.

import { ApiError } from "./api";
import { FLAG_LABELS, FLAG_SHORT, gradingOf, gradingTitle, humanise, KIND_LABELS, fmtDate } from "./format";
import type { ReportRow } from "./types";

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") {
        el.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
      } else if (k === "class") {
        el.className = String(v);
      } else if (k === "value" && "value" in el) {
        (el as unknown as HTMLInputElement).value = String(v);
      } else if (v === true) {
        el.setAttribute(k, "");
      } else {
        el.setAttribute(k, String(v));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function setChildren(el: Element, ...children: Child[]): void {
  clear(el);
  append(el, children);
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** An inline error box with the API's message (never raw JSON). */
export function errorBox(err: unknown, what?: string): HTMLElement {
  const status = err instanceof ApiError && err.status ? ` (${err.status})` : "";
  return h("div", { class: "error", role: "alert" }, what ? h("strong", null, `${what}: `) : null, errorMessage(err), status ? h("span", { class: "muted" }, status) : null);
}

export function loading(text = "Loading…"): HTMLElement {
  return h("div", { class: "loading", "aria-busy": "true" }, text);
}

export function empty(text: string): HTMLElement {
  return h("div", { class: "empty" }, text);
}

export function flagBadges(flags: string[] | undefined, long = false): HTMLElement[] {
  return (flags ?? []).map((f) =>
    h("span", { class: `badge flag flag-${f}`, title: FLAG_LABELS[f] ?? humanise(f) }, long ? (FLAG_LABELS[f] ?? humanise(f)) : (FLAG_SHORT[f] ?? f)),
  );
}

export function gradingBadge(r: Parameters<typeof gradingOf>[0]): HTMLElement {
  const g = gradingOf(r);
  return h("span", { class: `badge grading${g ? "" : " ungraded"}`, title: gradingTitle(g) }, g ?? "ungraded");
}

/** Handling code C travels with the item: its conditions are shown wherever it is shown. */
export function handlingBadge(handling: string | null | undefined, conditions: string | string[] | null | undefined): HTMLElement | null {
  if (!handling) return null;
  const conds = Array.isArray(conditions) ? conditions.filter(Boolean) : conditions ? [conditions] : [];
  if (handling.toUpperCase() !== "C") return h("span", { class: "badge handling-p", title: "Handling code P: lawful sharing permitted" }, "P");
  return h(
    "span",
    { class: "handling-c", title: "Handling code C: sharing with conditions" },
    h("span", { class: "badge handling-c-code" }, "C"),
    h("span", { class: "conditions" }, conds.length ? conds.join("; ") : "conditions apply (not stated)"),
  );
}

export function reportLine(r: ReportRow): HTMLElement {
  return h(
    "span",
    { class: "report-line" },
    h("span", { class: `badge kind kind-${r.kind}` }, KIND_LABELS[r.kind] ?? r.kind),
    " ",
    h("span", { class: "mono" }, r.source_ref ?? r.report_id),
    r.reported_at ? ` · ${fmtDate(r.reported_at)}` : "",
    r.organisation ? ` · ${r.organisation}` : "",
    " ",
    gradingBadge(r),
    " ",
    handlingBadge(r.handling, r.conditions),
  );
}

/** A toast in the corner for outcomes ("judgement recorded"). */
export function toast(text: string, kind: "ok" | "error" = "ok"): void {
  let host = document.getElementById("toasts");
  if (!host) {
    host = h("div", { id: "toasts", "aria-live": "polite" });
    document.body.appendChild(host);
  }
  const t = h("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status" }, text);
  host.appendChild(t);
  setTimeout(() => t.remove(), kind === "error" ? 8000 : 4000);
}

/** A modal asking for a reason (judgements, rejections, splits). Resolves null when cancelled. */
export function askReason(title: string, opts: { label?: string; confirm?: string; required?: boolean; extra?: HTMLElement; initial?: string; placeholder?: string; maxlength?: number } = {}): Promise<string | null> {
  return new Promise((resolve) => {
    const input = h("textarea", { id: "reason-input", rows: 3, maxlength: opts.maxlength ?? 2000, placeholder: opts.placeholder ?? "Reason (kept with the decision and in the audit log)" });
    if (opts.initial) input.value = opts.initial;
    const err = h("div", { class: "form-error" });
    const close = (v: string | null) => {
      overlay.remove();
      resolve(v);
    };
    const submit = () => {
      const v = input.value.trim();
      if (opts.required !== false && !v) {
        err.textContent = "Give a reason.";
        input.focus();
        return;
      }
      close(v);
    };
    const overlay = h(
      "div",
      { class: "modal-overlay", role: "dialog", "aria-modal": "true", "aria-label": title },
      h(
        "form",
        { class: "modal", onsubmit: ((e: Event) => { e.preventDefault(); submit(); }) as EventListener },
        h("h3", null, title),
        opts.extra ?? null,
        h("label", { for: "reason-input" }, opts.label ?? "Reason"),
        input,
        err,
        h("div", { class: "modal-actions" },
          h("button", { type: "button", class: "secondary", onclick: () => close(null) }, "Cancel"),
          h("button", { type: "submit", id: "reason-confirm" }, opts.confirm ?? "Confirm")),
      ),
    );
    overlay.addEventListener("keydown", (e) => {
      if (e.key === "Escape") close(null);
      e.stopPropagation();
    });
    document.body.appendChild(overlay);
    input.focus();
  });
}

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename, style: "display:none" });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function table(headers: (string | HTMLElement)[], rows: Child[][], attrs: Attrs = {}): HTMLTableElement {
  return h(
    "table",
    { class: "grid", ...attrs },
    h("thead", null, h("tr", null, headers.map((x) => h("th", null, x)))),
    h("tbody", null, rows.map((r) => h("tr", null, r.map((c) => h("td", null, c))))),
  );
}
