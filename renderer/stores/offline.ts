// Offline: device authorisation, devices, releases/playlists kept offline with progress, quota,
// and the offline library (what is kept, with its tracks: shown and played with no network).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  DeviceView,
  OfflineItemView,
  OfflineLibraryItemView,
  OfflineStatusView,
} from '../../shared/ipc/contract.js';
import type { IpcClient } from '../services/ipc-client.js';
import { failed, idle, loading, type Resource } from './resource.js';
import { createStoreContext } from './store-context.js';
import { useOnline, type UiStore } from './ui.js';

export type OfflineTarget = { releaseId: string } | { playlistId: string };

export type OfflineState = {
  status: OfflineStatusView | null;
  cached: ReadonlySet<string>;
  /** Releases and playlists kept offline with their tracks (the encrypted library). */
  library: OfflineLibraryItemView[];
  devices: Resource<DeviceView[]>;
  busy: boolean;
  load(): Promise<void>;
  loadLibrary(): Promise<void>;
  loadDevices(): Promise<void>;
  authorise(deviceName?: string): Promise<void>;
  makeAvailable(target: OfflineTarget): Promise<void>;
  remove(target: OfflineTarget): Promise<void>;
  onProgress(item: OfflineItemView): void;
};
export type OfflineStore = StoreApi<OfflineState>;

export function targetId(target: OfflineTarget): string {
  return 'releaseId' in target ? target.releaseId : target.playlistId;
}

/** The release/playlist id of an offline item (the core may prefix itemId with its kind). */
export function rawItemId(item: Pick<OfflineItemView, 'itemId' | 'kind'>): string {
  const prefix = `${item.kind}:`;
  return item.itemId.startsWith(prefix) ? item.itemId.slice(prefix.length) : item.itemId;
}

export function offlineItemFor(
  status: OfflineStatusView | null,
  kind: OfflineItemView['kind'],
  id: string,
): OfflineItemView | undefined {
  return status?.items.find((i) => i.kind === kind && rawItemId(i) === id);
}

export function targetOf(item: Pick<OfflineItemView, 'itemId' | 'kind'>): OfflineTarget {
  return item.kind === 'release' ? { releaseId: rawItemId(item) } : { playlistId: rawItemId(item) };
}

export function createOfflineStore(deps: { ipc: IpcClient; ui: UiStore }): OfflineStore {
  const { ipc, ui } = deps;
  return createStore<OfflineState>()((set, get) => {
    const setStatus = (status: OfflineStatusView) => set({ status, cached: new Set(status.cachedTrackIds) });
    return {
      status: null,
      cached: new Set(),
      library: [],
      devices: idle,
      busy: false,
      async load() {
        try {
          setStatus(await ipc.call('offline:getStatus', {}));
          ui.getState().clearErrors('offline:status');
        } catch (err) {
          ui.getState().reportError(err, () => void get().load(), 'offline:status');
        }
        await get().loadLibrary();
      },
      async loadLibrary() {
        try {
          set({ library: await ipc.call('offline:getLibrary', {}) });
        } catch (err) {
          ui.getState().reportError(err, () => void get().loadLibrary(), 'offline:status');
        }
      },
      async loadDevices() {
        if (get().devices.status !== 'ready') set({ devices: loading });
        try {
          set({ devices: { status: 'ready', data: await ipc.call('offline:listDevices', {}) } });
        } catch (err) {
          set({ devices: failed(err) });
        }
      },
      async authorise(deviceName) {
        set({ busy: true });
        try {
          await ipc.call('offline:authoriseDevice', deviceName ? { deviceName } : {});
          ui.getState().clearErrors('offline:authorise');
          ui.getState().notify('This device can now keep music offline');
          await Promise.all([get().load(), get().loadDevices()]);
        } catch (err) {
          ui.getState().reportError(err, () => void get().authorise(deviceName), 'offline:authorise');
        } finally {
          set({ busy: false });
        }
      },
      async makeAvailable(target) {
        try {
          const item = await ipc.call('offline:makeAvailable', target);
          ui.getState().clearErrors('offline:items');
          get().onProgress(item);
          await get().loadLibrary();
        } catch (err) {
          ui.getState().reportError(err, () => void get().makeAvailable(target), 'offline:items');
        }
      },
      async remove(target) {
        try {
          await ipc.call('offline:remove', target);
          ui.getState().clearErrors('offline:items');
          await get().load();
        } catch (err) {
          ui.getState().reportError(err, () => void get().remove(target), 'offline:items');
        }
      },
      onProgress(item) {
        const status = get().status ?? {
          deviceAuthorised: true,
          usedBytes: 0,
          quotaBytes: 0,
          items: [],
          cachedTrackIds: [],
        };
        const exists = status.items.some((i) => i.itemId === item.itemId && i.kind === item.kind);
        const items = exists
          ? status.items.map((i) => (i.itemId === item.itemId && i.kind === item.kind ? item : i))
          : [...status.items, item];
        set({ status: { ...status, items } });
        // Ready (or each finished track) changes the cached set and storage use: refresh them.
        if (item.state === 'ready' || item.state === 'failed') void get().load();
      },
    };
  });
}

const offline = createStoreContext<OfflineState>('offline');
export const OfflineStoreContext = offline.context;
export const useOfflineActions = offline.useActions;
export const useOfflineStatus = (): OfflineStatusView | null => offline.useSelector((s) => s.status);
export const useOfflineDevices = (): Resource<DeviceView[]> => offline.useSelector((s) => s.devices);
export const useOfflineBusy = (): boolean => offline.useSelector((s) => s.busy);
export const useOfflineLibrary = (): OfflineLibraryItemView[] => offline.useSelector((s) => s.library);
export const useDeviceAuthorised = (): boolean =>
  offline.useSelector((s) => s.status?.deviceAuthorised ?? false);
/** True when the track is kept in the offline cache (it plays without a network). */
export const useIsCached = (trackId: string): boolean => offline.useSelector((s) => s.cached.has(trackId));
/** True while offline for a track not kept offline: it is greyed out, with the reason. */
export const useUnavailableOffline = (trackId: string): boolean => {
  const online = useOnline();
  const cached = useIsCached(trackId);
  return !online && !cached;
};
/** The offline state of one release or playlist, if it was made available offline. */
export const useOfflineItem = (target: OfflineTarget): OfflineItemView | undefined => {
  const kind = 'releaseId' in target ? 'release' : 'playlist';
  const id = targetId(target);
  return offline.useSelector((s) => offlineItemFor(s.status, kind, id));
};
