import { useEffect, useState, type ReactElement } from 'react';
import type { Ruleset } from '../../../shared/ipc/contract.js';
import { useSlice, useStores } from '../../app/stores-context.js';
import { Artwork } from '../../components/artwork.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { trackTitle } from '../../components/track-row.js';

export function RadioView({ playlistId }: { playlistId?: string }): ReactElement {
  const stores = useStores();
  const radio = stores.radio.getState();
  const list = useSlice(
    (s) => s.playlists,
    (s) => s.list,
  );
  const station = useSlice(
    (s) => s.radio,
    (s) => s.station,
  );
  const current = useSlice(
    (s) => s.radio,
    (s) => s.current,
  );
  const busy = useSlice(
    (s) => s.radio,
    (s) => s.busy,
  );
  const skipAllowed = useSlice(
    (s) => s.radio,
    (s) => s.skipAllowed,
  );
  const skipsRemaining = useSlice(
    (s) => s.radio,
    (s) => s.skipsRemaining,
  );
  const [selected, setSelected] = useState<string>(playlistId ?? '');
  const [ruleset, setRuleset] = useState<Ruleset>('dmca');
  useEffect(() => {
    void stores.playlists.getState().loadList();
  }, [stores]);
  const playlists = list.status === 'ready' ? list.data : [];
  const chosen = selected || playlists[0]?.id || '';

  return (
    <section className="view" aria-labelledby="radio-title">
      <header className="view-header">
        <h1 id="radio-title">Radio</h1>
        <p className="muted">
          A licensed station built from a playlist. Radio rules limit how often you can skip.
        </p>
      </header>
      {station ? (
        <div className="radio-now">
          {current ? (
            <Artwork
              src={current.track.release?.image}
              title={current.track.release?.title ?? current.track.title}
              size={120}
            />
          ) : null}
          <div className="hero-text">
            <p className="eyebrow">On air · {station.ruleset.toUpperCase()} rules</p>
            <h2>{current ? trackTitle(current.track) : 'Tuning in…'}</h2>
            {current ? <p className="hero-sub">{current.track.artist.name}</p> : null}
            <p className="skips" aria-live="polite">
              {skipAllowed
                ? `${skipsRemaining} skip${skipsRemaining === 1 ? '' : 's'} left — use Skip in the player`
                : 'No skips left right now'}
            </p>
            <div className="hero-actions">
              <button
                type="button"
                className="btn btn-ghost"
                disabled={busy === 'stopping'}
                onClick={() => void radio.stop()}
              >
                <Icon name="stop" size={16} /> Stop station
              </button>
            </div>
          </div>
        </div>
      ) : null}
      <div className="panel">
        <h2>Start a station</h2>
        {list.status === 'error' ? (
          <ErrorState message={list.message} onRetry={() => void stores.playlists.getState().loadList()} />
        ) : list.status !== 'ready' ? (
          <Loading />
        ) : playlists.length === 0 ? (
          <Empty title="You need a playlist first">
            Radio stations are seeded from one of your playlists.
          </Empty>
        ) : (
          <form
            className="form radio-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (chosen) void radio.start([chosen], ruleset);
            }}
          >
            <label className="field">
              <span>Playlist</span>
              <select value={chosen} onChange={(e) => setSelected(e.currentTarget.value)}>
                {playlists.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} ({p.trackCount})
                  </option>
                ))}
              </select>
            </label>
            <fieldset className="field">
              <legend>Rules</legend>
              <label className="radio-option">
                <input
                  type="radio"
                  name="ruleset"
                  value="dmca"
                  checked={ruleset === 'dmca'}
                  onChange={() => setRuleset('dmca')}
                />{' '}
                DMCA (US non-interactive)
              </label>
              <label className="radio-option">
                <input
                  type="radio"
                  name="ruleset"
                  value="gvl"
                  checked={ruleset === 'gvl'}
                  onChange={() => setRuleset('gvl')}
                />{' '}
                GVL (Germany)
              </label>
            </fieldset>
            <button type="submit" className="btn btn-primary" disabled={!chosen || busy === 'starting'}>
              <Icon name="radio" size={16} /> {busy === 'starting' ? 'Starting…' : 'Start station'}
            </button>
          </form>
        )}
      </div>
    </section>
  );
}
