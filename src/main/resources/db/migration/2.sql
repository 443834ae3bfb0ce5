-- Spawner events join the change sequence (one cursor resumes the whole live stream) and carry a hash (redeliveries)
ALTER TABLE live_events ADD COLUMN seq INTEGER;
UPDATE live_events SET seq = -live_event_id;
CREATE UNIQUE INDEX idx_live_events_seq ON live_events(seq);
ALTER TABLE live_events ADD COLUMN payload_hash TEXT;
CREATE INDEX idx_live_events_hash ON live_events(session_id, payload_hash);
