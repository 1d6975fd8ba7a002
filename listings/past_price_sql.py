"""The SQL that records a listing's past prices (PastPrice), for PostgreSQL and SQLite.

When the price of a listing on sale (or reserved) changes, a trigger keeps the old price with the
moment it stopped being asked, in the writing transaction, whichever code changed it: a seller's
edit, a consignment's price drop, an import. What a listing asked over the last 30 days is then its
price now and the past prices asked until a moment within them (listings.selectors.lowest_price_since),
as a flash sale's price cap and a price-drop badge need. A listing whose price never changed on sale
has no rows.
"""

TABLE = "listings_pastprice"
ON_SALE = "('active', 'reserved')"

POSTGRESQL_TRIGGER = "listings_past_price"
POSTGRESQL = f"""
CREATE FUNCTION listings_past_price_record() RETURNS trigger AS $$
BEGIN
  IF OLD.price <> NEW.price AND OLD.status IN {ON_SALE} THEN
    INSERT INTO {TABLE} (listing_id, price, until) VALUES (OLD.id, OLD.price, now());
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER {POSTGRESQL_TRIGGER}
  AFTER UPDATE OF price ON listings_listing
  FOR EACH ROW EXECUTE FUNCTION listings_past_price_record();
"""  # noqa: S608 - made of this module's constants

POSTGRESQL_DROP = f"""
DROP TRIGGER IF EXISTS {POSTGRESQL_TRIGGER} ON listings_listing;
DROP FUNCTION IF EXISTS listings_past_price_record();
"""

# Django keeps SQLite's datetimes as text in this form (UTC).
SQLITE = f"""
CREATE TRIGGER listings_past_price_record AFTER UPDATE OF price ON listings_listing
  WHEN OLD.price <> NEW.price AND OLD.status IN {ON_SALE}
  BEGIN
    INSERT INTO {TABLE} (listing_id, price, until)
      VALUES (OLD.id, OLD.price, strftime('%Y-%m-%d %H:%M:%f', 'now'));
  END;
"""  # noqa: S608 - made of this module's constants

SQLITE_DROP = "DROP TRIGGER IF EXISTS listings_past_price_record;"
