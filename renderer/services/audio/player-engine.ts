// The player's audio engine: two decks (deck.ts), each an <audio> element routed through the
// one WebAudio graph (audio-graph.ts). One deck plays; the tracks of a release follow each other
// on its gapless timeline. With crossfade on, the next track of another release starts on the
// other deck the crossfade's length before the end, fading in while the first fades out
// (equal power); the player hears 'ended' for the first track then and loads the next, which
// the engine starts on the other deck. Only the playing deck's events and clock reach the player.
import type { AudioSettings } from '../../../shared/ipc/contract.js';
import { defaultAudioSettings } from '../../../shared/ipc/contract.js';
import type { AudioEngine, EngineEventMap, StreamSource } from '../audio-engine.js';
import { createLogger } from '../logger.js';
import { createAudioGraph, type AudioGraph } from './audio-graph.js';
import { createDeck, type Deck, type Prepared } from './deck.js';
import { parseMediaPlaylist } from './media-playlist.js';
import { fetchKey, fetchWithRetry } from './segment-fetch.js';
import { createTrackLoudness, type LoudnessStore } from './track-loudness.js';

const log = createLogger('player-engine');

export type PlayerEngine = AudioEngine & {
  readonly graph: AudioGraph;
  setAudioSettings(settings: AudioSettings): void;
};

type Listener<K extends keyof EngineEventMap> = (payload: EngineEventMap[K]) => void;
const eventNames: (keyof EngineEventMap)[] = ['time', 'playing', 'waiting', 'ended', 'seeked', 'error'];

/** A stream's playlist and key. */
async function prepare(url: string, signal: AbortSignal): Promise<Prepared> {
  const text = new TextDecoder().decode(await fetchWithRetry(url, signal));
  const playlist = parseMediaPlaylist(text, url);
  const key = playlist.key ? await fetchKey(playlist.key.url, signal) : null;
  return { url, playlist, key };
}

/** Crossfade applies between tracks of different releases (never inside one: it plays gapless). */
export function crossfades(settings: AudioSettings, from: StreamSource | null, to: StreamSource): boolean {
  if (settings.crossfadeSec <= 0 || !from) return false;
  return from.releaseId === undefined || from.releaseId !== to.releaseId;
}

