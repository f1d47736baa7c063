"""The field app's pure core: no Django, no I/O, time passed in (an import-linter contract keeps it so).

`geo` judges a check-in's position, `plans` builds repayment schedules and checks them against the
debtor's stated finances, `promises` computes a promise's status from payments and `guidance` holds
the visit's bilingual vocabulary with the collector's next steps.
"""
