-- The activity report sums follow-ups per expert and kind over a range of days: this index holds
-- every column it reads, so the follow-ups themselves are not read.
CREATE INDEX followups_activity_idx ON followups (happened_at, expert_id, kind_id, minutes);
