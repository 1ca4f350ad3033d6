// The generated bulk of the catalogue, drawn from the seeded dice in one fixed order: 600
// artists with 1–7 releases each, 300 compilations, then albums until there are 21,000 tracks
// and 2,000 releases. Every 40th release is unavailable in one country; every 500th is dated in
// the future.
import { pad, type CatalogueBuilder, type Dice, type TrackInput } from './builder.js';
import type { CatalogueArtist, ReleaseType } from './types.js';
import {
  adjectives,
  firstNames,
  labels,
  lastNames,
  nouns,
  pluralNouns,
  prepositions,
  verbs,
  versions,
} from './words.js';

type Generation = { b: CatalogueBuilder; dice: Dice; releaseCounter: number };

export function addGeneratedCatalogue(
  b: CatalogueBuilder,
  dice: Dice,
  various: CatalogueArtist,
  takenNames: Iterable<string>,
): void {
  const gen: Generation = { b, dice, releaseCounter: 0 };
  const generated = addGeneratedArtists(b, dice, takenNames);
  for (const artist of generated) {
    const n = 1 + Math.floor(dice.rnd() * 7);
    for (let i = 0; i < n; i += 1) addGeneratedRelease(gen, artist);
  }
  for (let c = 0; c < 300; c += 1) addCompilation(gen, various, generated);
  while (b.tracks.size < 21000 || b.releases.size < 2000)
    addGeneratedRelease(gen, dice.pick(generated), 'album');
}

function addGeneratedArtists(b: CatalogueBuilder, { rnd, pick }: Dice, takenNames: Iterable<string>) {
  const names = new Set<string>(takenNames);
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
    generated.push(b.addArtist(name, Math.floor(100 * rnd() ** 2)));
  }
  return generated;
}

function addGeneratedRelease(gen: Generation, artist: CatalogueArtist, forcedType?: ReleaseType): void {
  const { rnd, pick, int } = gen.dice;
  const r = rnd();
  const type: ReleaseType = forcedType ?? (r < 0.5 ? 'album' : r < 0.75 ? 'ep' : 'single');
  const count = type === 'album' ? int(8, 14) : type === 'ep' ? int(4, 6) : int(1, 3);
  const popularity = Math.max(0, Math.min(100, Math.round(artist.popularity + (rnd() - 0.5) * 30)));
  gen.releaseCounter += 1;
  const releaseCounter = gen.releaseCounter;
  const single = type === 'single' ? trackTitle(gen.dice) : null;
  const list = Array.from({ length: count }, (_x, i) => {
    const t = trackFor(gen.dice, artist, popularity, type === 'album');
    if (single && i === 0) t.title = single;
    return t;
  });
  gen.b.addRelease({
    title: single ?? releaseTitle(gen.dice),
    type,
    artist,
    releaseDate: releaseCounter % 500 === 250 ? `2031-0${int(1, 9)}-15` : date(gen.dice),
    label: pick(labels),
    popularity,
    unavailableIn: releaseCounter % 40 === 7 ? [pick(['US', 'DE', 'GB', 'FR'])] : [],
    tracks: list,
  });
}

function addCompilation(
  gen: Generation,
  various: CatalogueArtist,
  generated: readonly CatalogueArtist[],
): void {
  const { rnd, pick, int } = gen.dice;
  const count = int(14, 22);
  const popularity = int(10, 90);
  gen.releaseCounter += 1;
  gen.b.addRelease({
    title: `${pick(['Best of', 'Now That’s', 'Essential', 'Ultimate', 'Pure', 'Late Night'])} ${pick(nouns)} ${pick(['Hits', 'Classics', 'Anthems', 'Grooves', 'Ballads'])}${rnd() < 0.4 ? ` Vol. ${int(1, 9)}` : ''}`,
    type: 'compilation',
    artist: various,
    releaseDate: date(gen.dice),
    label: pick(labels),
    popularity,
    tracks: Array.from({ length: count }, () => trackFor(gen.dice, pick(generated), popularity, false)),
  });
}

function trackFor(dice: Dice, artist: CatalogueArtist, releasePopularity: number, long: boolean): TrackInput {
  const { rnd, pick, int } = dice;
  const hasVersion = rnd() < 0.08;
  return {
    title: trackTitle(dice),
    version: hasVersion ? pick(versions) : null,
    artist,
    durationSec: long && rnd() < 0.12 ? int(360, 600) : int(140, 330),
    explicit: rnd() < 0.08,
    popularity: Math.max(0, Math.min(100, Math.round(releasePopularity + (rnd() - 0.5) * 30))),
  };
}

function trackTitle({ rnd, pick }: Dice): string {
  const r = rnd();
  if (r < 0.25) return `${pick(adjectives)} ${pick(nouns)}`;
  if (r < 0.4) return `${pick(verbs)} ${pick(prepositions)} the ${pick(nouns)}`;
  if (r < 0.5) return pick(nouns);
  if (r < 0.6) return `${pick(nouns)} of ${pick(nouns)}s`.replace(/ss$/, 's');
  if (r < 0.7) return `Don't Stop ${pick(verbs)}`;
  if (r < 0.8) return `${pick(verbs)} ${pick(adjectives)}`;
  if (r < 0.9) return `The ${pick(adjectives)} ${pick(nouns)}`;
  return `${pick(nouns)} in ${pick(['Blue', 'Gold', 'Red', 'Grey', 'Green', 'Black', 'White'])}`;
}

function releaseTitle({ rnd, pick }: Dice): string {
  const r = rnd();
  if (r < 0.3) return `${pick(adjectives)} ${pick(nouns)}`;
  if (r < 0.5) return `The ${pick(nouns)}`;
  if (r < 0.65) return `${pick(nouns)} & ${pick(nouns)}`;
  if (r < 0.8) return pick(pluralNouns);
  return `${pick(verbs)} ${pick(prepositions)} the ${pick(nouns)}`;
}

const date = ({ int }: Dice) => `${int(1962, 2025)}-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}`;
