import { useEffect, useState, type ReactElement } from 'react';
import type { LockerView as Locker, TrackView } from '../../../shared/ipc/contract.js';
import { Artwork } from '../../components/artwork.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { TrackRow } from '../../components/track-row.js';
import { VirtualList } from '../../components/virtual-list.js';
import { useDownload, useDownloads, useLibraryActions, useLocker } from '../../stores/library.js';
import { usePlayerActions } from '../../stores/player.js';
import { useUiActions } from '../../stores/ui.js';
import { DownloadProgress } from './download-progress.js';
import { DownloadTrackButton } from './download-track-button.js';

type LockerRelease = Locker['releases'][number];
type LockerTab = 'releases' | 'tracks';

export function LockerView(): ReactElement {
  const library = useLibraryActions();
  const locker = useLocker();
  const [tab, setTab] = useState<LockerTab>('releases');
  useEffect(() => {
    void library.loadLocker();
    void library.loadDownloads();
  }, [library]);

  return (
    <section className="view view-fill" aria-labelledby="locker-title">
      <header className="view-header">
        <h1 id="locker-title">Your locker</h1>
        <p className="muted">Music you bought: stream it, or download it as MP3 or FLAC.</p>
        <div className="chips" role="group" aria-label="Show">
          <TabChip tab="releases" label="Releases" shown={tab} onShow={setTab} />
          <TabChip tab="tracks" label="Tracks" shown={tab} onShow={setTab} />
        </div>
        <ActiveDownloads />
      </header>
      <div className="view-body">
        {locker.status === 'error' ? (
          <ErrorState message={locker.message} onRetry={() => void library.loadLocker()} />
        ) : locker.status !== 'ready' ? (
          <Loading />
        ) : tab === 'releases' ? (
          <LockerReleases releases={locker.data.releases} />
        ) : (
          <LockerTracks tracks={locker.data.tracks} />
        )}
      </div>
    </section>
  );
}

function TabChip(props: {
  tab: LockerTab;
  label: string;
  shown: LockerTab;
  onShow: (tab: LockerTab) => void;
}): ReactElement {
  const on = props.shown === props.tab;
  return (
    <button
      type="button"
      className={`chip${on ? ' is-on' : ''}`}
      aria-pressed={on}
      onClick={() => props.onShow(props.tab)}
    >
      {props.label}
    </button>
  );
}

/** Downloads running, queued or failed, and the tracks saved this session (where they are). */
function ActiveDownloads(): ReactElement | null {
  const downloads = useDownloads();
  const active = Object.values(downloads).filter(
    (d) =>
      d.state === 'running' ||
      d.state === 'queued' ||
      d.state === 'failed' ||
      (d.state === 'done' && d.kind === 'track'),
  );
  if (active.length === 0) return null;
  return (
    <div className="downloads" aria-label="Downloads">
      {active.map((d) => (
        <DownloadProgress key={d.downloadId} download={d} />
      ))}
    </div>
  );
}

function LockerReleases({ releases }: { releases: LockerRelease[] }): ReactElement {
  const ui = useUiActions();
  if (releases.length === 0)
    return <Empty title="No purchases yet">Buy a release from its page and it appears here.</Empty>;
  return (
    <VirtualList<LockerRelease>
      items={releases}
      rowHeight={76}
      label="Purchased releases"
      getKey={(r, i) => `${r.id}-${i}`}
      renderRow={(r) => <LockerReleaseRow release={r} />}
      onRowContextMenu={(release, _i, at) =>
        ui.openContextMenu({ kind: 'release', release, context: 'locker' }, at)
      }
    />
  );
}

/** A purchased release: its page, its download as a ZIP, and the whole purchase. */
function LockerReleaseRow({ release: r }: { release: LockerRelease }): ReactElement {
  const ui = useUiActions();
  const library = useLibraryActions();
  const d = useDownload('release', r.id);
  return (
    <div className="locker-row">
      <button
        type="button"
        className="entity-row"
        onClick={() => ui.navigate({ name: 'release', releaseId: r.id })}
      >
        <Artwork src={r.image} title={r.title} size={56} />
        <span className="entity-text">
          <span className="entity-title">{r.title}</span>
          <span className="entity-sub">{r.artist.name}</span>
        </span>
      </button>
      {d ? <DownloadProgress download={d} /> : null}
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
          onClick={() => r.purchaseId && void library.download('purchase', r.purchaseId, r.title)}
        >
          Purchase
        </button>
      ) : null}
    </div>
  );
}

function LockerTracks({ tracks }: { tracks: TrackView[] }): ReactElement {
  const player = usePlayerActions();
  const ui = useUiActions();
  if (tracks.length === 0) return <Empty title="No purchased tracks yet" />;
  return (
    <VirtualList<TrackView>
      items={tracks}
      rowHeight={60}
      label="Purchased tracks"
      getKey={(t, i) => `${t.id}-${i}`}
      onRowContextMenu={(track, _i, at) =>
        ui.openContextMenu({ kind: 'track', track, context: 'locker' }, at)
      }
      renderRow={(t, i) => (
        <TrackRow track={t} showArtwork onPlay={() => void player.playTracks(tracks, i, 'locker')}>
          <DownloadTrackButton track={t} />
        </TrackRow>
      )}
    />
  );
}
