// Schema version 1 of the offline library's library.sqlite: one sealed record per release or
// playlist kept offline (its metadata and track list) and per piece of artwork.
// Shipped: never edit; add a new numbered file instead.
export const libraryRecords = `
      CREATE TABLE library_records (
        name TEXT PRIMARY KEY,
        record_id BLOB NOT NULL,
        wrapped_key BLOB NOT NULL,
        sealed BLOB NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `;
