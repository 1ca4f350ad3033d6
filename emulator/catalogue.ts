// The deterministic generated catalogue: artists, releases and tracks built from a seeded
// PRNG at start (same ids and metadata on every machine), with in-memory indexes for lookups,
// browse and search. Every track has audio (the media engine makes it on demand). The first
// releases form the "demo set" (short tracks by the demo artists, used by the demo account's
// locker and playlists); the last three are the gapless releases, each one continuous signal.
import { seededRandom } from '../shared/random.js';

export type ReleaseType = 'album' | 'single' | 'ep' | 'compilation';

export type CatalogueArtist = {
  id: string;
  name: string;
  sortName: string;
  slug: string;
  popularity: number;
  /** normalised name (lower case, no accents) for browse and search */
  norm: string;
};

export type CatalogueRelease = {
  id: string;
  title: string;
  type: ReleaseType;
  artistId: string;
  releaseDate: string;
  label: string;
  upc: string;
  explicit: boolean;
  popularity: number;
  /** price in the catalogue currency (config.priceCurrency) */
  price: number;
  trackIds: string[];
  /** ISO countries where the release may not be streamed or sold */
  unavailableIn: string[];
  /** One of the demo artists' short releases (the demo account's locker and playlists). */
  demo: boolean;
  /** Its tracks are one continuous signal cut at the track boundaries (live album, mix, suite). */
  gapless: boolean;
  norm: string;
  normTitle: string;
};

export type CatalogueTrack = {
  id: string;
  title: string;
  version: string | null;
  artistId: string;
  releaseId: string;
  trackNumber: number;
  durationSec: number;
  explicit: boolean;
  isrc: string;
  popularity: number;
  price: number;
  demo: boolean;
  norm: string;
  normTitle: string;
};

/** A demo-set track as the demo data and tests see it. */
export type DemoTrack = {
  trackId: string;
  releaseId: string;
  title: string;
  trackNumber: number;
  durationSec: number;
  artistName: string;
  releaseTitle: string;
};

export type Catalogue = ReturnType<typeof generateCatalogue>;

/** Lower case, accents and punctuation removed: "Café Ümlaut!" → "cafe umlaut". */
export function normalise(text: string): string {
  // Most names are plain ASCII: skip the Unicode decomposition (half the catalogue's start-up).
  const folded = /[^\x20-\x7e]/.test(text) ? foldAccents(text) : text;
  return folded
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Whether a name files under "#" in an A–Z index: its first character is not a letter. */
export function startsWithDigitOrSymbol(name: string): boolean {
  const first = name.trim().charAt(0);
  return first !== '' && !/\p{L}/u.test(first);
}

function foldAccents(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[øØ]/g, 'o')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[đĐ]/g, 'd')
    .replace(/[łŁ]/g, 'l');
}

