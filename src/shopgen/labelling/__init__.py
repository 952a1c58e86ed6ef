"""Data labelling (数据标注): the model suggests a label for each unlabelled text, a person accepts
or corrects it in the studio's keyboard queue, and the labelled texts export as training JSONL.

``kinds`` names the three task kinds and their label sets, ``texts`` reads the texts a task is
made of (an uploaded JSONL or CSV, the shop's reviews, shoppers' turns in conversations),
``suggest`` turns the project's models into suggestions with a confidence, and ``queue`` keeps
the tasks in the store: the next item (least confident first), label, skip, undo, export.

The models come from the composition root (``shopgen.server``): this package never imports the
assistant or insight packages.
"""
