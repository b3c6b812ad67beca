DROP INDEX followups_activity_idx;
