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
  /** false while a radio station plays: no seek and no previous track from the OS controls. */
  setInteractive(interactive: boolean): void;
};

export function createMediaSession(
  handlers: MediaSessionHandlers,
  nav: Navigator = navigator,
): MediaSessionService {
  const session = 'mediaSession' in nav ? nav.mediaSession : null;
  const set = (action: MediaSessionAction, handler: MediaSessionActionHandler | null) => {
    try {
      session?.setActionHandler(action, handler);
    } catch {
      // Browsers throw for actions they do not support; those simply stay unavailable.
    }
  };
  /** The actions that move the playhead or go back: offered only outside radio. */
  const interactive: [MediaSessionAction, MediaSessionActionHandler][] = [
    ['previoustrack', () => handlers.previous()],
    [
      'seekto',
      (d) => {
        if (d.seekTime !== undefined) handlers.seekTo(d.seekTime);
      },
    ],
    ['seekforward', (d) => handlers.seekBy(d.seekOffset ?? 10)],
    ['seekbackward', (d) => handlers.seekBy(-(d.seekOffset ?? 10))],
  ];
  set('play', () => handlers.play());
  set('pause', () => handlers.pause());
  set('nexttrack', () => handlers.next());
  set('stop', () => handlers.stop());
  for (const [action, handler] of interactive) set(action, handler);
  return {
    setInteractive(on) {
      for (const [action, handler] of interactive) set(action, on ? handler : null);
    },
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
