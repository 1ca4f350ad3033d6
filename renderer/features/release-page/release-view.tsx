import { useEffect, type ReactElement } from 'react';
import type { PlayContext, ReleaseView as Release, TrackView } from '../../../shared/ipc/contract.js';
import { Artwork } from '../../components/artwork.js';
import { countOf, formatTime, releaseTypeLabel, releaseYear } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { ErrorState, Loading } from '../../components/states.js';
import { contextMenuOnRows } from '../../components/list-reorder.js';
import { TrackRow, trackTitle } from '../../components/track-row.js';
import { useCatalogueActions, useRelease, useReleaseTracks } from '../../stores/catalogue.js';
import { useDownload, useIsBuying, useLibraryActions } from '../../stores/library.js';
import { usePlayerActions } from '../../stores/player.js';
import { useSubscription } from '../../stores/session.js';
import { useUiActions } from '../../stores/ui.js';
import { DownloadProgress } from '../locker/download-progress.js';
import { DownloadTrackButton } from '../locker/download-track-button.js';
import { MakeAvailableOffline } from '../offline/make-available-offline.js';

export function ReleaseView({ releaseId }: { releaseId: string }): ReactElement {
  const catalogue = useCatalogueActions();
  const release = useRelease();
  const tracks = useReleaseTracks();
  const subscription = useSubscription();
  useEffect(() => {
    void catalogue.openRelease(releaseId);
  }, [releaseId, catalogue]);

  if (release.status === 'error')
    return <ErrorState message={release.message} onRetry={() => void catalogue.openRelease(releaseId)} />;
  if (release.status !== 'ready') return <Loading />;
  const r = release.data;
  const list = tracks.status === 'ready' ? tracks.data : [];
  const owned = r.owned === true;
  // With a subscription, play as a subscription stream (it can come from the offline cache);
  // purchases stream from the locker for listeners without one.
  const noSubscription = subscription === 'none' || subscription === 'expired';
  const context: PlayContext = owned && noSubscription ? 'locker' : 'subscription';

  return (
    <section className="view" aria-labelledby="release-title">
      <ReleaseHeader release={r} tracks={list} context={context} noSubscription={noSubscription} />
      {tracks.status === 'error' ? (
        <ErrorState message={tracks.message} onRetry={() => void catalogue.openRelease(releaseId)} />
      ) : tracks.status !== 'ready' ? (
        <Loading />
      ) : (
        <ReleaseTracks release={r} tracks={list} context={context} />
      )}
    </section>
  );
}

type ReleaseProps = { release: Release; tracks: TrackView[]; context: PlayContext };

function ReleaseHeader(props: ReleaseProps & { noSubscription: boolean }): ReactElement {
  const { release: r, tracks: list } = props;
  const ui = useUiActions();
  const releaseDownload = useDownload('release', r.id);
  const total = list.reduce((sum, t) => sum + (t.durationSec ?? 0), 0);
  return (
    <header className="hero">
      <Artwork src={r.image} title={r.title} size={200} />
      <div className="hero-text">
        <p className="eyebrow">{releaseTypeLabel(r.type) || 'Release'}</p>
        <h1 id="release-title">{r.title}</h1>
        <p className="hero-sub">
          <button
            type="button"
            className="link"
            onClick={() => ui.navigate({ name: 'artist', artistId: r.artist.id })}
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
        <ReleaseActions {...props} />
        {r.owned === true ? <p className="owned-note">In your locker</p> : null}
        {releaseDownload ? <DownloadProgress download={releaseDownload} /> : null}
      </div>
    </header>
  );
}

/** Play all, queue, add to playlist, download (owned) or buy, keep offline (with a subscription). */
function ReleaseActions(props: ReleaseProps & { noSubscription: boolean }): ReactElement {
  const { release: r, tracks: list, context } = props;
  const player = usePlayerActions();
  const ui = useUiActions();
  const library = useLibraryActions();
  const catalogue = useCatalogueActions();
  const buying = useIsBuying(r.id);
  const releaseDownload = useDownload('release', r.id);
  const buy = async () => {
    if (await library.buy({ releaseId: r.id }, r.title)) catalogue.markOwned(r.id);
  };
  return (
    <div className="hero-actions">
      <button
        type="button"
        className="btn btn-primary"
        disabled={list.length === 0}
        onClick={() => void player.playTracks(list, 0, context)}
      >
        <Icon name="play" size={16} /> Play all
      </button>
      <button
        type="button"
        className="btn"
        disabled={list.length === 0}
        onClick={() => player.addToQueue(list)}
      >
        Add to queue
      </button>
      <button
        type="button"
        className="btn"
        disabled={list.length === 0}
        onClick={() => ui.openAddToPlaylist(list)}
      >
        Add to playlist
      </button>
      {r.owned === true ? (
        <button
          type="button"
          className="btn"
          disabled={releaseDownload?.state === 'running' || releaseDownload?.state === 'queued'}
          onClick={() => void library.download('release', r.id, r.title)}
        >
          <Icon name="download" size={16} /> Download release
        </button>
      ) : (
        <button type="button" className="btn" disabled={buying} onClick={() => void buy()}>
          <Icon name="cart" size={16} /> {buying ? 'Buying…' : 'Buy release'}
        </button>
      )}
      {props.noSubscription ? null : <MakeAvailableOffline target={{ releaseId: r.id }} />}
    </div>
  );
}

function ReleaseTracks({ release: r, tracks: list, context }: ReleaseProps): ReactElement {
  const player = usePlayerActions();
  const ui = useUiActions();
  const menu = contextMenuOnRows(list, (track, _i, at) =>
    ui.openContextMenu({ kind: 'track', track, context }, at),
  );
  return (
    <div role="list" aria-label="Tracks" className="static-list" {...menu}>
      {list.map((t, i) => (
        <div role="listitem" key={`${t.id}-${i}`} data-index={i} className="static-row">
          <TrackRow
            track={t}
            number={t.trackNumber ?? i + 1}
            showArtist={t.artist.id !== r.artist.id}
            onPlay={() => void player.playTracks(list, i, context)}
          >
            {r.owned === true ? <DownloadTrackButton track={t} withTooltip /> : <BuyTrackButton track={t} />}
          </TrackRow>
        </div>
      ))}
    </div>
  );
}

function BuyTrackButton({ track: t }: { track: TrackView }): ReactElement {
  const library = useLibraryActions();
  return (
    <button
      type="button"
      className="icon-btn"
      aria-label={`Buy ${trackTitle(t)}`}
      title="Buy track"
      onClick={() => void library.buy({ trackId: t.id }, t.title)}
    >
      <Icon name="cart" size={18} />
    </button>
  );
}
