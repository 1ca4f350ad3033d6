// Every figure of issue 5, in the order the bench runs them.
import type { FigureGroup } from './figure.js';
import { audioPipeline } from '../figures/audio-pipeline.js';
import { firstAudio } from '../figures/first-audio.js';
import { lists } from '../figures/lists.js';
import { coldStart } from '../figures/cold-start.js';
import { emulatorMedia } from '../figures/emulator-media.js';
import { emulatorThroughput } from '../figures/emulator-throughput.js';
import { memory } from '../figures/memory.js';
import { moduleLoad } from '../figures/module-load.js';
import { search } from '../figures/search.js';
import { offlineCache } from '../figures/offline-cache.js';
import { playLog } from '../figures/play-log.js';

export const figureGroups: FigureGroup[] = [
  emulatorThroughput,
  emulatorMedia,
  playLog,
  offlineCache,
  moduleLoad,
  search,
  firstAudio,
  coldStart,
  lists,
  memory,
  audioPipeline,
];
