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
  onDownloadProgress(view: DownloadView): void;
};
export type LibraryStore = StoreApi<LibraryState>;

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
    onDownloadProgress(view) {
      const previous = get().downloads[view.downloadId];
      set({
        downloads: {
          ...get().downloads,
          [view.downloadId]: { ...view, title: view.title ?? previous?.title },
        },
      });
      if (view.state === 'done') ui.getState().clearErrors(`download:${view.kind}:${view.itemId}`);
      if (view.state === 'done' && previous?.state !== 'done')
        ui.getState().notify(`Downloaded “${view.title ?? previous?.title ?? view.itemId}”`);
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
