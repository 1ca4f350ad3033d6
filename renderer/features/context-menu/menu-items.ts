// What a context menu offers for a track, a release or an artist. A pure function of the target
// and the actions it may call, so the entries are tested without rendering.
import type { ArtistRef, PlayContext, ReleaseView, TrackView } from '../../../shared/ipc/contract.js';
import type { MenuTarget, Route } from '../../stores/ui.js';

export type MenuItem = { label: string; run: () => void | Promise<void> };

/** The store actions the menu entries call (each one a store action the component passes in). */
export type MenuActions = {
  playTracks(tracks: TrackView[], context?: PlayContext): Promise<void>;
  playNext(tracks: TrackView[]): void;
  addToQueue(tracks: TrackView[]): void;
  removeFromQueue(uid: string): void;
  openAddToPlaylist(tracks: TrackView[]): void;
  removeFromPlaylist(playlistId: string, playlistTrackId: string): Promise<void>;
  toggleLiked(track: TrackView): Promise<void>;
  isLiked(trackId: string): boolean;
  startArtistRadio(artist: ArtistRef): Promise<void>;
  navigate(route: Route): void;
  tracksOfRelease(releaseId: string): Promise<TrackView[]>;
  resolveTrack(track: TrackView): Promise<TrackView>;
};

/** An artist known only by name (a playlist entry) has no page until the track is resolved. */
const knownArtist = (artist: ArtistRef): boolean => !artist.id.startsWith('name:') && artist.id !== 'unknown';

export function menuTitle(target: MenuTarget): string {
  if (target.kind === 'track') return target.track.title;
  if (target.kind === 'release') return target.release.title;
  return target.artist.name;
}

export function menuItems(target: MenuTarget, actions: MenuActions): MenuItem[] {
  if (target.kind === 'track') return trackItems(target, actions);
  if (target.kind === 'release') return releaseItems(target.release, actions, target.context);
  return artistItems(target.artist, actions);
}

function trackItems(target: Extract<MenuTarget, { kind: 'track' }>, a: MenuActions): MenuItem[] {
  const { track } = target;
  const items: MenuItem[] = [
    { label: 'Play', run: () => a.playTracks([track], target.context) },
    { label: 'Play next', run: () => a.playNext([track]) },
    { label: 'Add to queue', run: () => a.addToQueue([track]) },
    { label: 'Add to playlist…', run: () => a.openAddToPlaylist([track]) },
    {
      label: a.isLiked(track.id) ? 'Remove from Liked songs' : 'Add to Liked songs',
      run: () => a.toggleLiked(track),
    },
  ];
  if (target.queueUid) {
    const uid = target.queueUid;
    items.push({ label: 'Remove from queue', run: () => a.removeFromQueue(uid) });
  }
  if (target.playlist) {
    const { playlistId, playlistTrackId, name } = target.playlist;
    items.push({
      label: `Remove from “${name}”`,
      run: () => a.removeFromPlaylist(playlistId, playlistTrackId),
    });
  }
  items.push(
    {
      label: 'Go to artist',
      run: async () => {
        const full = knownArtist(track.artist) ? track : await a.resolveTrack(track);
        if (knownArtist(full.artist)) a.navigate({ name: 'artist', artistId: full.artist.id });
      },
    },
    {
      label: 'Go to release',
      run: async () => {
        const full = track.release ? track : await a.resolveTrack(track);
        if (full.release) a.navigate({ name: 'release', releaseId: full.release.id });
      },
    },
    {
      label: 'Start artist radio',
      run: async () => {
        const full = knownArtist(track.artist) ? track : await a.resolveTrack(track);
        if (knownArtist(full.artist)) await a.startArtistRadio(full.artist);
      },
    },
  );
  return items;
}

function releaseItems(release: ReleaseView, a: MenuActions, context?: PlayContext): MenuItem[] {
  const withTracks = (run: (tracks: TrackView[]) => void | Promise<void>) => async () => {
    const tracks = await a.tracksOfRelease(release.id);
    if (tracks.length > 0) await run(tracks);
  };
  return [
    { label: 'Play', run: withTracks((tracks) => a.playTracks(tracks, context)) },
    { label: 'Play next', run: withTracks((tracks) => a.playNext(tracks)) },
    { label: 'Add to queue', run: withTracks((tracks) => a.addToQueue(tracks)) },
    { label: 'Add to playlist…', run: withTracks((tracks) => a.openAddToPlaylist(tracks)) },
    { label: 'Go to release', run: () => a.navigate({ name: 'release', releaseId: release.id }) },
    { label: 'Go to artist', run: () => a.navigate({ name: 'artist', artistId: release.artist.id }) },
  ];
}

function artistItems(artist: ArtistRef, a: MenuActions): MenuItem[] {
  return [
    { label: 'Go to artist', run: () => a.navigate({ name: 'artist', artistId: artist.id }) },
    { label: 'Start artist radio', run: () => a.startArtistRadio(artist) },
  ];
}
