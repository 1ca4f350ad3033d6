// The clientId concurrency rule (notes rule 23, as issue 13 settled it): per user, the newest
// stream *request* wins at once — a manifest, or a progressive request from the first byte. The
// device it displaces is refused (3201) on its continuing requests (segments, keys, progressive
// Range requests further in) until it requests a stream again, which makes it the winner.

export type StreamClaims = ReturnType<typeof createStreamClaims>;

export function createStreamClaims() {
  const active = new Map<string, string>(); // userId → the clientId holding the stream
  return {
    /** True for a device another device displaced: its continuing requests get 3201. */
    isDisplaced(userId: string, clientId: string): boolean {
      const holder = active.get(userId);
      return holder !== undefined && holder !== clientId;
    },
    /** A new stream request: this clientId holds the user's stream from now on. */
    claim(userId: string, clientId: string | null): void {
      if (clientId) active.set(userId, clientId);
    },
    activeClient: (userId: string) => active.get(userId),
  };
}
