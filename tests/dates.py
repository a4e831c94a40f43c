"""The date the tests check cases on when a case gives none, as the command line would (its local date)."""

from datetime import date

TODAY = date.today()
