// The clientId concurrency rule (notes rule 23): per user, the newest clientId to open a stream
// wins, and the previous one is refused (3201) for concurrentStreamBlockSec.

export type StreamClaims = ReturnType<typeof createStreamClaims>;

export function createStreamClaims(options: {
  now: () => Date;
  blockSec: number;
  concurrentStream: () => Error;
}) {
  const active = new Map<string, string>();
  const blocked = new Map<string, number>(); // `${userId}\n${clientId}` → blocked until (ms)
  const blockKey = (userId: string, clientId: string) => `${userId}\n${clientId}`;
  const isBlocked = (userId: string, clientId: string): boolean =>
    (blocked.get(blockKey(userId, clientId)) ?? 0) > options.now().getTime();
  return {
    isBlocked,
    /** A manifest/progressive request: the newest clientId wins, the previous one is blocked. */
    claim(userId: string, clientId: string | null): void {
      if (!clientId) return;
      if (isBlocked(userId, clientId)) throw options.concurrentStream();
      const previous = active.get(userId);
      if (previous !== undefined && previous !== clientId) {
        blocked.set(blockKey(userId, previous), options.now().getTime() + options.blockSec * 1000);
      }
      blocked.delete(blockKey(userId, clientId));
      active.set(userId, clientId);
    },
    activeClient: (userId: string) => active.get(userId),
  };
}
