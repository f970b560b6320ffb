-- The OpenAI-compatible model a workspace uses. A NULL base URL means the server's
-- default engine. The API never returns the API key.
ALTER TABLE workspaces ADD COLUMN llm_base_url TEXT;
ALTER TABLE workspaces ADD COLUMN llm_model TEXT;
ALTER TABLE workspaces ADD COLUMN llm_api_key TEXT;
