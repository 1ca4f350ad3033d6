// downloads:* — track, release ZIP and purchase downloads to a folder, with progress events;
// named "Artist - Title.ext" / "Artist - Release.zip"; one copy per item (asking again shows the
// file already saved, or the download already running); and showing a saved file in the
// system's file manager — only a file Septet itself saved there.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { downloadFormatIds } from '../../../shared/domain/formats.js';
import { AppError, isAppError } from '../../../shared/errors.js';
import type { DownloadKind, DownloadView } from '../../../shared/ipc/contract.js';
import type { AppEventBus } from '../../../shared/ipc/handlers.js';
import type { DownloadService } from '../downloads/download-service.js';
import type { Logger } from '../logger.js';
import type { SessionService } from '../session/session-service.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { HandlersOf } from './handler-slice.js';

export type DownloadHandlerDeps = {
  downloadService: Pick<DownloadService, 'download' | 'completed'>;
  session: Pick<SessionService, 'require'>;
  settings: Pick<SettingsStore, 'get' | 'update'>;
  events: AppEventBus;
  log: Pick<Logger, 'warn'>;
  /** Electron: the folder dialog. Absent in the browser host (the configured folder is used). */
  chooseFolder?: () => Promise<string | null>;
  /** Where downloads go when the listener has not chosen a folder. */
  defaultFolder: string;
  /** "Artist - Title" of a track, release or purchase (null when the service cannot say). */
  describe?: (kind: DownloadKind, id: string) => Promise<string | null>;
  /** Electron's shell.showItemInFolder; the browser host opens the folder in the file manager. */
  showItemInFolder?: (path: string) => Promise<void>;
};

export type DownloadHandlers = HandlersOf<'downloads'> & {
  /** Aborts every running download (at shutdown). */
  abortAll(): void;
};

type Entry = { view: DownloadView; abort: AbortController; folder: string; formatId?: string };

export function downloadHandlers(deps: DownloadHandlerDeps): DownloadHandlers {
  // Long by design (over 80 lines): a table of channel handlers, one short entry per channel.
  const { settings } = deps;
  const downloads = new Map<string, Entry>();
  const emit = (view: DownloadView): void => deps.events.emit('downloads:progressChanged', { ...view });

  /** Follows one download to its end, updating its view and emitting progress. */
  const follow = (task: ReturnType<DownloadService['download']>, entry: Entry) => {
    const { view, abort } = entry;
    task.then(
      (result) => {
        view.state = 'done';
        view.receivedBytes = result.bytes;
        view.totalBytes = result.bytes;
        view.filePath = result.path;
        emit(view);
      },
      (error: unknown) => {
        view.state = abort.signal.aborted ? 'cancelled' : 'failed';
        view.error = isAppError(error)
          ? error.toData()
          : { code: 'internal', message: 'The download failed.' };
        if (view.state === 'failed') deps.log.warn('download failed', { downloadId: view.downloadId, error });
        emit(view);
      },
    );
  };

  /** The same item, format and folder already saved or on its way: shown instead of a copy. */
  const existing = async (
    kind: DownloadKind,
    id: string,
    folder: string,
    formatId?: string,
  ): Promise<DownloadView | null> => {
    for (const entry of downloads.values()) {
      const { view } = entry;
      if (view.kind !== kind || view.itemId !== id || entry.folder !== folder || entry.formatId !== formatId)
        continue;
      if (view.state === 'running' || view.state === 'queued') return view;
      if (view.state === 'done' && view.filePath && existsSync(view.filePath)) return view;
    }
    const saved = await deps.downloadService.completed({
      kind,
      id,
      folder,
      ...(formatId ? { formatId } : {}),
    });
    if (!saved) return null;
    const view: DownloadView = {
      downloadId: `${kind}-${id}-saved-${randomBytes(4).toString('hex')}`,
      kind,
      itemId: id,
      title: saved.fileName,
      state: 'done',
      receivedBytes: saved.bytes,
      totalBytes: saved.bytes,
      filePath: saved.path,
    };
    downloads.set(view.downloadId, {
      view,
      abort: new AbortController(),
      folder,
      ...(formatId ? { formatId } : {}),
    });
    return view;
  };

  const baseNameOf = async (kind: DownloadKind, id: string): Promise<string | null> =>
    (await deps.describe?.(kind, id).catch((error: unknown) => {
      deps.log.warn('download named by id: its title could not be read', { kind, id, error });
      return null;
    })) ?? null;

  return {
    'downloads:chooseFolder': async () => {
      if (!deps.chooseFolder) return { folder: settings.get().downloadFolder ?? deps.defaultFolder };
      const folder = await deps.chooseFolder();
      if (folder) settings.update({ downloadFolder: folder });
      return { folder };
    },
    'downloads:start': async (arg) => {
      deps.session.require();
      const folder = resolve(arg.folder ?? settings.get().downloadFolder ?? deps.defaultFolder);
      const format = arg.format ?? settings.get().downloadFormat;
      const formatId = arg.kind !== 'purchase' ? downloadFormatIds[format] : undefined;
      const already = await existing(arg.kind, arg.id, folder, formatId);
      if (already) {
        emit(already);
        return { ...already };
      }
      const baseName = await baseNameOf(arg.kind, arg.id);
      const view: DownloadView = {
        downloadId: `${arg.kind}-${arg.id}-${randomBytes(4).toString('hex')}`,
        kind: arg.kind,
        itemId: arg.id,
        ...(baseName ? { title: baseName } : {}),
        state: 'running',
        receivedBytes: 0,
      };
      const entry: Entry = { view, abort: new AbortController(), folder, ...(formatId ? { formatId } : {}) };
      downloads.set(view.downloadId, entry);
      emit(view);
      const task = deps.downloadService.download({
        kind: arg.kind,
        id: arg.id,
        folder,
        ...(formatId ? { formatId } : {}),
        ...(baseName ? { baseName } : {}),
        signal: entry.abort.signal,
        onProgress: (progress) => {
          view.receivedBytes = progress.bytes;
          if (progress.total !== null) view.totalBytes = progress.total;
          emit(view);
        },
      });
      follow(task, entry);
      return { ...view };
    },
    'downloads:cancel': async ({ downloadId }) => {
      downloads.get(downloadId)?.abort.abort();
      return null;
    },
    'downloads:list': async () => [...downloads.values()].map((d) => ({ ...d.view })),
    'downloads:showInFolder': async ({ downloadId }) => {
      const entry = downloads.get(downloadId);
      const path = entry?.view.state === 'done' ? entry.view.filePath : undefined;
      // Only a file this run saved (or found saved) inside the folder it was saved to.
      if (!entry || !path || !resolve(path).startsWith(entry.folder + sep) || !existsSync(path))
        throw new AppError({ code: 'not_found', message: 'That download is not on this computer any more.' });
      if (!deps.showItemInFolder)
        throw new AppError({ code: 'internal', message: 'This window cannot open the file manager.' });
      await deps.showItemInFolder(resolve(path));
      return null;
    },
    abortAll() {
      for (const { abort } of downloads.values()) abort.abort();
    },
  };
}
