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
  all(): OfflineItem[];
  /** The items this listener sees and plays. */
  ownedBy(userId: string): OfflineItem[];
  /**
   * Adds or replaces the item of its owner (two accounts keeping one release have an item each)
   * and saves; on a failed save (a full disk) the list is as it was.
   */
  put(item: OfflineItem): void;
  /**
   * Removes the listener's item (save() afterwards): the tracks no other item still wants, and
   * whether another account still keeps the item (so its library snapshot stays); null when the
   * listener has no such item.
   */
  remove(userId: string, itemId: string): { unwantedTracks: string[]; keptByOthers: boolean } | null;
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
  const keyOf = (item: Pick<OfflineItem, 'itemId' | 'userId'>): string =>
    `${item.userId ?? ''}\u0000${item.itemId}`;
  const items = new Map<string, OfflineItem>(
    deps.settings.getOfflineItems().map((item) => [keyOf(item), item]),
  );
  const save = (): void => deps.settings.setOfflineItems([...items.values()]);
  /** The listener's item (theirs, or one kept before items had owners). */
  const find = (userId: string, itemId: string): OfflineItem | undefined =>
    items.get(keyOf({ userId, itemId })) ?? items.get(keyOf({ itemId }));
  return {
    all: () => [...items.values()],
    ownedBy: (userId) => [...items.values()].filter((item) => ownsItem(item, userId)),
    put(item) {
      const before = new Map(items);
      // Kept again by a listener, an item from before owners existed becomes theirs (not listed twice).
      if (item.userId !== undefined) items.delete(keyOf({ itemId: item.itemId }));
      items.set(keyOf(item), item);
      try {
        save();
      } catch (error) {
        // Nothing started: leave the list as it was (a full disk fails here with disk_full).
        items.clear();
        for (const [key, kept] of before) items.set(key, kept);
        throw error;
      }
    },
    remove(userId, itemId) {
      const item = find(userId, itemId);
      if (!item) return null;
      items.delete(keyOf(item));
      const others = [...items.values()];
      const stillWanted = new Set(others.flatMap((other) => other.trackIds));
      return {
        unwantedTracks: item.trackIds.filter((id) => !stillWanted.has(id)),
        keptByOthers: others.some((other) => other.itemId === itemId),
      };
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
