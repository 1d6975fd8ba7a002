"""Item-to-item similarity learned from what shoppers do (the interest feed's "people who looked at
this also looked at that"), as sparse matrix arithmetic (scipy).

Each shopper's signals on items (a view, a favourite, an offer, a purchase, each with its weight) make
a row of a shopper x item matrix. Two items are alike as far as the same shoppers took an interest in
both: the cosine of their columns, damped for pairs that few shoppers share (so that two items one
shopper happened to look at do not look identical). Each item keeps its `k` closest neighbours.

Pure computation: the job that reads the signals and stores the neighbours is feed.services; the
offline evaluation on simulated shoppers is bench/feed.py.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

# Pairs shared by fewer shoppers than this are damped towards zero: score x shared / (shared + SHRINK).
SHRINK = 2.0


@dataclass(frozen=True)
class Neighbours:
    """Each item's closest items as a sparse item x item matrix: row i holds at most `k` entries, the
    items most like item i with their scores (0 to 1)."""

    matrix: sparse.csr_matrix

    def of(self, item: int) -> list[tuple[int, float]]:
        """Item `item`'s neighbours, closest first."""
        start, end = self.matrix.indptr[item], self.matrix.indptr[item + 1]
        pairs = zip(
            self.matrix.indices[start:end].tolist(), self.matrix.data[start:end].tolist(), strict=True
        )
        return sorted(pairs, key=lambda pair: -pair[1])


def interest_matrix(
    shoppers: np.ndarray, items: np.ndarray, weights: np.ndarray, *, n_shoppers: int, n_items: int
) -> sparse.csr_matrix:
    """The shopper x item matrix: repeated signals on one item add up, then are damped (log1p), so
    that ten views do not outweigh a purchase."""
    matrix = sparse.csr_matrix(
        (weights.astype(np.float32), (shoppers, items)), shape=(n_shoppers, n_items), dtype=np.float32
    )
    matrix.sum_duplicates()
    np.log1p(matrix.data, out=matrix.data)
    return matrix


def item_neighbours(interest: sparse.csr_matrix, *, k: int = 50) -> Neighbours:
    """Each item's `k` closest items by shrunk cosine similarity of their shopper columns."""
    by_item = interest.T.tocsr()  # item x shopper
    norms = np.sqrt(np.asarray(by_item.multiply(by_item).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    unit = sparse.diags(1.0 / norms).dot(by_item).tocsr().astype(np.float32)
    cosine = (unit @ unit.T).tocsr()
    # How many shoppers each pair shares, for the shrinkage.
    seen = by_item.copy()
    seen.data[:] = 1.0
    shared = (seen @ seen.T).tocsr()
    shared.data = shared.data / (shared.data + SHRINK)
    damped = cosine.multiply(shared).tocsr()
    damped.setdiag(0)
    damped.eliminate_zeros()
    return Neighbours(_top_k(damped, k))


def _top_k(matrix: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Keep at most `k` largest entries of each row."""
    counts = np.diff(matrix.indptr)
    keep = np.ones(matrix.nnz, dtype=bool)
    for row in np.flatnonzero(counts > k):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        # Everything below the k-th largest of the row goes.
        order = np.argpartition(matrix.data[start:end], end - start - k)
        keep[start + order[: end - start - k]] = False
    rows = np.repeat(np.arange(matrix.shape[0]), counts)[keep]
    return sparse.csr_matrix(
        (matrix.data[keep], (rows, matrix.indices[keep])), shape=matrix.shape, dtype=np.float32
    )


def recommend(
    neighbours: Neighbours, history: dict[int, float], *, count: int = 20, exclude: set[int] | None = None
) -> list[tuple[int, float]]:
    """The `count` items most like a shopper's history (item → weight), best first, without the
    items in the history or in `exclude`: each neighbour's score summed over the history."""
    if not history:
        return []
    items = np.fromiter(history.keys(), dtype=np.int64)
    weights = np.fromiter(history.values(), dtype=np.float32)
    scores = np.asarray(neighbours.matrix[items].T.dot(weights)).ravel()
    scores[items] = 0
    if exclude:
        scores[np.fromiter(exclude, dtype=np.int64)] = 0
    candidates = np.flatnonzero(scores)
    if candidates.size > count:
        candidates = candidates[np.argpartition(-scores[candidates], count)[:count]]
    ranked = sorted(candidates.tolist(), key=lambda item: -scores[item])
    return [(item, float(scores[item])) for item in ranked]
