import { describe, expect, it } from 'vitest';
import { channelArgs, channels, eventNames, isChannel, isEventName } from './contract.js';

describe('IPC contract', () => {
  it('names channels domain:verbNoun and events domain:somethingChanged', () => {
    for (const channel of channels) expect(channel).toMatch(/^[a-z]+:[a-z]+[A-Za-z]*$/);
    for (const event of eventNames)
      expect(event).toMatch(/^[a-z]+:[a-z]+[A-Za-z]*(Changed|TakenOver|Pressed)$/);
  });

  it('takes one plain object per channel and rejects anything else', () => {
    for (const channel of channels) {
      const schema = channelArgs[channel];
      expect(schema.safeParse('text').success, channel).toBe(false);
      expect(schema.safeParse([]).success, channel).toBe(false);
      expect(schema.safeParse(null).success, channel).toBe(false);
    }
  });

  it('knows its own names only', () => {
    expect(isChannel('session:getSession')).toBe(true);
    expect(isChannel('toString')).toBe(false);
    expect(isChannel('__proto__')).toBe(false);
    expect(isEventName('session:sessionChanged')).toBe(true);
    expect(isEventName('session:getSession')).toBe(false);
  });

  it('bounds what the renderer can send', () => {
    expect(
      channelArgs['playlists:update'].safeParse({ playlistId: 'p', description: 'x'.repeat(501) }).success,
    ).toBe(false);
    expect(channelArgs['catalogue:searchTracks'].parse({ q: ' love ' })).toEqual({
      q: 'love',
      page: 1,
      pageSize: 20,
    });
    expect(channelArgs['sales:buy'].safeParse({ releaseId: 'r', trackId: 't' }).success).toBe(false);
    expect(channelArgs['settings:update'].safeParse({ apiBaseUrl: 'http://evil' }).success).toBe(false);
  });
});
