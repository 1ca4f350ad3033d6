// Reordering a virtual list's rows: drag and drop (the listener drags a row; a line shows where
// it will land), and the keyboard (Shift+Alt+↑/↓, or Alt+↑/↓, moves the focused row by one).
// The handlers sit on the list, not on each row: a 10,000-row list pays nothing per row.
import {
  useCallback,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from 'react';

export type ListReorder<T> = {
  /** Moves the item at `from` to index `to` (both 0-based, in the list as shown). */
  move(from: number, to: number): void;
  /** What a screen reader hears after a move, e.g. "Moved Sea Glass to position 2 of 3". */
  describe?(item: T, to: number, count: number): string;
};

/** The row index of the element an event came from (rows carry data-index). */
export function rowIndexOf(target: EventTarget | null): number | null {
  if (!(target instanceof Element)) return null;
  const row = target.closest<HTMLElement>('[data-index]');
  const index = row ? Number(row.dataset.index) : NaN;
  return Number.isInteger(index) ? index : null;
}

/** The index an item dragged from `from` ends at when dropped in gap `gap` (0 = before the first row). */
export function dropTarget(from: number, gap: number): number {
  return gap > from ? gap - 1 : gap;
}

/** The index a keyboard move asks for, or null when the key is not a move (or goes nowhere). */
export function keyboardMoveTarget(
  e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>,
  index: number,
  count: number,
): number | null {
  if (!e.altKey || e.ctrlKey || e.metaKey) return null;
  const to = e.key === 'ArrowUp' ? index - 1 : e.key === 'ArrowDown' ? index + 1 : null;
  return to === null || to < 0 || to >= count ? null : to;
}

export type ReorderHandlers = {
  onDragStart(e: DragEvent): void;
  onDragOver(e: DragEvent): void;
  onDrop(e: DragEvent): void;
  onDragEnd(): void;
  onKeyDown(e: KeyboardEvent): void;
};

export function useListReorder<T>(options: {
  items: readonly T[];
  rowHeight: number;
  innerRef: RefObject<HTMLElement | null>;
  reorder: ListReorder<T> | undefined;
  /** Called after a keyboard move with the row's new index (to keep it in view). */
  onMoved(to: number): void;
}): { dropGap: number | null; announcement: string; handlers: ReorderHandlers | undefined } {
  const { items, rowHeight, innerRef, reorder, onMoved } = options;
  const dragFrom = useRef<number | null>(null);
  const [dropGap, setDropGap] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const moveAndAnnounce = useCallback(
    (from: number, to: number) => {
      const item = items[from];
      if (!reorder || item === undefined || from === to) return;
      reorder.move(from, to);
      setAnnouncement(reorder.describe?.(item, to, items.length) ?? `Moved to position ${to + 1}`);
    },
    [items, reorder],
  );

  const reset = useCallback(() => {
    dragFrom.current = null;
    setDropGap(null);
  }, []);

  if (!reorder) return { dropGap: null, announcement: '', handlers: undefined };
  const gapAt = (clientY: number): number => {
    const top = innerRef.current?.getBoundingClientRect().top ?? 0;
    return Math.max(0, Math.min(items.length, Math.round((clientY - top) / rowHeight)));
  };
  const handlers: ReorderHandlers = {
    onDragStart(e) {
      const index = rowIndexOf(e.target);
      if (index === null) return;
      dragFrom.current = index;
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', String(index));
    },
    onDragOver(e) {
      if (dragFrom.current === null) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      const gap = gapAt(e.clientY);
      if (gap !== dropGap) setDropGap(gap);
    },
    onDrop(e) {
      const from = dragFrom.current;
      if (from === null) return;
      e.preventDefault();
      moveAndAnnounce(from, dropTarget(from, gapAt(e.clientY)));
      reset();
    },
    onDragEnd: reset,
    onKeyDown(e) {
      const index = rowIndexOf(e.target);
      if (index === null) return;
      const to = keyboardMoveTarget(e, index, items.length);
      if (to === null) return;
      e.preventDefault();
      moveAndAnnounce(index, to);
      onMoved(to);
    },
  };
  return { dropGap, announcement, handlers };
}

/** Where focus was in a list: the row's key, the focused control's label, the row's index. */
export type ListFocus = { key: string; label: string | null; index: number };

/** The list row holding the focused element, read before a render changes the rows. */
export function focusInside(root: HTMLElement | null): ListFocus | null {
  const active = root?.ownerDocument.activeElement;
  if (!root || !active || !root.contains(active)) return null;
  const row = active.closest<HTMLElement>('[data-key]');
  if (!row?.dataset.key) return null;
  return { key: row.dataset.key, label: active.getAttribute('aria-label'), index: Number(row.dataset.index) };
}

/**
 * After rows moved or went away, focus that fell to the page body goes back to the same control
 * of the same row (by its label), or to the first control of the row now at that index.
 */
export function restoreFocus(root: HTMLElement | null, before: ListFocus | null, count: number): void {
  if (!root || !before || count === 0) return;
  const doc = root.ownerDocument;
  const active = doc.activeElement;
  if (active && active !== doc.body && active.isConnected) return;
  const row =
    root.querySelector<HTMLElement>(`[data-key="${CSS.escape(before.key)}"]`) ??
    root.querySelector<HTMLElement>(`[data-index="${Math.min(before.index, count - 1)}"]`);
  if (!row) return;
  const byLabel = before.label
    ? row.querySelector<HTMLElement>(`[aria-label="${CSS.escape(before.label)}"]`)
    : null;
  const target = byLabel ?? row.querySelector<HTMLElement>('button:not([disabled]), [tabindex]');
  target?.focus({ preventScroll: true });
  target?.scrollIntoView?.({ block: 'nearest' });
}

/** True for the keys that open a context menu from the keyboard: the context-menu key, Shift+F10. */
export function isMenuKey(
  e: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey'>,
): boolean {
  if (e.ctrlKey || e.altKey || e.metaKey) return false;
  return e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10');
}

export type RowMenuOpener<T> = (item: T, index: number, at: { x: number; y: number }) => void;

/**
 * One pair of handlers for all the rows of a list: right-click opens the row's menu at the
 * pointer; the context-menu key or Shift+F10 opens it beside the focused row.
 */
export function contextMenuOnRows<T>(
  items: readonly T[],
  open: RowMenuOpener<T>,
): { onContextMenu(e: MouseEvent): void; onKeyDown(e: KeyboardEvent): void } {
  const openAt = (target: EventTarget | null, pointer: { x: number; y: number } | null): boolean => {
    const row = target instanceof Element ? target.closest<HTMLElement>('[data-index]') : null;
    const index = row ? Number(row.dataset.index) : NaN;
    const item = items[index];
    if (!row || item === undefined) return false;
    const box = row.getBoundingClientRect();
    open(item, index, pointer ?? { x: box.left + 48, y: box.bottom });
    return true;
  };
  return {
    onContextMenu(e) {
      // A keyboard-made contextmenu event has no pointer position.
      const pointer = e.clientX === 0 && e.clientY === 0 ? null : { x: e.clientX, y: e.clientY };
      if (openAt(e.target, pointer)) e.preventDefault();
    },
    onKeyDown(e) {
      if (isMenuKey(e) && openAt(e.target, null)) e.preventDefault();
    },
  };
}
