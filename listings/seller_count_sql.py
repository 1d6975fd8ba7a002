"""The SQL that keeps SellerCount in step with the listings, for PostgreSQL and SQLite.

A seller's listings on sale are counted in SHARDS rows, one per remainder of the listing's id: the
platform's own account sells tens of thousands of items, and one row of its own would make every
reservation, sale and return of its stock wait for the others' transactions to commit. Triggers on
listings_listing add one to a listing's row when it goes on sale, take one away when it leaves, in
the writing transaction; a reader sums a seller's rows. `REBUILD` recomputes the table, after a bulk
load with the trigger off (listings.services.listing_counts_in_bulk) or as a repair.
"""

SHARDS = 8

TABLE = "listings_sellercount"


def _add(row: str) -> str:
    return (
        f"INSERT INTO {TABLE} (seller_id, shard, listings) SELECT {row}.seller_id, {row}.id % {SHARDS}, 1 "
        f"WHERE true ON CONFLICT (seller_id, shard) DO UPDATE SET listings = {TABLE}.listings + 1"
    )


def _take(row: str) -> str:
    return (
        f"UPDATE {TABLE} SET listings = listings - 1 "  # noqa: S608 - constants
        f"WHERE seller_id = {row}.seller_id AND shard = {row}.id % {SHARDS}"
    )


REBUILD = f"""
DELETE FROM {TABLE};
INSERT INTO {TABLE} (seller_id, shard, listings)
  SELECT seller_id, id % {SHARDS}, count(*) FROM listings_listing WHERE status = 'active'
  GROUP BY seller_id, id % {SHARDS};
"""  # noqa: S608 - made of this module's constants

POSTGRESQL_TRIGGER = "listings_seller_count"
POSTGRESQL = f"""
CREATE FUNCTION listings_seller_count_update() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.status = 'active') = (NEW.status = 'active')
      AND OLD.seller_id = NEW.seller_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'active' THEN
    {_take("OLD")};
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'active' THEN
    {_add("NEW")};
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER {POSTGRESQL_TRIGGER}
  AFTER INSERT OR DELETE OR UPDATE OF status, seller_id ON listings_listing
  FOR EACH ROW EXECUTE FUNCTION listings_seller_count_update();
"""

POSTGRESQL_DROP = f"""
DROP TRIGGER IF EXISTS {POSTGRESQL_TRIGGER} ON listings_listing;
DROP FUNCTION IF EXISTS listings_seller_count_update();
"""

# SQLite runs one statement per trigger step and has no IF: each step says when it applies.
SQLITE = f"""
CREATE TRIGGER listings_seller_count_insert AFTER INSERT ON listings_listing
  WHEN NEW.status = 'active'
  BEGIN {_add("NEW")}; END;
CREATE TRIGGER listings_seller_count_delete AFTER DELETE ON listings_listing
  WHEN OLD.status = 'active'
  BEGIN {_take("OLD")}; END;
CREATE TRIGGER listings_seller_count_update AFTER UPDATE OF status, seller_id ON listings_listing
  WHEN (OLD.status = 'active') <> (NEW.status = 'active') OR OLD.seller_id <> NEW.seller_id
  BEGIN
    {_take("OLD")} AND OLD.status = 'active';
    {_add("NEW").replace("WHERE true", "WHERE NEW.status = 'active'")};
  END;
"""

SQLITE_DROP = """
DROP TRIGGER IF EXISTS listings_seller_count_insert;
DROP TRIGGER IF EXISTS listings_seller_count_delete;
DROP TRIGGER IF EXISTS listings_seller_count_update;
"""
