"""Chinese text is cut into words for the index (listings.search.document_words, jieba), into
`search_words`, and PostgreSQL's search document takes those words in: the title's at weight A, the
description's at C, read with the `simple` configuration (no stemming; the parser keeps each
space-separated Chinese word whole). A Chinese query word is then a full-text match on a word, where it
used to be a substring of the title or description (「包」 found 包装), so the trigram indexes that
served those substring matches go."""

from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION listings_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('simple', split_part(coalesce(NEW.search_words, ''), ' | ', 1)), 'A') ||
    setweight(to_tsvector('english', coalesce(
      (SELECT name || ' ' || name_zh FROM listings_brand WHERE id = NEW.brand_id), '')), 'A') ||
    setweight(to_tsvector('english', coalesce(
      (SELECT name || ' ' || name_zh FROM listings_category WHERE id = NEW.category_id), '')), 'B') ||
    setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C') ||
    setweight(to_tsvector('simple', split_part(coalesce(NEW.search_words, ''), ' | ', 2)), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS listings_search_vector ON listings_listing;
CREATE TRIGGER listings_search_vector
  BEFORE INSERT OR UPDATE OF title, description, search_words, brand_id, category_id ON listings_listing
  FOR EACH ROW EXECUTE FUNCTION listings_search_vector_update();

DROP INDEX IF EXISTS listing_title_trgm;
DROP INDEX IF EXISTS listing_description_trgm;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION listings_search_vector_update() RETURNS trigger AS $$
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

DROP TRIGGER IF EXISTS listings_search_vector ON listings_listing;
CREATE TRIGGER listings_search_vector
  BEFORE INSERT OR UPDATE OF title, description, brand_id, category_id ON listings_listing
  FOR EACH ROW EXECUTE FUNCTION listings_search_vector_update();

CREATE INDEX IF NOT EXISTS listing_title_trgm ON listings_listing
  USING gin (UPPER("title"::text) gin_trgm_ops) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS listing_description_trgm ON listings_listing
  USING gin (UPPER("description"::text) gin_trgm_ops) WHERE status = 'active';
"""

BATCH = 2000


def cut_existing(apps, schema_editor):
    """Every listing with Chinese in its text gets its words (the rest have none to add)."""
    from listings.search import CJK, document_words

    Listing = apps.get_model("listings", "Listing")
    rows = Listing.objects.only("pk", "title", "description").order_by("pk")
    changed = []
    for listing in rows.iterator(chunk_size=BATCH):
        if CJK.search(listing.title) or CJK.search(listing.description):
            listing.search_words = document_words(listing.title, listing.description)
            changed.append(listing)
        if len(changed) >= BATCH:
            Listing.objects.bulk_update(changed, ["search_words"])
            changed = []
    if changed:
        Listing.objects.bulk_update(changed, ["search_words"])


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("listings", "0011_listing_offer_floor")]
    operations = [
        migrations.AddField(
            model_name="listing",
            name="search_words",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search words"),
        ),
        migrations.RunPython(forward, backward),
        migrations.RunPython(cut_existing, migrations.RunPython.noop),
    ]
