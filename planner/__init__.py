"""The Leadership Strategy Planner's logic: everything but the pages, which live in pages/ and planner/ui/."""

import warnings

import pandas as pd
from pandas.errors import Pandas4Warning

# Pandas 3 keeps text in Arrow-backed "str" columns by default. Building one costs far more than an object column,
# and the planner builds hundreds of small frames per page: the board summary's first run on the large plan took
# 245 ms with Arrow strings and 164 ms without. The switch is deprecated for pandas 4; requirements.txt pins 3.1.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", Pandas4Warning)
    pd.set_option("future.infer_string", False)
