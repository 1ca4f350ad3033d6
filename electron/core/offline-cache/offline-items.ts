// What the listener asked to keep offline (releases and playlists, with their tracks), kept in
// the settings store. The cache itself knows only tracks; this list says why each is kept.
import type { OfflineItemView } from '../../../shared/ipc/contract.js';
import type { Logger } from '../logger.js';
import type { SettingsStore } from '../settings/settings-store.js';

/** `userId`: whose item it is (absent on items kept before items had owners: everyone's). */
export type OfflineItem = OfflineItemView & { trackIds: string[]; userId?: string };

/** Whether `item` is this listener's (another account on the device neither sees nor plays it). */
export function ownsItem(item: Pick<OfflineItem, 'userId'>, userId: string | undefined): boolean {
  return item.userId === undefined || item.userId === userId;
}
export type OfflineTarget = { releaseId: string } | { playlistId: string };

export type OfflineItems = {
  get(itemId: string): OfflineItem | undefined;
  all(): OfflineItem[];
  /** Adds or replaces an item and saves; on a failed save (a full disk) the list is as it was. */
  put(item: OfflineItem): void;
  /** Removes an item (save() afterwards); returns the tracks no other item still wants. */
  remove(itemId: string): string[] | null;
  save(): void;
  /** Saving when background caching ends: a failure is logged, never left unhandled. */
  saveQuietly(before?: () => void): void;
};

export function offlineItemId(target: OfflineTarget): string {
  return 'releaseId' in target ? `release:${target.releaseId}` : `playlist:${target.playlistId}`;
}

/** The item as the renderer sees it (without its track list). */
export function publicItem(item: OfflineItem): OfflineItemView {
  const { trackIds: _trackIds, userId: _userId, ...view } = item;
  return view;
}

export function createOfflineItems(deps: {
  settings: Pick<SettingsStore, 'getOfflineItems' | 'setOfflineItems'>;
  log: Pick<Logger, 'warn'>;
}): OfflineItems {
  const items = new Map<string, OfflineItem>(
    deps.settings.getOfflineItems().map((item) => [item.itemId, item]),
  );
  const save = (): void => deps.settings.setOfflineItems([...items.values()]);
  return {
    get: (itemId) => items.get(itemId),
    all: () => [...items.values()],
    put(item) {
      const previous = items.get(item.itemId);
      items.set(item.itemId, item);
      try {
        save();
      } catch (error) {
        // Nothing started: leave the list as it was (a full disk fails here with disk_full).
        if (previous) items.set(item.itemId, previous);
        else items.delete(item.itemId);
        throw error;
      }
    },
    remove(itemId) {
      const item = items.get(itemId);
      if (!item) return null;
      items.delete(itemId);
      const stillWanted = new Set([...items.values()].flatMap((other) => other.trackIds));
      return item.trackIds.filter((id) => !stillWanted.has(id));
    },
    save,
    saveQuietly(before) {
      try {
        before?.();
        save();
      } catch (error) {
        deps.log.warn('could not save the offline items', { error });
      }
    },
  };
}
