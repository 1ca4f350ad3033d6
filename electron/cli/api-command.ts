// `septet api <operationId> [name=value …] [name:=json …] [--body FILE|-]`: any operation, signed.
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { operationSpecs, type CallOptions, type OperationSpec, type QueryValue } from '../core/api/client.js';
import { parseFormPairs } from '../core/api/oauth.js';
import {
  createCliContext,
  exitCodes,
  globalHelp,
  parseCommandArgs,
  printJson,
  readAllText,
  usageError,
  type CliIo,
} from './cli-context.js';

export const apiHelp = `Usage: septet api <operationId> [name=value …] [name:=json …] [--body FILE|-] [--out FILE]
       septet api --list

Calls one of the 46 Streaming Platform operations (plus the playlist extensions), signed, and
prints the JSON (or XML, or HLS playlist) response. Exit code 1 and the service error on failure,
2 on invalid arguments.

  name=value      a path parameter, a query parameter, or (POST/PUT) a body field (string)
  name:=json      a body field given as JSON (numbers, booleans, arrays), e.g. trackIds:='["1","2"]'
  userId=ID       on 3-legged operations: act for this managed user (signed 2-legged + userId)
  --body FILE|-   request body from a file or stdin: JSON, or name=value&… for form operations
  --out FILE      where to write audio/zip responses (required for those unless stdout is a pipe)
  --include       print the HTTP status and rate-limit headers to stderr
  --list          list the operations with method, path and auth

Examples:
  septet api searchTracks q=love pageSize=5
  septet api getUserLocker userId=demo-listener
  septet api createPlaylist userId=demo-listener name="Morning Run" visibility=private
  septet api transferMedia trackId=1000001 format=mp3 bitrate=320 --out track.mp3

${globalHelp}`;

const options = {
  body: { type: 'string' },
  out: { type: 'string' },
  include: { type: 'boolean' },
  list: { type: 'boolean' },
} as const;

function closest(name: string): string[] {
  const lower = name.toLowerCase();
  return [...operationSpecs.keys()]
    .filter((id) => id.toLowerCase().includes(lower) || lower.includes(id.toLowerCase()))
    .slice(0, 5);
}

function listOperations(io: CliIo): void {
  for (const op of operationSpecs.values()) {
    io.stdout.write(`${op.operationId.padEnd(44)} ${op.method.padEnd(6)} ${op.path.padEnd(58)} ${op.auth}\n`);
  }
}

type Assignment = { name: string; value: string; json: boolean };

function parseAssignment(text: string): Assignment {
  const m = /^([A-Za-z_][\w.-]*)(:?=)([\s\S]*)$/.exec(text);
  if (!m) throw usageError(`Expected name=value or name:=json, got "${text}"`);
  return { name: m[1] as string, json: m[2] === ':=', value: m[3] as string };
}

function jsonValue(assignment: Assignment): unknown {
  if (!assignment.json) return assignment.value;
  try {
    return JSON.parse(assignment.value) as unknown;
  } catch {
    throw usageError(`${assignment.name}:= needs valid JSON, got ${assignment.value}`);
  }
}

