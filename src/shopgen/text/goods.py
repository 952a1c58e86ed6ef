"""Classes of goods as shop policies name them: which ones does a text speak of?

Shop rules differ by class (opened food, activated tablets, washed clothes, fresh fruit …), so
an answer about one class is no answer about another. Words are matched longest first, so
「生鲜食品」 is fresh produce, not food, and 「苹果手机壳」 is not fruit.

>>> sorted(classes("护肤品还没开封可以退吗"))
['cosmetics']
>>> sorted(classes("以下商品不适用：生鲜食品（如鲜果）；已拆封的食品、茶叶"))
['food', 'fresh']
>>> classes("苹果手机壳能退吗")
{'digital'}
>>> classes("签收后7天内可以申请七天无理由退货")
set()
"""

from __future__ import annotations

import re
from functools import cache

# one class a line of words; generic shop Chinese, not one shop's catalog
TERMS = {
    "clothing": (
        "服装 服饰 衣服 衣物 上衣 裤子 长裤 短裤 牛仔裤 阔腿裤 休闲裤 T恤 t恤 短袖 长袖 衬衫 外套 羽绒服 冲锋衣 卫衣"
        " 毛衣 开衫 针织衫 连衣裙 半身裙 裙子 鞋靴 鞋子 跑步鞋 运动鞋 球鞋 靴子 拖鞋 袜子 内衣 帽子 围巾"
    ),
    "cosmetics": (
        "化妆品 护肤品 美妆 彩妆 面霜 乳霜 防晒乳 防晒霜 防晒 口红 唇膏 洁面乳 洗面奶 面膜 爽肤水 化妆水 卸妆油"
        " 卸妆水 眼影 护手霜 粉底 气垫 精华液 精华 乳液 香水 眼霜"
    ),
    "food": (
        "食品 零食 饼干 坚果 果仁 茶叶 绿茶 红茶 花茶 白茶 乌龙茶 龙井 普洱 咖啡豆 咖啡粉 咖啡 拌面 方便面 速食"
        " 牛轧糖 糖果 大米 牛肉干 蜂蜜 巧克力 薯片 奶粉 罐头"
    ),
    "fresh": "生鲜食品 生鲜 鲜果 水果 橙子 脐橙 苹果 车厘子 樱桃 葡萄 草莓 海鲜 蔬菜 鲜活易腐",
    "digital": (
        "数码 平板电脑 平板 智能手表 手表 耳机 移动电源 充电宝 手机壳 苹果手机 手机 充电器 数据线 键盘 鼠标 音箱"
        " 硬盘 电脑 笔记本电脑 相机"
    ),
    "appliance": "家居电器 家居类电器 电器 台灯 电风扇 吹风机 电饭煲",
    "home": "保温杯 四件套 被套 床单 枕套 收纳箱 枕头 餐具 毛巾 沙发 蜡烛 地垫",
}


@cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {w: kind for kind, words in TERMS.items() for w in words.split()}
    return re.compile("|".join(sorted(map(re.escape, table), key=len, reverse=True))), table


def classes(text: str) -> set[str]:
    """The classes of goods ``text`` names (empty when it names none)."""
    rx, table = _pattern()
    return {table[m.group(0)] for m in rx.finditer(text)}
