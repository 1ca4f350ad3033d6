// Test support: a handler table where every channel fails unless a test supplies it.
import { AppError } from '../../../shared/errors.js';
import { channels } from '../../../shared/ipc/contract.js';
import type { ChannelHandlers } from '../../../shared/ipc/handlers.js';

export function handlersWith(overrides: Partial<ChannelHandlers>): ChannelHandlers {
  const table: Record<string, unknown> = {};
  for (const channel of channels) {
    table[channel] = async () => {
      throw new AppError({ code: 'internal', message: `${channel} is not part of this test` });
    };
  }
  return { ...(table as ChannelHandlers), ...overrides };
}
