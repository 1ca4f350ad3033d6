// downloads:* — track, release ZIP and purchase downloads to a folder, with progress events.
import { randomBytes } from 'node:crypto';
import { downloadFormatIds } from '../../../shared/domain/formats.js';
import { isAppError } from '../../../shared/errors.js';
import type { DownloadView } from '../../../shared/ipc/contract.js';
import type { AppEventBus } from '../../../shared/ipc/handlers.js';
import type { DownloadService } from '../downloads/download-service.js';
import type { Logger } from '../logger.js';
import type { SessionService } from '../session/session-service.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { HandlersOf } from './handler-slice.js';

export type DownloadHandlerDeps = {
  downloadService: Pick<DownloadService, 'download'>;
  session: Pick<SessionService, 'require'>;
  settings: Pick<SettingsStore, 'get' | 'update'>;
  events: AppEventBus;
  log: Pick<Logger, 'warn'>;
  /** Electron: the folder dialog. Absent in the browser host (the configured folder is used). */
  chooseFolder?: () => Promise<string | null>;
  /** Where downloads go when the listener has not chosen a folder. */
  defaultFolder: string;
};

export type DownloadHandlers = HandlersOf<'downloads'> & {
  /** Aborts every running download (at shutdown). */
  abortAll(): void;
};

export function downloadHandlers(deps: DownloadHandlerDeps): DownloadHandlers {
  const { settings } = deps;
  const downloads = new Map<string, { view: DownloadView; abort: AbortController }>();

  /** Follows one download to its end, updating its view and emitting progress. */
  const follow = (
    task: ReturnType<DownloadService['download']>,
    view: DownloadView,
    abort: AbortController,
  ) => {
    const emit = (): void => deps.events.emit('downloads:progressChanged', { ...view });
    task.then(
      (result) => {
        view.state = 'done';
        view.receivedBytes = result.bytes;
        view.totalBytes = result.bytes;
        view.filePath = result.path;
        emit();
      },
      (error: unknown) => {
        view.state = abort.signal.aborted ? 'cancelled' : 'failed';
        view.error = isAppError(error)
          ? error.toData()
          : { code: 'internal', message: 'The download failed.' };
        if (view.state === 'failed') deps.log.warn('download failed', { downloadId: view.downloadId, error });
        emit();
      },
    );
  };

  return {
    'downloads:chooseFolder': async () => {
      if (!deps.chooseFolder) return { folder: settings.get().downloadFolder ?? deps.defaultFolder };
      const folder = await deps.chooseFolder();
      if (folder) settings.update({ downloadFolder: folder });
      return { folder };
    },
    'downloads:start': async (arg) => {
      deps.session.require();
      const folder = arg.folder ?? settings.get().downloadFolder ?? deps.defaultFolder;
      const format = arg.format ?? settings.get().downloadFormat;
      const downloadId = `${arg.kind}-${arg.id}-${randomBytes(4).toString('hex')}`;
      const abort = new AbortController();
      const view: DownloadView = {
        downloadId,
        kind: arg.kind,
        itemId: arg.id,
        state: 'running',
        receivedBytes: 0,
      };
      downloads.set(downloadId, { view, abort });
      const emit = (): void => deps.events.emit('downloads:progressChanged', { ...view });
      emit();
      const task = deps.downloadService.download({
        kind: arg.kind,
        id: arg.id,
        folder,
        ...(arg.kind !== 'purchase' ? { formatId: downloadFormatIds[format] } : {}),
        signal: abort.signal,
        onProgress: (progress) => {
          view.receivedBytes = progress.bytes;
          if (progress.total !== null) view.totalBytes = progress.total;
          emit();
        },
      });
      follow(task, view, abort);
      return { ...view };
    },
    'downloads:cancel': async ({ downloadId }) => {
      downloads.get(downloadId)?.abort.abort();
      return null;
    },
    'downloads:list': async () => [...downloads.values()].map((d) => ({ ...d.view })),
    abortAll() {
      for (const { abort } of downloads.values()) abort.abort();
    },
  };
}
