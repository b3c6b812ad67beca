-- The activity report sums follow-ups per expert and kind: this index holds every column it
-- reads, in the order it groups them, so neither the follow-ups themselves are read nor the
-- groups sorted (a range of days is checked within each expert and kind).
CREATE INDEX followups_activity_idx ON followups (expert_id, kind_id, happened_at, minutes);
