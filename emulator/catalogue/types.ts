// The catalogue's entities as the generator makes them and the routes and views read them.

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
