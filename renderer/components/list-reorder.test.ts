// The pure parts of list reordering and row menus: where a drop lands, which keys move a row,
// which keys open a menu.
import { describe, expect, it } from 'vitest';
import { dropTarget, isMenuKey, keyboardMoveTarget } from './list-reorder.js';

const key = (
  k: string,
  mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = {},
) => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe('list reorder', () => {
  it('drops into the gap under the pointer, counting the dragged row out', () => {
    // Rows 0..4; gap g is before row g.
    expect(dropTarget(1, 0)).toBe(0);
    expect(dropTarget(1, 1)).toBe(1);
    expect(dropTarget(1, 2)).toBe(1);
    expect(dropTarget(1, 3)).toBe(2);
    expect(dropTarget(3, 5)).toBe(4);
  });

  it('moves the focused row with Shift+Alt+↑/↓ (or Alt+↑/↓), not past either end', () => {
    expect(keyboardMoveTarget(key('ArrowUp', { altKey: true, shiftKey: true }), 2, 5)).toBe(1);
    expect(keyboardMoveTarget(key('ArrowDown', { altKey: true, shiftKey: true }), 2, 5)).toBe(3);
    expect(keyboardMoveTarget(key('ArrowDown', { altKey: true }), 2, 5)).toBe(3);
    expect(keyboardMoveTarget(key('ArrowUp', { altKey: true, shiftKey: true }), 0, 5)).toBeNull();
    expect(keyboardMoveTarget(key('ArrowDown', { altKey: true, shiftKey: true }), 4, 5)).toBeNull();
    expect(keyboardMoveTarget(key('ArrowDown'), 2, 5)).toBeNull();
    expect(keyboardMoveTarget(key('ArrowDown', { altKey: true, ctrlKey: true }), 2, 5)).toBeNull();
  });

  it('opens a row’s menu with the context-menu key or Shift+F10', () => {
    expect(isMenuKey(key('ContextMenu'))).toBe(true);
    expect(isMenuKey(key('F10', { shiftKey: true }))).toBe(true);
    expect(isMenuKey(key('F10'))).toBe(false);
    expect(isMenuKey(key('F10', { shiftKey: true, ctrlKey: true }))).toBe(false);
  });
});
