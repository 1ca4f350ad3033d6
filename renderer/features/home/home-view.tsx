// Home: continue listening, recently played (the listener's own play log) and new releases of
// the artists they play. Every card and row opens a context menu too.
import { useEffect, type ReactElement } from 'react';
import type { ContinueListeningView, HomeView as Home, ReleaseView } from '../../../shared/ipc/contract.js';
import { Artwork } from '../../components/artwork.js';
import { contextMenuOnRows } from '../../components/list-reorder.js';
import { releaseTypeLabel, releaseYear } from '../../components/format.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { TrackRow, trackTitle } from '../../components/track-row.js';
import { useHome, useHomeActions } from '../../stores/home.js';
import { usePlayerActions } from '../../stores/player.js';
import { useUiActions } from '../../stores/ui.js';

export function HomeView(): ReactElement {
  const homeActions = useHomeActions();
  const home = useHome();
  useEffect(() => {
    void homeActions.load();
  }, [homeActions]);
  return (
    <section className="view" aria-labelledby="home-title">
      <header className="view-header">
        <h1 id="home-title">Home</h1>
      </header>
      {home.status === 'error' ? (
        <ErrorState message={home.message} onRetry={() => void homeActions.load()} />
      ) : home.status !== 'ready' ? (
        <Loading />
      ) : (
        <HomeSections home={home.data} />
      )}
    </section>
  );
}

function HomeSections({ home }: { home: Home }): ReactElement {
  const nothingYet = home.recentlyPlayed.length === 0 && home.newReleases.length === 0;
  if (nothingYet)
    return (
      <Empty title="Play something to fill your Home">
        What you play shows up here, with releases to continue and new releases from your artists.
      </Empty>
    );
  return (
    <>
      {home.continueListening.length > 0 ? <ContinueListening items={home.continueListening} /> : null}
      {home.recentlyPlayed.length > 0 ? <RecentlyPlayed tracks={home.recentlyPlayed} /> : null}
      {home.newReleases.length > 0 ? <NewReleases releases={home.newReleases} /> : null}
    </>
  );
}

function ContinueListening({ items }: { items: ContinueListeningView[] }): ReactElement {
  const home = useHomeActions();
  const ui = useUiActions();
  const menu = contextMenuOnRows(items, (item, _i, at) =>
    ui.openContextMenu({ kind: 'release', release: item.release }, at),
  );
  return (
    <section className="home-section" aria-labelledby="continue-title">
      <h2 id="continue-title">Continue listening</h2>
      <ul className="grid grid-compact" aria-label="Continue listening" {...menu}>
        {items.map((item, index) => (
          <li key={item.release.id} data-index={index}>
            <button
              type="button"
              className="card"
              aria-label={`Continue ${item.release.title} from ${trackTitle(item.track)}`}
              onClick={() => void home.continueRelease(item)}
            >
              <Artwork src={item.release.image} title={item.release.title} size={136} />
              <span className="card-title">{item.release.title}</span>
              <span className="card-sub">
                <Icon name="play" size={12} /> {trackTitle(item.track)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function RecentlyPlayed({ tracks }: { tracks: Home['recentlyPlayed'] }): ReactElement {
  const player = usePlayerActions();
  const ui = useUiActions();
  const menu = contextMenuOnRows(tracks, (track, _i, at) => ui.openContextMenu({ kind: 'track', track }, at));
  return (
    <section className="home-section" aria-labelledby="recent-title">
      <h2 id="recent-title">Recently played</h2>
      <div role="list" aria-label="Recently played" className="static-list" {...menu}>
        {tracks.map((track, index) => (
          <div role="listitem" key={track.id} data-index={index} className="static-row">
            <TrackRow track={track} showArtwork onPlay={() => void player.playTracks(tracks, index)} />
          </div>
        ))}
      </div>
    </section>
  );
}

function NewReleases({ releases }: { releases: ReleaseView[] }): ReactElement {
  const ui = useUiActions();
  const menu = contextMenuOnRows(releases, (release, _i, at) =>
    ui.openContextMenu({ kind: 'release', release }, at),
  );
  return (
    <section className="home-section" aria-labelledby="new-title">
      <h2 id="new-title">New releases from your artists</h2>
      <ul className="grid grid-compact" aria-label="New releases" {...menu}>
        {releases.map((r, index) => (
          <li key={r.id} data-index={index}>
            <button
              type="button"
              className="card"
              onClick={() => ui.navigate({ name: 'release', releaseId: r.id })}
            >
              <Artwork src={r.image} title={r.title} size={136} />
              <span className="card-title">{r.title}</span>
              <span className="card-sub">
                {[r.artist.name, releaseTypeLabel(r.type), releaseYear(r.releaseDate)]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
