"""Virtual host voice: real-time factor of the offline Mandarin voice (espeak-ng ``cmn``).

    .venv/bin/python benchmarks/tts.py

Synthesises a few auto-reply and live-script sentences of different lengths (cache off: a fresh
temporary directory) and prints JSON: audio seconds, synthesis seconds and RTF (synthesis / audio;
below 1 is faster than real time) for each, and in total.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from shopgen.models.speech.espeak import EspeakSpeaker

TEXTS = [
    "满九十九元包邮。",
    "单笔订单实付满99元包邮，不满99元收运费8元。",
    "建议选 L 码：身高170厘米、体重65公斤在 L 码的范围内。目前有货。",
    "家人们看过来！这款纯棉圆领T恤，新疆长绒棉，220克重磅面料，不透不起球。白色、黑色、浅灰、藏青四个颜色，"
    "S到XXL都有。今天直播间到手价69元，喜欢的宝宝点击下方小黄车，库存不多，抓紧下单！",
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        speaker = EspeakSpeaker(Path(tmp))
        rows = []
        for text in TEXTS:
            s = speaker.say(text)
            rows.append(
                {"chars": len(text), "audio_s": round(s.seconds, 2), "synth_s": round(s.synth_seconds, 4), "rtf": s.rtf}
            )
    audio = sum(r["audio_s"] for r in rows)
    synth = sum(r["synth_s"] for r in rows)
    print(
        json.dumps(
            {
                "voice": "espeak-ng cmn",
                "rows": rows,
                "total_audio_s": round(audio, 2),
                "total_synth_s": round(synth, 4),
                "rtf": round(synth / audio, 4),
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