/** Splits name=value arguments into path, query and body according to the operation. */
export function buildCall(
  op: OperationSpec,
  assignments: Assignment[],
  bodyText: string | undefined,
): CallOptions {
  const pathNames = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const queryNames = new Set(op.query.map((q) => q.name));
  const path: Record<string, string> = {};
  const query: Record<string, QueryValue> = {};
  const bodyFields: Record<string, unknown> = {};
  const call: CallOptions = { path, query };

  for (const a of assignments) {
    if (a.name === 'userId') call.userId = a.value;
    if (pathNames.includes(a.name)) {
      if (a.json) throw usageError(`${a.name} is a path parameter: use ${a.name}=value`);
      path[a.name] = a.value;
    } else if (queryNames.has(a.name)) {
      query[a.name] = String(jsonValue(a));
    } else if (op.body !== null) {
      if (a.name === 'userId' && op.auth === 'threeLegged' && op.body === 'application/json') continue;
      bodyFields[a.name] = jsonValue(a);
    } else if (a.name !== 'userId') {
      // Parameters the spec does not list (country, clientId, formatId…) travel in the query.
      query[a.name] = String(jsonValue(a));
    }
  }

  if (op.body === null) {
    if (bodyText !== undefined) throw usageError(`${op.operationId} takes no request body`);
    return call;
  }
  let body: unknown = bodyFields;
  if (bodyText !== undefined) {
    const trimmed = bodyText.trim();
    if (op.body === 'application/json' || trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        body = JSON.parse(trimmed) as unknown;
      } catch (error) {
        throw usageError(`--body is not valid JSON: ${(error as Error).message}`);
      }
    } else {
      body = Object.fromEntries(parseFormPairs(trimmed));
    }
    if (Object.keys(bodyFields).length > 0) {
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw usageError('name=value body fields can only be merged into a JSON object body');
      }
      body = { ...(body as Record<string, unknown>), ...bodyFields };
    }
  }
  if (op.body === 'application/x-www-form-urlencoded') {
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object') throw usageError(`Form field ${k} must be a scalar`);
      flat[k] = String(v);
    }
    body = flat;
  }
  call.body = body;
  return call;
}

function isStreaming(op: OperationSpec): boolean {
  return op.okContent.length > 0 && op.okContent.every((t) => /^(audio|video)\/|^application\/zip/.test(t));
}

export async function runApiCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, options, true);
  if (values.help) {
    io.stdout.write(`${apiHelp}\n`);
    return exitCodes.ok;
  }
  if (values.list) {
    listOperations(io);
    return exitCodes.ok;
  }
  const [operationId, ...rest] = positionals;
  if (!operationId) throw usageError('Missing <operationId> (septet api --list shows them)');
  const op = operationSpecs.get(operationId);
  if (!op) {
    const hints = closest(operationId);
    throw usageError(
      `Unknown operation "${operationId}"${hints.length ? ` (did you mean ${hints.join(', ')}?)` : ''}`,
    );
  }
  const assignments = rest.map(parseAssignment);
  let bodyText: string | undefined;
  if (values.body !== undefined) {
    bodyText =
      values.body === '-'
        ? await readAllText(io.stdin)
        : await readFile(values.body, 'utf8').catch((error: Error) => {
            throw usageError(`Cannot read --body ${values.body}: ${error.message}`);
          });
  }
  const call = buildCall(op, assignments, bodyText);
  if (isStreaming(op) && !values.out && io.stdout.isTTY) {
    throw usageError(`${operationId} returns ${op.okContent.join('/')}: give --out FILE (or pipe stdout)`);
  }

  const { api } = await createCliContext(values, io);
  if (isStreaming(op)) {
    const response = await api.fetchSigned(operationId, call);
    if (values.include)
      io.stderr.write(`HTTP ${response.status} ${response.headers.get('content-type') ?? ''}\n`);
    const source = response.body
      ? Readable.fromWeb(response.body as unknown as WebReadableStream)
      : Readable.from([]);
    await pipeline(source, values.out ? createWriteStream(values.out) : io.stdout);
    if (values.out) io.stderr.write(`wrote ${values.out}\n`);
    return exitCodes.ok;
  }
  const result = await api.callWithResponse(operationId, call);
  if (values.include) {
    io.stderr.write(`HTTP ${result.status}\n`);
    for (const name of ['content-type', 'x-ratelimit-limit', 'x-ratelimit-current', 'x-ratelimit-reset']) {
      const value = result.headers.get(name);
      if (value !== null) io.stderr.write(`${name}: ${value}\n`);
    }
  }
  if (typeof result.body === 'string' || op.okContent.includes('application/xml')) {
    io.stdout.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
  } else if (result.body === undefined) {
    io.stdout.write(`${JSON.stringify({ status: result.status })}\n`);
  } else {
    printJson(io, result.body);
  }
  return exitCodes.ok;
}
