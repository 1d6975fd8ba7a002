"""Learning which items are alike from shoppers' signals (feed.similarity) and keeping each item's
closest ones (ItemNeighbour), for the feed to rank from.

The nightly job learns from every signal of the last SIGNAL_DAYS days and replaces all neighbours;
the hourly top-up learns the same way but rewrites only the items that had a signal since the last
run, so a new item with its first few looks gets neighbours within the hour.
"""

import io
import logging
from datetime import datetime, timedelta

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from feed.models import WEIGHTS, InterestSignal, ItemNeighbour, SignalKind
from feed.similarity import Neighbours, interest_matrix, item_neighbours
from listings.models import Listing

logger = logging.getLogger(__name__)

# How far back the similarity looks.
SIGNAL_DAYS = 90
# How many neighbours each item keeps.
NEIGHBOURS = 20
_KIND_WEIGHT = {kind.value: weight for kind, weight in WEIGHTS.items()}


def _signals_since(since: datetime) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(shopper index, listing id, weight) of every signal since `since`: a signed-in shopper and a
    visitor's session are each one shopper. Read with a server-side cursor in large chunks."""
    shoppers: dict[object, int] = {}
    shopper_column, listing_column, weight_column = [], [], []
    rows = InterestSignal.objects.filter(at__gte=since).values_list(
        "user_id", "session_key", "listing_id", "kind"
    )
    for user_id, session_key, listing_id, kind in rows.iterator(chunk_size=20_000):
        who = user_id if user_id is not None else session_key
        shopper_column.append(shoppers.setdefault(who, len(shoppers)))
        listing_column.append(listing_id)
        weight_column.append(_KIND_WEIGHT.get(kind, WEIGHTS[SignalKind.VIEW]))
    return (
        np.asarray(shopper_column, dtype=np.int64),
        np.asarray(listing_column, dtype=np.int64),
        np.asarray(weight_column, dtype=np.float32),
    )


def _learn(since: datetime, k: int) -> tuple[Neighbours, np.ndarray] | None:
    """The neighbours learned from signals since `since`, with the listing id of each matrix column."""
    shoppers, listing_ids, weights = _signals_since(since)
    if shoppers.size == 0:
        return None
    items, columns = np.unique(listing_ids, return_inverse=True)
    interest = interest_matrix(
        shoppers, columns, weights, n_shoppers=int(shoppers.max()) + 1, n_items=items.size
    )
    return item_neighbours(interest, k=k), items


def neighbours_rebuild(*, touched_since: datetime | None = None, k: int = NEIGHBOURS) -> int:
    """Learn from the last SIGNAL_DAYS days of signals and store each item's `k` neighbours: all
    items (the nightly run), or only those with a signal since `touched_since` (the top-up). Returns
    how many neighbour rows were written. Safe to run twice: an item's rows are replaced whole, in
    one transaction."""
    now = timezone.now()
    learned = _learn(now - timedelta(days=SIGNAL_DAYS), k)
    if learned is None:
        if touched_since is None:
            ItemNeighbour.objects.all().delete()
        return 0
    neighbours, items = learned
    matrix = neighbours.matrix.tocoo()
    rows = items[matrix.row]
    if touched_since is not None:
        touched = set(
            InterestSignal.objects.filter(at__gte=touched_since)
            .values_list("listing_id", flat=True)
            .distinct()
        )
        keep = np.isin(rows, np.fromiter(touched, dtype=np.int64, count=len(touched)))
        rows, cols, scores = rows[keep], items[matrix.col][keep], matrix.data[keep]
        replaced = sorted(touched)
    else:
        cols, scores = items[matrix.col], matrix.data
        replaced = None
    with transaction.atomic():
        stale = (
            ItemNeighbour.objects.all()
            if replaced is None
            else ItemNeighbour.objects.filter(listing_id__in=replaced)
        )
        stale.delete()
        # Listings deleted since their signals were read take their signals and neighbours with them;
        # rows naming them are left out by the join in _write.
        written = _write(rows, cols, scores)
    logger.info("Item neighbours: %s rows for %s items", written, len(set(rows.tolist())))
    return written


def _write(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray) -> int:
    """Insert the neighbour rows (PostgreSQL: COPY into a scratch table, then one INSERT joined to
    the listings that still exist; elsewhere, bulk_create)."""
    if rows.size == 0:
        return 0
    if connection.vendor != "postgresql":
        alive = set(
            Listing.objects.filter(pk__in=set(rows.tolist()) | set(cols.tolist())).values_list(
                "pk", flat=True
            )
        )
        objects = [
            ItemNeighbour(listing_id=int(row), neighbour_id=int(col), score=float(score))
            for row, col, score in zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True)
            if row in alive and col in alive
        ]
        ItemNeighbour.objects.bulk_create(objects, batch_size=5000)
        return len(objects)
    buffer = io.StringIO()
    for row, col, score in zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True):
        buffer.write(f"{row}\t{col}\t{score:.6f}\n")
    buffer.seek(0)
    quote = connection.ops.quote_name
    table, listings = quote(ItemNeighbour._meta.db_table), quote(Listing._meta.db_table)
    with connection.cursor() as cursor:
        # Dropped at commit; emptied first for a caller whose transaction holds it from a run before.
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS feed_neighbour_load "
            "(listing_id bigint, neighbour_id bigint, score double precision) ON COMMIT DROP"
        )
        cursor.execute("TRUNCATE feed_neighbour_load")
        cursor.cursor.copy_from(
            buffer, "feed_neighbour_load", columns=("listing_id", "neighbour_id", "score")
        )
        cursor.execute(
            f"INSERT INTO {table} (listing_id, neighbour_id, score) "  # noqa: S608 - names, not input
            "SELECT load.listing_id, load.neighbour_id, load.score FROM feed_neighbour_load load "
            f"JOIN {listings} a ON a.id = load.listing_id JOIN {listings} b ON b.id = load.neighbour_id"
        )
        return cursor.rowcount