const firstNames = [
  'Ada',
  'Björn',
  'Chloé',
  'Dev',
  'Elena',
  'Finn',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kai',
  'Lena',
  'Mårten',
  'Nina',
  'Oskar',
  'Priya',
  'Quinn',
  'Renée',
  'Sofia',
  'Tomás',
  'Uma',
  'Viktor',
  'Wren',
  'Xavier',
  'Yara',
  'Zoë',
  'Anaïs',
  'José',
  'Ólafur',
  'Saoirse',
  'Mateo',
  'Leïla',
  'Noah',
  'Iris',
  'Felix',
  'Astrid',
  'Ruben',
  'Mila',
  'Theo',
  'Clara',
  'Idris',
  'Maya',
];
const lastNames = [
  'Hart',
  'Lindqvist',
  'Moreau',
  'Okafor',
  'Reyes',
  'Nakamura',
  'Kowalski',
  'Brennan',
  'Silva',
  'Novak',
  'Haddad',
  'Fischer',
  'Dubois',
  'Jensen',
  'Castro',
  'Achebe',
  'Müller',
  'Ferreira',
  'Sørensen',
  'Rossi',
  'Walsh',
  'Ibáñez',
  'Park',
  'Quist',
  'Varga',
  'Abara',
  'Lowe',
  'Marsh',
  'Delacroix',
  'Byrne',
  'Stone',
  'Vale',
];
const adjectives = [
  'Silver',
  'Electric',
  'Velvet',
  'Hollow',
  'Golden',
  'Quiet',
  'Neon',
  'Paper',
  'Crimson',
  'Lunar',
  'Wild',
  'Frozen',
  'Burning',
  'Distant',
  'Gentle',
  'Midnight',
  'Broken',
  'Northern',
  'Restless',
  'Secret',
  'Faded',
  'Bright',
  'Wandering',
  'Sleeping',
  'Glass',
  'Copper',
  'Amber',
  'Static',
  'Tender',
  'Endless',
  'Hidden',
  'Open',
  'Saltwater',
  'Violet',
  'Heavy',
  'Little',
];
const nouns = [
  'Harbour',
  'Engine',
  'Garden',
  'River',
  'Signal',
  'Lantern',
  'Mirror',
  'Orchard',
  'Satellite',
  'Highway',
  'Ocean',
  'Comet',
  'Forest',
  'Canyon',
  'Window',
  'Parade',
  'Echo',
  'Feather',
  'Tide',
  'Kingdom',
  'Meadow',
  'Thunder',
  'Compass',
  'Horizon',
  'Fever',
  'Cathedral',
  'Lighthouse',
  'Season',
  'Shadow',
  'Avenue',
  'Machine',
  'Island',
  'Winter',
  'Summer',
  'Heart',
  'Fire',
  'Rain',
  'Wolves',
  'Birds',
  'Stars',
];
const pluralNouns = [
  'Foxes',
  'Lanterns',
  'Pilots',
  'Strangers',
  'Sailors',
  'Ghosts',
  'Machines',
  'Rivers',
  'Kites',
  'Echoes',
  'Satellites',
  'Dreamers',
  'Tigers',
  'Mirrors',
  'Parades',
  'Architects',
  'Swallows',
  'Comets',
  'Hounds',
  'Monarchs',
];
const verbs = [
  'Running',
  'Falling',
  'Dancing',
  'Waiting',
  'Dreaming',
  'Burning',
  'Drifting',
  'Calling',
  'Holding',
  'Chasing',
  'Singing',
  'Breaking',
  'Fading',
  'Rising',
  'Walking',
  'Flying',
];
const prepositions = ['through', 'under', 'over', 'into', 'beyond', 'across', 'behind', 'towards'];
const labels = [
  'Harbourlight Records',
  'Northern Static',
  'Velvet Machine Music',
  'Copperfield Recordings',
  'Lantern Sound',
  'Paper Kite Records',
  'Blue Orchard',
  'Midnight Avenue',
  'Saltwater Tapes',
  'Glasshouse Music',
  'Comet Row',
  'Amberline',
  'Open Window Records',
  'Thunder Bay Audio',
  'Kingfisher Sound',
  'Riverbed Records',
  'Hollow Pine',
  'Silver Tide Music',
  'Fever Dream Records',
  'Quiet Storm Ltd',
];
const versions = ['Remastered 2011', 'Radio Edit', 'Live', 'Acoustic', 'Extended Mix', 'Demo', 'Remix'];
const isrcCountries = ['GB', 'US', 'DE', 'FR', 'SE', 'NL', 'IE', 'CA'];

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

function slugify(text: string): string {
  return normalise(text).replace(/ /g, '-') || 'x';
}

function sortNameOf(name: string): string {
  return name.startsWith('The ') ? `${name.slice(4)}, The` : name;
}

