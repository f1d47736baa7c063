"""Planner benchmark: VRPTW and TOPTW instances, an OR-Tools baseline, and the runner."""
