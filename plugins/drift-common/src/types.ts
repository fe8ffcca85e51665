import type { DriftClass, DriftVerdict } from './taxonomy';

/** Counts of findings by verdict. */
export interface DriftCounts {
  pass: number;
  warn: number;
  fail: number;
}

/** A stored run without its findings: one point of the history. */
export interface DriftRunSummary {
  id: string;
  source: string;
  environment: string;
  /** Canonical tenant ref, when the run belongs to a tenant. */
  tenant?: string;
  /** Canonical ref of the entity whose Drift tab shows the run. */
  entity: string;
  /** `json` for POST /runs, `terraform` for POST /runs/terraform. */
  format: 'json' | 'terraform';
  /** Version of the tool that produced the document (e.g. Terraform's), when known. */
  toolVersion?: string;
  observedAt: string;
  receivedAt: string;
  /** The worst verdict of the findings; PASS when nothing differs. */
  verdict: DriftVerdict;
  counts: DriftCounts;
  /** Providers the run checked (those without findings count as PASS). */
  providers: string[];
  runUrl?: string;
  /** Who posted it: a user ref or the CI token's subject. */
  submittedBy: string;
}

/** A runbook that explains how to handle drift of a resource type. */
export interface DriftRunbookLink {
  /** Canonical ref of the runbook Resource, e.g. `resource:default/drift-review`. */
  ref: string;
  title?: string;
}

/** One stored declared-versus-observed comparison. */
export interface DriftFinding {
  runId: string;
  provider: string;
  resource: string;
  resourceType?: string;
  class: DriftClass;
  verdict: DriftVerdict;
  declared?: unknown;
  observed?: unknown;
  message?: string;
}

/** A finding of a current run, with where it comes from and its runbook. */
export interface DriftCurrentFinding extends DriftFinding {
  environment: string;
  source: string;
  entity: string;
  tenant?: string;
  observedAt: string;
  runbook?: DriftRunbookLink;
}

/** Who the answer is written for: operators see everything, tenants their own tenants. */
export type DriftAudience = 'platform' | 'tenant';

/** The current state: the newest run of each entity/environment/source and its findings. */
export interface DriftCurrent {
  audience: DriftAudience;
  verdict: DriftVerdict;
  runs: DriftRunSummary[];
  findings: DriftCurrentFinding[];
  /** Worst current verdict per provider. */
  providers: Array<{ provider: string; verdict: DriftVerdict }>;
  /** The general drift runbook, when configured and in the catalog. */
  runbook?: DriftRunbookLink;
}

export interface DriftHistory {
  audience: DriftAudience;
  /** Oldest first. */
  items: DriftRunSummary[];
}

export interface DriftRunDetail {
  run: DriftRunSummary;
  findings: DriftFinding[];
}

/** One cell of the overview heat map. */
export interface DriftOverviewCell {
  verdict: DriftVerdict;
  counts: DriftCounts;
  observedAt: string;
}

/** One row of the overview: a tenant, or a platform entity for runs without a tenant. */
export interface DriftOverviewRow {
  /** The tenant ref, or the entity ref for platform runs. */
  subject: string;
  kind: 'tenant' | 'platform';
  verdict: DriftVerdict;
  /** Newest observation of a current FAIL in this row. */
  lastFailAt?: string;
  lastObservedAt: string;
  cells: Record<string, DriftOverviewCell>;
}

export interface DriftOverview {
  audience: DriftAudience;
  providers: string[];
  /** FAIL rows first (newest FAIL first), then WARN, then PASS. */
  rows: DriftOverviewRow[];
}

/** What `POST /runs` and `POST /runs/terraform` answer. */
export interface DriftRunReceipt {
  run: DriftRunSummary;
  /** Signals the run raised, and whether they were sent, held for quiet hours or suppressed. */
  signals: DriftSignalOutcome[];
}

export type DriftSignalKind = 'new-fail' | 'persisting-warn';

export interface DriftSignalOutcome {
  kind: DriftSignalKind;
  provider: string;
  resource: string;
  /** `queued`: delivered now or at the end of quiet hours; `suppressed`: inside a maintenance window. */
  status: 'queued' | 'suppressed';
  /** When the notification is due (the end of quiet hours when held). */
  dueAt?: string;
  reason?: string;
}
