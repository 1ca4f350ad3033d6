// The catalogue under construction: its maps, and the one way artists, releases and tracks are
// added — with sequential ids (artists from 100000, releases from 1000001, tracks from
// 10000001), derived slugs, sort names, UPCs, ISRCs and prices.
import { normalise } from './normalise.js';
import type { CatalogueArtist, CatalogueRelease, CatalogueTrack, ReleaseType } from './types.js';
import { isrcCountries } from './words.js';

export type TrackInput = {
  title: string;
  version: string | null;
  artist: CatalogueArtist;
  durationSec: number;
  explicit: boolean;
  popularity: number;
};

export type ReleaseInput = {
  title: string;
  type: ReleaseType;
  artist: CatalogueArtist;
  releaseDate: string;
  label: string;
  popularity: number;
  demo?: boolean;
  gapless?: boolean;
  unavailableIn?: string[];
  tracks: TrackInput[];
};

export type CatalogueBuilder = ReturnType<typeof createCatalogueBuilder>;

/** The seeded dice every generator step draws from, in one fixed order. */
export type Dice = {
  rnd: () => number;
  pick<T>(list: readonly T[]): T;
  int(min: number, max: number): number;
};

export function createDice(rnd: () => number): Dice {
  return {
    rnd,
    pick: <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T,
    int: (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1)),
  };
}

export const pad = (n: number, width: number) => String(n).padStart(width, '0');

const trackPrice = 0.99;
const releasePrice = (type: ReleaseType, count: number) =>
  type === 'album' || type === 'compilation'
    ? 9.99
    : type === 'ep'
      ? 4.99
      : Math.round(count * 0.99 * 100) / 100;

export function createCatalogueBuilder() {
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

  const addRelease = (input: ReleaseInput): CatalogueRelease => {
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

  return { artists, releases, tracks, releasesByArtist, addArtist, addRelease };
}

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
