// Catalogue operations: browse, details, releases, search, batch lookups, download metadata,
// usage types, plus the generated artwork the catalogue's image URLs point at.
import { z } from 'zod';
import { artworkSvg } from '../catalogue.js';
import type { ReleaseType } from '../catalogue.js';
import type { Router } from '../http.js';
import {
  ServiceError,
  missingParameter,
  notFound,
  outOfRange,
  parseBody,
  readJsonBody,
  readPaging,
  sendJson,
  sendText,
} from '../http.js';
import type { RouteContext } from './context.js';
import { pageOf } from './context.js';

const releaseTypes: readonly ReleaseType[] = ['album', 'single', 'ep', 'compilation'];

const BatchTrackRequest = z.object({ trackIds: z.array(z.string()), showErrors: z.boolean().optional() });
const BatchReleaseRequest = z.object({ releaseIds: z.array(z.string()), showErrors: z.boolean().optional() });

const usageTypes = [
  { id: 'download', name: 'Download', description: 'Permanent download of purchased tracks and releases.' },
  {
    id: 'subscription-streaming',
    name: 'Subscription Streaming',
    description: 'Streaming to subscribers in interactive playback.',
  },
  {
    id: 'catalogue-streaming',
    name: 'Catalogue Streaming',
    description: 'Radio-style, non-interactive streaming of any catalogue track.',
  },
  {
    id: 'locker-streaming',
    name: 'Locker Streaming',
    description: 'Streaming of purchased content from a user’s locker.',
  },
  { id: 'preview', name: 'Preview', description: '30-second preview clips.' },
  {
    id: 'offline',
    name: 'Offline Subscription',
    description: 'Encrypted caching of subscription tracks on authorised devices.',
  },
];

