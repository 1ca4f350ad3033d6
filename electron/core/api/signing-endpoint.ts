// Reference implementation of the partner signing endpoint of remote-signer.ts (protocol v1),
// as a plain node:http handler. A partner runs this on its own server next to its consumer
// secret; Septet's tests run it on loopback.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Signer } from './oauth.js';

const RemoteSignRequest = z.object({
  version: z.literal(1),
  consumerKey: z.string(),
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'HEAD']),
  url: z.string().url(),
  params: z.array(z.tuple([z.string(), z.string()])),
  token: z.object({ key: z.string(), secret: z.string() }).nullable(),
  oauth: z.record(z.string().startsWith('oauth_'), z.string()),
  timestamp: z.number().int().positive().optional(),
});
type RemoteSignRequest = z.infer<typeof RemoteSignRequest>;

export type SigningHandlerOptions = {
  signer: Signer;
  /** The partner's policy: which clients may sign what (e.g. check a session header, allow only API hosts). */
  authorize?: (request: RemoteSignRequest, headers: IncomingMessage['headers']) => boolean;
  maxBodyBytes?: number;
};

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function createSigningHandler(
  options: SigningHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  return async (req, res) => {
    if (req.method !== 'POST') return reply(res, 405, { error: 'POST only' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBodyBytes) return reply(res, 413, { error: 'request too large' });
      chunks.push(chunk);
    }
    let request: RemoteSignRequest;
    try {
      request = RemoteSignRequest.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      return reply(res, 400, { error: 'not a signing request' });
    }
    if (request.consumerKey !== options.signer.consumerKey)
      return reply(res, 400, { error: 'unknown consumer key' });
    if (options.authorize && !options.authorize(request, req.headers))
      return reply(res, 403, { error: 'not allowed' });
    const result = await options.signer.sign({
      method: request.method,
      url: request.url,
      bodyParams: request.params,
      token: request.token,
      oauthParams: request.oauth,
      ...(request.timestamp === undefined ? {} : { timestamp: request.timestamp }),
    });
    reply(res, 200, {
      authorization: result.authorization,
      oauthParams: Object.fromEntries(result.oauthParams),
    });
  };
}
