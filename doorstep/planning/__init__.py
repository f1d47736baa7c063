"""Visit planning: a pure planner core (`core/`) behind the `doorstep plan` command."""
