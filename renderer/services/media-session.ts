// OS media controls through navigator.mediaSession (metadata, playback state, actions).
export type MediaSessionHandlers = {
  play: () => void;
  pause: () => void;
  next: () => void;
  previous: () => void;
  seekTo: (seconds: number) => void;
  seekBy: (deltaSeconds: number) => void;
  stop: () => void;
};
export type NowPlayingMetadata = { title: string; artist: string; album: string; artwork?: string };

export type MediaSessionService = {
  setMetadata(meta: NowPlayingMetadata | null): void;
  setPlaying(playing: boolean): void;
  setPosition(position: number, duration: number): void;
};

export function createMediaSession(
  handlers: MediaSessionHandlers,
  nav: Navigator = navigator,
): MediaSessionService {
  const session = 'mediaSession' in nav ? nav.mediaSession : null;
  if (session) {
    const set = (action: MediaSessionAction, handler: MediaSessionActionHandler) => {
      try {
        session.setActionHandler(action, handler);
      } catch {
        // Browsers throw for actions they do not support; those simply stay unavailable.
      }
    };
    set('play', () => handlers.play());
    set('pause', () => handlers.pause());
    set('nexttrack', () => handlers.next());
    set('previoustrack', () => handlers.previous());
    set('stop', () => handlers.stop());
    set('seekto', (d) => {
      if (d.seekTime !== undefined) handlers.seekTo(d.seekTime);
    });
    set('seekforward', (d) => handlers.seekBy(d.seekOffset ?? 10));
    set('seekbackward', (d) => handlers.seekBy(-(d.seekOffset ?? 10)));
  }
  return {
    setMetadata(meta) {
      if (!session) return;
      session.metadata = meta
        ? new MediaMetadata({
            title: meta.title,
            artist: meta.artist,
            album: meta.album,
            artwork: meta.artwork ? [{ src: meta.artwork, sizes: '350x350' }] : [],
          })
        : null;
    },
    setPlaying(playing) {
      if (session) session.playbackState = playing ? 'playing' : 'paused';
    },
    setPosition(position, duration) {
      if (!session || !('setPositionState' in session) || !(duration > 0)) return;
      try {
        session.setPositionState({ duration, position: Math.min(position, duration), playbackRate: 1 });
      } catch {
        // An inconsistent position (e.g. during a source change) is ignored; the next update fixes it.
      }
    },
  };
}
