"""PostgreSQL keeps each listing's search document up to date with a trigger, so that bulk inserts
(seed_bench) and every write path stay searchable without remembering to recompute it.
Title and brand weigh most, then the category, then the description. SQLite gets nothing here:
search there falls back to plain matching (listings.selectors)."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION listings_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(
      (SELECT name || ' ' || name_zh FROM listings_brand WHERE id = NEW.brand_id), '')), 'A') ||
    setweight(to_tsvector('english', coalesce(
      (SELECT name || ' ' || name_zh FROM listings_category WHERE id = NEW.category_id), '')), 'B') ||
    setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER listings_search_vector
  BEFORE INSERT OR UPDATE OF title, description, brand_id, category_id ON listings_listing
  FOR EACH ROW EXECUTE FUNCTION listings_search_vector_update();

CREATE INDEX listing_search_gin ON listings_listing USING gin (search_vector)
  WHERE status = 'active';
"""

BACKWARD = """
DROP INDEX IF EXISTS listing_search_gin;
DROP TRIGGER IF EXISTS listings_search_vector ON listings_listing;
DROP FUNCTION IF EXISTS listings_search_vector_update();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("listings", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
