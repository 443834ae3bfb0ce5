-- Spawner events join the change sequence, so one cursor resumes the whole live stream
ALTER TABLE live_events ADD COLUMN seq INTEGER;
UPDATE live_events SET seq = -live_event_id;
CREATE UNIQUE INDEX idx_live_events_seq ON live_events(seq);
