// What a play is, in the words the contract, the play log, the player's meter, the gateway and
// the emulator share: where a track was started from, how it reached the listener, which
// logging endpoint hears about it and why it ended.
import { z } from 'zod';

/** Where the listener started the track: decides the stream endpoint and the log kind. */
export const playContexts = ['subscription', 'preview', 'locker', 'radio'] as const;
export const PlayContext = z.enum(playContexts);
export type PlayContext = z.infer<typeof PlayContext>;

/** How the audio reached the listener (the service's `playMode`). */
export const playModes = ['online', 'offline', 'online-cached'] as const;
export const PlayMode = z.enum(playModes);
export type PlayMode = z.infer<typeof PlayMode>;

/** Which logging endpoint a play goes to: /logging/{preview,catalogue,subscriber}. */
export const logKinds = ['preview', 'catalogue', 'subscriber'] as const;
export const LogKind = z.enum(logKinds);
export type LogKind = z.infer<typeof LogKind>;

/** Why a play ended (the service's `endReason`; preview logs carry none). */
export const endReasons = ['naturalEnd', 'userSkipped', 'other'] as const;
export const EndReason = z.enum(endReasons);
export type EndReason = z.infer<typeof EndReason>;
