import { useState, type ReactElement } from 'react';

function hue(seed: string): number {
  let h = 0;
  for (let i = 0; i < seed.length; i += 1) h = (h * 31 + seed.charCodeAt(i)) % 360;
  return h;
}

/** Cover art, or a calm generated gradient with initials when there is none (or it fails to load). */
export function Artwork({
  src,
  title,
  size,
  round = false,
}: {
  src?: string | undefined;
  title: string;
  size: number;
  round?: boolean;
}): ReactElement {
  const [failed, setFailed] = useState(false);
  const style = { width: size, height: size, borderRadius: round ? '50%' : Math.max(4, size / 16) };
  if (src && !failed) {
    return (
      <img
        className="artwork"
        src={src}
        alt=""
        width={size}
        height={size}
        style={style}
        loading="lazy"
        decoding="async"
        onError={() => setFailed(true)}
      />
    );
  }
  const h = hue(title || '?');
  const initials = (title || '?')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');
  return (
    <div
      className="artwork artwork-placeholder"
      aria-hidden="true"
      style={{
        ...style,
        // Small (list-row) placeholders are flat: a gradient per row is costly to paint without a GPU.
        background:
          size <= 48
            ? `hsl(${h} 35% 26%)`
            : `linear-gradient(135deg, hsl(${h} 35% 32%), hsl(${(h + 40) % 360} 40% 18%))`,
        fontSize: Math.max(10, size / 3),
      }}
    >
      {initials}
    </div>
  );
}
