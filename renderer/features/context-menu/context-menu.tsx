// The one context menu of the window (ui.contextMenu): opened by right-click, the context-menu
// key or Shift+F10 on a track, a release or an artist. A WAI-ARIA menu: focus moves into it,
// ↑/↓/Home/End move between entries, Enter or Space runs one, Escape or Tab closes it and focus
// goes back where it was.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { useCatalogueActions } from '../../stores/catalogue.js';
import { useLikedActions, useLikedEntries } from '../../stores/liked.js';
import { usePlayerActions } from '../../stores/player.js';
import { usePlaylistsActions } from '../../stores/playlists.js';
import { useRadioActions } from '../../stores/radio.js';
import { useContextMenu, useUiActions, type ContextMenuState } from '../../stores/ui.js';
import { menuItems, menuTitle, type MenuActions, type MenuItem } from './menu-items.js';

export function ContextMenu(): ReactElement | null {
  const menu = useContextMenu();
  return menu ? <OpenMenu key={`${menu.x},${menu.y}`} menu={menu} /> : null;
}

/** Every action a menu entry may call, from the stores' actions. */
function useMenuActions(): MenuActions {
  const player = usePlayerActions();
  const ui = useUiActions();
  const playlists = usePlaylistsActions();
  const liked = useLikedActions();
  const likedEntries = useLikedEntries();
  const radio = useRadioActions();
  const catalogue = useCatalogueActions();
  return {
    playTracks: (tracks, context) => player.playTracks(tracks, 0, context),
    playNext: (tracks) => player.playNext(tracks),
    addToQueue: (tracks) => player.addToQueue(tracks),
    removeFromQueue: (uid) => player.removeFromQueue(uid),
    openAddToPlaylist: (tracks) => ui.openAddToPlaylist(tracks),
    removeFromPlaylist: (playlistId, playlistTrackId) => playlists.removeTrack(playlistId, playlistTrackId),
    toggleLiked: (track) => liked.toggle(track),
    isLiked: (trackId) => likedEntries.has(trackId),
    startArtistRadio: (artist) => radio.startArtist(artist),
    navigate: (route) => ui.navigate(route),
    tracksOfRelease: (releaseId) => catalogue.tracksOfRelease(releaseId),
    resolveTrack: (track) => catalogue.resolveTrack(track),
  };
}

function OpenMenu({ menu }: { menu: ContextMenuState }): ReactElement {
  const ui = useUiActions();
  const actions = useMenuActions();
  const [items] = useState<MenuItem[]>(() => menuItems(menu.target, actions));
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState({ left: menu.x, top: menu.y });
  const returnFocus = useRef<Element | null>(null);

  // Inside the window, even when opened near its right or bottom edge.
  useLayoutEffect(() => {
    const box = ref.current?.getBoundingClientRect();
    if (!box) return;
    setPosition({
      left: Math.max(4, Math.min(menu.x, window.innerWidth - box.width - 4)),
      top: Math.max(4, Math.min(menu.y, window.innerHeight - box.height - 4)),
    });
  }, [menu.x, menu.y]);

  useEffect(() => {
    returnFocus.current = document.activeElement;
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointerDown = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) ui.closeContextMenu();
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, [ui]);

  const close = (restoreFocus: boolean) => {
    ui.closeContextMenu();
    const target = returnFocus.current;
    if (restoreFocus && target instanceof HTMLElement && target.isConnected) target.focus();
  };
  const run = (item: MenuItem) => {
    close(true);
    void Promise.resolve(item.run()).catch((err: unknown) => ui.reportError(err));
  };
  const onKeyDown = (e: KeyboardEvent) => moveFocus(e, ref.current, () => close(true));

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={`Actions for ${menuTitle(menu.target)}`}
      style={{ left: position.left, top: position.top }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className="context-menu-item"
          onClick={() => run(item)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}

/** Arrow keys, Home and End move between the entries; Escape and Tab close the menu. */
function moveFocus(e: KeyboardEvent, root: HTMLElement | null, close: () => void): void {
  if (!root) return;
  if (e.key === 'Escape' || e.key === 'Tab') {
    e.preventDefault();
    close();
    return;
  }
  const entries = [...root.querySelectorAll<HTMLElement>('[role="menuitem"]')];
  const at = entries.indexOf(document.activeElement as HTMLElement);
  const next =
    e.key === 'ArrowDown'
      ? (at + 1) % entries.length
      : e.key === 'ArrowUp'
        ? (at - 1 + entries.length) % entries.length
        : e.key === 'Home'
          ? 0
          : e.key === 'End'
            ? entries.length - 1
            : null;
  if (next === null) return;
  e.preventDefault();
  entries[next]?.focus();
}
