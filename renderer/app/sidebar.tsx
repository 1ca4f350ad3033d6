import type { ReactElement } from 'react';
import { Icon, type IconName } from '../components/icons.js';
import { findLikedPlaylist } from '../stores/liked.js';
import { usePlaylistSummaries } from '../stores/playlists.js';
import { useSession, useSessionActions } from '../stores/session.js';
import { useCanGoBack, useOnline, useRouteName, useUiActions, type Route } from '../stores/ui.js';

const items: { label: string; icon: IconName; route: Route; matches: Route['name'][] }[] = [
  { label: 'Home', icon: 'home', route: { name: 'home' }, matches: ['home'] },
  { label: 'Search', icon: 'search', route: { name: 'search' }, matches: ['search'] },
  {
    label: 'Browse',
    icon: 'browse',
    route: { name: 'browse', letter: 'A' },
    matches: ['browse', 'artist', 'release'],
  },
  { label: 'Locker', icon: 'library', route: { name: 'locker' }, matches: ['locker'] },
  { label: 'Playlists', icon: 'playlist', route: { name: 'playlists' }, matches: ['playlists', 'playlist'] },
  { label: 'Liked songs', icon: 'heart', route: { name: 'liked' }, matches: ['liked'] },
  { label: 'Radio', icon: 'radio', route: { name: 'radio' }, matches: ['radio'] },
  { label: 'Offline', icon: 'offline', route: { name: 'offline' }, matches: ['offline'] },
  { label: 'Settings', icon: 'settings', route: { name: 'settings' }, matches: ['settings'] },
];

export function Sidebar(): ReactElement {
  const ui = useUiActions();
  const canGoBack = useCanGoBack();
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <Icon name="music" size={20} />
        </span>
        <span>Septet</span>
        <button
          type="button"
          className="icon-btn back-btn"
          aria-label="Back"
          disabled={!canGoBack}
          onClick={() => ui.back()}
        >
          <Icon name="back" size={18} />
        </button>
      </div>
      <NavItems />
      <PlaylistLinks />
      <SidebarFoot />
    </nav>
  );
}

function NavItems(): ReactElement {
  const ui = useUiActions();
  const routeName = useRouteName();
  return (
    <ul className="nav-list">
      {items.map((item) => {
        const active = item.matches.includes(routeName);
        return (
          <li key={item.label}>
            <button
              type="button"
              className={`nav-item${active ? ' is-active' : ''}`}
              aria-current={active ? 'page' : undefined}
              onClick={() => ui.navigate(item.route)}
            >
              <Icon name={item.icon} size={18} />
              <span>{item.label}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function PlaylistLinks(): ReactElement | null {
  const ui = useUiActions();
  const all = usePlaylistSummaries();
  // "Liked songs" has its own entry above.
  const liked = findLikedPlaylist(all);
  const playlists = liked ? all.filter((p) => p !== liked) : all;
  if (playlists.length === 0) return null;
  return (
    <>
      <h2 className="nav-heading">Your playlists</h2>
      <ul className="nav-list nav-playlists">
        {playlists.slice(0, 30).map((p) => (
          <li key={p.id}>
            <button
              type="button"
              className="nav-item nav-sub"
              onClick={() => ui.navigate({ name: 'playlist', playlistId: p.id })}
            >
              <span>{p.name}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Connectivity, who is signed in, and Sign out. */
function SidebarFoot(): ReactElement {
  const online = useOnline();
  const session = useSession();
  const { signOut } = useSessionActions();
  return (
    <div className="sidebar-foot">
      <span className={`conn${online ? '' : ' is-offline'}`} role="status">
        <span className="conn-dot" aria-hidden="true" /> {online ? 'Online' : 'Offline'}
      </span>
      {session?.state === 'signedIn' ? (
        <span className="who" title={session.email ?? session.userId}>
          {session.email ?? `Listener ${session.userId}`}
          {/* Only a known lack of a subscription means previews ('unknown' right after a password sign-in does not). */}
          {session.subscription === 'none' || session.subscription === 'expired' ? (
            <span className="badge">Previews</span>
          ) : null}
        </span>
      ) : null}
      <button type="button" className="btn btn-ghost btn-small" onClick={() => void signOut()}>
        Sign out
      </button>
    </div>
  );
}
