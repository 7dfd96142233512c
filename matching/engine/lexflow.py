"""Exact lexicographic minimum-cost circulation: one linear programme per stage, and between stages the
optimal face of the stage just solved is fixed, so that the next stage can only choose among its optima.

The face is fixed by complementary slackness. For a circulation `min c.x, conservation, lo <= x <= up`
with node potentials `pi`, the reduced cost of arc `a = (u, v)` is `rc = c + pi[u] - pi[v]`; a feasible
`x` is optimal if and only if, for some potentials, every arc with `rc > 0` sits at its lower bound and
every arc with `rc < 0` at its upper bound, and then the optimal flows are exactly the feasible flows with
those arcs held there (strong duality: every optimal flow satisfies complementary slackness with every
optimal dual). HiGHS supplies the flow and the potentials; both are then checked here in integers
(conservation, bounds, no negative residual arc), so a floating-point slip cannot move the face unseen:
potentials that do not certify the flow are repaired by Bellman-Ford on the residual graph, starting from
HiGHS's, and a flow that cannot be certified raises. Each stage's costs are small integers, so no stage
needs the astronomically large weights a single combined objective would.
"""

from dataclasses import dataclass

import highspy
import numpy as np


class SolverFailure(RuntimeError):
    """The LP solver did not return a certified integral optimum (a bug, not bad input)."""


@dataclass
class Circulation:
    n_nodes: int
    tail: np.ndarray  # int64, one per arc
    head: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    def solve(self, stages: list[np.ndarray]) -> tuple[np.ndarray, list[int]]:
        """The flow optimal for every stage's costs in turn, and each stage's optimal value."""
        lower, upper = self.lower.astype(np.int64), self.upper.astype(np.int64)
        if len(self.tail) == 0:
            return np.zeros(0, dtype=np.int64), [0 for _ in stages]
        highs = self._model(lower, upper)
        flow, values = np.zeros(len(self.tail), dtype=np.int64), []
        for costs in stages:
            costs = costs.astype(np.int64)
            highs.changeColsCost(len(costs), np.arange(len(costs), dtype=np.int32), costs.astype(np.float64))
            flow = self._run(highs, lower, upper)
            start = np.rint(np.asarray(highs.getSolution().row_dual)).astype(np.int64)
            reduced = self.reduced_costs(flow, costs, lower, upper, start)
            at_lower, at_upper = reduced > 0, reduced < 0
            upper = np.where(at_lower, lower, upper)
            lower = np.where(at_upper, upper, lower)
            fixed = np.flatnonzero(at_lower | at_upper).astype(np.int32)
            if len(fixed):
                highs.changeColsBounds(
                    len(fixed), fixed, lower[fixed].astype(np.float64), upper[fixed].astype(np.float64)
                )
            values.append(int(costs @ flow))
        return flow, values

    def _model(self, lower: np.ndarray, upper: np.ndarray):
        # highspy.Highs prints a banner on stdout when created; its base class is the same solver, silent.
        highs = highspy._Highs()  # type: ignore[attr-defined]  # pinned: see pyproject.toml
        # Serial dual simplex without presolve: the fastest here on these networks (measured), and with a
        # basis kept between stages, each later stage starts from the previous optimum.
        options = (
            ("output_flag", False),
            ("threads", 1),
            ("solver", "simplex"),
            ("simplex_strategy", 1),
            ("presolve", "off"),
            ("random_seed", 0),
        )
        for option, value in options:
            highs.setOptionValue(option, value)
        n_arcs = len(self.tail)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n_arcs, self.n_nodes
        lp.col_cost_ = np.zeros(n_arcs)
        lp.col_lower_, lp.col_upper_ = lower.astype(np.float64), upper.astype(np.float64)
        lp.row_lower_ = lp.row_upper_ = np.zeros(self.n_nodes)
        # Node-arc incidence, column by column: -1 where the arc leaves, +1 where it enters.
        first = np.minimum(self.tail, self.head)
        second = np.maximum(self.tail, self.head)
        sign_first = np.where(self.tail < self.head, -1.0, 1.0)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.arange(0, 2 * n_arcs + 1, 2, dtype=np.int32)
        lp.a_matrix_.index_ = np.column_stack([first, second]).ravel().astype(np.int32)
        lp.a_matrix_.value_ = np.column_stack([sign_first, -sign_first]).ravel()
        if highs.passModel(lp) != highspy.HighsStatus.kOk:
            raise SolverFailure("HiGHS refused the model")
        return highs

    def _run(self, highs, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise SolverFailure(f"HiGHS ended with {highs.getModelStatus()}")
        values = np.asarray(highs.getSolution().col_value)
        flow = np.rint(values).astype(np.int64)
        if len(values) and np.abs(values - flow).max() > 1e-6:
            raise SolverFailure("the LP optimum is not integral")
        if (flow < lower).any() or (flow > upper).any():
            raise SolverFailure("the LP optimum breaks a bound")
        balance = np.zeros(self.n_nodes, dtype=np.int64)
        np.add.at(balance, self.head, flow)
        np.subtract.at(balance, self.tail, flow)
        if balance.any():
            raise SolverFailure("the LP optimum breaks flow conservation")
        return flow

    def reduced_costs(self, flow, costs, lower, upper, start: np.ndarray) -> np.ndarray:
        """Integer reduced costs from potentials that certify `flow` optimal for `costs`: `start` (HiGHS's
        duals, rounded) if they do, else the nearest that do, found by Bellman-Ford from them."""
        potentials = start.copy()
        # Residual arcs u -> v of cost w: forward where the flow can rise, backward where it can fall.
        forward, backward = flow < upper, flow > lower
        u = np.concatenate([self.tail[forward], self.head[backward]])
        v = np.concatenate([self.head[forward], self.tail[backward]])
        w = np.concatenate([costs[forward], -costs[backward]])
        for _ in range(self.n_nodes + 1):
            reach = potentials[u] + w
            if (reach >= potentials[v]).all():
                return costs + potentials[self.tail] - potentials[self.head]
            np.minimum.at(potentials, v, reach)
        raise SolverFailure("the LP optimum has a negative residual cycle: it is not optimal")
