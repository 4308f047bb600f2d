"""The patterns of Chinese news pages every stage of the reader shares:
spaces and sentence marks, date forms, labels (来源, 责任编辑, 记者, ...),
bylines, and the furniture a page carries around its article."""

from __future__ import annotations

import re

from ..._lazy_re import lazy

SPACE = " \t\u00a0\u3000\u2002\u2003\u2009\u200a"
TERMINAL = "。！？!?…"
CLOSERS = "”’」』）)】》"
CN_DIGITS = "〇零一二三四五六七八九十百"

# Lengths (in characters) that tell a line's kind when its words do not.
# A label, a prompt or a reporter's credit (分享到, 相关新闻, 记者 刘涛) is a
# few words; a line longer than this that matches their words is a sentence
# that uses them.
SHORT_LINE_MAX = 24
# A sub-heading inside an article is a phrase; longer, it is a paragraph
# that happens to lack sentence marks (a caption, a list of names).
HEADING_MAX = 30

DATE = lazy(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2})\s*[:：︰時时]\s*(?P<M>\d{2})(?:\s*[:：︰分]\s*\d{2}\s*秒?)?)?"
)
LABELS = (
    "责任编辑", "責任編輯", "责编", "責編", "编辑", "編輯", "来源", "來源", "稿源", "出处", "出處",
    "作者", "记者", "記者", "发布时间", "發佈時間", "發布時間", "发表时间", "發表時間", "时间", "時間",
    "日期", "校对", "校對", "责任校对", "責任校對", "审核", "審核", "监制", "監製", "浏览次数", "瀏覽次數",
)
LABEL_RE = lazy(r"(?P<label>" + "|".join(LABELS) + r")\s*(?P<colon>[:：︰])\s*")
SOURCE_LABELS = {"来源", "來源", "稿源", "出处", "出處"}
EDITOR_LABELS = {"责任编辑", "責任編輯", "责编", "責編", "编辑", "編輯"}
AUTHOR_LABELS = {"作者", "记者", "記者"}

EDITORS_LINE = lazy(
    r"^[（(]?\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：︰]\s*(?P<names>.*?)\s*[）)]?$"
)
EDITORS_TAIL = lazy(
    r"^(?P<body>.*?)\s*[（(]\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：︰]\s*(?P<names>.+)[）)]\s*$"
)
WIRE_CODE_TAIL = lazy(r"^(?P<body>.*[" + TERMINAL + CLOSERS + r"])\s*(?P<code>\d{6,8})$")
WIRE_CODE_AFTER_BRACKET = lazy(r"^(?P<body>.*[）)])\s*(?P<code>\d{6,8})$")
BYLINE_TAIL = lazy(
    r"^(?P<body>.*[" + TERMINAL + r"”」』])\s*[（(](?P<name>[^（）()。！？]{2,40})[）)]$"
)
NOT_A_BYLINE = lazy(
    r"^(完|全文完|待续|待續|续|續|图|圖|注|註|下转|上接|\d|本文|原载|原載|来源|來源|转载|轉載|摘自|选自|選自|据|據|作者系"
    r"|刊于|刊於|载于|載於|发表于|發表於)"
    r"|《|作者系|本文作者")
WIRE_BYLINE = lazy(
    r"^[（(](?P<org>[^（）()]{0,12}?)(?P<role>記者|记者)\s*(?P<rest>[^（）()]{2,30}?)\s*(?:\d{1,2}日)?[電电][）)]",
    opens="（(",
)
REPORTER_LINE = lazy(
    r"^(?:[（(]\s*)?(?P<byline>(?:本报|本報|本台|本刊)?(?:特约)?(?:记者|記者|通讯员|通訊員)[\s：:]*[^（）()，。]{2,30}?)(?:\s*[）)])?$",
    opens="（(本特记記通",
)
# A reporters' credit and nothing else: 本报记者 王燕平 方云凤 (not 记者手记：…).
REPORTERS_CREDIT = lazy(
    r"^(?:[（(]\s*)?(?:本报|本報|本台|本刊)?(?:特约|特約)?(?:记者|記者|通讯员|通訊員)[\s：:]*"
    r"[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+[\u4e00-\u9fff·]{2,4})*(?:\s*[）)])?$",
    opens="（(本特记記通",
)
AUTHOR_LINE = lazy(r"^(?:作者|文|撰文|文／|文/)\s*[:：︰/／|｜]?\s*(?P<name>[^\s，。]{2,12})$")
PLAIN_NAME = lazy(r"^[\u4e00-\u9fff·・]{2,5}$")

# Dateline places, so that "戴雅真台北" gives the reporter "戴雅真".
DATELINE_PLACES = (
    "台北", "臺北", "新北", "桃園", "台中", "臺中", "台南", "臺南", "高雄", "基隆", "新竹", "嘉義",
    "花蓮", "台東", "臺東", "宜蘭", "屏東", "金門", "澎湖", "北京", "上海", "天津", "重慶", "重庆",
    "香港", "澳門", "澳门", "廣州", "广州", "深圳", "南京", "杭州", "武汉", "武漢", "成都", "西安",
    "乌鲁木齐", "烏魯木齊", "拉萨", "拉薩", "東京", "东京", "首爾", "首尔", "華盛頓", "华盛顿",
    "紐約", "纽约", "倫敦", "伦敦", "巴黎", "柏林", "莫斯科", "新加坡", "曼谷", "雪梨", "悉尼",
)

