"""CSV rows the csv module cannot read: InvalidInput naming the line, for every CSV reader."""

import csv
import io

import pytest

from shopgen.assistant import kb
from shopgen.core import csvrows
from shopgen.core.errors import InvalidInput
from shopgen.store import importer

HUGE = "长" * (csv.field_size_limit() + 1)


def test_a_huge_field_in_a_row_names_its_line():
    reader = csv.DictReader(io.StringIO(f"a,b\n1,2\n3,{HUGE}\n"))
    with pytest.raises(InvalidInput) as e:
        list(csvrows.rows(reader, "f.csv"))
    assert e.value.message == f"f.csv line 3: a field is longer than {csv.field_size_limit()} characters"
    assert e.value.detail == {"line": 3}


def test_a_huge_field_in_the_header_names_line_1():
    with pytest.raises(InvalidInput, match=r"^line 1: a field is longer than"):
        csvrows.fieldnames(csv.DictReader(io.StringIO(f"{HUGE},b\n1,2\n")))


def test_other_csv_errors_are_named_too():
    reader = csv.reader(io.StringIO('a,b\n"x"y,2\n'), strict=True)
    with pytest.raises(InvalidInput, match=r"^line 2: malformed CSV \("):
        list(csvrows.rows(reader))


@pytest.mark.parametrize(
    "parse, header", [(importer.parse_csv, "sku,title,category,price"), (kb.parse_csv, "question,answer")]
)
def test_catalog_and_knowledge_base_csv(parse, header):
    with pytest.raises(InvalidInput, match=r"^line 2: a field is longer than"):
        parse(f"{header}\n{HUGE}," + ",".join("x" * header.count(",")) + "\n")
    with pytest.raises(InvalidInput, match=r"^line 1: a field is longer than"):
        parse(f"{header},{HUGE}\n")
