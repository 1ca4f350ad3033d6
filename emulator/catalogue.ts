// The deterministic generated catalogue: artists, releases and tracks built from a seeded
// PRNG at start (same ids and metadata on every machine), with in-memory indexes for lookups,
// browse and search (catalogue/lookups.ts). Every track has audio (the media engine makes it on
// demand). The first releases form the "demo set" (short tracks by the demo artists, used by the
// demo account's locker and playlists); the last three are the gapless releases, each one
// continuous signal (catalogue/fixed-releases.ts); the bulk between them is generated
// (catalogue/generated.ts).
import { seededRandom } from '../shared/random.js';
import { createCatalogueBuilder, createDice } from './catalogue/builder.js';
import { addDemoSet, addGaplessReleases } from './catalogue/fixed-releases.js';
import { addGeneratedCatalogue } from './catalogue/generated.js';
import { catalogueLookups } from './catalogue/lookups.js';
import type { CatalogueArtist, DemoTrack } from './catalogue/types.js';

export type * from './catalogue/types.js';
export { artworkSvg } from './catalogue/artwork.js';
export { normalise, startsWithDigitOrSymbol } from './catalogue/normalise.js';

export type Catalogue = ReturnType<typeof generateCatalogue>;

export function generateCatalogue(seed = 7) {
  const dice = createDice(seededRandom(seed));
  const builder = createCatalogueBuilder();
  const demoArtists = addDemoSet(builder, dice);
  const various = demoArtists.get('Various Artists') as CatalogueArtist;
  addGeneratedCatalogue(builder, dice, various, demoArtists.keys());
  addGaplessReleases(builder, dice, demoArtists);
  return catalogueLookups(builder);
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
