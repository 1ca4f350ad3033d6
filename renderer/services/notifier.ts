// System notifications through the web Notification API (the browser host's Chromium window;
// in Electron the window's permission handler grants this one permission to the app's own pages).
export type Notifier = {
  /** 'default' until asked, then 'granted' or 'denied'; 'unsupported' without the API. */
  permission(): NotificationPermission | 'unsupported';
  /** Asks for permission (call it from a click: browsers ignore requests without one). */
  request(): Promise<NotificationPermission | 'unsupported'>;
  show(note: { title: string; body: string; icon?: string }): void;
};

export function createNotifier(target: { Notification?: typeof Notification } = globalThis): Notifier {
  const api = target.Notification;
  return {
    permission: () => (api ? api.permission : 'unsupported'),
    request: async () => (api ? api.requestPermission() : 'unsupported'),
    show({ title, body, icon }) {
      if (!api || api.permission !== 'granted') return;
      // One notification at a time: the next track's replaces the last one (same tag).
      void new api(title, { body, silent: true, tag: 'septet-now-playing', ...(icon ? { icon } : {}) });
    },
  };
}