// One closure on purpose (over 80 lines): the methods share the two decks, which one plays, the
// crossfade in progress and the settings; a deck's own work is in deck.ts.
export function createPlayerEngine(
  options: { element?: HTMLAudioElement; loudnessStore?: LoudnessStore } = {},
): PlayerEngine {
  const graph = createAudioGraph();
  const loudness = createTrackLoudness(graph.context, options.loudnessStore);
  let settings: AudioSettings = defaultAudioSettings;
  // A preloaded stream's playlist and key wait here for the load that plays it, which takes
  // them: every other load fetches its playlist itself (the gateway counts a stream as served
  // from its playlist, and the same track can come back under the same URL).
  const prepared = new Map<string, Promise<Prepared>>();
  const preparing = new AbortController();
  const prepareAhead = (url: string) => {
    if (prepared.has(url)) return;
    const p = prepare(url, preparing.signal);
    p.catch((err: unknown) => {
      prepared.delete(url);
      log.warn('preload failed', err);
    });
    prepared.set(url, p);
    if (prepared.size > 4) prepared.delete(prepared.keys().next().value as string);
  };
  const take = (url: string): Promise<Prepared> => {
    const p = prepared.get(url);
    prepared.delete(url);
    return p ?? prepare(url, preparing.signal);
  };
  const makeDeck = (element: HTMLAudioElement): Deck => {
    element.preload = 'auto';
    return createDeck({
      element,
      input: graph.addSource(element),
      loudness,
      settings: () => settings,
      prepare: take,
      resumeOutput: () => graph.resume(),
    });
  };
  const decks = [
    makeDeck(options.element ?? document.createElement('audio')),
    makeDeck(document.createElement('audio')),
  ] as const;
  let active: Deck = decks[0];
  const other = () => (active === decks[0] ? decks[1] : decks[0]);
  /** The next track when it will crossfade (preloaded, not appended). */
  let crossfadeNext: StreamSource | null = null;
  /** The deck fading out, and when its fade ends. */
  let fading: { deck: Deck; timer: ReturnType<typeof setTimeout> } | null = null;
  let crossfadeStarted = false;
  const volume = { level: 1, muted: false };

  const listeners = new Map<keyof EngineEventMap, Set<(payload: never) => void>>();
  const emit = <K extends keyof EngineEventMap>(event: K, payload: EngineEventMap[K]) => {
    for (const l of listeners.get(event) ?? []) (l as Listener<K>)(payload);
  };
  const forward = <K extends keyof EngineEventMap>(deck: Deck, name: K) =>
    deck.events.on(name, (payload) => {
      if (deck !== active) return;
      if (name === 'time') watchCrossfade();
      if (name === 'ended' && crossfadeStarted) return; // the player heard it when the fade began
      emit(name, payload);
    });
  for (const deck of decks) for (const name of eventNames) forward(deck, name);
  const mark = () => {
    for (const deck of decks) {
      const on = deck === active;
      deck.element.classList.toggle('audio-engine', on);
      if (on) deck.element.dataset.testid = 'audio-engine';
      else delete deck.element.dataset.testid;
    }
  };
  mark();

  const endFade = () => {
    if (!fading) return;
    clearTimeout(fading.timer);
    fading.deck.stop();
    fading.deck.input.resetFade();
    fading = null;
  };

  /** In the crossfade's last seconds of a track: the player hears 'ended' and loads the next. */
  const watchCrossfade = () => {
    if (!crossfadeNext || crossfadeStarted || active.element.paused) return;
    const length = Math.min(settings.crossfadeSec, (active.remaining() + active.element.currentTime) / 2);
    if (active.remaining() > length) return;
    crossfadeStarted = true;
    emit('ended', undefined);
  };

  /** The next track starts on the other deck while the playing one fades out. */
  const startCrossfade = (next: StreamSource, autoplay: boolean) => {
    endFade();
    const outgoing = active;
    const length = Math.max(0.5, Math.min(settings.crossfadeSec, outgoing.remaining()));
    active = other();
    if (!active.element.isConnected) outgoing.element.after(active.element);
    mark();
    active.input.fade(0, 0.001);
    active.load(next, 0, autoplay);
    active.input.fade(1, length);
    outgoing.input.fade(0, length);
    fading = { deck: outgoing, timer: setTimeout(endFade, length * 1000 + 50) };
  };

  const engine: PlayerEngine = {
    get element() {
      return active.element;
    },
    graph,
    load(next, opts = {}) {
      const startAt = opts.startAt ?? 0;
      const autoplay = opts.autoplay ?? true;
      const wasCrossfading = crossfadeStarted && crossfadeNext?.url === next.url;
      crossfadeNext = null;
      crossfadeStarted = false;
      if (wasCrossfading && startAt === 0) {
        startCrossfade(next, autoplay);
        return;
      }
      endFade();
      active.input.resetFade();
      if (active.adopt(next, startAt, autoplay)) return;
      active.load(next, startAt, autoplay);
    },
    play() {
      active.play();
    },
    pause() {
      endFade();
      active.input.resetFade();
      active.pause();
    },
    seek(seconds) {
      endFade();
      active.input.resetFade();
      active.seek(seconds);
    },
    readClock: () => active.clock.read(),
    setVolume(level) {
      volume.level = Math.max(0, Math.min(1, level));
      graph.setVolume(volume.level, volume.muted);
    },
    setMuted(muted) {
      volume.muted = muted;
      graph.setVolume(volume.level, volume.muted);
    },
    preload(next) {
      if (crossfades(settings, active.source(), next)) {
        crossfadeNext = next;
        prepareAhead(next.url);
        return;
      }
      crossfadeNext = null;
      active.append(next);
    },
    retry: () => active.retry(),
    stop() {
      endFade();
      crossfadeNext = null;
      crossfadeStarted = false;
      for (const deck of decks) deck.stop();
      active.input.resetFade();
    },
    currentSource: () => active.source(),
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    destroy() {
      engine.stop();
      preparing.abort();
      listeners.clear();
      for (const deck of decks) {
        deck.events.clear();
        deck.element.remove();
      }
      void graph.context.close();
    },
    setAudioSettings(next) {
      settings = next;
      graph.setEqualiser(next.equaliser);
      for (const deck of decks) deck.applyGain();
    },
  };
  return engine;
}
