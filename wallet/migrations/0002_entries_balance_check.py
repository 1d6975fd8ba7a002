"""PostgreSQL checks, at commit, that every transaction's entries sum to zero.

ledger_post already refuses an unbalanced transaction; this is the database's word on it, so that no
other code path (a shell, a data fix, a future bug) can store money that appears from nowhere. The
trigger is deferred to the end of the database transaction because a transaction's entries are
inserted one by one. SQLite, the embedded development database, has no deferred triggers.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION wallet_transaction_balanced() RETURNS trigger AS $$
DECLARE
    txn bigint;
    total numeric;
BEGIN
    txn := CASE WHEN TG_OP = 'DELETE' THEN OLD.transaction_id ELSE NEW.transaction_id END;
    SELECT COALESCE(SUM(amount), 0) INTO total FROM wallet_entry WHERE transaction_id = txn;
    IF total <> 0 THEN
        RAISE EXCEPTION 'wallet transaction % is unbalanced by %', txn, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER wallet_entry_balanced
    AFTER INSERT OR UPDATE OR DELETE ON wallet_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION wallet_transaction_balanced();
"""

DROP = """
DROP TRIGGER IF EXISTS wallet_entry_balanced ON wallet_entry;
DROP FUNCTION IF EXISTS wallet_transaction_balanced();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Through a cursor with no parameters: the function's RAISE uses % placeholders of its own.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("wallet", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
