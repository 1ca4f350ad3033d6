import type { ReactElement } from 'react';
import type { TrackView } from '../../../shared/ipc/contract.js';
import { Icon } from '../../components/icons.js';
import { trackTitle } from '../../components/track-row.js';
import { useDownload, useLibraryActions } from '../../stores/library.js';

/** Downloads one purchased track; shows a check once it is downloaded. */
export function DownloadTrackButton({
  track: t,
  withTooltip = false,
}: {
  track: TrackView;
  /** A title tooltip: "Download", or "Downloading…" while it runs. */
  withTooltip?: boolean;
}): ReactElement {
  const library = useLibraryActions();
  const d = useDownload('track', t.id);
  return (
    <button
      type="button"
      className="icon-btn"
      aria-label={`Download ${trackTitle(t)}`}
      {...(withTooltip ? { title: d?.state === 'running' ? 'Downloading…' : 'Download' } : {})}
      disabled={d?.state === 'running' || d?.state === 'queued'}
      onClick={() => void library.download('track', t.id, t.title)}
    >
      <Icon name={d?.state === 'done' ? 'check' : 'download'} size={18} />
    </button>
  );
}
