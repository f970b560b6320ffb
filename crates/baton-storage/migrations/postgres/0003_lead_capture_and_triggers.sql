-- Settings edited in the Agent Editor: lead capture and the AI triggers.
ALTER TABLE bots ADD COLUMN lead_capture_enabled BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE bots ADD COLUMN lead_capture_prompt TEXT NOT NULL
    DEFAULT 'I''d love to have someone follow up with you. Could you share your email?';
ALTER TABLE bots ADD COLUMN lead_capture_success TEXT NOT NULL
    DEFAULT 'Thanks! A team member will reach out shortly.';
-- The JSON of baton_domain::triggers::TriggerSettings; NULL stands for the defaults.
ALTER TABLE bots ADD COLUMN ai_triggers TEXT;