# (kind, pattern, longest line it may take, what every line it takes opens
# with: one of these characters, for a pattern anchored at the start, else
# None).  A pattern that can match inside a sentence only takes short lines,
# so a body paragraph that mentions a QR code or 未经授权 stays in the body.
# The openers spare compiling the pattern for the lines that cannot match.
ANY = 10**9
FURNITURE_RULES: tuple[tuple[str, re.Pattern[str], int, str | None], ...] = (
    ("share", lazy(r"(微信|微博|QQ|朋友圈).{0,6}(扫一扫|掃一掃|关注|關注|添加)|(扫一扫|掃一掃|扫描二维码|掃描二維碼|长按|長按)"), 40, None),
    ("share", lazy(r"^(分享到|分享至|分享：|分享:)"), 80, "分"),
    ("tools", lazy(r"^(打印|列印)(\s|　)*(网摘|網摘|纠错|糾錯|推荐|推薦|关闭|關閉|收藏)"), 80, "打列"),
    ("original-title", lazy(r"^(原标题|原標題|原题|原題)\s*[:：︰]"), 200, "原"),
    ("caption", lazy(r"^(图注|圖注|图说|圖說|图为|圖為|图片来源|圖片來源|图片说明|圖片說明|资料图|資料圖|图：|圖：|图/|圖/)"), 300, "图圖资資"),
    ("caption", lazy(r"(攝|摄|傳真|传真)\s*\d{2,4}年\d{1,2}月\d{1,2}日$"), ANY, None),
    ("caption", lazy(r"[（(][^（）()]{1,6}(提供|供图|供圖|摄|攝)[）)]$|(摄|攝)\s*$"), 80, None),
    ("related", lazy(r"^(相关新闻|相關新聞|相关阅读|相關閱讀|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|热门推荐|熱門推薦)"), 30, "相延推热熱"),
    ("copyright", lazy(r"^(Copyright|©|\(c\)\s*\d{4})", re.I), 160, None),
    ("copyright", lazy(r"(版权所有|版權所有|未经.{0,6}授权|未經.{0,6}授權)"), 30, None),
    ("disclaimer", lazy(r"^本文系转载|^本文系轉載|不代表.{0,10}(观点|觀點|立场|立場)"), 80, None),
    ("disclaimer", lazy(r"^[“\"「]?(特别声明|特別聲明|免责声明|免責聲明)\s*[:：︰]"), 300, '“"「特免'),
    ("copyright", lazy(r"(转载|轉載).{0,8}(注明出处|註明出處|注明来源|註明來源|经.{0,4}授权|經.{0,4}授權)"), 120, None),
    ("copyright", lazy(r"(未经|未經).{0,6}(授权|授權|许可|許可).{0,4}(不得|禁止|严禁|嚴禁).{0,2}(转载|轉載)(?=[，,。；;！!\s]|$)"
                               r"|(禁止转载|禁止轉載)(?=[，,。；;！!\s]|$)"), 120, None),
    ("disclaimer", lazy(r"仅提供信息存储|僅提供資訊儲存|僅提供信息存儲|仅提供信息发布平台|僅提供資訊發布平台"), 200, None),
    ("source-note", lazy(r"^[（(](刊于|刊於|原载于|原載於|原载|原載|载于|載於|原文刊于|原文刊於)"), 80, "（("),
    ("source-note", lazy(r"^《[^》]{2,20}》\s*[（(]\s*\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,3}\s*版\s*[）)]$"), 40, "《"),
    ("navigation", lazy(r"^(上一页|上一頁|下一页|下一頁|返回(首页|首頁|顶部|頂部)|责任编辑：\s*$)"), 30, "上下返责"),
)
# An official document's number: 国办发明电〔2022〕16号, 京政发[2021]3号.
DOCUMENT_NUMBER = lazy(r"^[\u4e00-\u9fff]{1,12}\s*[〔［\[【(（]\s*(?:19|20)\d{2}\s*[〕］\]】)）]\s*\d{1,4}\s*号$")
# The body that signs an official notice: ends in the word for an office.
ISSUER = lazy(
    r"^[\u4e00-\u9fff（）()]{2,30}(?:办公厅|办公室|辦公室|委员会|委員會|政府|部|委|局|厅|廳|署|院|会|會|处|處|中心|办|辦|公司|学校|學校|大学|大學|协会|協會|联合会|聯合會)$"
)
SOURCE_NOTE = lazy(r"^(?:本文)?(?:来源|來源|稿源|转自|轉自|选自|選自)\s*[:：︰]\s*(?P<value>.+)$", opens="本来來稿转轉选選")


def furniture_kind(text: str) -> str | None:
    for kind, pattern, longest, opens in FURNITURE_RULES:
        if len(text) <= longest and (opens is None or text[:1] in opens) and pattern.search(text):
            return kind
    return None


# What a 来源 field says where the page names no outlet: reposted, from the
# web, compiled. The outlet, if any, is named elsewhere (a note closing the
# article).
NO_OUTLET = frozenset((
    "转载", "轉載", "转载文章", "轉載文章", "网络", "網絡", "網路", "网络转载", "網絡轉載", "互联网", "互聯網",
    "网络整理", "網絡整理", "综合", "綜合", "未知", "不详", "不詳", "佚名",
))


def outlet(value: str | None) -> str | None:
    """A 来源 field's value, or None where it names no outlet."""
    if value is None:
        return None
    first_clause = value.replace(",", "，").split("，")[0].strip()  # 网络，如有侵权请联系删除
    return None if first_clause in NO_OUTLET else value
