// radio:startArtistStation — an artist station: the core fills the artist's seed playlist
// (radio/artist-station.ts explains what goes in), then starts a station from it like any other.
import type { RadioService } from '../radio/radio-service.js';
import type { ArtistStations } from '../radio/artist-station.js';
import type { SessionService } from '../session/session-service.js';
import type { HandlersOf } from './handler-slice.js';

export function artistStationHandlers(deps: {
  stations: ArtistStations;
  radio: Pick<RadioService, 'startStation'>;
  session: Pick<SessionService, 'require'>;
}): Pick<HandlersOf<'radio'>, 'radio:startArtistStation'> {
  return {
    'radio:startArtistStation': async ({ artistId, ruleset }) => {
      const { userId } = deps.session.require();
      const seed = await deps.stations.seed(userId, artistId);
      const station = await deps.radio.startStation({ playlistIds: [seed.playlistId], ruleset });
      return {
        sessionId: station.sessionId,
        ruleset: station.ruleset,
        skipsRemaining: station.skipsRemaining,
        ...seed,
      };
    },
  };
}
