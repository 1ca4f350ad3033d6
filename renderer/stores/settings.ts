import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppInfo, PlayLogStatus, Settings } from '../../shared/ipc/contract.js';
import type { IpcClient } from '../services/ipc-client.js';
import { createStoreContext } from './store-context.js';
import type { UiStore } from './ui.js';

export type SettingsState = {
  settings: Settings | null;
  info: AppInfo | null;
  playLog: PlayLogStatus | null;
  load(): Promise<void>;
  /** What the app is (its keychain too): asked before sign-in, for the first screen. */
  loadInfo(): Promise<void>;
  update(patch: Partial<Settings>): Promise<void>;
  chooseDownloadFolder(): Promise<void>;
  onPlayLogStatus(status: PlayLogStatus): void;
};
export type SettingsStore = StoreApi<SettingsState>;

export function createSettingsStore(deps: { ipc: IpcClient; ui: UiStore }): SettingsStore {
  const { ipc, ui } = deps;
  return createStore<SettingsState>()((set, get) => ({
    settings: null,
    info: null,
    playLog: null,
    async load() {
      try {
        const [settings, info, playLog] = await Promise.all([
          ipc.call('settings:get', {}),
          ipc.call('app:getInfo', {}),
          ipc.call('playlog:getStatus', {}),
        ]);
        set({ settings, info, playLog });
        ui.getState().clearErrors('settings');
        ui.getState().setOnline(info.online);
      } catch (err) {
        ui.getState().reportError(err, () => void get().load(), 'settings');
      }
    },
    async loadInfo() {
      try {
        const info = await ipc.call('app:getInfo', {});
        set({ info });
        ui.getState().setOnline(info.online);
      } catch (err) {
        ui.getState().reportError(err, () => void get().loadInfo(), 'settings');
      }
    },
    async update(patch) {
      const previous = get().settings;
      if (previous) set({ settings: { ...previous, ...patch } });
      try {
        set({ settings: await ipc.call('settings:update', patch) });
        ui.getState().clearErrors('settings');
      } catch (err) {
        set({ settings: previous });
        ui.getState().reportError(err, () => void get().update(patch), 'settings');
      }
    },
    async chooseDownloadFolder() {
      try {
        const { folder } = await ipc.call('downloads:chooseFolder', {});
        if (folder) await get().update({ downloadFolder: folder });
      } catch (err) {
        ui.getState().reportError(err);
      }
    },
    onPlayLogStatus(playLog) {
      set({ playLog });
    },
  }));
}

const settings = createStoreContext<SettingsState>('settings');
export const SettingsStoreContext = settings.context;
export const useSettingsActions = settings.useActions;
export const useSettings = (): Settings | null => settings.useSelector((s) => s.settings);
export const useAppInfo = (): AppInfo | null => settings.useSelector((s) => s.info);
/** Without a keychain: what the listener loses (sign-in, offline copies) and how to fix it. */
export const useVaultProblem = (): string | undefined => settings.useSelector((s) => s.info?.vaultProblem);
export const usePlayLog = (): PlayLogStatus | null => settings.useSelector((s) => s.playLog);
