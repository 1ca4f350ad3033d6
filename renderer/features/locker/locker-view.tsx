import { useEffect, useState, type ReactElement } from 'react';
import type { LockerView as Locker, TrackView } from '../../../shared/ipc/contract.js';
import { useSlice, useStores } from '../../app/stores-context.js';
import { Artwork } from '../../components/artwork.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { TrackRow, trackTitle } from '../../components/track-row.js';
import { VirtualList } from '../../components/virtual-list.js';
import { downloadFor } from '../../stores/library.js';
import { DownloadProgress } from './download-progress.js';

type LockerRelease = Locker['releases'][number];

export function LockerView(): ReactElement {
  const stores = useStores();
  const library = stores.library.getState();
  const locker = useSlice(
    (s) => s.library,
    (s) => s.locker,
  );
  const downloads = useSlice(
    (s) => s.library,
    (s) => s.downloads,
  );
  const [tab, setTab] = useState<'releases' | 'tracks'>('releases');
  useEffect(() => {
    void stores.library.getState().loadLocker();
    void stores.library.getState().loadDownloads();
  }, [stores]);

  const active = Object.values(downloads).filter(
    (d) => d.state === 'running' || d.state === 'queued' || d.state === 'failed',
  );
  return (
    <section className="view view-fill" aria-labelledby="locker-title">
      <header className="view-header">
        <h1 id="locker-title">Your locker</h1>
        <p className="muted">Music you bought: stream it, or download it as MP3 or FLAC.</p>
        <div className="chips" role="group" aria-label="Show">
          <button
            type="button"
            className={`chip${tab === 'releases' ? ' is-on' : ''}`}
            aria-pressed={tab === 'releases'}
            onClick={() => setTab('releases')}
          >
            Releases
          </button>
          <button
            type="button"
            className={`chip${tab === 'tracks' ? ' is-on' : ''}`}
            aria-pressed={tab === 'tracks'}
            onClick={() => setTab('tracks')}
          >
            Tracks
          </button>
        </div>
        {active.length > 0 ? (
          <div className="downloads" aria-label="Downloads">
            {active.map((d) => (
              <DownloadProgress key={d.downloadId} download={d} />
            ))}
          </div>
        ) : null}
      </header>
      <div className="view-body">
        {locker.status === 'error' ? (
          <ErrorState message={locker.message} onRetry={() => void library.loadLocker()} />
        ) : locker.status !== 'ready' ? (
          <Loading />
        ) : tab === 'releases' ? (
          locker.data.releases.length === 0 ? (
            <Empty title="No purchases yet">Buy a release from its page and it appears here.</Empty>
          ) : (
            <VirtualList<LockerRelease>
              items={locker.data.releases}
              rowHeight={76}
              label="Purchased releases"
              rowDeps={downloads}
              getKey={(r, i) => `${r.id}-${i}`}
              renderRow={(r) => {
                const d = downloadFor(downloads, 'release', r.id);
                return (
                  <div className="locker-row">
                    <button
                      type="button"
                      className="entity-row"
                      onClick={() => stores.ui.getState().navigate({ name: 'release', releaseId: r.id })}
                    >
                      <Artwork src={r.image} title={r.title} size={56} />
                      <span className="entity-text">
                        <span className="entity-title">{r.title}</span>
                        <span className="entity-sub">{r.artist.name}</span>
                      </span>
                    </button>
                    {d && d.state !== 'done' ? <DownloadProgress download={d} /> : null}
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={`Download ${r.title} (ZIP)`}
                      disabled={d?.state === 'running' || d?.state === 'queued'}
                      onClick={() => void library.download('release', r.id, r.title)}
                    >
                      <Icon name={d?.state === 'done' ? 'check' : 'download'} size={16} />{' '}
                      {d?.state === 'done' ? 'Downloaded' : 'ZIP'}
                    </button>
                    {r.purchaseId ? (
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        aria-label={`Download the whole purchase of ${r.title}`}
                        onClick={() =>
                          r.purchaseId && void library.download('purchase', r.purchaseId, r.title)
                        }
                      >
                        Purchase
                      </button>
                    ) : null}
                  </div>
                );
              }}
            />
          )
        ) : locker.data.tracks.length === 0 ? (
          <Empty title="No purchased tracks yet" />
        ) : (
          <VirtualList<TrackView>
            items={locker.data.tracks}
            rowHeight={60}
            label="Purchased tracks"
            rowDeps={downloads}
            getKey={(t, i) => `${t.id}-${i}`}
            renderRow={(t, i) => {
              const d = downloadFor(downloads, 'track', t.id);
              return (
                <TrackRow
                  track={t}
                  showArtwork
                  onPlay={() => void stores.player.getState().playTracks(locker.data.tracks, i, 'locker')}
                >
                  <button
                    type="button"
                    className="icon-btn"
                    aria-label={`Download ${trackTitle(t)}`}
                    disabled={d?.state === 'running' || d?.state === 'queued'}
                    onClick={() => void library.download('track', t.id, t.title)}
                  >
                    <Icon name={d?.state === 'done' ? 'check' : 'download'} size={18} />
                  </button>
                </TrackRow>
              );
            }}
          />
        )}
      </div>
    </section>
  );
}
