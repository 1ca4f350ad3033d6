// The one handle() wrapper both hosts route every contract channel through: sender check, zod
// validation, `{ ok, value | error }` results, errors mapped to AppErrorData (never a stack).
import { z } from 'zod';
import { AppError, appErrorCodes, type AppErrorData } from '../../shared/errors.js';
import { channelArgs, isChannel, type Result } from '../../shared/ipc/contract.js';
import type { ChannelHandlers, HandlerContext, HostKind } from '../../shared/ipc/handlers.js';
import type { Logger } from '../core/logger.js';

/** Who sent a request, as the transport established it. */
export type Sender = { trusted: boolean; description: string };

export type Handle = (channel: unknown, arg: unknown, sender: Sender) => Promise<Result<unknown>>;

export function createHandle(options: { handlers: ChannelHandlers; host: HostKind; logger: Logger }): Handle {
  const { handlers, host, logger } = options;
  return async (channel, arg, sender) => {
    if (!sender.trusted) {
      logger.warn('rejected a request from an untrusted sender', { sender: sender.description });
      return failure({ code: 'forbidden', message: 'This sender may not call Septet.' });
    }
    if (!isChannel(channel)) {
      return failure({ code: 'invalid_input', message: `Unknown channel ${describe(channel)}.` });
    }
    const parsed = channelArgs[channel].safeParse(arg ?? {});
    if (!parsed.success) {
      return failure({
        code: 'invalid_input',
        message: `Invalid argument for ${channel}: ${issuesOf(parsed.error)}`,
      });
    }
    try {
      const handler = handlers[channel] as (arg: unknown, context: HandlerContext) => Promise<unknown>;
      const value = await handler(parsed.data, { host });
      return { ok: true, value: value === undefined ? null : value };
    } catch (error) {
      const data = toAppErrorData(error);
      if (data.code === 'internal') logger.error(`${channel} failed`, { error });
      else logger.debug(`${channel} failed`, { code: data.code, serviceCode: data.serviceCode });
      return failure(data);
    }
  };
}

/** Plain, serialisable error data: AppErrors keep their code; anything else becomes `internal`. */
export function toAppErrorData(error: unknown): AppErrorData {
  if (error instanceof AppError) return error.toData();
  if (isAppErrorData(error)) {
    const data: AppErrorData = { code: error.code, message: error.message };
    if (typeof error.serviceCode === 'number') data.serviceCode = error.serviceCode;
    if (typeof error.status === 'number') data.status = error.status;
    return data;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC')
    return { code: 'disk_full', message: 'The disk is full: free some space and try again.' };
  return { code: 'internal', message: 'Something went wrong inside Septet. The details are in the log.' };
}

function isAppErrorData(value: unknown): value is AppErrorData {
  const v = value as Partial<AppErrorData> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.message === 'string' &&
    (appErrorCodes as readonly string[]).includes(v.code as string)
  );
}

function failure(error: AppErrorData): Result<never> {
  return { ok: false, error };
}

function issuesOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(argument)'}: ${issue.message}`)
    .join('; ');
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : typeof value;
}
