-- A workspace's OpenAI-compatible model (issue 5). NULL base URL: the server's default engine.
-- The API key is never returned by the API.
ALTER TABLE workspaces ADD COLUMN llm_base_url TEXT;
ALTER TABLE workspaces ADD COLUMN llm_model TEXT;
ALTER TABLE workspaces ADD COLUMN llm_api_key TEXT;
