// A virtualised list (TanStack Virtual) with fixed-height rows: only the visible rows are in
// the DOM, so 10,000+ rows mount and scroll smoothly. Calls onEndReached near the bottom.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, type ReactElement, type ReactNode } from 'react';

export type VirtualListProps<T> = {
  items: readonly T[];
  rowHeight: number;
  label: string;
  getKey: (item: T, index: number) => string;
  /** `scrolling` is true while the list scrolls: rows may skip costly content (e.g. artwork). */
  renderRow: (item: T, index: number, scrolling: boolean) => ReactNode;
  /** Total number of items when more pages exist, for aria-setsize. */
  totalCount?: number;
  onEndReached?: () => void;
  footer?: ReactNode;
  className?: string;
  rowClassName?: (item: T, index: number) => string;
  overscan?: number;
  /**
   * Rows re-render only when their item, index, the items array or this value change, not on
   * every scroll frame. Pass whatever else renderRow reads (e.g. the current queue index).
   */
  rowDeps?: unknown;
};

type RowProps = {
  item: unknown;
  index: number;
  items: readonly unknown[];
  deps: unknown;
  scrolling: boolean;
  render: (item: never, index: number, scrolling: boolean) => ReactNode;
};
const Row = memo(
  function Row({ item, index, scrolling, render }: RowProps): ReactNode {
    return render(item as never, index, scrolling);
  },
  (a, b) =>
    a.item === b.item &&
    a.index === b.index &&
    a.items === b.items &&
    a.deps === b.deps &&
    a.scrolling === b.scrolling,
);

export function VirtualList<T>(props: VirtualListProps<T>): ReactElement {
  const { items, rowHeight, onEndReached } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  // A getItemKey that changes identity makes the virtualizer re-measure every item (10,000 for
  // a big playlist) on every scroll frame: keep it stable while the items are the same.
  const getKeyRef = useRef(props.getKey);
  getKeyRef.current = props.getKey;
  const getItemKey = useCallback(
    (index: number) => {
      const item = items[index];
      return item === undefined ? index : getKeyRef.current(item, index);
    },
    [items],
  );
  const estimateSize = useCallback(() => rowHeight, [rowHeight]);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan: props.overscan ?? 5,
    getItemKey,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const scrolling = virtualizer.isScrolling;
  const last = virtualItems[virtualItems.length - 1];

  useEffect(() => {
    if (onEndReached && last && last.index >= items.length - 10) onEndReached();
  }, [last, items.length, onEndReached]);

  const setSize = props.totalCount ?? items.length;
  return (
    <div ref={scrollRef} className={`vlist ${props.className ?? ''}`}>
      <div
        role="list"
        aria-label={props.label}
        className="vlist-inner"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualItems.map((v) => {
          const item = items[v.index];
          if (item === undefined) return null;
          return (
            <div
              key={v.key}
              role="listitem"
              aria-setsize={setSize}
              aria-posinset={v.index + 1}
              className={`vlist-row ${props.rowClassName?.(item, v.index) ?? ''}`}
              style={{ height: rowHeight, transform: `translateY(${v.start}px)` }}
            >
              <Row
                item={item}
                index={v.index}
                items={items}
                deps={props.rowDeps}
                scrolling={scrolling}
                render={props.renderRow as (item: never, index: number, scrolling: boolean) => ReactNode}
              />
            </div>
          );
        })}
      </div>
      {props.footer}
    </div>
  );
}
