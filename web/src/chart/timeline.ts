// The timeline strip under the chart: one tick per report behind what is on screen, by date.
// Drawn on a canvas (a chart of 500 entities has thousands of reports behind it).

import { fmtDate, KIND_LABELS } from "../format";
import type { LinkRow, ReportRow } from "../types";

export interface TimelineRow {
  report_id: string;
  date: string | null;
  report?: ReportRow;
  links: LinkRow[];
}

export const KIND_COLORS: Record<string, string> = {
  nrm: "#2a9d8f",
  dtn: "#8ab17d",
  intel: "#b23a48",
  referral: "#4a6fa5",
};

export function kindOf(reportId: string, rep?: ReportRow): string {
  if (rep?.kind) return rep.kind;
  const m = /^(nrm|dtn|intel|referral)-/.exec(reportId);
  return m ? m[1] : "other";
}

export function dayNumber(iso: string): number {
  return Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);
}

/** Month boundaries (or years when the span is long) between two day numbers, for axis labels. */
export function axisTicks(lo: number, hi: number): { day: number; label: string }[] {
  const out: { day: number; label: string }[] = [];
  const start = new Date(lo * 86_400_000);
  const spanDays = hi - lo;
  const stepMonths = spanDays > 365 * 6 ? 24 : spanDays > 365 * 3 ? 12 : spanDays > 365 ? 3 : 1;
  // the first month (or New Year) after the start
  const d = stepMonths >= 12 ? new Date(Date.UTC(start.getUTCFullYear() + 1, 0, 1)) : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  while (d.getTime() / 86_400_000 <= hi && out.length < 40) {
    const day = d.getTime() / 86_400_000;
    if (day >= lo) {
      out.push({ day, label: stepMonths >= 12 ? String(d.getUTCFullYear()) : d.toLocaleDateString("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" }) });
    }
    d.setUTCMonth(d.getUTCMonth() + stepMonths);
  }
  return out;
}

interface Tick {
  x: number;
  y: number;
  row: TimelineRow;
}

export function drawTimeline(
  host: HTMLElement,
  rows: TimelineRow[],
  opts: { onPick: (row: TimelineRow | null) => void; width?: number },
): void {
  while (host.firstChild) host.removeChild(host.firstChild);
  const dated = rows.filter((r) => r.date);
  const undated = rows.length - dated.length;
  const width = Math.max(300, Math.floor(opts.width ?? (host.clientWidth || 800)) - 12);
  const height = 64;
  const pad = 12;
  const canvas = document.createElement("canvas");
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.className = "timeline-canvas";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `Timeline of ${rows.length} reports behind the chart`);
  host.appendChild(canvas);
  const caption = document.createElement("div");
  caption.className = "timeline-caption";
  host.appendChild(caption);
  if (!dated.length) {
    caption.textContent = rows.length ? `${rows.length} reports behind the chart; none has a known date.` : "No reports behind what is on screen.";
    return;
  }
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.scale(ratio, ratio);
  const days = dated.map((r) => dayNumber(r.date!));
  let lo = Math.min(...days) - 3;
  let hi = Math.max(...days) + 3;
  if (hi - lo < 30) {
    lo -= 15;
    hi += 15;
  }
  const x = (day: number) => pad + ((day - lo) / (hi - lo)) * (width - 2 * pad);
  ctx.strokeStyle = "#9aa5b1";
  ctx.fillStyle = "#5f6b7a";
  ctx.font = "10px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.beginPath();
  ctx.moveTo(pad, 44.5);
  ctx.lineTo(width - pad, 44.5);
  for (const t of axisTicks(lo, hi)) {
    const tx = Math.round(x(t.day)) + 0.5;
    ctx.moveTo(tx, 42);
    ctx.lineTo(tx, 47);
    ctx.fillText(t.label, tx, 58);
  }
  ctx.stroke();
  // one tick per report; reports on the same pixel column stack upwards
  const stacks = new Map<number, number>();
  const ticks: Tick[] = [];
  for (const r of dated) {
    const px = Math.round(x(dayNumber(r.date!)));
    const level = stacks.get(px) ?? 0;
    stacks.set(px, level + 1);
    const y = Math.max(2, 34 - level * 7);
    ctx.fillStyle = KIND_COLORS[kindOf(r.report_id, r.report)] ?? "#888";
    ctx.fillRect(px - 1.5, y, 3, 8);
    ticks.push({ x: px, y, row: r });
  }
  const at = (e: MouseEvent): Tick | null => {
    const box = canvas.getBoundingClientRect();
    const mx = e.clientX - box.left;
    const my = e.clientY - box.top;
    let best: Tick | null = null;
    let bd = 5;
    for (const t of ticks) {
      const d = Math.abs(t.x - mx) + (my < t.y - 2 || my > t.y + 10 ? 4 : 0);
      if (d < bd) {
        bd = d;
        best = t;
      }
    }
    return best;
  };
  canvas.addEventListener("mousemove", (e) => {
    const t = at(e);
    canvas.style.cursor = t ? "pointer" : "default";
    const kind = t ? kindOf(t.row.report_id, t.row.report) : "";
    canvas.title = t ? `${KIND_LABELS[kind] ?? kind} ${t.row.report?.source_ref ?? t.row.report_id} · ${fmtDate(t.row.date)}` : "";
  });
  canvas.addEventListener("click", (e) => opts.onPick(at(e)?.row ?? null));
  const first = dated[0].date!;
  const last = dated[dated.length - 1].date!;
  caption.textContent = `${rows.length} reports behind the chart, ${fmtDate(first)} – ${fmtDate(last)}` + (undated ? ` (${undated} without a known date)` : "") + ". Click a tick to show its links.";
}
