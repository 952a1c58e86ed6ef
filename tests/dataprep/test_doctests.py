"""The examples in the package's docstrings are true."""

import doctest

import pytest

from shopgen.dataprep import clean, dedup, normalise


@pytest.mark.parametrize("module", [clean, dedup, normalise])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
