// Global keyboard shortcuts: Space play/pause, ←/→ seek, ↑/↓ volume, M mute, Ctrl/Cmd+F search.
import type { AppStores } from '../stores/app-stores.js';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

function isInteractive(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    isTyping(target) ||
    target.tagName === 'BUTTON' ||
    target.tagName === 'A' ||
    target.getAttribute('role') === 'tab'
  );
}

export function installShortcuts(stores: AppStores, target: Window = window): () => void {
  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f') {
      e.preventDefault();
      stores.ui.getState().focusSearch();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (target.document.querySelector('dialog[open]')) return;
    const player = stores.player.getState();
    switch (e.key) {
      case ' ':
        // Space on a focused button presses that button; elsewhere it is play/pause.
        if (isInteractive(e.target)) return;
        e.preventDefault();
        player.togglePlay();
        return;
      case 'ArrowLeft':
      case 'ArrowRight':
        if (isTyping(e.target)) return;
        e.preventDefault();
        player.seekBy((e.key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? 30 : 5));
        return;
      case 'ArrowUp':
      case 'ArrowDown':
        if (isTyping(e.target)) return;
        e.preventDefault();
        player.setVolume(player.volume + (e.key === 'ArrowUp' ? 0.05 : -0.05));
        return;
      case 'm':
      case 'M':
        if (isTyping(e.target)) return;
        e.preventDefault();
        player.toggleMute();
        return;
      default:
        return;
    }
  };
  target.addEventListener('keydown', onKeyDown);
  return () => target.removeEventListener('keydown', onKeyDown);
}
