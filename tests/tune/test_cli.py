"""`shopgen tune` refuses bad input before it loads anything: one readable line, exit 2."""

import json

from tests.cli.conftest import cli, shop_env  # noqa: F401  (fixtures)


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
    good = tmp_path / "good.jsonl"
    copy = "这件白色上衣版型宽松，纯棉面料柔软透气，圆领设计简洁百搭，搭配牛仔裤或半身裙都好看，日常通勤和周末出游都很合适。领口双针走线加固，面料经过预缩处理，洗后不易变形，第{}款"
    good.write_text(
        "".join(
            json.dumps({"content": "类型#上衣", "summary": copy.format(i)}, ensure_ascii=False) + "\n"
            for i in range(45)
        ),
        encoding="utf-8",
    )
    code, _, err = cli("tune", "--data", str(good), "--base", "gpt-9")
    assert code == 2 and "unknown model preset 'gpt-9'" in err
