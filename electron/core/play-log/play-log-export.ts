// The play log as a licensor would audit it (`septet logs export`): every play recorded in a
// period — delivered, still waiting or being sent, or rejected by the service — with every field
// sent, its delivery status and attempts, and what was measured beside it (stream id, listened
// ms, seeks, when it opened and closed). Read-only, from the database file (WAL: safe while the
// app runs). CSV (RFC 4180, cells that a spreadsheet would run as a formula are quoted as text)
// or JSON.
import { existsSync } from 'node:fs';
import { openDatabase } from '../db/open-database.js';
import { playLogMigrations, type PlayLogEndpoint, type StreamLogPayload } from './play-log-schema.js';
import type { PlayAudit } from './play-log-store.js';

export type ExportedPlay = {
  localId: string;
  endpoint: PlayLogEndpoint;
  /** delivered: the service accepted it; waiting/sending: still queued; rejected: a dead letter. */
  status: 'delivered' | 'waiting' | 'sending' | 'rejected';
  attempts: number;
  recordedAt: string;
  deliveredAt: string | null;
  /** Resent after a crash left it in flight: the service may have it twice. */
  possibleDuplicate: boolean;
  rejectedAt: string | null;
  rejectedReason: string | null;
  serviceCode: number | null;
  httpStatus: number | null;
  /** Exactly what is (or was) sent to the service. */
  sent: StreamLogPayload;
  /** Measured but not sent; null for plays recorded before schema 2. */
  audit: PlayAudit | null;
};

export type ExportPeriod = { from: Date; to: Date };

type Row = {
  local_id: string;
  endpoint: PlayLogEndpoint;
  payload: string;
  audit: string | null;
  recorded_at: number;
  attempt: number;
};

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

function base(
  row: Row,
): Pick<ExportedPlay, 'localId' | 'endpoint' | 'attempts' | 'recordedAt' | 'sent' | 'audit'> {
  return {
    localId: row.local_id,
    endpoint: row.endpoint,
    attempts: row.attempt,
    recordedAt: new Date(row.recorded_at).toISOString(),
    sent: JSON.parse(row.payload) as StreamLogPayload,
    audit: row.audit ? (JSON.parse(row.audit) as PlayAudit) : null,
  };
}

const none = {
  deliveredAt: null,
  possibleDuplicate: false,
  rejectedAt: null,
  rejectedReason: null,
  serviceCode: null,
  httpStatus: null,
};

/** Every play of the database whose time played (its `timestamp`) is in [from, to), oldest first. */
export function readPlayLogExport(path: string, period: ExportPeriod): ExportedPlay[] {
  if (!existsSync(path)) return [];
  const db = openDatabase(path, { migrations: playLogMigrations, readonly: true });
  try {
    const delivered = db.prepare('SELECT * FROM play_log_delivered').all() as (Row & {
      delivered_at: number;
      ambiguous: number;
    })[];
    const queued = db.prepare('SELECT * FROM play_log').all() as (Row & {
      state: string;
      ambiguous: number;
    })[];
    const dead = db.prepare('SELECT * FROM play_log_dead_letter').all() as (Row & {
      reason: string;
      service_code: number | null;
      status: number | null;
      dead_at: number;
    })[];
    const plays: ExportedPlay[] = [
      ...delivered.map((r) => ({
        ...base(r),
        ...none,
        status: 'delivered' as const,
        deliveredAt: iso(r.delivered_at),
        possibleDuplicate: r.ambiguous === 1,
      })),
      ...queued.map((r) => ({
        ...base(r),
        ...none,
        status: r.state === 'in_flight' ? ('sending' as const) : ('waiting' as const),
        possibleDuplicate: r.ambiguous === 1,
      })),
      ...dead.map((r) => ({
        ...base(r),
        ...none,
        status: 'rejected' as const,
        rejectedAt: iso(r.dead_at),
        rejectedReason: r.reason,
        serviceCode: r.service_code,
        httpStatus: r.status,
      })),
    ];
    const from = period.from.getTime();
    const to = period.to.getTime();
    return plays
      .filter((p) => {
        const at = Date.parse(p.sent.timestamp);
        return at >= from && at < to;
      })
      .sort((a, b) => a.sent.timestamp.localeCompare(b.sent.timestamp) || a.localId.localeCompare(b.localId));
  } finally {
    db.close();
  }
}

const sentFields = [
  'trackId',
  'releaseId',
  'userId',
  'clientId',
  'country',
  'timestamp',
  'durationPlayed',
  'playMode',
  'formatId',
  'endReason',
] as const;
const auditFields = [
  'streamId',
  'context',
  'source',
  'listenedMs',
  'seeks',
  'pauses',
  'openedAt',
  'startedAt',
  'closedAt',
  'closedBy',
  'radioSessionId',
] as const;
const playFields = [
  'localId',
  'endpoint',
  'status',
  'attempts',
  'recordedAt',
  'deliveredAt',
  'possibleDuplicate',
  'rejectedAt',
  'rejectedReason',
  'serviceCode',
  'httpStatus',
] as const;

/** The CSV header: the play's own fields, then every field sent, then the audit fields (prefixed). */
export const exportColumns = [...playFields, ...sentFields, ...auditFields.map((f) => `audit.${f}`)];

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = String(value);
  // A spreadsheet would run a cell starting like a formula: keep it text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(plays: readonly ExportedPlay[]): string {
  const lines = [exportColumns.join(',')];
  for (const p of plays) {
    const sent = p.sent as Record<string, unknown>;
    const audit = (p.audit ?? {}) as Record<string, unknown>;
    lines.push(
      [
        ...playFields.map((f) => cell(p[f])),
        ...sentFields.map((f) => cell(sent[f])),
        ...auditFields.map((f) => cell(audit[f])),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
