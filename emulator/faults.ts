// Test-only fault injection (issue 2 "Test API"): per path pattern, added latency, an error
// status, a dropped connection or a truncated body, optionally for a number of requests only.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';

export const FaultInput = z.object({
  pathPattern: z.string().min(1).max(500),
  kind: z.enum(['latency', 'status', 'drop', 'truncate']),
  status: z.number().int().min(400).max(599).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  times: z.number().int().min(1).optional(),
});
export type FaultInput = z.infer<typeof FaultInput>;

export type Fault = FaultInput & { id: string; matches: (path: string) => boolean; remaining: number | null };

/** `*` matches any run of characters (including `/`); `/…/` is a regular expression. */
function compilePattern(pattern: string): (path: string) => boolean {
  if (
    pattern.length > 2 &&
    pattern.startsWith('/') &&
    pattern.endsWith('/') &&
    /[\\^$|()[\]+?]/.test(pattern.slice(1, -1))
  ) {
    const re = new RegExp(pattern.slice(1, -1));
    return (path) => re.test(path);
  }
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${source}$`);
  return (path) => re.test(path);
}

export function createFaults() {
  const faults: Fault[] = [];
  return {
    add(input: FaultInput): string {
      const fault: Fault = {
        ...input,
        id: randomUUID(),
        matches: compilePattern(input.pathPattern),
        remaining: input.times ?? null,
      };
      faults.push(fault);
      return fault.id;
    },
    clear(): number {
      return faults.splice(0, faults.length).length;
    },
    remove(id: string): boolean {
      const index = faults.findIndex((f) => f.id === id);
      if (index < 0) return false;
      faults.splice(index, 1);
      return true;
    },
    list(): Omit<Fault, 'matches'>[] {
      return faults.map(({ matches: _m, ...rest }) => rest);
    },
    /** Faults that apply to this request (consuming one use of each). */
    take(path: string): Fault[] {
      if (faults.length === 0) return [];
      const hits = faults.filter((f) => f.matches(path));
      for (const f of hits) {
        if (f.remaining === null) continue;
        f.remaining -= 1;
        if (f.remaining <= 0) faults.splice(faults.indexOf(f), 1);
      }
      return hits;
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;

/** Lets the response send its headers and about half of its body, then cuts the connection. */
export function truncateResponse(res: ServerResponse): void {
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  let sent = 0;
  let limit: number | null = null;
  let cut = false;
  const toBuffer = (chunk: unknown): Buffer =>
    Buffer.isBuffer(chunk)
      ? chunk
      : chunk instanceof Uint8Array
        ? Buffer.from(chunk)
        : Buffer.from(String(chunk));
  const destroySoon = () => setImmediate(() => res.socket?.destroy());
  const patched = res as unknown as {
    write: (chunk: unknown, ...rest: unknown[]) => boolean;
    end: (...args: unknown[]) => ServerResponse;
  };
  patched.write = (chunk: unknown) => {
    if (cut) return true;
    const buf = toBuffer(chunk);
    if (limit === null) {
      const length = Number(res.getHeader('content-length'));
      limit = Number.isFinite(length) && length > 1 ? Math.floor(length / 2) : 16;
    }
    if (sent + buf.length >= limit) {
      write(buf.subarray(0, limit - sent));
      sent = limit;
      cut = true;
      destroySoon();
      return true;
    }
    sent += buf.length;
    return write(buf);
  };
  patched.end = (...args: unknown[]) => {
    const [chunk] = args;
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') patched.write(chunk);
    if (!cut) {
      if (!res.headersSent) res.flushHeaders();
      cut = true;
      destroySoon();
    }
    return res;
  };
}
