"""Item-to-item similarity from shoppers' signals (feed.similarity): items the same shoppers took an
interest in are each other's neighbours, a pair only one shopper shares counts for less, each item
keeps its closest `k`, and recommendations leave out what the shopper has seen."""

import numpy as np
import pytest

from feed.similarity import interest_matrix, item_neighbours, recommend


def _neighbours(signals: list[tuple[int, int, float]], *, items: int, k: int = 50):
    shoppers, wanted, weights = (np.array(column) for column in zip(*signals, strict=True))
    interest = interest_matrix(
        shoppers, wanted, weights.astype(np.float32), n_shoppers=int(shoppers.max()) + 1, n_items=items
    )
    return item_neighbours(interest, k=k)


def test_items_the_same_shoppers_like_are_neighbours_and_a_lone_coincidence_counts_less():
    # shoppers 0-3 look at cameras 0 and 1; shopper 4 at camera 0 and the kettle (2)
    signals = [(shopper, item, 1.0) for shopper in range(4) for item in (0, 1)]
    signals += [(4, 0, 1.0), (4, 2, 1.0)]
    neighbours = _neighbours(signals, items=4)

    closest = neighbours.of(0)
    assert [item for item, _score in closest] == [1, 2]
    assert closest[0][1] > 2 * closest[1][1]
    assert neighbours.of(3) == []  # nobody looked at item 3
    assert all(item != 0 for item, _score in closest)  # never its own neighbour


def test_each_item_keeps_its_k_closest():
    # shopper s looks at item 0 and at items 1..s: item 1 shares most shoppers with item 0
    signals = [(shopper, 0, 1.0) for shopper in range(6)]
    signals += [(shopper, item, 1.0) for shopper in range(6) for item in range(1, shopper + 2)]
    neighbours = _neighbours(signals, items=8, k=2)
    assert [item for item, _score in neighbours.of(0)] == [1, 2]
    assert max(np.diff(neighbours.matrix.indptr)) <= 2


def test_recommendations_rank_by_history_and_leave_out_what_was_seen():
    signals = [(shopper, item, 1.0) for shopper in range(5) for item in (0, 1, 2)]
    signals += [(shopper, item, 1.0) for shopper in range(5, 10) for item in (3, 4)]
    neighbours = _neighbours(signals, items=6)

    ranked = [item for item, _score in recommend(neighbours, {0: 1.0}, count=5)]
    assert ranked[:2] in ([1, 2], [2, 1]) and 0 not in ranked
    assert 3 not in ranked and 4 not in ranked  # nobody who liked 0 liked them
    assert [item for item, _ in recommend(neighbours, {0: 1.0}, count=5, exclude={1})] == [2]
    assert recommend(neighbours, {}, count=5) == []


@pytest.mark.parametrize("weight", [1.0, 5.0])
def test_a_purchase_weighs_more_than_a_view_but_repeats_are_damped(weight):
    interest = interest_matrix(
        np.array([0, 0, 0]),
        np.array([1, 1, 1]),
        np.array([weight] * 3, dtype=np.float32),
        n_shoppers=1,
        n_items=2,
    )
    assert interest[0, 1] == pytest.approx(np.log1p(3 * weight), rel=1e-6)
