// Schema version 1 of settings.sqlite: one key/value table (settings, queue, session record,
// offline items, clientId). Shipped: never edit; add a new numbered file instead.
export const keyValue = `
      CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
    `;
