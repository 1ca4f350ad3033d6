// The finished catalogue's lookups: by id, an artist's releases (newest first), a release's
// tracks, the demo set and the gapless releases, A–Z browse, and search (case and accent
// insensitive, every word a prefix; exact title, then title prefix, then phrase, each tier by
// popularity), with the last 500 browse and search answers kept.
import type { CatalogueBuilder } from './builder.js';
import { normalise, startsWithDigitOrSymbol } from './normalise.js';
import type { CatalogueArtist, CatalogueRelease, CatalogueTrack, DemoTrack, ReleaseType } from './types.js';

type Scored<T> = { item: T; score: number };
type Searchable = { norm: string; popularity: number; id: string };

export function catalogueLookups({ artists, releases, tracks, releasesByArtist }: CatalogueBuilder) {
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
  const cached = createAnswerCache();

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

function searchIn<T extends Searchable>(list: T[], query: string, titleOf: (item: T) => string): T[] {
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
}

/** Answers by key, computed once; all forgotten when there are more than 500. */
function createAnswerCache() {
  const cache = new Map<string, unknown[]>();
  return <T>(key: string, compute: () => T[]): T[] => {
    const hit = cache.get(key);
    if (hit) return hit as T[];
    const value = compute();
    if (cache.size > 500) cache.clear();
    cache.set(key, value);
    return value;
  };
}
