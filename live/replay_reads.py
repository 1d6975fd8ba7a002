"""Reads of explanation clips for the pages of the apps below live, which ask for them through the
`listing_explained` signal (listings/signals.py, connected in live/apps.py): the item's page, its
inspection report and a dispute about it. Kept apart from live.selectors, which the live pages use.

The item's page asks on every render of its body, beside the listing's own query and similar items,
so the read is SQL written here and prepared on PostgreSQL (marketplace/prepared_statements.py), as
those two are: building the ORM's query of three tables, then planning it, cost more than running
it, and its plan (the clip_listing_newest index) is the same for every item."""

import functools
from typing import Any, cast

from django.db import connections
from django.db.models import Field, Model

from listings.explanations import ExplanationClip
from listings.photos import public_storage
from live.models import Show, ShowClip, ShowPin
from marketplace import prepared_statements

# (model, table alias in the query, field) of each column read, in order; each field's column is
# named after it.
_COLUMNS: tuple[tuple[type[Model], str, str], ...] = (
    (ShowClip, "clip", "video_key"),
    (ShowClip, "clip", "poster_key"),
    (ShowClip, "clip", "width"),
    (ShowClip, "clip", "height"),
    (ShowClip, "clip", "offset"),
    (ShowClip, "clip", "duration"),
    (Show, "show_row", "title"),
    (ShowPin, "pin", "pinned_at"),
)


def _field(model: type[Model], name: str) -> Field:
    return cast(Field, model._meta.get_field(name))  # each column is a field of the model's own


@functools.cache
def _sql(database_alias: str, limited: bool) -> str:
    """The read, in the database's own quoting (a clip's `offset` is a word SQL keeps for itself)."""
    quote = connections[database_alias].ops.quote_name
    columns = ", ".join(f"{table}.{quote(name)}" for _model, table, name in _COLUMNS)
    return (
        f"SELECT {columns} FROM {quote(ShowClip._meta.db_table)} AS clip "  # noqa: S608 - names, not input
        f"INNER JOIN {quote(Show._meta.db_table)} AS show_row ON show_row.id = clip.show_id "
        f"INNER JOIN {quote(ShowPin._meta.db_table)} AS pin ON pin.id = clip.pin_id "
        "WHERE clip.listing_id = %s ORDER BY clip.created_at DESC, clip.id DESC"
        + (" LIMIT %s" if limited else "")
    )


def explanation_clips_of(*, listing_id: int, limit: int | None) -> list[ExplanationClip]:
    """The item's clips, newest first, at most `limit` (all when None), with their show's title and
    their pin's moment: one query, down the clip_listing_newest index."""
    database = connections[ShowClip.objects.db]
    params: list[Any] = [listing_id] if limit is None else [listing_id, limit]
    rows = prepared_statements.fetch(
        using=database.alias,
        sql=_sql(database.alias, limit is not None),
        params=params,
        fields=[_field(model, name) for model, _table, name in _COLUMNS],
        name="listing_clips_all" if limit is None else "listing_clips",
    )
    if not rows:  # most items were never on a show
        return []
    storage = public_storage()
    clips = []
    for values in rows:
        video_key, poster_key, width, height, offset, duration, show_title, pinned_at = values
        clips.append(
            ExplanationClip(
                video_url=storage.url(video_key),
                poster_url=storage.url(poster_key),
                width=width,
                height=height,
                show_title=show_title,
                pinned_at=pinned_at,
                offset=offset,
                duration=duration,
            )
        )
    return clips
