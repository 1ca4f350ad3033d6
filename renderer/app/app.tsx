import type { ReactElement } from 'react';
import { ArtistView } from '../features/artist/artist-view.js';
import { BrowseView } from '../features/browse/browse-view.js';
import { ContextMenu } from '../features/context-menu/context-menu.js';
import { HomeView } from '../features/home/home-view.js';
import { LikedView } from '../features/playlists/liked-view.js';
import { LockerView } from '../features/locker/locker-view.js';
import { OfflineView } from '../features/offline/offline-view.js';
import { PlayerBar } from '../features/player/player-bar.js';
import { AddToPlaylistDialog } from '../features/playlists/add-to-playlist-dialog.js';
import { DuplicateWarning } from '../features/playlists/duplicate-warning.js';
import { PlaylistView } from '../features/playlists/playlist-view.js';
import { PlaylistsView } from '../features/playlists/playlists-view.js';
import { QueuePanel } from '../features/queue/queue-panel.js';
import { RadioView } from '../features/radio/radio-view.js';
import { ReleaseView } from '../features/release-page/release-view.js';
import { SearchView } from '../features/search/search-view.js';
import { SettingsView } from '../features/settings/settings-view.js';
import { SignInView } from '../features/sign-in/sign-in-view.js';
import { Loading } from '../components/states.js';
import { assertNever } from '../../shared/errors.js';
import { useSession } from '../stores/session.js';
import { useQueueOpen, useRoute, type Route } from '../stores/ui.js';
import { ErrorBoundary } from './error-boundary.js';
import { KeychainNotice } from './keychain-notice.js';
import { Banners, Toasts } from './notices.js';
import { Sidebar } from './sidebar.js';

function RouteView({ route }: { route: Route }): ReactElement {
  switch (route.name) {
    case 'home':
      return <HomeView />;
    case 'liked':
      return <LikedView />;
    case 'search':
      return <SearchView />;
    case 'browse':
      return <BrowseView letter={route.letter} />;
    case 'artist':
      return <ArtistView artistId={route.artistId} />;
    case 'release':
      return <ReleaseView releaseId={route.releaseId} />;
    case 'locker':
      return <LockerView />;
    case 'playlists':
      return <PlaylistsView />;
    case 'playlist':
      return <PlaylistView playlistId={route.playlistId} />;
    case 'radio':
      return <RadioView {...(route.playlistId ? { playlistId: route.playlistId } : {})} />;
    case 'offline':
      return <OfflineView />;
    case 'settings':
      return <SettingsView />;
    default:
      return assertNever(route, 'route');
  }
}

export function App(): ReactElement {
  const session = useSession();
  const route = useRoute();
  const queueOpen = useQueueOpen();
  if (session === null) {
    return (
      <div className="boot">
        <Loading label="Starting Septet…" />
      </div>
    );
  }
  if (session.state !== 'signedIn') {
    return (
      <>
        <KeychainNotice />
        <Banners />
        <SignInView />
        <Toasts />
      </>
    );
  }
  return (
    <div className={`shell${queueOpen ? ' with-queue' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <main id="main" className="main" tabIndex={-1}>
        <KeychainNotice />
        <Banners />
        <ErrorBoundary resetKey={JSON.stringify(route)}>
          <RouteView route={route} />
        </ErrorBoundary>
      </main>
      {queueOpen ? <QueuePanel /> : null}
      <PlayerBar />
      <AddToPlaylistDialog />
      <ContextMenu />
      <DuplicateWarning />
      <Toasts />
    </div>
  );
}
