// Another device of the account took the subscription stream (service code 3201): the renderer
// is told once, with the words it shows.
import type { AppEventBus } from '../../../shared/ipc/handlers.js';

export const takeoverMessage =
  'Your subscription is playing on another device, so playback stopped here. Take it back to keep listening.';

export function announceStreamTakenOver(events: AppEventBus, trackId: string | undefined): void {
  events.emit('playback:streamTakenOver', {
    ...(trackId === undefined ? {} : { trackId }),
    message: takeoverMessage,
  });
}
