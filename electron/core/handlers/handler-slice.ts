// Each <domain>-handlers.ts module returns its slice of the channel table; handler-table.ts joins them.
import type { Channel } from '../../../shared/ipc/contract.js';
import type { ChannelHandler } from '../../../shared/ipc/handlers.js';

/** The handlers of the channels named `<domain>:…`. */
export type HandlersOf<D extends string> = {
  [C in Channel as C extends `${D}:${string}` ? C : never]: ChannelHandler<C>;
};
