// The generated catalogue: deterministic, big enough, plausible, with an easy-to-find demo set
// and three gapless releases.
import { describe, expect, it } from 'vitest';
import {
  demoSetTracks,
  generateCatalogue,
  getCatalogue,
  normalise,
  startsWithDigitOrSymbol,
} from './catalogue.js';

describe('generated catalogue', () => {
  const catalogue = getCatalogue();

  it('browses "#" as the names that start with a digit or a symbol, not every artist', () => {
    expect(
      ['4th Avenue', '!Action Pact', '…And You Will Know', ' 99 Lanterns'].map(startsWithDigitOrSymbol),
    ).toEqual([true, true, true, true]);
    expect(['Aurora Vale', 'Ólafur Quist', 'Émile', ''].map(startsWithDigitOrSymbol)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    const all = [...catalogue.artists.values()];
    const expected = all.filter((a) => startsWithDigitOrSymbol(a.sortName)).map((a) => a.id);
    expect(
      catalogue
        .browseArtists('#')
        .map((a) => a.id)
        .sort(),
    ).toEqual(expected.sort());
    expect(catalogue.browseArtists('#').length).toBeLessThan(all.length);
    expect(
      catalogue
        .browseArtists('a')
        .every((a) => normalise(a.sortName).startsWith('a') || a.norm.startsWith('a')),
    ).toBe(true);
  });

  it('is deterministic', () => {
    const again = generateCatalogue();
    expect(again.stats).toEqual(catalogue.stats);
    expect(
      [...again.tracks.values()].slice(0, 500).map((t) => [t.id, t.title, t.isrc, t.durationSec]),
    ).toEqual(
      [...catalogue.tracks.values()].slice(0, 500).map((t) => [t.id, t.title, t.isrc, t.durationSec]),
    );
  });

  it('has the required size and release types', () => {
    expect(catalogue.stats.artists).toBeGreaterThanOrEqual(500);
    expect(catalogue.stats.releases).toBeGreaterThanOrEqual(2000);
    expect(catalogue.stats.tracks).toBeGreaterThanOrEqual(20000);
    const types = new Set([...catalogue.releases.values()].map((r) => r.type));
    expect([...types].sort()).toEqual(['album', 'compilation', 'ep', 'single']);
  });

  it('has unique ISRCs, valid EAN-13 UPCs and numeric ids', () => {
    const tracks = [...catalogue.tracks.values()];
    expect(new Set(tracks.map((t) => t.isrc)).size).toBe(tracks.length);
    for (const release of catalogue.releases.values()) {
      expect(release.id).toMatch(/^\d+$/);
      const digits = release.upc.split('').map(Number);
      const sum = digits.slice(0, 12).reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 1 : 3), 0);
      expect((10 - (sum % 10)) % 10).toBe(digits[12]);
    }
  });

  it('exports a demo set of 40+ short tracks over 6+ releases, one a full album', () => {
    const set = demoSetTracks();
    expect(set.length).toBeGreaterThanOrEqual(40);
    expect(new Set(set.map((t) => t.releaseId)).size).toBeGreaterThanOrEqual(6);
    expect(set.every((t) => t.durationSec >= 35 && t.durationSec <= 75)).toBe(true);
    const album = catalogue.releases.get(set[0]?.releaseId ?? '');
    expect(album?.type).toBe('album');
    expect(album?.trackIds.length).toBeGreaterThanOrEqual(10);
    expect(album?.trackIds.every((id) => set.some((t) => t.trackId === id))).toBe(true);
  });

  it('keeps the ids it had before the gapless releases were added, and puts those last', () => {
    expect(catalogue.tracks.get('10000001')?.title).toBe('Overture for Seven');
    expect(catalogue.tracks.get('10022297')?.releaseId).toBe('1002656');
    const gapless = catalogue.gaplessReleases();
    expect(gapless.map((r) => r.title)).toEqual([
      'Live at Harbour Hall',
      'Tidal Drift (Continuous Mix)',
      'The Estuary Suite',
    ]);
    expect(gapless.map((r) => r.id)).toEqual(['1002657', '1002658', '1002659']);
    for (const release of gapless) {
      expect(release.type).toBe('album');
      expect(release.trackIds.length).toBeGreaterThanOrEqual(5);
    }
  });

  it('search is case and accent tolerant and puts exact titles first', () => {
    expect(normalise('Café Ümlaut & Crème')).toBe('cafe umlaut and creme');
    expect(catalogue.searchArtists('cafe umlaut')[0]?.name).toBe('Café Ümlaut');
    expect(catalogue.searchArtists('SEPTET')[0]?.name).toBe('The Septet Ensemble');
    expect(catalogue.searchReleases('glass harbour')[0]?.title).toBe('Glass Harbour');
  });

  it('weights search results by popularity within a match tier', () => {
    const results = catalogue
      .searchTracks('harbour')
      .filter((t) => !t.normTitle.startsWith('harbour') && t.normTitle !== 'harbour');
    const popularity = results.slice(0, 50).map((t) => t.popularity);
    expect(popularity).toEqual([...popularity].sort((a, b) => b - a));
  });
});
