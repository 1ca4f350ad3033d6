// One download's progress; once saved, where it is ("Saved to …") with "Show in folder".
import type { ReactElement } from 'react';
import type { DownloadView } from '../../../shared/ipc/contract.js';
import { formatBytes } from '../../components/format.js';
import { fileNameOf, folderOf, useLibraryActions } from '../../stores/library.js';

export function DownloadProgress({ download }: { download: DownloadView }): ReactElement {
  const library = useLibraryActions();
  const pct = download.totalBytes
    ? Math.round((download.receivedBytes / download.totalBytes) * 100)
    : undefined;
  if (download.state === 'done' && download.filePath) {
    return (
      <div className="download download-done">
        <span className="download-label" role="status" title={download.filePath}>
          Saved “{fileNameOf(download.filePath)}” to{' '}
          <span className="path">{folderOf(download.filePath)}</span>
        </span>
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => void library.showInFolder(download.downloadId)}
        >
          Show in folder
        </button>
      </div>
    );
  }
  const label =
    download.state === 'failed'
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
