// The shapes the app reads from /api/v1. Fields the API may add later are optional; the views
// read them defensively so a missing field shows as blank, never as a crash.

export type Role = "analyst" | "hub" | "force" | "ingest" | "admin";

export interface Me {
  name: string;
  role: Role;
  force: string | null;
}

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total: number | null;
  limit: number;
  truncated: boolean;
  message: string | null;
}

export type EntityType = "person" | "location" | "business" | "phone" | "email" | "vehicle" | "account";

export interface EntitySummary {
  entity_id: string;
  entity_type: EntityType | string;
  label?: string | null;
  value?: string | null;
  attrs?: Record<string, unknown>;
  forces?: string[];
  roles?: string[];
  flags?: string[];
  record_count?: number;
  report_count?: number;
  first_seen?: string | null;
  last_seen?: string | null;
  hops?: number;
  hub?: boolean;
}

export interface SearchHit extends EntitySummary {
  score?: number;
  reason?: string;
  match_reason?: string;
  matched?: string | string[];
  why?: string;
}

export interface RecordRow {
  record_id: string;
  report_id: string;
  record_type: string;
  role?: string | null;
  ref?: string;
  value?: string;
  display?: string;
  attrs?: Record<string, unknown>;
  force?: string | null;
  use?: string | null;
  venue_type?: string | null;
  lat?: number | null;
  lon?: number | null;
  reported_at?: string | null;
  score?: number | null;
  rule?: string | null;
}

export interface ReportRow {
  report_id: string;
  kind: string;
  source_ref?: string;
  organisation?: string;
  reported_at?: string | null;
  received_at?: string | null;
  force?: string | null;
  grading_source?: string | null;
  grading_intel?: string | null;
  grading?: string | null;
  handling?: string | null;
  conditions?: string | null;
  exploitation_types?: string[];
  child_involved?: boolean;
  version?: number;
  urgency?: string | null;
}

export interface EntityCard extends EntitySummary {
  records: RecordRow[];
  reports: ReportRow[];
  scoped_to_force?: string;
}

export interface LinkRow {
  src: string;
  dst: string;
  link_type: string;
  count?: number;
  first_seen?: string | null;
  last_seen?: string | null;
  report_ids?: string[];
  best_grading?: string | null;
  handling?: string | null;
  conditions?: string[];
}

export interface NetworkResponse {
  nodes: EntitySummary[];
  links: LinkRow[];
  truncated?: boolean;
  message?: string | null;
  reports?: ReportRow[] | Record<string, ReportRow>;
}

export interface PathHop {
  src: string;
  dst: string;
  links: LinkRow[];
  weight?: number;
  reports?: ReportRow[];
}

export interface PathRow {
  nodes: EntitySummary[];
  hops: PathHop[];
  length: number;
}

export interface Comparison {
  comparison: string;
  level: string;
  weight: number | null;
  note?: string | null;
}

export interface Explanation {
  record_type: string;
  record_a: string;
  record_b: string;
  comparisons: Comparison[];
  prior_weight?: number;
  total: number | null;
  probability: number;
  cannot_link?: string | null;
  same_entity?: boolean;
  decision?: string;
}

export interface ReviewItem {
  pair_id: string;
  record_a: string;
  record_b: string;
  entity_type: string;
  probability: number;
  weight?: number;
  levels?: Record<string, string>;
}

export interface Judgement {
  judgement_id: string;
  record_a: string;
  record_b: string;
  decision: "same" | "not-same";
  by: string;
  reason: string;
  at: string;
  undone?: boolean;
  undone_by?: string | null;
  undone_at?: string | null;
}

export interface VenueLink {
  venue: EntitySummary;
  score: number;
  via: (EntitySummary & { strength?: number })[];
  report_ids: string[];
  site: string[];
  hops: number;
  last_seen?: string | null;
}

export interface VenueRow {
  venue: EntitySummary;
  score: number;
  linked: VenueLink[];
  site: string[];
  venue_types: string[];
  forces: string[];
}

// Networks, scans and dispatches are read loosely: their producers are young.
export type Loose = Record<string, unknown>;
