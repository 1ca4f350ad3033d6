import { useEffect, useState, type ReactElement } from 'react';
import type { PlaylistSummary, Ruleset } from '../../../shared/ipc/contract.js';
import { Artwork } from '../../components/artwork.js';
import { Icon } from '../../components/icons.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { trackTitle } from '../../components/track-row.js';
import { usePlaylistList, usePlaylistsActions } from '../../stores/playlists.js';
import { useRadioActions, useRadioBusy, useRadioTrack, useStation } from '../../stores/radio.js';
import { SkipsLeft } from './skips-left.js';

export function RadioView({ playlistId }: { playlistId?: string }): ReactElement {
  const playlists = usePlaylistsActions();
  const list = usePlaylistList();
  const [selected, setSelected] = useState<string>(playlistId ?? '');
  const [ruleset, setRuleset] = useState<Ruleset>('dmca');
  useEffect(() => {
    void playlists.loadList();
  }, [playlists]);

  return (
    <section className="view" aria-labelledby="radio-title">
      <header className="view-header">
        <h1 id="radio-title">Radio</h1>
        <p className="muted">
          A licensed station built from a playlist. Radio rules limit how often you can skip.
        </p>
      </header>
      <OnAir />
      <div className="panel">
        <h2>Start a station</h2>
        {list.status === 'error' ? (
          <ErrorState message={list.message} onRetry={() => void playlists.loadList()} />
        ) : list.status !== 'ready' ? (
          <Loading />
        ) : list.data.length === 0 ? (
          <Empty title="You need a playlist first">
            Radio stations are seeded from one of your playlists.
          </Empty>
        ) : (
          <StartStationForm
            playlists={list.data}
            chosen={selected || list.data[0]?.id || ''}
            onChoose={setSelected}
            ruleset={ruleset}
            onRulesetChange={setRuleset}
          />
        )}
      </div>
    </section>
  );
}

/** The station playing: its track, the skips left, Stop. Nothing while no station plays. */
function OnAir(): ReactElement | null {
  const radio = useRadioActions();
  const station = useStation();
  const current = useRadioTrack();
  const busy = useRadioBusy();
  if (!station) return null;
  return (
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
        <SkipsLeft className="skips" suffix=" — use Skip in the player" />
        <p className="muted">Radio plays on as licensed: no rewinding, replaying or jumping ahead.</p>
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
  );
}

const rulesets: { id: Ruleset; label: string }[] = [
  { id: 'dmca', label: 'DMCA (US non-interactive)' },
  { id: 'gvl', label: 'GVL (Germany)' },
];

function StartStationForm(props: {
  playlists: PlaylistSummary[];
  chosen: string;
  onChoose: (playlistId: string) => void;
  ruleset: Ruleset;
  onRulesetChange: (ruleset: Ruleset) => void;
}): ReactElement {
  const { chosen, ruleset } = props;
  const radio = useRadioActions();
  const busy = useRadioBusy();
  return (
    <form
      className="form radio-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen) void radio.start([chosen], ruleset);
      }}
    >
      <label className="field">
        <span>Playlist</span>
        <select value={chosen} onChange={(e) => props.onChoose(e.currentTarget.value)}>
          {props.playlists.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.trackCount})
            </option>
          ))}
        </select>
      </label>
      <fieldset className="field">
        <legend>Rules</legend>
        {rulesets.map((r) => (
          <label key={r.id} className="radio-option">
            <input
              type="radio"
              name="ruleset"
              value={r.id}
              checked={ruleset === r.id}
              onChange={() => props.onRulesetChange(r.id)}
            />{' '}
            {r.label}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="btn btn-primary" disabled={!chosen || busy === 'starting'}>
        <Icon name="radio" size={16} /> {busy === 'starting' ? 'Starting…' : 'Start station'}
      </button>
    </form>
  );
}
