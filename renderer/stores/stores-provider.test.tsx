// Every store reaches components through <StoresProvider> and its module's named hooks.
// Rendered to a string (no DOM in Node), so the hooks read each store's initial state.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createIpcClient } from '../services/ipc-client.js';
import { createAppStores, type AppStores } from './app-stores.js';
import { useBrowse } from './catalogue.js';
import { useDownloads } from './library.js';
import { useOfflineStatus } from './offline.js';
import { useIsPlaying, usePlayerActions, useQueueLength, useVolume } from './player.js';
import { usePlayheadPosition } from './playhead.js';
import { usePlaylistSummaries } from './playlists.js';
import { useStation } from './radio.js';
import { useSearchTab } from './search.js';
import { useSession } from './session.js';
import { useSettings } from './settings.js';
import { StoresProvider } from './stores-provider.js';
import { createFakeBridge } from './testing/fake-bridge.js';
import { createFakeEngine } from './testing/fake-engine.js';
import { useRouteName, useUiActions } from './ui.js';

function makeStores(): AppStores {
  return createAppStores({ ipc: createIpcClient(createFakeBridge()), engine: createFakeEngine() });
}

function render(stores: AppStores, Probe: () => string): string {
  function Component() {
    return <p>{Probe()}</p>;
  }
  return renderToStaticMarkup(
    <StoresProvider stores={stores}>
      <Component />
    </StoresProvider>,
  );
}

describe('StoresProvider and the named hooks', () => {
  it('provides every store', () => {
    const html = render(makeStores(), () =>
      [
        useRouteName(),
        useSession() === null,
        useVolume(),
        useIsPlaying(),
        useQueueLength(),
        usePlayheadPosition(),
        useSearchTab(),
        useBrowse().letter,
        Object.keys(useDownloads()).length,
        usePlaylistSummaries().length,
        useStation() === null,
        useOfflineStatus() === null,
        useSettings() === null,
      ].join(' '),
    );
    expect(html).toBe('<p>search true 0.8 false 0 0 tracks A 0 0 true true true</p>');
  });

  it('gives each store one actions object, functions only', () => {
    const stores = makeStores();
    const seen: object[] = [];
    const Probe = () => {
      const actions = usePlayerActions();
      seen.push(actions, useUiActions());
      return Object.values(actions).every((a) => typeof a === 'function') ? 'functions' : 'data';
    };
    expect(render(stores, Probe)).toBe('<p>functions</p>');
    stores.player.getState().setVolume(0.5);
    render(stores, Probe);
    expect(seen[2]).toBe(seen[0]);
    expect(seen[3]).toBe(seen[1]);
    expect(Object.keys(seen[0] ?? {})).toContain('togglePlay');
    expect(Object.keys(seen[0] ?? {})).not.toContain('volume');
  });

  it('says which store is used outside the provider', () => {
    function Orphan() {
      return <p>{useVolume()}</p>;
    }
    expect(() => renderToStaticMarkup(<Orphan />)).toThrow(
      'the player store is used outside <StoresProvider>',
    );
  });
});
