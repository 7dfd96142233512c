"""matching.engine.lexflow: the exact staged solver under the engine, on networks small enough to check by hand."""

import numpy as np
import pytest

from matching.engine.lexflow import Circulation, SolverFailure


def diamond() -> Circulation:
    """Source 0 sends up to 2 units to sink 3 through node 1 (arcs 1, 3) or node 2 (arcs 2, 4); arc 0 returns."""
    tail, head = np.array([3, 0, 0, 1, 2]), np.array([0, 1, 2, 3, 3])
    return Circulation(4, tail, head, np.zeros(5, dtype=np.int64), np.array([2, 1, 2, 1, 2]))


def test_each_stage_chooses_only_among_the_previous_stages_optima():
    # Stage 1: as much flow as possible (cost -1 on the return arc); stage 2: prefer the route through node 2.
    # Without the first stage's face fixed, stage 2 alone would send nothing at all through node 1.
    stage_1 = np.array([-1, 0, 0, 0, 0])
    stage_2 = np.array([0, 5, 0, 0, 0])
    flow, values = diamond().solve([stage_1, stage_2])
    assert flow.tolist() == [2, 0, 2, 0, 2]
    assert values == [-2, 0]


def test_a_later_stage_cannot_undo_an_earlier_one():
    stage_1 = np.array([-1, 0, 0, 0, 0])
    stage_2 = np.array([1, 0, 0, 0, 0])  # would rather send nothing
    flow, values = diamond().solve([stage_1, stage_2])
    assert flow[0] == 2 and values == [-2, 2]


@pytest.mark.parametrize("start", [[0, 0, 0, 5], [7, -3, 2, 5], [0, 9, 0, 0]])
def test_wrong_potentials_are_repaired_and_still_certify_the_optimum(start):
    network = diamond()
    flow = np.array([2, 0, 2, 0, 2])
    costs = np.array([-1, 0, 0, 0, 0])
    start = np.array(start, dtype=np.int64)
    forward = flow < network.upper
    assert (costs + start[network.tail] - start[network.head])[forward].min() < 0, "start must need repair"
    reduced = network.reduced_costs(flow, costs, network.lower, network.upper, start)
    # Complementary slackness: positive reduced cost only at the lower bound, negative only at the upper.
    assert ((reduced <= 0) | (flow == network.lower)).all()
    assert ((reduced >= 0) | (flow == network.upper)).all()


def test_a_flow_that_is_not_optimal_cannot_be_certified():
    network = diamond()
    flow = np.array([1, 0, 1, 0, 1])  # one more unit could go round
    with pytest.raises(SolverFailure):
        network.reduced_costs(
            flow, np.array([-1, 0, 0, 0, 0]), network.lower, network.upper, np.zeros(4, dtype=np.int64)
        )


def test_no_arcs_no_flow():
    empty = Circulation(2, *(np.zeros(0, dtype=np.int64) for _ in range(4)))
    flow, values = empty.solve([np.zeros(0, dtype=np.int64)])
    assert flow.tolist() == [] and values == [0]
