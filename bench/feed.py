"""Feed benchmark, offline: does item-to-item similarity learned from signals find what simulated
shoppers go on to want, and how long does learning it take?

    .venv/bin/python bench/feed.py [--items 100000] [--shoppers 100000] [--signals-each 20]
                                   [--evaluate 5000] [--seed 1]

Simulated shoppers with planted preferences: items fall into `--clusters` tastes (a kind of camera,
a brand of bag), popular or obscure within them (Zipf); each shopper has two tastes, and 85 % of
their signals (views, favourites, offers, purchases, each with its weight) fall on those, the rest
on what is popular everywhere. Each shopper's next favourite or purchase is drawn the same way and
held out. For `--evaluate` shoppers, the 20 items most like their history (feed.similarity) and the 20
most popular items they have not touched (the baseline) are checked against it: hit rate@20.

Prints the figures; the targets are: hit rate at least 2x the baseline's, and learning from 100k
items and 2M signals within 60 s. No database, no network.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feed.similarity import interest_matrix, item_neighbours, recommend

# What each kind of signal weighs, as feed.signals will record them: a view, a favourite, an offer,
# a purchase.
WEIGHTS = np.array([1.0, 3.0, 4.0, 5.0], dtype=np.float32)
KIND_SHARES = [0.7, 0.2, 0.05, 0.05]
OWN_TASTE = 0.85
TOP = 20


def simulate(args, rng: np.random.Generator):
    """Signals (shopper, item, weight) and one held-out item per shopper."""
    taste_of = rng.integers(0, args.clusters, args.items)
    by_taste = np.argsort(taste_of, kind="stable")  # items grouped by taste
    sizes = np.bincount(taste_of, minlength=args.clusters)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    # Within a taste, and over everything, a few items draw most of the interest.
    everywhere = rng.permutation(args.items)
    popularity = 1.0 / np.arange(1, args.items + 1) ** 0.8
    popularity /= popularity.sum()
    likes = np.stack(
        [rng.integers(0, args.clusters, args.shoppers), rng.integers(0, args.clusters, args.shoppers)],
        axis=1,
    )

    def draw(shoppers: np.ndarray) -> np.ndarray:
        own = rng.random(shoppers.size) < OWN_TASTE
        taste = likes[shoppers, rng.integers(0, 2, shoppers.size)]
        rank = np.minimum(rng.zipf(1.3, shoppers.size) - 1, sizes[taste] - 1)
        picked = by_taste[starts[taste] + rank]
        anywhere = everywhere[rng.choice(args.items, shoppers.size, p=popularity)]
        return np.where(own, picked, anywhere)

    shoppers = np.repeat(np.arange(args.shoppers), args.signals_each)
    items = draw(shoppers)
    weights = WEIGHTS[rng.choice(len(WEIGHTS), shoppers.size, p=KIND_SHARES)]
    held_out = draw(np.arange(args.shoppers))
    return shoppers, items, weights, held_out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--shoppers", type=int, default=100_000)
    parser.add_argument("--signals-each", type=int, default=20)
    parser.add_argument("--clusters", type=int, default=500)
    parser.add_argument("--neighbours", type=int, default=50)
    parser.add_argument("--evaluate", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default="",
        help="Also time the neighbour job against this PostgreSQL database (one bench/browse.py seeded): "
        "its listings take the simulated items' places, the signals are written into it (COPY), and "
        "feed.services.neighbours_rebuild reads them, learns and writes the neighbours.",
    )
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    began = time.perf_counter()
    shoppers, items, weights, held_out = simulate(args, rng)
    print(
        f"Simulated {shoppers.size:,} signals of {args.shoppers:,} shoppers on {args.items:,} items "
        f"in {time.perf_counter() - began:.1f} s."
    )

    began = time.perf_counter()
    interest = interest_matrix(shoppers, items, weights, n_shoppers=args.shoppers, n_items=args.items)
    neighbours = item_neighbours(interest, k=args.neighbours)
    learned = time.perf_counter() - began
    print(f"Learned item-to-item similarity in {learned:.1f} s ({neighbours.matrix.nnz:,} neighbour pairs).")

    counts = np.bincount(items, minlength=args.items)
    popular = np.argsort(-counts, kind="stable")[: TOP + args.signals_each]  # enough past any history
    similar_hits = popular_hits = 0
    evaluated = rng.choice(args.shoppers, min(args.evaluate, args.shoppers), replace=False)
    for shopper in evaluated:
        row = interest.getrow(shopper)
        history = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        wanted = int(held_out[shopper])
        if wanted in history:
            continue  # already seen: not a discovery either way
        ranked = [item for item, _score in recommend(neighbours, history, count=TOP)]
        similar_hits += wanted in ranked
        baseline = [item for item in popular.tolist() if item not in history][:TOP]
        popular_hits += wanted in baseline
    shown = len(evaluated)
    similar_rate, popular_rate = similar_hits / shown, popular_hits / shown
    print()
    print(f"{'':32}{'hit rate@20':>12}")
    print(f"{'item-to-item similarity':32}{similar_rate:>12.3f}")
    print(f"{'popularity (baseline)':32}{popular_rate:>12.3f}")
    ratio = similar_rate / popular_rate if popular_rate else float("inf")
    print(
        f"\nSimilarity finds {ratio:.1f}x what popularity finds (target ≥ 2x); "
        f"learning took {learned:.1f} s (target ≤ 60 s for 100k items and 2M signals)."
    )

    if args.database_url:
        time_the_job(args.database_url, shoppers, items, weights)


KINDS_BY_WEIGHT = {1.0: "view", 3.0: "favourite", 4.0: "offer", 5.0: "purchase"}


def time_the_job(database_url: str, shoppers: np.ndarray, items: np.ndarray, weights: np.ndarray) -> None:
    """Write the simulated signals into the database (visitors' sessions, on its listings) and time
    the nightly neighbour job on them. The signals are removed afterwards."""
    import io
    import os

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from feed.models import InterestSignal, ItemNeighbour
    from feed.services import neighbours_rebuild
    from listings.models import Listing

    listing_ids = np.asarray(Listing.objects.order_by("pk").values_list("pk", flat=True)[: items.max() + 1])
    if listing_ids.size <= items.max():
        print(
            f"\nThe database has {listing_ids.size:,} listings, fewer than the {items.max() + 1:,} items: seed it first."
        )
        return
    at = timezone.now().isoformat()
    rows = io.StringIO()
    for shopper, item, weight in zip(shoppers.tolist(), items.tolist(), weights.tolist(), strict=True):
        rows.write(f"bench-{shopper}\t{listing_ids[item]}\t{KINDS_BY_WEIGHT[float(weight)]}\t{at}\n")
    rows.seek(0)
    InterestSignal.objects.filter(session_key__startswith="bench-").delete()
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.cursor.copy_from(
            rows, InterestSignal._meta.db_table, columns=("session_key", "listing_id", "kind", "at")
        )
    print(f"\nWrote {shoppers.size:,} signals into the database in {time.perf_counter() - began:.1f} s.")
    began = time.perf_counter()
    written = neighbours_rebuild()
    took = time.perf_counter() - began
    print(
        f"The neighbour job (read, learn, write) took {took:.1f} s and wrote {written:,} neighbours "
        f"(target ≤ 60 s for 100k items and 2M signals)."
    )
    InterestSignal.objects.filter(session_key__startswith="bench-").delete()
    ItemNeighbour.objects.all().delete()


if __name__ == "__main__":
    main()