function ean13(body12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(body12[i]) * (i % 2 === 0 ? 1 : 3);
  return body12 + String((10 - (sum % 10)) % 10);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function generateCatalogue(seed = 7) {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));

  const artists = new Map<string, CatalogueArtist>();
  const releases = new Map<string, CatalogueRelease>();
  const tracks = new Map<string, CatalogueTrack>();
  const releasesByArtist = new Map<string, string[]>();
  let nextArtist = 100000;
  let nextRelease = 1000001;
  let nextTrack = 10000001;
  let isrcCounter = 0;

  const addArtist = (name: string, popularity: number): CatalogueArtist => {
    const artist: CatalogueArtist = {
      id: String(nextArtist++),
      name,
      sortName: sortNameOf(name),
      slug: slugify(name),
      popularity,
      norm: normalise(name),
    };
    artists.set(artist.id, artist);
    releasesByArtist.set(artist.id, []);
    return artist;
  };

  const trackPrice = 0.99;
  const releasePrice = (type: ReleaseType, count: number) =>
    type === 'album' || type === 'compilation'
      ? 9.99
      : type === 'ep'
        ? 4.99
        : Math.round(count * 0.99 * 100) / 100;

  const addRelease = (input: {
    title: string;
    type: ReleaseType;
    artist: CatalogueArtist;
    releaseDate: string;
    label: string;
    popularity: number;
    demo?: boolean;
    gapless?: boolean;
    unavailableIn?: string[];
    tracks: {
      title: string;
      version: string | null;
      artist: CatalogueArtist;
      durationSec: number;
      explicit: boolean;
      popularity: number;
    }[];
  }): CatalogueRelease => {
    const id = String(nextRelease++);
    const releaseIndex = Number(id) - 1000000;
    const registrant = `S${pad(Math.floor(releaseIndex / 97) % 100, 2)}`;
    const yy = input.releaseDate.slice(2, 4);
    const release: CatalogueRelease = {
      id,
      title: input.title,
      type: input.type,
      artistId: input.artist.id,
      releaseDate: input.releaseDate,
      label: input.label,
      upc: ean13(`506${pad(releaseIndex, 9)}`),
      explicit: input.tracks.some((t) => t.explicit),
      popularity: input.popularity,
      price: releasePrice(input.type, input.tracks.length),
      trackIds: [],
      unavailableIn: input.unavailableIn ?? [],
      demo: input.demo ?? false,
      gapless: input.gapless ?? false,
      norm: normalise(`${input.title} ${input.artist.name}`),
      normTitle: normalise(input.title),
    };
    input.tracks.forEach((t, i) => {
      const track: CatalogueTrack = {
        id: String(nextTrack++),
        title: t.title,
        version: t.version,
        artistId: t.artist.id,
        releaseId: id,
        trackNumber: i + 1,
        durationSec: t.durationSec,
        explicit: t.explicit,
        isrc: `${isrcCountries[releaseIndex % isrcCountries.length]}${registrant}${yy}${pad(isrcCounter++ % 100000, 5)}`,
        popularity: t.popularity,
        price: trackPrice,
        demo: input.demo ?? false,
        norm: normalise(`${t.title} ${t.version ?? ''} ${t.artist.name} ${input.title}`),
        normTitle: normalise(t.title),
      };
      tracks.set(track.id, track);
      release.trackIds.push(track.id);
    });
    releases.set(id, release);
    releasesByArtist.get(input.artist.id)?.push(id);
    return release;
  };

  // Demo set first: fixed, easy-to-find ids (artists 100000–100005, releases 1000001–1000007).
  const various = addArtist('Various Artists', 40);
  const audioArtists = new Map<string, CatalogueArtist>([['Various Artists', various]]);
  for (const name of [
    'The Septet Ensemble',
    'Aurora Vale',
    'Marlow & The Tides',
    'Kestrel Avenue',
    'Café Ümlaut',
  ]) {
    audioArtists.set(name, addArtist(name, int(70, 95)));
  }
  for (const spec of demoSetSpec) {
    const artist = audioArtists.get(spec.artist) as CatalogueArtist;
    addRelease({
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

  // Generated artists.
  const names = new Set<string>([...audioArtists.keys()]);
  const generated: CatalogueArtist[] = [];
  while (generated.length < 600) {
    const r = rnd();
    let name: string;
    if (r < 0.35) name = `${pick(firstNames)} ${pick(lastNames)}`;
    else if (r < 0.55) name = `The ${pick(adjectives)} ${pick(pluralNouns)}`;
    else if (r < 0.75) name = `${pick(adjectives)} ${pick(nouns)}`;
    else if (r < 0.85) name = `${pick(firstNames)} & The ${pick(pluralNouns)}`;
    else if (r < 0.93) name = `${pick(nouns)} ${pick(nouns)}`;
    else name = `${pick(adjectives)}${pick(nouns).toLowerCase()}`;
    if (names.has(name)) continue;
    names.add(name);
    generated.push(addArtist(name, Math.floor(100 * rnd() ** 2)));
  }

  const trackTitle = (): string => {
    const r = rnd();
    if (r < 0.25) return `${pick(adjectives)} ${pick(nouns)}`;
    if (r < 0.4) return `${pick(verbs)} ${pick(prepositions)} the ${pick(nouns)}`;
    if (r < 0.5) return pick(nouns);
    if (r < 0.6) return `${pick(nouns)} of ${pick(nouns)}s`.replace(/ss$/, 's');
    if (r < 0.7) return `Don't Stop ${pick(verbs)}`;
    if (r < 0.8) return `${pick(verbs)} ${pick(adjectives)}`;
    if (r < 0.9) return `The ${pick(adjectives)} ${pick(nouns)}`;
    return `${pick(nouns)} in ${pick(['Blue', 'Gold', 'Red', 'Grey', 'Green', 'Black', 'White'])}`;
  };
  const releaseTitle = (): string => {
    const r = rnd();
    if (r < 0.3) return `${pick(adjectives)} ${pick(nouns)}`;
    if (r < 0.5) return `The ${pick(nouns)}`;
    if (r < 0.65) return `${pick(nouns)} & ${pick(nouns)}`;
    if (r < 0.8) return pick(pluralNouns);
    return `${pick(verbs)} ${pick(prepositions)} the ${pick(nouns)}`;
  };
  const date = () => `${int(1962, 2025)}-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}`;
  const trackFor = (artist: CatalogueArtist, releasePopularity: number, long: boolean) => {
    const hasVersion = rnd() < 0.08;
    return {
      title: trackTitle(),
      version: hasVersion ? pick(versions) : null,
      artist,
      durationSec: long && rnd() < 0.12 ? int(360, 600) : int(140, 330),
      explicit: rnd() < 0.08,
      popularity: Math.max(0, Math.min(100, Math.round(releasePopularity + (rnd() - 0.5) * 30))),
    };
  };
  const countTracks = () => tracks.size;
  let releaseCounter = 0;
  const addGeneratedRelease = (artist: CatalogueArtist, forcedType?: ReleaseType) => {
    const r = rnd();
    const type: ReleaseType = forcedType ?? (r < 0.5 ? 'album' : r < 0.75 ? 'ep' : 'single');
    const count = type === 'album' ? int(8, 14) : type === 'ep' ? int(4, 6) : int(1, 3);
    const popularity = Math.max(0, Math.min(100, Math.round(artist.popularity + (rnd() - 0.5) * 30)));
    releaseCounter += 1;
    const single = type === 'single' ? trackTitle() : null;
    const list = Array.from({ length: count }, (_x, i) => {
      const t = trackFor(artist, popularity, type === 'album');
      if (single && i === 0) t.title = single;
      return t;
    });
    addRelease({
      title: single ?? releaseTitle(),
      type,
      artist,
      releaseDate: releaseCounter % 500 === 250 ? `2031-0${int(1, 9)}-15` : date(),
      label: pick(labels),
      popularity,
      unavailableIn: releaseCounter % 40 === 7 ? [pick(['US', 'DE', 'GB', 'FR'])] : [],
      tracks: list,
    });
  };
  for (const artist of generated) {
    const n = 1 + Math.floor(rnd() * 7);
    for (let i = 0; i < n; i += 1) addGeneratedRelease(artist);
  }
  for (let c = 0; c < 300; c += 1) {
    const count = int(14, 22);
    const popularity = int(10, 90);
    releaseCounter += 1;
    addRelease({
      title: `${pick(['Best of', 'Now That’s', 'Essential', 'Ultimate', 'Pure', 'Late Night'])} ${pick(nouns)} ${pick(['Hits', 'Classics', 'Anthems', 'Grooves', 'Ballads'])}${rnd() < 0.4 ? ` Vol. ${int(1, 9)}` : ''}`,
      type: 'compilation',
      artist: various,
      releaseDate: date(),
      label: pick(labels),
      popularity,
      tracks: Array.from({ length: count }, () => trackFor(pick(generated), popularity, false)),
    });
  }
  while (countTracks() < 21000 || releases.size < 2000) addGeneratedRelease(pick(generated), 'album');

  // Gapless releases last, so every id above stays what it was before they existed.
  for (const spec of gaplessSpec) {
    const artist = audioArtists.get(spec.artist) as CatalogueArtist;
    addRelease({
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

  const artistList = [...artists.values()];
  const releaseList = [...releases.values()];
  const trackList = [...tracks.values()];
  const artistsBySortName = [...artistList].sort((a, b) =>
    normalise(a.sortName).localeCompare(normalise(b.sortName)),
  );
  for (const list of releasesByArtist.values()) {
    list.sort((a, b) =>
      (releases.get(b)?.releaseDate ?? '').localeCompare(releases.get(a)?.releaseDate ?? ''),
    );
  }
  const releaseArtistName = (r: CatalogueRelease) => artists.get(r.artistId)?.name ?? '';

  const demoSet: DemoTrack[] = trackList
    .filter((t) => t.demo)
    .map((t) => {
      const release = releases.get(t.releaseId) as CatalogueRelease;
      return {
        trackId: t.id,
        releaseId: t.releaseId,
        title: t.title,
        trackNumber: t.trackNumber,
        durationSec: t.durationSec,
        artistName: artists.get(t.artistId)?.name ?? '',
        releaseTitle: release.title,
      };
    });
  const gaplessReleases = releaseList.filter((r) => r.gapless);

  type Scored<T> = { item: T; score: number };
  const searchIn = <T extends { norm: string; popularity: number; id: string }>(
    list: T[],
    query: string,
    titleOf: (item: T) => string,
  ): T[] => {
    const q = normalise(query);
    if (!q) return [];
    const tokens = q.split(' ');
    const out: Scored<T>[] = [];
    for (const item of list) {
      const hay = ` ${item.norm} `;
      let ok = true;
      for (const token of tokens) {
        if (!hay.includes(` ${token}`)) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const title = titleOf(item);
      const tier = title === q ? 3 : title.startsWith(q) ? 2 : hay.includes(` ${q} `) ? 1 : 0;
      out.push({ item, score: tier * 1000 + item.popularity });
    }
    out.sort((a, b) => b.score - a.score || Number(a.item.id) - Number(b.item.id));
    return out.map((s) => s.item);
  };
  const cache = new Map<string, unknown[]>();
  const cached = <T>(key: string, compute: () => T[]): T[] => {
    const hit = cache.get(key);
    if (hit) return hit as T[];
    const value = compute();
    if (cache.size > 500) cache.clear();
    cache.set(key, value);
    return value;
  };

  return {
    artists,
    releases,
    tracks,
    stats: { artists: artists.size, releases: releases.size, tracks: tracks.size },
    demoSetTracks: () => demoSet.map((t) => ({ ...t })),
    gaplessReleases: () => gaplessReleases.slice(),
    artistOf: (id: string) => artists.get(id),
    releaseArtistName,
    releasesOfArtist(artistId: string, type?: ReleaseType): CatalogueRelease[] {
      const ids = releasesByArtist.get(artistId) ?? [];
      const list = ids.map((id) => releases.get(id) as CatalogueRelease);
      return type ? list.filter((r) => r.type === type) : list;
    },
    tracksOfRelease(releaseId: string): CatalogueTrack[] {
      return (releases.get(releaseId)?.trackIds ?? []).map((id) => tracks.get(id) as CatalogueTrack);
    },
    browseArtists(letters: string): CatalogueArtist[] {
      // "#" is the index's bucket for names that start with a digit or a symbol, not a prefix
      // (normalised, it would be empty and match every artist).
      if (letters.trim() === '#')
        return cached('b:#', () => artistsBySortName.filter((a) => startsWithDigitOrSymbol(a.sortName)));
      const prefix = normalise(letters);
      return cached(`b:${prefix}`, () =>
        artistsBySortName.filter(
          (a) => normalise(a.sortName).startsWith(prefix) || a.norm.startsWith(prefix),
        ),
      );
    },
    searchArtists: (q: string) => cached(`a:${normalise(q)}`, () => searchIn(artistList, q, (a) => a.norm)),
    searchReleases: (q: string) =>
      cached(`r:${normalise(q)}`, () => searchIn(releaseList, q, (r) => r.normTitle)),
    searchTracks: (q: string) =>
      cached(`t:${normalise(q)}`, () => searchIn(trackList, q, (t) => t.normTitle)),
  };
}

let shared: Catalogue | null = null;

/** The process-wide catalogue (generated once; deterministic). */
export function getCatalogue(): Catalogue {
  shared ??= generateCatalogue();
  return shared;
}

/** The demo artists' short tracks (the demo account's locker and playlists). */
export function demoSetTracks(): DemoTrack[] {
  return getCatalogue().demoSetTracks();
}

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );

/** A small deterministic SVG cover for a release (or an artist portrait placeholder). */
export function artworkSvg(id: string, title: string, subtitle: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = h % 360;
  const hue2 = (hue + 40 + (h % 90)) % 360;
  const shapes = Array.from({ length: 5 }, (_x, i) => {
    const v = (h >>> (i * 5)) & 31;
    return `<circle cx="${40 + v * 9}" cy="${60 + ((v * 7 + i * 53) % 240)}" r="${20 + ((v * 3) % 60)}" fill="hsl(${(hue + i * 25) % 360},70%,60%)" fill-opacity="0.35"/>`;
  }).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="350" height="350" viewBox="0 0 350 350">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},55%,35%)"/>` +
    `<stop offset="1" stop-color="hsl(${hue2},60%,18%)"/></linearGradient></defs>` +
    `<rect width="350" height="350" fill="url(#g)"/>${shapes}` +
    `<text x="20" y="300" font-family="sans-serif" font-size="24" fill="#fff">${escapeXml(title.slice(0, 24))}</text>` +
    `<text x="20" y="328" font-family="sans-serif" font-size="16" fill="#ddd">${escapeXml(subtitle.slice(0, 32))}</text></svg>`
  );
}
