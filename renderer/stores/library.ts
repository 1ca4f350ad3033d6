// The locker (purchases), buying, and downloads with progress.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DownloadKind, DownloadView, LockerView } from '../../shared/ipc/contract.js';
import type { IpcClient } from '../services/ipc-client.js';
import { failed, idle, loading, type Resource } from './resource.js';
import { createStoreContext } from './store-context.js';
import type { UiStore } from './ui.js';

export type LibraryState = {
  locker: Resource<LockerView>;
  downloads: Record<string, DownloadView>;
  buying: Record<string, boolean>;
  loadLocker(): Promise<void>;
  buy(target: { releaseId: string } | { trackId: string }, title: string): Promise<boolean>;
  download(kind: DownloadKind, id: string, title: string): Promise<void>;
  loadDownloads(): Promise<void>;
  cancelDownload(downloadId: string): Promise<void>;
  /** Shows a saved download in the system's file manager. */
  showInFolder(downloadId: string): Promise<void>;
  onDownloadProgress(view: DownloadView): void;
};
export type LibraryStore = StoreApi<LibraryState>;

/** The folder a saved file is in, as the listener's system writes it. */
export function folderOf(filePath: string): string {
  const cut = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
  return cut > 0 ? filePath.slice(0, cut) : filePath;
}

/** The saved file's own name. */
export function fileNameOf(filePath: string): string {
  return filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
}

export function downloadFor(
  downloads: Record<string, DownloadView>,
  kind: DownloadKind,
  itemId: string,
): DownloadView | undefined {
  let latest: DownloadView | undefined;
  for (const d of Object.values(downloads)) if (d.kind === kind && d.itemId === itemId) latest = d;
  return latest;
}

export function createLibraryStore(deps: { ipc: IpcClient; ui: UiStore }): LibraryStore {
  const { ipc, ui } = deps;
  return createStore<LibraryState>()((set, get) => ({
    locker: idle,
    downloads: {},
    buying: {},
    async loadLocker() {
      if (get().locker.status !== 'ready') set({ locker: loading });
      try {
        const first = await ipc.call('locker:getLocker', { page: 1, pageSize: 50 });
        const view: LockerView = { ...first, releases: [...first.releases], tracks: [...first.tracks] };
        for (let page = 2; page <= 40 && view.releases.length < first.totalItems; page += 1) {
          const more = await ipc.call('locker:getLocker', { page, pageSize: 50 });
          if (more.releases.length === 0 && more.tracks.length === 0) break;
          view.releases.push(...more.releases);
          view.tracks.push(...more.tracks);
        }
        set({ locker: { status: 'ready', data: view } });
      } catch (err) {
        set({ locker: failed(err) });
      }
    },
    async buy(target, title) {
      const key = 'releaseId' in target ? target.releaseId : target.trackId;
      set({ buying: { ...get().buying, [key]: true } });
      try {
        await ipc.call('sales:buy', target);
        ui.getState().clearErrors(`buy:${key}`);
        ui.getState().notify(`Bought “${title}”. It is in your locker.`);
        void get().loadLocker();
        return true;
      } catch (err) {
        ui.getState().reportError(err, () => void get().buy(target, title), `buy:${key}`);
        return false;
      } finally {
        const { [key]: _done, ...rest } = get().buying;
        set({ buying: rest });
      }
    },
    async download(kind, id, title) {
      try {
        const view = await ipc.call('downloads:start', { kind, id });
        ui.getState().clearErrors(`download:${kind}:${id}`);
        // Already saved (one copy per item): say where, as a finished download does.
        if (view.state === 'done') get().onDownloadProgress({ ...view, title: view.title ?? title });
        else
          set({
            downloads: { ...get().downloads, [view.downloadId]: { ...view, title: view.title ?? title } },
          });
      } catch (err) {
        ui.getState().reportError(err, () => void get().download(kind, id, title), `download:${kind}:${id}`);
      }
    },
    async loadDownloads() {
      try {
        const list = await ipc.call('downloads:list', {});
        set({ downloads: Object.fromEntries(list.map((d) => [d.downloadId, d])) });
      } catch (err) {
        ui.getState().reportError(err, () => void get().loadDownloads());
      }
    },
    async cancelDownload(downloadId) {
      try {
        await ipc.call('downloads:cancel', { downloadId });
      } catch (err) {
        ui.getState().reportError(err);
      }
    },
    async showInFolder(downloadId) {
      try {
        await ipc.call('downloads:showInFolder', { downloadId });
      } catch (err) {
        ui.getState().reportError(err);
      }
    },
    onDownloadProgress(view) {
      const previous = get().downloads[view.downloadId];
      set({
        downloads: {
          ...get().downloads,
          [view.downloadId]: { ...view, title: view.title ?? previous?.title },
        },
      });
      if (view.state === 'done') ui.getState().clearErrors(`download:${view.kind}:${view.itemId}`);
      if (view.state === 'done' && previous?.state !== 'done' && view.filePath)
        ui.getState().notify(`Saved “${fileNameOf(view.filePath)}” to ${folderOf(view.filePath)}`, 'info', {
          label: 'Show in folder',
          run: () => void get().showInFolder(view.downloadId),
        });
      if (view.state === 'failed' && previous?.state !== 'failed')
        ui.getState().reportError(
          view.error ?? new Error('Download failed'),
          undefined,
          `download:${view.kind}:${view.itemId}`,
        );
    },
  }));
}

const library = createStoreContext<LibraryState>('library');
export const LibraryStoreContext = library.context;
export const useLibraryActions = library.useActions;
export const useLocker = (): Resource<LockerView> => library.useSelector((s) => s.locker);
export const useDownloads = (): Record<string, DownloadView> => library.useSelector((s) => s.downloads);
/** The latest download of one track, release or purchase, if any. */
export const useDownload = (kind: DownloadKind, itemId: string): DownloadView | undefined =>
  library.useSelector((s) => downloadFor(s.downloads, kind, itemId));
export const useIsBuying = (id: string): boolean => library.useSelector((s) => s.buying[id] === true);
