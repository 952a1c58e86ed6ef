"""`shopgen tune` refuses bad input before it loads anything: one readable line, exit 2."""

import json

from tests.cli.conftest import cli, shop_env  # noqa: F401  (fixtures)
from tests.copywriting.conftest import dev_rows, write_pairs


def test_bad_input_is_refused_before_any_training(cli, tmp_path):  # noqa: F811
    pairs = tmp_path / "few.jsonl"
    pairs.write_text(json.dumps({"content": "类型#上衣", "summary": "白色上衣"}, ensure_ascii=False) + "\n")
    code, _, err = cli("tune", "--data", str(pairs))
    assert code == 2 and "0 usable examples (of 1); tuning needs at least 40 (dropped: length 1)" in err
    code, _, err = cli("tune")
    assert code == 2 and "give --data FILE or --from-drafts" in err
    code, _, err = cli("tune", "--data", str(pairs), "--out", "../x")
    assert code == 2 and "adapter name '../x'" in err
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"content": "类型#上衣", "summary": "白色上衣"}\n{"content": \n', encoding="utf-8")
    code, _, err = cli("tune", "--data", str(broken))
    assert code == 2 and "broken.jsonl line 2" in err
    code, _, err = cli("tune", "--data", str(tmp_path / "missing.jsonl"))
    assert code == 2 and "missing.jsonl does not exist" in err
    good = write_pairs(tmp_path / "good.jsonl", [(r["content"], r["summary"]) for r in dev_rows(120)])
    code, _, err = cli("tune", "--data", str(good), "--base", "gpt-9")
    assert code == 2 and "unknown model preset 'gpt-9'" in err
