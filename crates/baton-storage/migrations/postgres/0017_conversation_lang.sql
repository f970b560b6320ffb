-- The visitor's language (ISO 639-1: en, de, fr, es, pt): the server writes its own notes to the
-- visitor in it.
ALTER TABLE conversations ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
