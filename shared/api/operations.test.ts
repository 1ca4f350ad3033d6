import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { getOperation, operations } from './operations.js';

describe('operation table', () => {
  const spec = parse(readFileSync('shared/api/openapi.yml', 'utf8')) as {
    paths: Record<string, Record<string, { operationId: string; security?: Record<string, unknown>[] }>>;
  };

  it('lists every operation of the spec once, with its method and path', () => {
    const fromSpec = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => `${op.operationId} ${method.toUpperCase()} ${path}`),
    );
    const fromTable = operations.map((op) => `${op.operationId} ${op.method} ${op.path}`);
    expect(fromTable.sort()).toEqual(fromSpec.sort());
    expect(new Set(operations.map((op) => op.operationId)).size).toBe(46);
  });

  it('marks the spec’s three-legged operations as such', () => {
    expect(getOperation('streamSubscriptionTrackHls')?.auth).toBe('threeLegged');
    expect(getOperation('reportSubscriberStream')?.auth).toBe('threeLegged');
    expect(getOperation('searchTracks')?.auth).toBe('twoLegged');
    expect(getOperation('creditSalesItem')?.body).toBe('application/x-www-form-urlencoded');
  });
});
