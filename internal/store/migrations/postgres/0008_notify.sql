-- Announce every committed batch of change-log rows on the channel
-- masthead_changes. NOTIFY is delivered at commit (and never for a rolled
-- back transaction), and notifications of one transaction are merged, so
-- this costs one message per write transaction.
CREATE FUNCTION masthead_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('masthead_changes', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER changes_notify AFTER INSERT ON changes
    FOR EACH STATEMENT EXECUTE FUNCTION masthead_notify_changes();
