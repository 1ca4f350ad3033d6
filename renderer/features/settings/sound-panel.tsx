// Settings → Sound: loudness normalisation, crossfade and the equaliser (pre-amp, 10 bands,
// presets). Kept by the core; the engine follows them as they change (bindings).
import type { ReactElement } from 'react';
import {
  defaultAudioSettings,
  type AudioSettings,
  type EqualiserPreset,
  type Settings,
} from '../../../shared/ipc/contract.js';
import { useSettingsActions } from '../../stores/settings.js';
import { bandLabels, equaliserPresets, withBand, withPreset } from './equaliser-presets.js';

const normalisationLabels: Record<AudioSettings['normalisation'], string> = {
  off: 'Off',
  quiet: 'Quiet (−23 LUFS)',
  normal: 'Normal (−14 LUFS)',
  loud: 'Loud (−11 LUFS)',
};

const signedDb = (db: number) => `${db > 0 ? '+' : db < 0 ? '−' : ''}${Math.abs(db)} dB`;

export function SoundPanel({ settings }: { settings: Settings }): ReactElement {
  const actions = useSettingsActions();
  const audio = settings.audio ?? defaultAudioSettings;
  const update = (patch: Partial<AudioSettings>) => void actions.update({ audio: { ...audio, ...patch } });
  const eq = audio.equaliser;
  return (
    <div className="panel" aria-labelledby="sound-title">
      <h2 id="sound-title">Sound</h2>
      <div className="form">
        <label className="field">
          <span>Loudness normalisation</span>
          <select
            value={audio.normalisation}
            onChange={(e) =>
              update({ normalisation: e.currentTarget.value as AudioSettings['normalisation'] })
            }
          >
            {Object.entries(normalisationLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Crossfade</span>
          <div className="range-field">
            <input
              type="range"
              min={0}
              max={12}
              step={1}
              value={audio.crossfadeSec}
              aria-label="Crossfade"
              aria-valuetext={audio.crossfadeSec === 0 ? 'Off' : `${audio.crossfadeSec} seconds`}
              onChange={(e) => update({ crossfadeSec: Number(e.currentTarget.value) })}
            />
            <output>{audio.crossfadeSec === 0 ? 'Off' : `${audio.crossfadeSec} s`}</output>
          </div>
          <small className="hint">Never between the tracks of one album: they play gapless.</small>
        </label>
        <EqualiserFields eq={eq} onChange={(equaliser) => update({ equaliser })} />
      </div>
    </div>
  );
}

/** The equaliser: on/off, a preset, the pre-amp and the 10 bands. */
function EqualiserFields(props: {
  eq: AudioSettings['equaliser'];
  onChange(eq: AudioSettings['equaliser']): void;
}): ReactElement {
  const { eq, onChange } = props;
  return (
    <fieldset className="field">
      <legend>Equaliser</legend>
      <div className="eq-head">
        <label className="check-field">
          <input
            type="checkbox"
            checked={eq.enabled}
            onChange={(e) => onChange({ ...eq, enabled: e.currentTarget.checked })}
          />{' '}
          On
        </label>
        <select
          aria-label="Equaliser preset"
          value={eq.preset}
          disabled={!eq.enabled}
          onChange={(e) => onChange(withPreset(eq, e.currentTarget.value as EqualiserPreset))}
        >
          {Object.entries(equaliserPresets).map(([value, preset]) => (
            <option key={value} value={value}>
              {preset.label}
            </option>
          ))}
          <option value="custom">Custom</option>
        </select>
      </div>
      <div className={`eq-bands${eq.enabled ? '' : ' is-off'}`}>
        <EqSlider
          label="Pre-amp"
          short="Pre"
          value={eq.preampDb}
          disabled={!eq.enabled}
          onChange={(db) => onChange({ ...eq, preset: 'custom', preampDb: db })}
        />
        {bandLabels.map((label, i) => (
          <EqSlider
            key={label}
            label={`${label} Hz`}
            short={label}
            value={eq.bandsDb[i] ?? 0}
            disabled={!eq.enabled}
            onChange={(db) => onChange(withBand(eq, i, db))}
          />
        ))}
      </div>
    </fieldset>
  );
}

function EqSlider(props: {
  label: string;
  short: string;
  value: number;
  disabled: boolean;
  onChange(db: number): void;
}): ReactElement {
  return (
    <label className="eq-band">
      <output>{signedDb(props.value)}</output>
      <input
        type="range"
        min={-12}
        max={12}
        step={1}
        value={props.value}
        disabled={props.disabled}
        aria-label={`Equaliser ${props.label}`}
        aria-valuetext={signedDb(props.value)}
        onChange={(e) => props.onChange(Number(e.currentTarget.value))}
      />
      <span>{props.short}</span>
    </label>
  );
}
