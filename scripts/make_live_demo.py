"""Writes src/shopgen/demo/data/live_comments.jsonl: a three-minute recording of the demo shop's
live room, the T-shirt FZ-1001 on stage. Every line below was written for shopgen; the script only
mixes them (fixed seed) over time with users and a burst of questions in the middle.

    python scripts/make_live_demo.py
"""

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/shopgen/demo/data/live_comments.jsonl"
LINES = {
    "ask": ["多少钱包邮？", "多少钱包邮", "包邮吗", "包邮吗？？", "纯棉T恤怎么选尺码？", "T恤怎么选尺码", "身高170体重65穿什么码",
            "有XL吗", "这件有XL吗", "下单后多久发货？", "多久发货", "今天下单什么时候发", "会起球吗", "洗了会缩水吗",
            "白色透不透", "有黑色吗", "是纯棉的吗", "能开发票吗"],
    "buy": ["1", "11111", "扣1", "已拍", "已拍2件", "上链接", "链接呢", "怎么买", "想要白色的", "拍了拍了", "冲了", "要一件黑色L"],
    "rate": ["好评", "性价比很高", "五星好评", "质量不错", "垃圾", "一般般吧"],
    "review": ["上次买的穿了一个月没起球", "之前买过两件，洗了好几次还是很挺", "买过，领口有点松了", "去年买的白色现在还没发黄"],
    "complain": ["发货太慢了，等了一周", "客服一直不回消息", "直播卡死了", "上次收到的衣服有线头，很失望", "主播能不能回答一下问题，问了好几遍了"],
    "return": ["不合适可以退吗", "退货运费谁出？", "能换大一码吗", "七天无理由吗", "怎么退货"],
    "recommend": ["学生党推荐哪个颜色", "姐妹们这个可以冲", "微胖穿哪个码好看，求推荐", "推荐一下搭配"],
    "other": ["主播好漂亮", "来了来了", "666", "哈哈哈哈", "晚上好", "🐶🐶", "主播今天穿的好看", "打卡"],
}
WEIGHTS = {"ask": 30, "buy": 25, "rate": 8, "review": 5, "complain": 6, "return": 6, "recommend": 5, "other": 15}


def main() -> None:
    rng = random.Random(20261124)
    users = [f"u{n:03d}" for n in range(1, 141)]
    labels, weights = zip(*WEIGHTS.items())
    rows = []
    for i in range(600):
        ts = round(i * 0.3 + rng.random() * 0.3, 2)  # 180 seconds
        label = rng.choices(labels, weights)[0]
        if 60 <= ts < 90 and rng.random() < 0.5:  # the price-and-shipping question comes in a burst
            label, text = "ask", rng.choice(["多少钱包邮？", "包邮吗", "多少钱包邮"])
        else:
            text = rng.choice(LINES[label])
        rows.append({"room": "demo", "user": rng.choice(users), "text": text, "ts": ts})
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} comments to {OUT}")


if __name__ == "__main__":
    main()