export function registerCatalogueRoutes(router: Router, ctx: RouteContext): void {
  // Long by design (over 80 lines): a table of routes, one short entry per route.
  const { catalogue, views, config } = ctx;
  const paging = (query: URLSearchParams) => readPaging(query, config.maxPageSize, config.defaultPageSize);
  const requiredQuery = (query: URLSearchParams, name: string) => {
    const value = query.get(name);
    if (value === null || value.trim() === '') throw missingParameter(name);
    return value;
  };
  const listing = <T, J>(query: URLSearchParams, list: readonly T[], key: string, view: (item: T) => J) => {
    const p = paging(query);
    return {
      status: 'ok',
      page: p.page,
      pageSize: p.pageSize,
      totalItems: list.length,
      [key]: pageOf(list, p).map(view),
    };
  };

  router.add('GET', '/artists/browse', (req, res) => {
    const letter = requiredQuery(req.query, 'letter');
    sendJson(res, 200, listing(req.query, catalogue.browseArtists(letter), 'artists', views.artist));
  });
  router.add('GET', '/artists/search', (req, res) => {
    const q = requiredQuery(req.query, 'q');
    sendJson(res, 200, listing(req.query, catalogue.searchArtists(q), 'artists', views.artist));
  });
  router.add('GET', '/artists/{artistId}/details', (req, res) => {
    const artist = catalogue.artists.get(req.params.artistId ?? '');
    if (!artist) throw notFound('Artist');
    sendJson(res, 200, views.artist(artist));
  });
  router.add('GET', '/artists/{artistId}/releases', (req, res) => {
    const artist = catalogue.artists.get(req.params.artistId ?? '');
    if (!artist) throw notFound('Artist');
    const type = req.query.get('type');
    if (type !== null && !releaseTypes.includes(type as ReleaseType)) {
      throw new ServiceError(
        400,
        1006,
        `Value of parameter type is not valid: expected one of ${releaseTypes.join(', ')}`,
      );
    }
    const list = catalogue.releasesOfArtist(artist.id, (type ?? undefined) as ReleaseType | undefined);
    sendJson(res, 200, listing(req.query, list, 'releases', views.release));
  });

  router.add('GET', '/releases/search', (req, res) => {
    const q = requiredQuery(req.query, 'q');
    sendJson(res, 200, listing(req.query, catalogue.searchReleases(q), 'releases', views.release));
  });
  router.add('GET', '/releases/{releaseId}/details', (req, res) => {
    const release = catalogue.releases.get(req.params.releaseId ?? '');
    if (!release) throw notFound('Release');
    sendJson(res, 200, views.release(release));
  });
  router.add('GET', '/releases/{releaseId}/tracks', (req, res) => {
    const release = catalogue.releases.get(req.params.releaseId ?? '');
    if (!release) throw notFound('Release');
    const tracks = catalogue.tracksOfRelease(release.id);
    sendJson(res, 200, {
      status: 'ok',
      page: 1,
      pageSize: tracks.length,
      totalItems: tracks.length,
      tracks: tracks.map(views.track),
    });
  });
  router.add('POST', '/releases/details/batch', (req, res) => {
    const body = parseBody(BatchReleaseRequest, readJsonBody(req));
    if (body.releaseIds.length > config.batchLookupMax)
      throw outOfRange(`At most ${config.batchLookupMax} releaseIds per request`);
    const releases: unknown[] = [];
    const errors: { code: number; message: string; index: number }[] = [];
    body.releaseIds.forEach((id, index) => {
      const release = catalogue.releases.get(id);
      if (release) releases.push(views.release(release));
      else errors.push({ code: 2001, message: `Release not found: ${id.slice(0, 64)}`, index });
    });
    sendJson(res, 200, { status: 'ok', releases, ...(body.showErrors ? { errors } : {}) });
  });

  router.add('GET', '/tracks/search', (req, res) => {
    const q = requiredQuery(req.query, 'q');
    sendJson(res, 200, listing(req.query, catalogue.searchTracks(q), 'tracks', views.track));
  });
  router.add('GET', '/tracks/{trackId}/details', (req, res) => {
    const text = views.trackText(req.params.trackId ?? '');
    if (text === null) throw notFound('Track');
    sendText(res, 200, 'application/json; charset=utf-8', text);
  });
  router.add('POST', '/tracks/details/batch', (req, res) => {
    const body = parseBody(BatchTrackRequest, readJsonBody(req));
    if (body.trackIds.length > config.batchLookupMax)
      throw outOfRange(`At most ${config.batchLookupMax} trackIds per request`);
    const tracks: unknown[] = [];
    const errors: { code: number; message: string; index: number }[] = [];
    body.trackIds.forEach((id, index) => {
      const track = views.trackById(id);
      if (track) tracks.push(track);
      else errors.push({ code: 2001, message: `Track not found: ${id.slice(0, 64)}`, index });
    });
    sendJson(res, 200, { status: 'ok', tracks, ...(body.showErrors ? { errors } : {}) });
  });
  router.add('GET', '/tracks/{trackId}/download', (req, res) => {
    const track = catalogue.tracks.get(req.params.trackId ?? '');
    if (!track) throw notFound('Track');
    const expiresAt = new Date(ctx.state.now() + config.signedMediaUrlTtlSec * 1000);
    sendJson(res, 200, {
      url: ctx.downloadUrl(track.id),
      expiresAt: expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
  });

  router.add('GET', '/usage-types', (_req, res) => {
    sendJson(res, 200, { status: 'ok', usageTypes });
  });

  const svg = (res: Parameters<Parameters<Router['add']>[2]>[1], text: string) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    sendText(res, 200, 'image/svg+xml; charset=utf-8', text);
  };
  router.add('GET', '/_media/artwork/{releaseId}', (req, res) => {
    const release = catalogue.releases.get(req.params.releaseId ?? '');
    if (!release) throw notFound('Artwork');
    svg(res, artworkSvg(release.id, release.title, catalogue.releaseArtistName(release)));
  });
  router.add('GET', '/_media/artwork/artists/{artistId}', (req, res) => {
    const artist = catalogue.artists.get(req.params.artistId ?? '');
    if (!artist) throw notFound('Artwork');
    svg(res, artworkSvg(`a${artist.id}`, artist.name, 'Artist'));
  });
}
