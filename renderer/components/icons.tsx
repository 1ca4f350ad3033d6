// Inline SVG icons (decorative: the buttons carrying them have their own accessible names).
import type { ReactElement } from 'react';

const paths = {
  play: 'M8 5.14v13.72a1 1 0 0 0 1.52.85l10.6-6.86a1 1 0 0 0 0-1.7L9.52 4.29A1 1 0 0 0 8 5.14Z',
  pause: 'M7 5h3.5v14H7zM13.5 5H17v14h-3.5z',
  next: 'M6 6.5v11a.8.8 0 0 0 1.25.66L15 12.66V17.5a.5.5 0 0 0 .5.5h1.5a.5.5 0 0 0 .5-.5v-11a.5.5 0 0 0-.5-.5h-1.5a.5.5 0 0 0-.5.5v4.84L7.25 5.84A.8.8 0 0 0 6 6.5Z',
  previous:
    'M18 6.5v11a.8.8 0 0 1-1.25.66L9 12.66V17.5a.5.5 0 0 1-.5.5H7a.5.5 0 0 1-.5-.5v-11A.5.5 0 0 1 7 6h1.5a.5.5 0 0 1 .5.5v4.84l7.75-5.5A.8.8 0 0 1 18 6.5Z',
  shuffle: 'M16 3h5v5M4 20 21 3M21 16v5h-5M15 15l6 6M4 4l5 5',
  repeat: 'M17 2l4 4-4 4M3 11V9a3 3 0 0 1 3-3h15M7 22l-4-4 4-4M21 13v2a3 3 0 0 1-3 3H3',
  volume: 'M11 5 6 9H2v6h4l5 4V5ZM15.5 8.5a5 5 0 0 1 0 7M19 5a10 10 0 0 1 0 14',
  mute: 'M11 5 6 9H2v6h4l5 4V5ZM22 9l-6 6M16 9l6 6',
  search: 'M11 19a8 8 0 1 0 0-16 8 8 0 0 0 0 16ZM21 21l-4.35-4.35',
  browse: 'M4 6h16M4 12h16M4 18h10',
  library: 'M4 19V5M9 19V5M14 19l4-14 3 1-4 14z',
  playlist: 'M3 6h12M3 12h12M3 18h8M17 18V8l4-1v9',
  radio:
    'M4.9 19.1a10 10 0 0 1 0-14.2M19.1 4.9a10 10 0 0 1 0 14.2M7.8 16.2a6 6 0 0 1 0-8.4M16.2 7.8a6 6 0 0 1 0 8.4M12 13a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z',
  offline: 'M12 3v12M7 10l5 5 5-5M5 21h14',
  settings:
    'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1Z',
  queue: 'M3 6h18M3 12h18M3 18h12',
  plus: 'M12 5v14M5 12h14',
  playNext: 'M3 6h12M3 12h8M3 18h8M16 12l5 3-5 3z',
  addQueue: 'M3 6h14M3 12h10M3 18h8M18 14v6M15 17h6',
  close: 'M6 6l12 12M18 6 6 18',
  up: 'M12 19V5M5 12l7-7 7 7',
  down: 'M12 5v14M19 12l-7 7-7-7',
  trash: 'M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6',
  download: 'M12 3v12M7 10l5 5 5-5M5 21h14',
  cart: 'M6 6h15l-1.5 9h-12zM6 6 5 3H2M9 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2ZM18 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z',
  back: 'M15 18l-6-6 6-6',
  skip: 'M5 5v14l8-7zM13 5v14l8-7z',
  stop: 'M6 6h12v12H6z',
  cloudOff: 'M2 2l20 20M5.8 5.8A6 6 0 0 0 6 18h11M20.5 16.5A4 4 0 0 0 17 10h-1.3A8 8 0 0 0 9.4 4.6',
  check: 'M5 12l5 5L20 7',
  lock: 'M6 11h12v10H6zM8 11V7a4 4 0 0 1 8 0v4',
  edit: 'M4 20h4L19 9l-4-4L4 16zM14 6l4 4',
  music: 'M9 18V5l12-2v13M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0ZM21 16a3 3 0 1 1-6 0 3 3 0 0 1 6 0Z',
  signOut: 'M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9',
  home: 'M3 11 12 4l9 7M5 10v10h5v-6h4v6h5V10',
  heart:
    'M20.84 4.61a5.5 5.5 0 0 0-7.78 0L12 5.67l-1.06-1.06a5.5 5.5 0 0 0-7.78 7.78l1.06 1.06L12 21.23l7.78-7.78 1.06-1.06a5.5 5.5 0 0 0 0-7.78z',
  heartFilled:
    'M20.84 4.61a5.5 5.5 0 0 0-7.78 0L12 5.67l-1.06-1.06a5.5 5.5 0 0 0-7.78 7.78l1.06 1.06L12 21.23l7.78-7.78 1.06-1.06a5.5 5.5 0 0 0 0-7.78z',
  moon: 'M20 14.5A8 8 0 1 1 9.5 4a6.5 6.5 0 0 0 10.5 10.5Z',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
} as const;

export type IconName = keyof typeof paths;
const filled: ReadonlySet<IconName> = new Set<IconName>([
  'play',
  'pause',
  'next',
  'previous',
  'skip',
  'stop',
  'heartFilled',
]);

export function Icon({ name, size = 20 }: { name: IconName; size?: number }): ReactElement {
  const fill = filled.has(name);
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      fill={fill ? 'currentColor' : 'none'}
      stroke={fill ? 'none' : 'currentColor'}
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={paths[name]} />
    </svg>
  );
}
