// The catalogue's fixed releases: the demo set (first, with easy-to-find ids) and the gapless
// releases (last), by the demo artists.
import type { CatalogueBuilder, Dice } from './builder.js';
import type { CatalogueArtist, ReleaseType } from './types.js';

/** The demo set: fixed artists and releases with short tracks, first in the catalogue. */
const demoSetSpec: {
  artist: string;
  title: string;
  type: ReleaseType;
  tracks: string[];
  label: string;
  date: string;
}[] = [
  {
    artist: 'The Septet Ensemble',
    title: 'First Light',
    type: 'album',
    label: 'Harbourlight Records',
    date: '2024-03-15',
    tracks: [
      'Overture for Seven',
      'Morning Signal',
      'Copper Skies',
      'The Long Corridor',
      'Seven Bridges',
      'Paper Boats',
      'Quiet Engine',
      'Lanterns on the Water',
      'Afterglow',
      'North by Northwest',
      'Slow Return',
      'First Light',
    ],
  },
  {
    artist: 'The Septet Ensemble',
    title: 'Night Signals',
    type: 'ep',
    label: 'Harbourlight Records',
    date: '2025-01-24',
    tracks: ['Night Signals', 'Static Lullaby', 'Radio Tower', 'Blue Hour', 'Last Transmission'],
  },
  {
    artist: 'Aurora Vale',
    title: 'Glass Harbour',
    type: 'album',
    label: 'Glasshouse Music',
    date: '2023-09-01',
    tracks: [
      'Glass Harbour',
      'Tidewater',
      'Salt and Silver',
      'Lighthouse Keeper',
      'Undertow',
      'Harbour Lights',
      'Sea Glass',
      'Low Sun',
    ],
  },
  {
    artist: 'Marlow & The Tides',
    title: 'Low Tide Sessions',
    type: 'ep',
    label: 'Saltwater Tapes',
    date: '2022-06-10',
    tracks: ['Low Tide', 'Driftwood', 'Gulls', 'Estuary', 'Sandbar', 'High Water'],
  },
  {
    artist: 'Kestrel Avenue',
    title: 'Paper Satellites',
    type: 'single',
    label: 'Paper Kite Records',
    date: '2025-05-02',
    tracks: ['Paper Satellites', 'Paper Satellites (Radio Edit)', 'Orbit'],
  },
  {
    artist: 'Café Ümlaut',
    title: 'Crème Brûlée',
    type: 'single',
    label: 'Comet Row',
    date: '2024-11-08',
    tracks: ['Crème Brûlée', 'Señorita Café', 'Über Alles Gut', 'Déjà Vu'],
  },
  {
    artist: 'Various Artists',
    title: 'Septet Sampler Vol. 1',
    type: 'compilation',
    label: 'Harbourlight Records',
    date: '2025-08-29',
    tracks: ['Sampler Intro', 'Harbour Mix', 'Tidal Theme', 'Avenue Groove', 'Ümlaut Waltz', 'Septet Coda'],
  },
];
/** Releases whose tracks run into each other with no gap: a live album, a DJ mix, a suite. */
const gaplessSpec: { artist: string; title: string; label: string; date: string; tracks: string[] }[] = [
  {
    artist: 'The Septet Ensemble',
    title: 'Live at Harbour Hall',
    label: 'Harbourlight Records',
    date: '2025-10-03',
    tracks: [
      'Welcome (Live)',
      'Morning Signal (Live)',
      'Copper Skies (Live)',
      'Seven Bridges (Live)',
      'Paper Boats (Live)',
      'Lanterns on the Water (Live)',
      'First Light (Live)',
    ],
  },
  {
    artist: 'Aurora Vale',
    title: 'Tidal Drift (Continuous Mix)',
    label: 'Glasshouse Music',
    date: '2024-07-19',
    tracks: [
      'Tidal Drift (Mixed)',
      'Undertow (Mixed)',
      'Harbour Lights (Mixed)',
      'Salt and Silver (Mixed)',
      'Sea Glass (Mixed)',
      'Low Sun (Mixed)',
      'Night Tide (Mixed)',
      'Shoreline (Mixed)',
    ],
  },
  {
    artist: 'Marlow & The Tides',
    title: 'The Estuary Suite',
    label: 'Saltwater Tapes',
    date: '2023-11-24',
    tracks: ['I. Dawn', 'II. Current', 'III. Slack Water', 'IV. Flood', 'V. Dusk'],
  },
];
const samplerArtists = [
  'The Septet Ensemble',
  'Aurora Vale',
  'Marlow & The Tides',
  'Kestrel Avenue',
  'Café Ümlaut',
  'Aurora Vale',
];

/** The demo artists, by name ("Various Artists" included). */
export type DemoArtists = Map<string, CatalogueArtist>;

/** The demo set, first: fixed, easy-to-find ids (artists 100000–100005, releases 1000001–1000007). */
export function addDemoSet(b: CatalogueBuilder, { int }: Dice): DemoArtists {
  const various = b.addArtist('Various Artists', 40);
  const audioArtists: DemoArtists = new Map<string, CatalogueArtist>([['Various Artists', various]]);
  for (const name of [
    'The Septet Ensemble',
    'Aurora Vale',
    'Marlow & The Tides',
    'Kestrel Avenue',
    'Café Ümlaut',
  ]) {
    audioArtists.set(name, b.addArtist(name, int(70, 95)));
  }
  for (const spec of demoSetSpec) {
    const artist = audioArtists.get(spec.artist) as CatalogueArtist;
    b.addRelease({
      title: spec.title,
      type: spec.type,
      artist,
      releaseDate: spec.date,
      label: spec.label,
      popularity: int(60, 95),
      demo: true,
      tracks: spec.tracks.map((title, i) => ({
        title,
        version: null,
        artist:
          spec.type === 'compilation'
            ? (audioArtists.get(samplerArtists[i % samplerArtists.length] as string) as CatalogueArtist)
            : artist,
        durationSec: int(35, 75),
        explicit: false,
        popularity: int(50, 99),
      })),
    });
  }
  return audioArtists;
}

/** The gapless releases, last, so every id before them stays what it was before they existed. */
export function addGaplessReleases(b: CatalogueBuilder, { int }: Dice, audioArtists: DemoArtists): void {
  for (const spec of gaplessSpec) {
    const artist = audioArtists.get(spec.artist) as CatalogueArtist;
    b.addRelease({
      title: spec.title,
      type: 'album',
      artist,
      releaseDate: spec.date,
      label: spec.label,
      popularity: int(55, 85),
      gapless: true,
      tracks: spec.tracks.map((title) => ({
        title,
        version: null,
        artist,
        durationSec: int(40, 80),
        explicit: false,
        popularity: int(40, 80),
      })),
    });
  }
}
