// The renderer's composition root: the bridge client, the audio engine, the media session,
// the stores, the bindings between them, the shortcuts, then React.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.js';
import { installShortcuts } from './app/shortcuts.js';
import './app/styles.css';
import { createPlayerEngine } from './services/audio/player-engine.js';
import { createIpcClient, windowBridge } from './services/ipc-client.js';
import { createLogger } from './services/logger.js';
import { createMediaSession } from './services/media-session.js';
import { createNotifier } from './services/notifier.js';
import { createAppStores } from './stores/app-stores.js';
import { bindStores } from './stores/bindings.js';
import { StoresProvider } from './stores/stores-provider.js';

const log = createLogger('main');

function start(root: HTMLElement): void {
  const ipc = createIpcClient(windowBridge());
  const engine = createPlayerEngine({
    // Each track's measured loudness is kept by the core for the next run.
    loudnessStore: {
      get: (trackId) => ipc.call('playback:getLoudness', { trackId }),
      save: (trackId, { lufs, measuredSec }) =>
        void ipc
          .call('playback:saveLoudness', { trackId, lufs, measuredSec })
          .catch((err: unknown) => log.warn('loudness not saved', err)),
    },
  });
  engine.element.className = 'audio-engine';
  document.body.appendChild(engine.element);
  // Diagnostics: the bench taps the graph's output (figure 10) and bypasses it for comparison.
  Object.assign(window, { septetAudioGraph: engine.graph });
  const stores = createAppStores({ ipc, engine });
  const player = () => stores.player.getState();
  const mediaSession = createMediaSession({
    play: () => player().play(),
    pause: () => player().pause(),
    next: () => void player().next(),
    previous: () => void player().previous(),
    seekTo: (s) => player().seek(s),
    seekBy: (d) => player().seekBy(d),
    stop: () => player().pause(),
  });
  bindStores({ stores, engine, mediaSession, notifier: createNotifier(), audio: engine });
  installShortcuts(stores);
  createRoot(root).render(
    <StrictMode>
      <StoresProvider stores={stores}>
        <App />
      </StoresProvider>
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (root) {
  try {
    start(root);
  } catch (err) {
    log.error('Septet could not start', err);
    root.textContent = `Septet could not start: ${err instanceof Error ? err.message : String(err)}`;
  }
}
