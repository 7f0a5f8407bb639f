// What each role may do, mirroring the API's route declarations (api/routes/*.py `Allow(...)`).
// The UI hides what a role may not use; the API still refuses it.

import type { Role } from "./types";

export type Capability =
  | "search"        // search, entity card, chart, paths, exports, networks, venues, scans
  | "judge"         // same / not same / split
  | "review"        // read the review queue
  | "scan_run"      // run a scan now
  | "dispatch_view" // the dispatch board
  | "dispatch_route"// route referrals, resend (hub)
  | "dispatch_ack"  // acknowledge / reject (the receiving force)
  | "entity";       // open an entity card (force users: what was dispatched to them)

const MATRIX: Record<Role, Capability[]> = {
  analyst: ["search", "judge", "review", "scan_run", "entity"],
  hub: ["search", "review", "scan_run", "entity", "dispatch_view", "dispatch_route"],
  force: ["entity", "dispatch_view", "dispatch_ack"],
  ingest: [],
  admin: ["search", "judge", "review", "scan_run", "entity", "dispatch_view", "dispatch_route", "dispatch_ack"],
};

export function can(role: Role | string | null | undefined, cap: Capability): boolean {
  if (!role) return false;
  return (MATRIX[role as Role] ?? []).includes(cap);
}

export interface NavItem {
  page: string;
  label: string;
  cap: Capability;
  key?: string;
}

export const NAV: NavItem[] = [
  { page: "search", label: "Search", cap: "search" },
  { page: "chart", label: "Link chart", cap: "search" },
  { page: "networks", label: "Networks", cap: "search" },
  { page: "venues", label: "Venues", cap: "search" },
  { page: "review", label: "Review queue", cap: "review" },
  { page: "scans", label: "Daily scan", cap: "search" },
  { page: "dispatches", label: "Dispatch board", cap: "dispatch_view" },
];

export function navFor(role: Role | string | null | undefined): NavItem[] {
  return NAV.filter((n) => can(role, n.cap));
}

/** Where a role lands after sign-in: the hub and forces on the dispatch board, analysts on search. */
export function homePage(role: Role | string | null | undefined): string {
  if (role === "hub" || role === "force") return "dispatches";
  return navFor(role)[0]?.page ?? "nothing";
}
