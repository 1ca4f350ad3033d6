import type { ReactElement } from 'react';
import type { DownloadView } from '../../../shared/ipc/contract.js';
import { formatBytes } from '../../components/format.js';

export function DownloadProgress({ download }: { download: DownloadView }): ReactElement {
  const pct = download.totalBytes
    ? Math.round((download.receivedBytes / download.totalBytes) * 100)
    : undefined;
  const label =
    download.state === 'done'
      ? `Downloaded${download.filePath ? ` to ${download.filePath}` : ''}`
      : download.state === 'failed'
        ? `Download failed${download.error ? `: ${download.error.message}` : ''}`
        : download.state === 'cancelled'
          ? 'Download cancelled'
          : `Downloading ${download.title ?? ''}… ${formatBytes(download.receivedBytes)}${download.totalBytes ? ` of ${formatBytes(download.totalBytes)}` : ''}`;
  return (
    <div className={`download download-${download.state}`}>
      {download.state === 'running' || download.state === 'queued' ? (
        <progress max={100} value={pct} aria-label={`Download of ${download.title ?? download.itemId}`} />
      ) : null}
      <span className="download-label" role="status">
        {label}
      </span>
    </div>
  );
}
