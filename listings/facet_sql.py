"""The SQL that keeps FacetCount in step with the listings, for PostgreSQL and SQLite.

Triggers on listings_listing add one to a listing's cell of the facet table when it goes on sale (an
insert, or an update into `active`), take one away when it leaves, and move it between cells when
what it is filed under changes (category, brand, grade, price band, inspected, authenticated), all in
the writing transaction: a reader sees the counts of the listings it sees. `REBUILD` recomputes
the table from the listings, for the migration that creates it, for bulk loads that switch the
triggers off, and as a repair (listings.services.listing_counts_rebuild).

The price bands are fixed here, as edges; listings.selectors.PRICE_BANDS is made from the same
edges, and changing them needs a migration that creates the triggers again and rebuilds.
"""

# A price band is the number of edges at or below the price: 0 under 500, 1 from 500, and so on.
BAND_EDGES = (500, 2000, 10000)


def band_case(row: str) -> str:
    """SQL for the price band of `row`'s price."""
    cases = " ".join(f"WHEN {row}.price < {edge} THEN {index}" for index, edge in enumerate(BAND_EDGES))
    return f"CASE {cases} ELSE {len(BAND_EDGES)} END"


def _cell(row: str) -> str:
    """The values of a listing's cell, in the order of CELL_COLUMNS."""
    return (
        f"{row}.category_id, coalesce({row}.brand_id, 0), {row}.grade, {band_case(row)}, "
        f"{row}.inspected_at IS NOT NULL, {row}.authenticated"
    )


CELL_COLUMNS = "category_id, brand_key, grade, band, inspected, authenticated"
# What decides a listing's cell, and whether it counts.
WATCHED = "status, category_id, brand_id, grade, price, inspected_at, authenticated"


def _match(row: str) -> str:
    return (
        f"category_id = {row}.category_id AND brand_key = coalesce({row}.brand_id, 0) "
        f"AND grade = {row}.grade AND band = {band_case(row)} "
        f"AND inspected = ({row}.inspected_at IS NOT NULL) AND authenticated = {row}.authenticated"
    )


def _add(row: str) -> str:
    return (
        f"INSERT INTO listings_facetcount ({CELL_COLUMNS}, listings) SELECT {_cell(row)}, 1 WHERE true "
        f"ON CONFLICT ({CELL_COLUMNS}) DO UPDATE SET listings = listings_facetcount.listings + 1"
    )


def _take(row: str) -> str:
    return f"UPDATE listings_facetcount SET listings = listings - 1 WHERE {_match(row)}"  # noqa: S608 - constants


REBUILD = f"""
DELETE FROM listings_facetcount;
INSERT INTO listings_facetcount ({CELL_COLUMNS}, listings)
  SELECT {_cell("l")}, count(*) FROM listings_listing l WHERE l.status = 'active'
  GROUP BY {_cell("l")};
"""  # noqa: S608 - made of this module's constants

POSTGRESQL_TRIGGER = "listings_facet_count"
POSTGRESQL = f"""
CREATE FUNCTION listings_facet_count_update() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.status, OLD.category_id, OLD.brand_id, OLD.grade, {band_case("OLD")},
      OLD.inspected_at IS NOT NULL, OLD.authenticated) IS NOT DISTINCT FROM
      (NEW.status, NEW.category_id, NEW.brand_id, NEW.grade, {band_case("NEW")},
      NEW.inspected_at IS NOT NULL, NEW.authenticated) THEN
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
  AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} ON listings_listing
  FOR EACH ROW EXECUTE FUNCTION listings_facet_count_update();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS listings_facet_count ON listings_listing;
DROP FUNCTION IF EXISTS listings_facet_count_update();
"""

# SQLite runs one statement per trigger step and has no IF: each step says when it applies.
SQLITE = f"""
CREATE TRIGGER listings_facet_count_insert AFTER INSERT ON listings_listing
  WHEN NEW.status = 'active'
  BEGIN {_add("NEW")}; END;
CREATE TRIGGER listings_facet_count_delete AFTER DELETE ON listings_listing
  WHEN OLD.status = 'active'
  BEGIN {_take("OLD")}; END;
CREATE TRIGGER listings_facet_count_update AFTER UPDATE OF {WATCHED} ON listings_listing
  BEGIN
    {_take("OLD")} AND OLD.status = 'active';
    {_add("NEW").replace("WHERE true", "WHERE NEW.status = 'active'")};
  END;
"""

SQLITE_DROP = """
DROP TRIGGER IF EXISTS listings_facet_count_insert;
DROP TRIGGER IF EXISTS listings_facet_count_delete;
DROP TRIGGER IF EXISTS listings_facet_count_update;
"""


def statements(script: str) -> list[str]:
    """The statements of a script, for connections that run one at a time (SQLite's triggers are
    one statement each, semicolons inside their BEGIN … END included)."""
    found: list[str] = []
    current: list[str] = []
    depth = 0
    for line in script.strip().splitlines():
        current.append(line)
        depth += line.count("BEGIN") - line.count("END;")
        if line.rstrip().endswith(";") and depth <= 0:
            found.append("\n".join(current).strip())
            current, depth = [], 0
    if current and "".join(current).strip():
        found.append("\n".join(current).strip())
    return found
