-- Secrets of the installation as a whole (not of one workspace), shared by every node of it:
-- `attachment_links` signs the capability links to attachments that FreshChat agents open.
-- Created on first use by whichever node gets there first; never returned by the API.
CREATE TABLE installation_secrets (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
