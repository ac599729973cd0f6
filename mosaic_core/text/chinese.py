"""Simplified or Traditional: which script a Chinese text is written in.

The language model labels both "zh". Hundreds of everyday characters have two
forms (们/們, 这/這, 请/請, 说/說…): a text's forms tell its script, and a
Traditional Chinese dataset gets the sentences of the Traditional pack
(``zh-Hant``) rather than Simplified ones. Text with none of these characters
("大哥", "你好") reads the same in both: it takes the script most of its dataset's
Chinese is written in (``resolve``).

The pairs below are written for this project from common usage; only forms that
one script never uses for the same word are listed (后, 里, 干, 发 are left out:
Traditional writes 后, 里 and 干 too, in other words).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

__all__ = ["SIMPLIFIED", "TRADITIONAL", "UNSURE", "main_script", "resolve", "script_of"]

SIMPLIFIED, TRADITIONAL = "zh", "zh-Hant"
UNSURE = "zh?"
"""A raw label only (``text/language.py``): Chinese whose characters read the same in both scripts."""
_SIMPLIFIED_LABEL = "zh-Hans"
"""A raw label only: Chinese with simplified forms (``resolve`` gives it the code of the Simplified pack)."""

_PAIRS = (
    "们們这這个個说說会會来來为為时時对對于於与與过過还還么麼让讓请請写寫帮幫并並从從关關问問题題开開点點"
    "书書学學经經电電话話语語长長东東车車门門见見现現样樣种種机機间間无無给給实實动動体體当當应應进進页頁"
    "数數据據处處专專业業产產号號难難变變单單欢歡极極头頭员員报報场場华華国國区區万萬亿億气氣图圖条條历歷"
    "认認识識读讀边邊总總错錯词詞类類视視听聽网網标標结結构構组組织織设設计計划劃转轉换換输輸译譯释釋选選"
    "择擇览覽馆館饭飯鸡雞鱼魚鸟鳥马馬龙龍钱錢银銀铁鐵钟鐘级級红紅绿綠蓝藍买買卖賣贵貴费費资資质質购購货貨"
    "务務办辦态態虑慮显顯际際阶階陆陸阳陽队隊随隨险險满滿灯燈热熱爱愛观觀规規亲親觉覺论論证證评評试試诗詩"
    "该該详詳误誤谁誰调調谈談谢謝负負责責败敗赛賽轻輕较較达達运運连連递遞遗遺邮郵键鍵镜鏡闭閉闻聞阅閱陈陳"
    "顺順须須预預领領频頻颜顏风風飞飛饮飲验驗鲜鮮齐齊压壓县縣参參双雙叶葉吗嗎启啟响響园園围圍坏壞块塊坚堅"
    "备備复復妈媽宝寶宽寬审審将將尔爾尽盡层層岁歲岛島币幣师師带帶广廣庆慶库庫废廢异異张張弹彈强強归歸录錄"
    "恶惡惊驚惯慣愿願战戰扩擴扫掃护護挂掛挥揮损損摄攝摆擺敌敵断斷旧舊晓曉暂暫术術杀殺杂雜权權树樹档檔桥橋"
    "梦夢检檢楼樓欧歐残殘毕畢汇匯汉漢汤湯没沒泪淚洁潔浓濃涂塗渐漸湿濕灭滅灵靈烟煙烦煩状狀独獨环環画畫疗療"
    "盖蓋监監盘盤确確础礎礼禮离離称稱积積稳穩穷窮竞競笔筆签簽简簡紧緊约約纪紀纯純纸紙线線练練细細终終绍紹"
    "绘繪络絡统統继繼续續维維综綜编編缘緣罗羅职職联聯脑腦脚腳脸臉艺藝节節药藥获獲营營虫蟲虽雖补補装裝订訂"
    "讨討训訓议議讯訊记記讲講许許访訪诉訴询詢课課谓謂财財购購贴貼贺賀赏賞赞贊趋趨踪蹤轨軌轮輪软軟载載辅輔"
    "辑輯输輸辞辭远遠违違迹跡适適逻邏针針链鏈销銷锁鎖闪閃闲閒阵陣难難顶頂项項顾顧额額饰飾饱飽驱驅骑騎龄齡"
)
_SIMPLIFIED_FORMS = frozenset(_PAIRS[0::2])
_TRADITIONAL_FORMS = frozenset(_PAIRS[1::2]) | frozenset("後裡乾髮爲鍾啓溼籤")
"""Besides the pairs' forms: 後, 裡, 乾 and 髮 (whose simplified forms Traditional also writes), and the other
traditional forms of 为, 钟, 启, 湿 and 签."""


def script_of(text: str) -> str:
    """``zh-Hant`` for text with more traditional forms than simplified ones, the other way round ``zh-Hans``,
    and ``zh?`` where it has as many of each (most often none): a raw label that ``resolve`` settles.

    >>> script_of("请写一首诗。"), script_of("請寫一首詩。"), script_of("大哥")
    ('zh-Hans', 'zh-Hant', 'zh?')
    """
    simplified = traditional = 0
    for char in text:
        if char in _SIMPLIFIED_FORMS:
            simplified += 1
        elif char in _TRADITIONAL_FORMS:
            traditional += 1
    if traditional > simplified:
        return TRADITIONAL
    return _SIMPLIFIED_LABEL if simplified > traditional else UNSURE


def main_script(codes: Iterable[str]) -> str:
    """The script most of these raw labels' Chinese is written in: ``zh-Hant`` or ``zh`` (also on a tie)."""
    scripts = Counter(code for code in codes if code in (TRADITIONAL, _SIMPLIFIED_LABEL))
    return TRADITIONAL if scripts[TRADITIONAL] > scripts[_SIMPLIFIED_LABEL] else SIMPLIFIED


def resolve(labels: Sequence[tuple[str, float]], unsure: str | None = None) -> list[tuple[str, float]]:
    """The labels with each Chinese one settled to a pack's code: ``zh`` (Simplified) or ``zh-Hant``; Chinese
    that reads the same in both takes ``unsure``, by default the script most of these labels' Chinese uses
    (the Ray engine's blocks pass the whole dataset's).

    >>> resolve([("zh-Hant", 1.0), ("zh?", 1.0), ("en", 0.9)])
    [('zh-Hant', 1.0), ('zh-Hant', 1.0), ('en', 0.9)]
    >>> resolve([("zh-Hans", 1.0), ("zh?", 1.0)]), resolve([("zh?", 1.0)], unsure="zh-Hant")
    ([('zh', 1.0), ('zh', 1.0)], [('zh-Hant', 1.0)])
    """
    if not any(code in (UNSURE, _SIMPLIFIED_LABEL) for code, _ in labels):
        return list(labels)
    named = {_SIMPLIFIED_LABEL: SIMPLIFIED, UNSURE: unsure or main_script(code for code, _ in labels)}
    return [(named.get(code, code), p) for code, p in labels]
