import { useEffect, type ReactElement } from 'react';
import { useSlice, useStores } from '../../app/stores-context.js';
import { Artwork } from '../../components/artwork.js';
import { countOf, formatTime, releaseTypeLabel, releaseYear } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { ErrorState, Loading } from '../../components/states.js';
import { TrackRow, trackTitle } from '../../components/track-row.js';
import { downloadFor } from '../../stores/library.js';
import { DownloadProgress } from '../locker/download-progress.js';
import { MakeAvailableOffline } from '../offline/make-available-offline.js';

export function ReleaseView({ releaseId }: { releaseId: string }): ReactElement {
  const stores = useStores();
  const release = useSlice(
    (s) => s.catalogue,
    (s) => s.release,
  );
  const tracks = useSlice(
    (s) => s.catalogue,
    (s) => s.releaseTracks,
  );
  const buying = useSlice(
    (s) => s.library,
    (s) => s.buying[releaseId] === true,
  );
  const downloads = useSlice(
    (s) => s.library,
    (s) => s.downloads,
  );
  const subscription = useSlice(
    (s) => s.session,
    (s) => (s.session?.state === 'signedIn' ? s.session.subscription : 'none'),
  );
  useEffect(() => {
    void stores.catalogue.getState().openRelease(releaseId);
  }, [releaseId, stores]);

  if (release.status === 'error')
    return (
      <ErrorState
        message={release.message}
        onRetry={() => void stores.catalogue.getState().openRelease(releaseId)}
      />
    );
  if (release.status !== 'ready') return <Loading />;
  const r = release.data;
  const list = tracks.status === 'ready' ? tracks.data : [];
  const total = list.reduce((sum, t) => sum + (t.durationSec ?? 0), 0);
  const owned = r.owned === true;
  // With a subscription, play as a subscription stream (it can come from the offline cache);
  // purchases stream from the locker for listeners without one.
  const noSubscription = subscription === 'none' || subscription === 'expired';
  const context = owned && noSubscription ? 'locker' : 'subscription';
  const releaseDownload = downloadFor(downloads, 'release', r.id);

  const buy = async () => {
    if (await stores.library.getState().buy({ releaseId: r.id }, r.title))
      stores.catalogue.getState().markOwned(r.id);
  };

  return (
    <section className="view" aria-labelledby="release-title">
      <header className="hero">
        <Artwork src={r.image} title={r.title} size={200} />
        <div className="hero-text">
          <p className="eyebrow">{releaseTypeLabel(r.type) || 'Release'}</p>
          <h1 id="release-title">{r.title}</h1>
          <p className="hero-sub">
            <button
              type="button"
              className="link"
              onClick={() => stores.ui.getState().navigate({ name: 'artist', artistId: r.artist.id })}
            >
              {r.artist.name}
            </button>
            {[
              releaseYear(r.releaseDate),
              r.label,
              list.length ? `${countOf(list.length, 'track')}, ${formatTime(total)}` : '',
            ]
              .filter(Boolean)
              .map((part) => (
                <span key={part}> · {part}</span>
              ))}
          </p>
          <div className="hero-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={list.length === 0}
              onClick={() => void stores.player.getState().playTracks(list, 0, context)}
            >
              <Icon name="play" size={16} /> Play all
            </button>
            <button
              type="button"
              className="btn"
              disabled={list.length === 0}
              onClick={() => stores.player.getState().addToQueue(list)}
            >
              Add to queue
            </button>
            <button
              type="button"
              className="btn"
              disabled={list.length === 0}
              onClick={() => stores.ui.getState().openAddToPlaylist(list)}
            >
              Add to playlist
            </button>
            {owned ? (
              <button
                type="button"
                className="btn"
                disabled={releaseDownload?.state === 'running' || releaseDownload?.state === 'queued'}
                onClick={() => void stores.library.getState().download('release', r.id, r.title)}
              >
                <Icon name="download" size={16} /> Download release
              </button>
            ) : (
              <button type="button" className="btn" disabled={buying} onClick={() => void buy()}>
                <Icon name="cart" size={16} /> {buying ? 'Buying…' : 'Buy release'}
              </button>
            )}
            {noSubscription ? null : <MakeAvailableOffline target={{ releaseId: r.id }} />}
          </div>
          {owned ? <p className="owned-note">In your locker</p> : null}
          {releaseDownload ? <DownloadProgress download={releaseDownload} /> : null}
        </div>
      </header>
      {tracks.status === 'error' ? (
        <ErrorState
          message={tracks.message}
          onRetry={() => void stores.catalogue.getState().openRelease(releaseId)}
        />
      ) : tracks.status !== 'ready' ? (
        <Loading />
      ) : (
        <div role="list" aria-label="Tracks" className="static-list">
          {list.map((t, i) => {
            const d = downloadFor(downloads, 'track', t.id);
            return (
              <div role="listitem" key={`${t.id}-${i}`} className="static-row">
                <TrackRow
                  track={t}
                  number={t.trackNumber ?? i + 1}
                  showArtist={t.artist.id !== r.artist.id}
                  onPlay={() => void stores.player.getState().playTracks(list, i, context)}
                >
                  {owned ? (
                    <button
                      type="button"
                      className="icon-btn"
                      aria-label={`Download ${trackTitle(t)}`}
                      title={d?.state === 'running' ? 'Downloading…' : 'Download'}
                      disabled={d?.state === 'running' || d?.state === 'queued'}
                      onClick={() => void stores.library.getState().download('track', t.id, t.title)}
                    >
                      <Icon name={d?.state === 'done' ? 'check' : 'download'} size={18} />
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="icon-btn"
                      aria-label={`Buy ${trackTitle(t)}`}
                      title="Buy track"
                      onClick={() => void stores.library.getState().buy({ trackId: t.id }, t.title)}
                    >
                      <Icon name="cart" size={18} />
                    </button>
                  )}
                </TrackRow>
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
