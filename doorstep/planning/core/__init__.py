"""The pure visit planner: a scenario in, a plan out (see `planning-scenario.md`). No Django here.

`scenario` holds the contract's dataclasses and JSON, `travel` the travel formulas, `solver` the
PyVRP adapter and `check` an independent feasibility judge.
"""
