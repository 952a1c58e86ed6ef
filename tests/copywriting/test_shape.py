from shopgen.copywriting import shape

# what the 1.5B model wrote for FZ-1001 (学生党) although the prompt asks for one paragraph
MARKDOWN = (
    "**棉田记纯棉圆领短袖T恤男女同款基础百搭打底衫**\n【青春感，性价比】\n"
    "-**厚薄适中，轻盈透气**：100%棉材质，适合各种场合。\n"
    "- **简约大方**：圆领设计，适合学生上课、宿舍以及社团活动\n【高性价比】\n### 69元起售：价格亲民！"
)


def test_a_markdown_description_becomes_one_paragraph():
    out = shape.shape(MARKDOWN, "description")
    assert out == (
        "棉田记纯棉圆领短袖T恤男女同款基础百搭打底衫，厚薄适中，轻盈透气：100%棉材质，适合各种场合。"
        "简约大方：圆领设计，适合学生上课、宿舍以及社团活动，69元起售：价格亲民！"
    )
    assert "*" not in out and "【" not in out and "\n" not in out


def test_a_plain_paragraph_is_left_as_written():
    text = "纯棉面料，柔软透气。适合日常通勤，69元。"
    assert shape.shape(text, "description") == text
    # a 【…】 inside a sentence is content, not a heading
    assert shape.paragraph("这件T恤【新款】上市了。") == "这件T恤【新款】上市了。"
