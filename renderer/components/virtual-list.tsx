// A virtualised list (TanStack Virtual) with fixed-height rows: only the visible rows are in
// the DOM, so 10,000+ rows mount and scroll smoothly. Calls onEndReached near the bottom.
// Optionally reorderable (drag and drop, Shift+Alt+↑/↓); focus stays on a row that moved.
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  type KeyboardEvent,
  type ReactElement,
  type RefObject,
  type ReactNode,
} from 'react';
import {
  contextMenuOnRows,
  focusInside,
  restoreFocus,
  useListReorder,
  type ListReorder,
  type RowMenuOpener,
} from './list-reorder.js';

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
  /** Rows can be dragged to a new place, or moved with Shift+Alt+↑/↓. */
  reorder?: ListReorder<T>;
  /**
   * Right-click or the context-menu key (Shift+F10) on a row: opens the row's menu at the
   * pointer, or at the row for the keyboard. One handler on the list, none per row.
   */
  onRowContextMenu?: RowMenuOpener<T>;
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

/** The virtualizer over fixed-height rows, keyed by the items' own keys. */
function useRowVirtualizer<T>(props: VirtualListProps<T>, scrollRef: RefObject<HTMLDivElement | null>) {
  const { items, rowHeight } = props;
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
  return useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan: props.overscan ?? 5,
    getItemKey,
  });
}

export function VirtualList<T>(props: VirtualListProps<T>): ReactElement {
  const { items, rowHeight, onEndReached, onRowContextMenu } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const innerRef = useRef<HTMLDivElement>(null);
  const virtualizer = useRowVirtualizer(props, scrollRef);
  const virtualItems = virtualizer.getVirtualItems();
  const scrolling = virtualizer.isScrolling;
  const last = virtualItems[virtualItems.length - 1];

  useEffect(() => {
    if (onEndReached && last && last.index >= items.length - 10) onEndReached();
  }, [last, items.length, onEndReached]);

  // Read during render, before the commit moves or removes rows (a focused row that React moves
  // or unmounts drops focus to the page body); put back after the commit.
  const focusBefore = focusInside(scrollRef.current);
  useLayoutEffect(() => restoreFocus(scrollRef.current, focusBefore, items.length));

  const { dropGap, announcement, handlers } = useListReorder({
    items,
    rowHeight,
    innerRef,
    reorder: props.reorder,
    onMoved: (to) => virtualizer.scrollToIndex(to, { align: 'auto' }),
  });
  const menu = onRowContextMenu ? contextMenuOnRows(items, onRowContextMenu) : undefined;
  const onKeyDown = (e: KeyboardEvent) => {
    menu?.onKeyDown(e);
    if (!e.defaultPrevented) handlers?.onKeyDown(e);
  };

  const setSize = props.totalCount ?? items.length;
  return (
    <div
      ref={scrollRef}
      className={`vlist ${props.className ?? ''}`}
      onContextMenu={menu?.onContextMenu}
      onDragStart={handlers?.onDragStart}
      onDragOver={handlers?.onDragOver}
      onDrop={handlers?.onDrop}
      onDragEnd={handlers?.onDragEnd}
      onKeyDown={menu || handlers ? onKeyDown : undefined}
    >
      <div
        ref={innerRef}
        role="list"
        aria-label={props.label}
        className="vlist-inner"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualItems.map((v) => {
          const item = items[v.index];
          return item === undefined ? null : (
            <VirtualRow<T>
              key={v.key}
              list={props}
              item={item}
              index={v.index}
              start={v.start}
              setSize={setSize}
              scrolling={scrolling}
            />
          );
        })}
        {dropGap !== null ? (
          <div
            className="drop-line"
            aria-hidden="true"
            style={{ transform: `translateY(${dropGap * rowHeight}px)` }}
          />
        ) : null}
      </div>
      {props.reorder ? (
        <p className="visually-hidden" role="status">
          {announcement}
        </p>
      ) : null}
      {props.footer}
    </div>
  );
}

/** One positioned row: its list semantics, its reorder and menu hooks (data-*), the memoised content. */
function VirtualRow<T>(props: {
  list: VirtualListProps<T>;
  item: T;
  index: number;
  start: number;
  setSize: number;
  scrolling: boolean;
}): ReactElement {
  const { list, item, index } = props;
  return (
    <div
      role="listitem"
      data-index={index}
      data-key={list.getKey(item, index)}
      draggable={list.reorder ? true : undefined}
      aria-setsize={props.setSize}
      aria-posinset={index + 1}
      className={`vlist-row ${list.rowClassName?.(item, index) ?? ''}`}
      style={{ height: list.rowHeight, transform: `translateY(${props.start}px)` }}
    >
      <Row
        item={item}
        index={index}
        items={list.items}
        deps={list.rowDeps}
        scrolling={props.scrolling}
        render={list.renderRow as (item: never, index: number, scrolling: boolean) => ReactNode}
      />
    </div>
  );
}
