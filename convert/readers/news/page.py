"""Page dumps: a whole web page as a crawler saved its text, one line per
HTML block or flattened onto one line, with the article somewhere among
menus, "related" lists, comment threads and footers.

The article is found from general properties of such text, never from what
one site looks like:

* the headline: a crawler's text starts with the page's ``<title>``
  (``标题_频道_网站``, ``标题 | 网站``, ``标题 - 網站``) and the page shows
  the headline again above the article; the longest start of the first line
  that recurs later on a line (or between spaces) of its own is the
  headline, and where it recurs more than once, the occurrence with a date
  and prose close after it wins;
* the body: the block after the headline with the highest text density
  (the classic line-block method): long lines, or lines with sentence
  punctuation, count for it, short lines, link lists and interface text
  (登入, 分享, 下載APP, 上一篇) against it; a "related"/comments heading
  ends it;
* the metadata: date, source, byline and editors from the lines between
  the headline and the body (and just above the headline), then from the
  lines closing the article, by their labels and forms.

Everything that is neither metadata nor body is kept as furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model import Furniture
from .dates import find_dates
from .header import parse_breadcrumb, split_names
from .patterns import REPORTER_LINE, SPACE, TERMINAL, WIRE_BYLINE, furniture_kind
from .units import Found, Unit, strip_space

# ------------------------------------------------------------------ what text is

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SENTENCE_MARKS = re.compile(r"[，。！？；、,;!?]")
# Bounded repeats: a long line with no space must not make this quadratic.
_URL = re.compile(r"https?://\S+|www\.\S+|[\w.-]{1,64}\.(?:com|net|org|cn|tw|hk)\b(?:/\S{0,300})?", re.I)
# Words of a site's interface, not of news prose: one in a short line, or two
# anywhere, make the line page furniture.
_UI_WORDS = re.compile(
    r"(?<![A-Za-z])(?i:facebook|twitter|line|weibo|instagram|youtube|rss|app)(?![A-Za-z])|登入|登录|登錄|註冊|注册|會員|会员|下載|下载|APP|App|訂閱|订阅|追蹤|分享|按讚|按个|按個|点赞|點讚"
    r"|點擊|点击|客戶端|客户端|粉絲團|粉丝团|二维码|二維碼|扫一扫|掃一掃|关注我们|關注我們|加关注|加關注|複製|复制|連結|链接|留言|評論|评论|跟帖|跟貼"
    r"|收藏|列印|打印|字號|字号|字級|返回|首頁|首页|上一篇|下一篇|上一頁|下一頁|上一页|下一页|更多|熱門|热门|推薦|推荐"
    r"|廣告|广告|版權|版权|Copyright|©|隱私|隐私|條款|条款|聯絡我們|联系我们|關於我們|关于我们|網站地圖|网站地图|Facebook"
    r"|Line|Twitter|Weibo|微信|微博|RSS|搜尋|搜索|登出|密碼|密码|電郵|邮箱|郵箱|讚|Like"
    r"|往下閱讀|繼續閱讀|继续阅读|閱讀全文|阅读全文|展開全文|展开全文|閱讀更多|阅读更多|简体版|簡體版|繁體版|繁体版|纠错|糾錯|关闭|關閉|公众号|公眾號"
    r"|沙发|沙發|板凳|阅读模式|閱讀模式|倒序浏览|倒序瀏覽|只看该作者|只看該作者|电梯直达|電梯直達|当前离线|當前離線"
    r"|当前在线|當前在線|发消息|發消息|回复|回覆"
)
# Headings that open what follows an article: related links, comments,
# the next article.
_STOP = re.compile(
    r"^[-–—=\s▌■●◆【\[]*(?:相关新闻|相關新聞|相关阅读|相關閱讀|相关文章|相關文章|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀"
    r"|热门推荐|熱門推薦|热点搜索|熱點搜尋|热门搜索|熱門搜尋|热搜|熱搜|猜你喜欢|猜你喜歡|其他人也在看|大家都在看|大家都在读|大家都在讀|编辑推荐|編輯推薦|热门文章|熱門文章|你或有興趣|你可能感兴趣|您可能會有興趣|你可能會有興趣|也許您會感興趣|为您推荐|為您推薦"
    r"|(?:你|您)(?:可能|或許|或许|也許|也许)?(?:會|会)?(?:有興趣|有兴趣|感興趣|感兴趣|喜歡|喜欢)"
    r"|最新动态|最新動態|最新资讯|最新資訊|最新新闻|最新新聞|最新文章|最新推荐|最新推薦"
    r"|往期推荐|往期推薦|往期回顾|往期回顧|更多新闻|更多新聞|留言列表|发表评论|發表評論|网友评论|網友評論|最新评论|最新評論|热门评论|熱門評論|评论列表|評論列表"
    r"|上一篇|下一篇|阅读下一篇|閱讀下一篇|此分類上一篇|往下看更多|更多精彩|热点推荐|熱點推薦|今日推荐|今日推薦|相关推荐|相關推薦)"
)
# A line opened by one of these is a box beside the article (a notice, a
# hotline, a promotion), not its prose.
_BOX_BULLETS = "●★☆◆◇■□►▶※"
def _is_stop(text: str) -> bool:
    """A heading that opens what follows an article (相关新闻, 网友评论), not a
    sentence that begins with the same words."""
    m = _STOP.match(text)
    if not m:
        return False
    if m.end() == len(text) or text[m.end()] in " \u3000:：>»|｜-—(（[【":
        return True  # the heading alone, or run into what it heads in a flattened page
    return len(text) <= 24 and not text.endswith(("。", "！", "？"))


_HASHTAGS = re.compile(r"^#\S+(\s+#\S+)+$")
_LEAD_CREDIT = re.compile(
    r"^(?:[〔［\[【(（]\s*(?P<desk>[^〔〕［］\[\]【】()（）]{2,12}?)\s*[／/]\s*[^〔〕［］\[\]【】()（）]{0,10}[〕］\]】)）]"
    # 【本報記者報道】, 大公文匯全媒體報道：
    r"|[〔［\[【(（]\s*(?P<desk2>[^〔〕［］\[\]【】()（）]{2,10}?)(?:報道|报道|報導)\s*[〕］\]】)）]"
    r"|(?P<desk3>[\u4e00-\u9fff]{2,10}?)(?:報道|报道|報導)\s*[:：︰])"
)
# "新华社记者邹多为、唐诗凝", "半月谈记者 史卫燕": an outlet's reporters.
_OUTLET_REPORTERS = re.compile(
    r"^(?P<byline>[\u4e00-\u9fff]{2,6}?(?:社|报|報|台|网|網|刊|谈|談)(?:特约|特約)?(?:记者|記者|通讯员|通訊員)"
    r"\s*[\u4e00-\u9fff·、\s]{2,30})$"
)
# A wire story's own dateline and title line: 新华社北京5月9日电 题：...
_WIRE_TITLE_LINE = re.compile(r"^[\u4e00-\u9fff]{2,12}?(?:\d{1,2}月)?\d{1,2}日(?:电|電)\s*题\s*[:：︰]")
# Where a self-media post was sent from: 发布于：北京市, 来自甘肃, IP属地：广东.
# "A-肖老师-树谷学院 于 2024-05-06 15:47:53 发布": who published it, and when.
_PUBLISHED_BY = re.compile(r"^(?P<name>\S{2,30}?)\s+(?:于|於)\s+(?P<date>\d{4}[-/年].{4,20}?)\s*(?:发布|發布|發佈|发表|發表)$")
# A category named by a label: 所属分类：数理化.
_PUBLISHED_BY_RUNNING = re.compile(
    r"(?:^|\s)(?P<name>[^\s]{2,30}?)\s+(?:于|於)\s+(?P<date>\d{4}[-/年][^发發]{4,20}?)\s*(?:发布|發布|發佈|发表|發表)(?:\s|$)")
_BRACKET_EDITOR = re.compile(r"^[（(][\u4e00-\u9fff]{0,8}(?:编辑|編輯|责编|責編)\s*(?P<name>[\u4e00-\u9fff·]{2,4})\s*[）)]$")
_DATE_FIELD = re.compile(r"^(?:时间|時間|日期|发布时间|發布時間|發佈時間|发表时间|發表時間)\s*[:：︰]\s*(?P<date>.{8,25})$")
_CATEGORY_FIELD = re.compile(r"^(?:所属分类|所屬分類|分类|分類|栏目|欄目|频道|頻道|板块|版塊)\s*[:：︰]\s*(?P<name>[^\s:：]{2,12})$")
# A follow button under an account's name.
_FOLLOW_BUTTON = re.compile(r"^[+＋]?\s*(?:关注|關注|订阅|訂閱|追蹤|加关注|加關注)$")
_LOCATION_TAG = re.compile(r"^(?:发布于|發佈於|發布於|来自|來自|IP属地|IP屬地)\s*[:：︰]?\s*[\u4e00-\u9fff]{2,8}$")
_REPORTER_LEAD = re.compile(
    r"(?:^|(?<=\s))(?P<byline>(?:本報|本报|本台|本刊)?(?:特約|特约)?(?:記者|记者|通訊員|通讯员)\s*[\u4e00-\u9fff·・]{2,8}?)"
    r"\s*[／/]\s*[\u4e00-\u9fff]{0,8}?(?:報導|报道|報道|報導|报导|綜合報導|综合报道)\s*"
)
_CREDIT_LINE = re.compile(
    r"^(?:[（(]?\s*(?:圖|图|攝影|摄影|照片|圖片|图片)\s*[／/:：]\s*[^（）()]{1,20}[）)]?"
    r"|(?:記者|记者)?[\u4e00-\u9fff]{2,5}\s*[／/]\s*(?:翻攝|翻摄|攝|摄|攝影|摄影|提供)"
    r"|[\u4e00-\u9fff]{2,12}(?:供图|供圖|提供))$"
)
_PHOTO_CREDIT_TAIL = re.compile(
    r"[（(](?:[^（）()]{0,20}(?:攝|摄|供圖|供图|圖片|图片|資料圖|资料图|資料照|资料照)[^（）()]{0,20}"
    r"|(?:圖|图|照片|相片)[^（）()]{0,20}|[A-Za-z][A-Za-z .&/-]{1,30})[）)]\s*$"
)
_FIELD = re.compile(
    r"(?P<label>责任编辑|責任編輯|责编|責編|编辑|編輯|来源|來源|稿源|作者|撰文|撰稿|记者|記者|采写|採寫|文字|发信人|發信人|楼主|樓主|出品)"
    r"\s*[:：︰︱|｜/／]\s*"
)
_EDITOR_FIELD = re.compile(
    r"^[\[【（(]?\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：︰︱|｜]\s*(?P<names>.{2,40}?)\s*[\]】）)]?$"
)
_AUTHOR_FIELD = re.compile(
    r"^[\[【（(]?\s*(?:作者|撰文|撰稿|文|記者|记者|采写|採寫)\s*[:：︰︱|｜／/]\s*(?P<name>[^\]】）)]{2,30}?)\s*[\]】）)]?$"
)
_SOURCE_FIELD = re.compile(r"(?:来源|來源)\s*[:：︰︱]?\s*(?P<value>[^\s:：|｜,，。]{2,20})")
_BARE_LABEL = re.compile(_FIELD.pattern)
# A reply in a forum thread: its poster and time, as the first post had.
_REPLY_HEADER = re.compile(r"^(?:作者|发信人|發信人|回复人|回覆人)\s*[:：︰]\s*\S{1,30}\s+(?:时间|時間|发表于|發表於|发表时间|發表時間)")
# How an article's last paragraph ends: an end mark, or the reporter's credit
# in brackets (（王煌忠／台中報導）, （记者 X）).
_ARTICLE_END = re.compile(
    r"(?:[（(](?:完|全文完)[）)]|【完】|[（(](?:作者|作者系)[:：︰︱][^（）()]{2,60}[）)]"
    r"|^《[^》]{2,20}》\s*[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*\d{1,3}\s*版\s*[）)]"
    r"|[（(][^（）()]{2,16}[／/][^（）()]{0,10}(?:報導|报道|報道|電|电)[）)]"
    r"|[（(][\u4e00-\u9fff]{0,6}(?:记者|記者|通讯员|通訊員)[\s\u4e00-\u9fff·、]{2,24}[）)])\s*$"
)
_TITLE_FIELD = re.compile(r"^(?:标\s*题|標\s*題|文章主题|文章主題)\s*[:：︰]\s*(?P<title>.{4,120})$")
_FLAT_TITLE_FIELD = re.compile(
    r"(?:标\s*题|標\s*題)\s*[:：︰]\s*(?P<title>\S.{2,118}?)\s+(?=发信站|發信站|时间|時間|发信人|發信人)")
_POSTER_FIELD = re.compile(r"^(?:发信人|發信人)\s*[:：︰]\s*(?P<name>[^\s(（,，]{2,30})")
_POSTED_BY = re.compile(r"^(?P<name>\S{2,20}) (?:發表在|发表在|发表于|發表於) ")
_SIGNATURE = re.compile(r"^--\s*$")
_BBS_SOURCE = re.compile(r"^(?:※\s*(?:来源|來源)\s*[:：︰]\s*·?|(?:来源|來源)\s*[:：︰]\s*·)\s*(?P<site>[^\s·]{2,20})")
# The separators a page title puts between headline, channel and site.
_TITLE_SEPARATOR = re.compile(
    r"\s*(?:[_|｜]|--|－|—|::|\s-\s?|\s@\s|(?<=[\u4e00-\u9fff\w])-(?=[\u4e00-\u9fff])"
    r"|(?<=[^\s\w-])-(?=[\w\u4e00-\u9fff][^\s-]{1,20}(?:\s|$|-))|(?<=[？！」』”])-(?=[\w\u4e00-\u9fff]))\s*")
_CRUMB_PART = r"(?:(?<![\w:：./-])[A-Za-z][A-Za-z0-9]*(?:[^\S\n][A-Za-z][A-Za-z0-9]*){1,3}|[^\s>＞»›→/|]{1,16})"
_CRUMB_SEPARATOR = r"(?:>>|>|＞|»|›|→|[^\S\n]/[^\S\n]|(?<=[\u4e00-\u9fff])/(?=[\u4e00-\u9fff]))"
_CRUMB = re.compile(
    r"(?:" + _CRUMB_PART + r"[^\S\n]*" + _CRUMB_SEPARATOR + r"[^\S\n]*){1,6}"
    r"(?:" + _CRUMB_PART + r"(?:[^\S\n]*(?:>>|>|＞|»|›)(?![^\S\n]*[^\s>＞»›→/|]))?|(?<=[>＞»›]))"
)
_SURNAMES = set(
    "王李張张劉刘陳陈楊杨黃黄趙赵吳吴周徐孫孙馬马朱胡郭何高林羅罗鄭郑梁謝谢宋唐許许韓韩馮冯鄧邓曹彭曾蕭萧肖田董袁潘"
    "于蔣蒋蔡余杜葉叶程蘇苏魏呂吕丁任沈姚盧卢姜崔鍾钟譚谭陸陆汪范金石廖賈贾夏韋韦付方白鄒邹孟熊秦邱江尹薛閆闫段雷侯龍龙"
    "史陶黎賀贺顧顾毛郝龔龚邵萬万錢钱嚴严覃武戴莫孔向湯汤歐欧游詹施洪傅柯賴赖翁溫温莊庄簡简凌鄔邬"
)


_PARTICLES = set("的了是在和与與及也都就")


def _ui_hits(text: str) -> int:
    return len(_UI_WORDS.findall(text))


def _ui_heavy(text: str) -> bool:
    hits = _ui_hits(text)
    # One interface word makes a short label or prompt, not a short statement.
    return hits >= 2 and (len(text) <= 80 or hits * 20 >= len(text)) or bool(
        hits and len(text) <= 24 and not text.endswith("。"))


def is_interface_text(text: str) -> bool:
    """A line of the site's interface: menus, share and login prompts,
    link rows, hashtags, copyright, a bare link."""
    n = len(text)
    if _ui_heavy(text):
        return True
    if _HASHTAGS.match(text) or text.count("|") + text.count("｜") >= 2:
        return True
    words = text.split()
    if (len(words) >= 5 and sum(map(len, words)) <= len(words) * 6  # a row of tags or links,
            and not re.match(r"^[（(]?\d{1,2}[).）、]", text)  # not a numbered heading
            and not any(w in _PARTICLES for w in words)):  # nor words of a sentence
        return True
    url = _URL.search(text)
    if url and len(url.group(0)) * 2 >= n:
        return True
    return furniture_kind(text) is not None


def is_interface_line_inside(text: str) -> bool:
    """Interface text standing between an article's paragraphs (分享, ▼點擊圖片
    放大, 請繼續往下閱讀): mostly interface words, never a numbered heading
    or a sentence, so a sub-heading that mentions 评论 or 推荐 stays."""
    from .blocks import numbering

    if len(text) > 40 or not is_interface_text(text) or numbering(text) or text.endswith("。"):
        return False
    hits = sum(len(m) for m in _UI_WORDS.findall(text))
    return len(text) <= 6 or hits * 3 >= len(_CJK.findall(text)) or not _ui_hits(text)


def density_score(text: str) -> float:
    """What a line counts for the article block: its length when it reads as
    prose, a penalty when it reads as page furniture or a link."""
    n = len(text)
    if _is_stop(text) or is_interface_text(text) or text[0] in _BOX_BULLETS:
        return -30.0
    marks = len(_SENTENCE_MARKS.findall(text))
    if n >= 20 and marks >= 1 and ("，" in text or "。" in text or "," in text or n >= 40):
        return float(min(n, 300))
    if n >= 45 or (n >= 30 and (re.search(r"[，。；、,]", text) or re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text))):
        return n * 0.5
    if n >= 8 and text[-1] in TERMINAL + "”」":
        return n * 0.5
    return -8.0


def _is_heading_like(text: str) -> bool:
    return 4 <= len(text) <= 60 and text[-1] not in "。，；：:,;" and "。" not in text


# ------------------------------------------------------------------ segmentation


@dataclass
class Page:
    units: list[Unit]  # lines, or a flattened page's pieces
    flattened: bool
    headline: int | None = None  # index into units
    title: str = ""
    site: str | None = None
    runner_up: str | None = None  # the title that came second
    evidence: dict[str, str] = field(default_factory=dict)


def _pieces(text: str, line: int) -> list[Unit]:
    """A flattened stretch of page cut back into blocks: at every space, then
    prose glued back where a space fell inside a paragraph (a word run
    together with a sentence, both long enough to be prose)."""
    out: list[Unit] = []
    # A date and its time are one token (2019-03-18 23:59): the spaces inside
    # are held while the page is cut at the others.
    held = list(text)
    for date in find_dates(text):
        for k in range(date.start, date.start + len(text[date.start:date.end].rstrip())):
            if held[k] == " ":
                held[k] = "\0"
    for token in "".join(held).split(" "):
        token = token.replace("\0", " ").strip(" ")
        if not token:
            continue
        if out and _continues(out[-1].text, token):
            out[-1].text += " " + token
        else:
            out.append(Unit(token, line))
    # Paragraph marks (two ideographic spaces) start a new block.
    result: list[Unit] = []
    for u in out:
        pieces = u.text.split("\u3000\u3000")
        for k, piece in enumerate(pieces):
            if strip_space(piece):
                result.append(Unit(strip_space(piece), line, k > 0))
    return result


_SECOND_NAME = re.compile(_FIELD.pattern + r"[\u4e00-\u9fff]{2,4}")
_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_STAFF_CODE = re.compile(r"[A-Z]{1,4}\d{2,6}")
_WIRE_OPENING = re.compile(r"[（(][^（）()]{2,30}(?:電|电)[）)]")
_CREDIT_WORD_END = re.compile(r"(?:攝|摄|翻攝|翻摄|供图|供圖|提供)$")
_ROLE_END = re.compile(r"(?:记者|記者|通讯员|通訊員)$")
_WIRE_DATELINE_WORD = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:\d{1,2}月)?\d{1,2}日(?:电|電)")
_CLOCK = re.compile(r"\d[:：︰]\d")


def _continues(before: str, token: str) -> bool:
    if token in ("(完)", "（完）", "【完】"):  # the end mark of the paragraph before
        return True
    tail = before[-24:]
    if (tail.count("（") + tail.count("(") > tail.count("）") + tail.count(")")
            and (re.match(r"^[^（()）]{0,20}[）)]", token) or len(token) <= 20 and not re.search(r"[（(]", token))):
        return True  # a space inside brackets: （常书香 马丹阳 ）
    last_word = before.rsplit(" ", 1)[-1]
    if _BARE_LABEL.fullmatch(last_word):
        # "来源： 国际在线": a label and its value; an empty label before the text is not.
        return len(token) <= 20 and not find_dates(token)
    field_before = _FIELD.match(before)
    if field_before:
        if _NAME.fullmatch(token) and token[0] in _SURNAMES and _SECOND_NAME.fullmatch(before):
            return True  # "作者：上官云 宋宇晟": a second name in the field
        # "責任編輯：向昌明 SN123": the editor's staff code; nothing else joins a field
        return bool(_STAFF_CODE.fullmatch(token))
    if before[-1] in "】》" or before[0] in "|｜" or token.startswith(("图为", "圖為", "▲", "图注", "圖注")):
        return False
    bare = before.strip(SPACE)  # a piece may still carry its paragraph mark (　　)
    if (_ROLE_END.search(bare) or _OUTLET_REPORTERS.match(bare) or REPORTER_LINE.match(bare)) \
            and _is_personal_name(token) and len(bare) <= 30:
        return True  # "半月谈记者 史卫燕", "光明日报记者 王建宏 张文攀"
    if token.startswith("题") and _WIRE_DATELINE_WORD.fullmatch(last_word):
        return True  # "新华社北京5月9日电 题：…"
    longer = last_word if len(last_word) >= len(token) else token
    if before[-1] not in "）)" and len(_CJK.findall(longer)) < 10:
        return False  # two short words: a menu, not a sentence cut by a space
    if (_LOCATION_TAG.match(before) or _is_personal_name(before) or _is_personal_name(token)
            or _WIRE_OPENING.match(token) or _OUTLET_REPORTERS.match(token)
            or before[-1] in TERMINAL + "”」』;；" or _CREDIT_WORD_END.search(before)
            or _OUTLET_REPORTERS.match(before) or REPORTER_LINE.match(before)):
        return False  # a place tag, a name alone, a wire dateline opening, an ended sentence, a credit
    if before[-1] in "）)":
        # A bracket closes a caption's credit or a reporter's: the line ends
        # there.  A wire dateline (（法新社羅馬19日電）) or an aside (谷歌(微博))
        # runs on into its sentence.
        if _PHOTO_CREDIT_TAIL.search(before) or _ARTICLE_END.search(before) or len(token) < 10:
            return False
        return bool(_CJK.match(token[0]) or token[0].isalnum() or token[0] in "“「『《")
    if not (_CJK.match(before[-1]) or before[-1] in "，,、：:" or before[-1].isalnum()):
        return False
    if not _CJK.search(last_word) or _CLOCK.search(last_word):  # a time, a counter, a Latin word
        return False
    if (_REPORTER_LEAD.match(token + " ") or _REPORTER_LEAD.match(last_word + " ")
            or _DESK_LEAD.match(token) or _DESK_LEAD.match(last_word)):
        return False
    if not (_CJK.match(token[0]) or token[0].isalnum() or token[0] in "“「『《（("):
        return False
    if _FIELD.match(token) or find_dates(token) or find_dates(before[-20:]):
        return False
    return not _ui_heavy(token) and not _ui_heavy(before)


def _title_candidates(first: str) -> list[str]:
    """Starts of a page title that can be the headline, longest first: the
    whole line, then the line cut at each separator."""
    out = [first]
    for m in _TITLE_SEPARATOR.finditer(first):
        if m.start() >= 4:
            out.append(first[: m.start()])
    return sorted({strip_space(c) for c in out if len(strip_space(c)) >= 4}, key=len, reverse=True)


def _site_from_title(first: str, title: str, flattened: bool = False) -> str | None:
    rest = first[len(title):] if first.startswith(title) else ""
    if flattened:  # the page title ends where the first menu starts: after its last separated part
        m = re.match(r"(?:\s*(?:[_|｜]|--|－|—|::|-)\s*[^\s_|｜]+(?:\s(?=[A-Z0-9.]+(?:\s|$))[A-Z0-9.]+)?)+", rest)
        rest = m.group(0) if m else ""
    parts = [p for p in _TITLE_SEPARATOR.split(rest) if strip_space(p)]
    return strip_space(parts[-1]).strip(":： ") or None if parts else None


def _article_evidence(units: list[Unit], i: int) -> float:
    """How much the text after line ``i`` looks like an article's start: a
    date close after it, then prose."""
    score = 0.0
    window = units[i + 1: i + 12]
    for k, u in enumerate(window[:8]):
        if find_dates(u.text):
            score += 3 - k * 0.2
            break
    score += sum(max(0.0, density_score(u.text)) for u in window) / 100
    return score


def find_headline(units: list[Unit]) -> tuple[int, str] | None:
    """The line where the page shows its own title again, and that title."""
    first = units[0].text
    for u_index, u in enumerate(units[:60]):
        if m := _TITLE_FIELD.match(u.text):  # a forum post's header names it
            return u_index, strip_space(m["title"])
    found: list[tuple[float, int, str]] = []
    for candidate in _title_candidates(first):
        for i, u in enumerate(units):
            if i == 0 or (i <= 3 and u.text == first):  # the page title given twice (og:title)
                continue
            if u.text == candidate or (u.text.startswith(candidate) and len(candidate) >= 8
                                       and u.text[len(candidate):len(candidate) + 1] in SPACE):
                found.append((_article_evidence(units, i), i, candidate))
            elif (len(u.text) >= 8 and candidate.startswith(u.text) and i + 1 < len(units)
                  and re.sub(r"\s", "", u.text + units[i + 1].text) == re.sub(r"\s", "", candidate)):
                # a headline set on two lines, one in the page title
                found.append((_article_evidence(units, i + 1), i + 1, candidate))
    if not found:
        return None
    # The article may repeat its headline as its first heading: an occurrence
    # inside the article that an earlier occurrence opens is not the headline.
    inside: set[int] = set()
    for evidence, i, _ in sorted(found, key=lambda f: f[1]):
        if i in inside or evidence < 1.0:
            continue
        b0, b1 = body_span(units, i + 1)
        if b0 - i <= 12:
            inside.update(range(b0, b1))
    found = [f for f in found if f[1] not in inside] or found
    _, index, title = _best_headline(found)
    return index, title


def find_flat_headline(page: str) -> tuple[int, int, str] | None:
    """In a flattened page: the longest start of the page, ending between
    words, that recurs later between words (start, end of the recurrence)."""
    head = page[:200]
    ends = sorted({m.start() for m in re.finditer(" ", head)} | {m.start() for m in _TITLE_SEPARATOR.finditer(head)}
                  | {len(head)})
    found: list[tuple[float, int, str, int]] = []  # (evidence, start, the headline, end)
    for end in ends:
        candidate = page[:end].strip()
        if len(candidate) < 4:
            continue
        for m in re.finditer(r"(?<= )" + _loose(candidate) + r"(?= |$)", page):
            # The page's own dashes, but not the spaces its lines were joined with.
            shown = candidate if re.sub(r"\s", "", m.group(0)) == re.sub(r"\s", "", candidate) else m.group(0)
            found.append((_flat_evidence(page, m.end()), m.start(), shown, m.end()))
    if not found:
        return None
    best = max((f for f in found if f[0] >= max(f[0] for f in found) - 0.5), key=lambda f: (len(f[2]), f[0]))
    return best[1], best[3], best[2]


def _loose(title: str) -> str:
    """A pattern for ``title`` as a page may show it again: a page title's
    hyphen is the headline's dash (——), its spaces any spaces."""
    parts = re.split(r"(\s+|-+|—+|－+|–+)", title)
    out = []
    for part in parts:
        if not part:
            continue
        if part.isspace():
            out.append(r"\s+")
        elif set(part) <= set("-—－–"):
            out.append(r"\s*(?:-+|—+|－+|–+)\s*")
        else:
            out.append(re.escape(part))
    return "".join(out)


def flat_runner_up(page: str, spot: int, title: str) -> str | None:
    """What came second to the chosen headline: another start of the page
    title shown elsewhere, or the same title shown at another place."""
    others = []
    for m in re.finditer(re.escape(" " + title + " "), page + " "):
        if m.start() + 1 != spot:
            others.append(f"the same title at character {m.start() + 1}")
    return others[0] if others else None


def _best_headline(found: list[tuple[float, int, str]]) -> tuple[float, int, str]:
    """Where the article's own headline most likely is: the occurrence with
    the strongest signs of an article after it (a page repeating its title
    in the footer shows none); among near equals, the longest title."""
    strongest = max(e for e, _, _ in found)
    return max((f for f in found if f[0] >= strongest - 0.5), key=lambda f: (len(f[2]), f[0]))


def _flat_evidence(page: str, at: int) -> float:
    after = page[at: at + 400]
    dates = find_dates(after[:150])
    score = 3.0 if dates else 0.0
    score += len(_SENTENCE_MARKS.findall(after)) / 20
    return score


_SENTENCE_END_SPACE = re.compile(r"[。！？!?][”」’』）)]? +\S")


def _record(numbered: list[tuple[int, str]]) -> Page:
    """A scraper's record: title and date lines, then the article's text
    flattened onto a line, which is cut back into paragraphs."""
    if len(numbered) == 1:
        return Page(_one_line_article(*numbered[0]), True)
    units: list[Unit] = []
    for n, line in numbered:
        line = strip_space(line)
        units.extend(_pieces(line, n) if _SENTENCE_END_SPACE.search(line) else [Unit(line, n)])
    return Page(units, True)


_DATELINE_LABEL_END = re.compile(r"(?:发布时间|發布時間|發佈時間|发表时间|發表時間|时间|時間|日期|更新)\s*[:：︰]?\s*$")
_DATELINE_FIELD = re.compile(
    r"[\s\u00a0\u3000]*(?P<label>来源|來源|作者|记者|記者|编辑|編輯|责任编辑|責任編輯)\s*[:：︰]\s*(?P<value>[^\s\u00a0\u3000]*)")


def _one_line_article(line_number: int, line: str) -> list[Unit]:
    """A whole article flattened onto one line, with no page title to anchor
    it: the head before the first date is breadcrumb and title, the date
    and its labelled fields one date line, the rest cut into paragraphs; with
    no date, the short pieces before the first sentence are the title (and
    the author's name after it)."""
    line = strip_space(line)
    dates = find_dates(line[:300])
    if dates and dates[0].start >= 4:
        head = strip_space(_DATELINE_LABEL_END.sub("", line[: dates[0].start]))
        units = []
        first, _, rest = head.partition(" ")
        if rest and len(rest) >= 4 and (parse_breadcrumb(first) or _is_crumb(first)):
            units.append(Unit(first, line_number))
            head = rest
        units.append(Unit(head, line_number))
        at = dates[0].end
        fields = [line[dates[0].start: at].strip()]
        while (m := _DATELINE_FIELD.match(line, at)) and len(m["value"]) <= 20:
            fields.append(f"{m['label']}：{m['value']}")
            at = m.end()
        units.append(Unit("  ".join(fields), line_number))
        return units + _pieces(line[at:], line_number)
    pieces = _pieces(line, line_number)
    lead = 0
    while (lead < len(pieces) - 1 and lead < 3 and len(pieces[lead].text) <= 40
           and pieces[lead].text[-1] not in TERMINAL and density_score(pieces[lead].text) < 20):
        lead += 1
    if lead >= 2:
        name = pieces[lead - 1].text if _is_personal_name(pieces[lead - 1].text) else None
        title_parts = [p.text for p in pieces[: lead - 1 if name else lead]]
        units = [Unit(" ".join(title_parts), line_number)] + ([Unit(name, line_number)] if name else [])
        return units + pieces[lead:]
    return pieces


def segment(text: str) -> Page | None:
    """Lay a page dump out as units with its headline marked, or None when
    the text is not a page dump (a tidy article goes to the news stages)."""
    from .units import split_units

    lines = [line for line in text.split("\n") if strip_space(line)]
    if not lines:
        return None
    longest = max(len(line) for line in lines)
    if len(lines) <= 5 and longest > 200:
        numbered = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if strip_space(line)]
        page = " ".join(strip_space(line) for _, line in numbered)
        found = find_flat_headline(page)
        if (field := _FLAT_TITLE_FIELD.search(page[:3000])) is not None:  # a forum post's header names it
            found = (field.start("title"), field.end("title"), field["title"])
        if found is None:
            return _record(numbered)
        start, end, title = found
        units = _pieces(page[:start], 1)
        headline = len(units)
        units.append(Unit(title, 1))
        units.extend(_pieces(page[end:], 1))
        return Page(units, True, headline, title, _site_from_title(page[:300], title, True),
                    flat_runner_up(page, start, title),
                    {"title": f"the page starts with it and shows it again at character {start}"})
    units = split_units(text)
    if len(units) <= 5 and any(len(_SENTENCE_END_SPACE.findall(u.text)) >= 2 for u in units):
        return _record([(u.line, u.text) for u in units])
    if len(units) < 12:
        return None
    found_line = find_headline(units)
    forum = found_line is not None and bool(_TITLE_FIELD.match(units[found_line[0]].text))
    weak = found_line is None or _article_evidence(units, found_line[0]) < 1.0 or (
        # the article's prose starts far below: the "headline" was the site's name on the page
        body_span(units, found_line[0] + 1)[0] - found_line[0] > 25)
    if not forum and weak and _looks_like_dump(units):
        # The page title names the site or the section, not the article (成報
        # SING PAO DAILY NEWS): the headline is the title-like line just above
        # the densest block of prose.
        above = headline_above_body(units)
        if above is not None:
            runner_up = found_line[1] if found_line else units[0].text
            return Page(units, False, above, units[above].text, None, runner_up,
                        {"title": "the title-like line closest above the article's prose"})
    if found_line is None:
        return None
    index, title = found_line
    if index == 0:
        return None
    if forum:
        why = "the 标题 field of the post's header"
    else:
        why = f"the page title (line {units[0].line}) shown again above the article"
    runner_up = units[0].text if units[0].text != title else None
    return Page(units, False, index, title, _site_from_title(units[0].text, title), runner_up, {"title": why})


def _looks_like_dump(units: list[Unit]) -> bool:
    """Menus and link lists: many lines, most of them a few words."""
    short = sum(1 for u in units if len(u.text) <= 10)
    return len(units) >= 20 and short * 4 >= len(units)


def headline_above_body(units: list[Unit]) -> int | None:
    """The line most like a headline among the dozen above the densest
    block of prose: a title's length, no sentence, close above a date."""
    b0, b1 = body_span(units, 1)
    if b1 - b0 < 1 or b0 <= 3:  # prose from the top: a tidy article, its first line the title
        return None
    page_title = units[0].text
    best, best_score = None, 0.0
    for i in range(max(1, b0 - 12), b0 + 1):
        text = units[i].text
        if not (6 <= len(text) <= 64) or text[-1] in "。，；：:,;" or is_interface_text(text) or find_dates(text) \
                or _is_field_line(text) or _crumbs([units[i]], False) or is_caption_line(text):
            continue
        score = 1.0 + min(len(text), 30) / 30
        if any(find_dates(u.text) for u in units[i + 1: i + 4]):
            score += 2
        if len(set(text) & set(page_title)) >= 4:
            score += 1
        score -= (b0 - i) * 0.1
        if score > best_score:
            best, best_score = i, score
    return best


# ------------------------------------------------------------------ the article


# A page's notices that follow its article (its disclaimer, its copyright).
_CLOSING_KINDS = ("disclaimer", "copyright")


def body_span(units: list[Unit], start: int) -> tuple[int, int]:
    """The densest run of units from ``start`` on (Kadane's maximum
    subarray), ending before the first related/comments heading that follows
    some prose."""
    end = len(units)
    seen_prose = False
    prose_seen = 0
    scores: list[float] = []
    for i in range(start, len(units)):
        text = units[i].text
        closing = (_is_stop(text) or text[0] in _BOX_BULLETS or furniture_kind(text[:80]) in _CLOSING_KINDS
                   or _REPLY_HEADER.match(text)
                   or len(text) <= 40 and (_AUTHOR_FIELD.match(text) or _EDITOR_FIELD.match(text)))
        if closing and seen_prose:
            end = i
            break
        if seen_prose and (_ARTICLE_END.search(text)
                           or len(text) <= 24 and REPORTER_LINE.match(text) and not _opens_article(text)
                           and not _CREDIT_LINE.match(text) and prose_seen >= 2):
            # its end mark or its reporter's credit
            scores.append(density_score(text))
            end = i + 1
            break
        scores.append(density_score(units[i].text))
        if scores[-1] >= 20:
            seen_prose = True
            prose_seen += 1
    best, best_span = 0.0, (start, start)
    running, run_start = 0.0, start
    for i in range(start, end):
        score = scores[i - start]
        if running <= 0:
            running, run_start = score, i
        else:
            running += score
        if running > best:
            best, best_span = running, (run_start, i + 1)
    return best_span


def read_page(page: Page, found: Found) -> list[Unit]:
    """Fill ``found`` from the page around its headline; return the body."""
    units = page.units
    h = page.headline
    assert h is not None
    found.title = page.title
    found.site = page.site
    found.because("title", page.evidence.get("title", "the page title shown again"), page.runner_up, units[h].line)
    b0, b1 = body_span(units, h + 1)
    if b0 == b1:  # no prose after the headline at all
        b0 = b1 = h + 1
    # A short closing sentence (你期待吗？) ends the article, not the page.
    for _ in range(3):
        if b1 < len(units) and _closes_article(units[b1].text):
            b1 += 1
    header = units[h + 1: b0]
    before = units[:h]
    # A caption, a credit or a date-and-source line just above the first
    # paragraph is not its start.
    while b0 < b1 and (is_caption_line(units[b0].text, units[b0 + 1].text if b0 + 1 < b1 else "")
                       or _is_field_line(units[b0].text) or _DATELINE_CREDIT.match(units[b0].text)
                       or _OUTLET_REPORTERS.match(units[b0].text) or REPORTER_LINE.match(units[b0].text)
                       or _PUBLISHED_BY.match(units[b0].text)
                       or re.fullmatch(r"【[^】]{2,12}】", units[b0].text)):  # a series' label: 【新春走基层】
        header.append(units[b0])
        b0 += 1
    # A reporter's credit or a wire dateline opens the article: what stands
    # before it (a caption, a teaser) is not its first paragraph.
    for k in range(b0 + 1, min(b0 + 5, b1)):
        if _opens_article(units[k].text) and not any(_opens_article(u.text) for u in units[b0:k]):
            header.extend(units[b0:k])
            b0 = k
            break
    # A sub-heading can open the article: a short heading-like line just
    # above the first paragraph, set in as a paragraph is, belongs to it (a
    # headline's deck, not set in, does not).
    if (b0 - 1 > h and header and header[-1] is units[b0 - 1] and units[b0 - 1].indented
            and _is_subheading(units[b0 - 1].text) and page.title not in units[b0 - 1].text):
        header.pop()
        b0 -= 1
    # A summary the page keeps hidden repeats the start of the first paragraph.
    while b0 + 1 < b1 and len(units[b0].text) >= 20 and units[b0].text[:30] in units[b0 + 1].text[:60]:
        header.append(units[b0])
        b0 += 1
    body = units[b0:b1]
    # Pictures' captions without markers: short one-sentence lines set
    # between long paragraphs.  One such line may be a short paragraph; a
    # page that has several has pictures.
    captions = [u for i, u in enumerate(body) if _is_unmarked_caption(
        u.text, body[i + 1].text if i + 1 < len(body) else "", body[i - 1].text if i else None)]
    if len(captions) >= 2:
        body = [u for u in body if u not in captions]
        found.furniture.extend(Furniture(u.text, "caption", u.line) for u in captions)
    trailer_end = min(len(units), b1 + 15)
    trailer = units[b1:trailer_end]
    used: set[int] = set()

    _read_channel(before, header, found, page.flattened)
    _read_header_fields(header, before, found, used, page.flattened)
    _read_trailer_fields(trailer, found, used)
    if page.flattened and found.byline is None:
        after = " ".join(u.text for u in units[b1:])
        if (m := re.search(r"(?:^|\s)(?P<name>\S{2,20}) (?:發表在|发表在|发表于|發表於) (?!\d)", after)) \
                and not _ui_hits(m["name"]):
            found.byline = m["name"]
            found.because("byline", "the blog's 'posted by' footer")
    for u in units[b1:]:
        if (m := _POSTED_BY.match(u.text)) and found.byline is None:
            found.byline = m["name"]
            found.because("byline", "the blog's 'posted by' footer")
        elif m := _POSTED_AT.match(u.text):
            dates = find_dates(m["date"])
            if dates and found.published is None:
                found.published = dates[0].value
                found.because("published", "the blog's 'posted @' footer")
            if found.byline is None:
                found.byline = m["name"]
                found.because("byline", "the blog's 'posted @' footer")
    _read_lead_byline(body, found)

    if page.flattened:
        # A flattened page's furniture is kept as the stretches of text it
        # was on the page (a menu is one piece, not a word each), with the
        # metadata read from it: cutting it into words would lose the text.
        for zone, kind in ((before, "navigation"), (header, "header"), (units[b1:], "footer")):
            if zone:
                kinds = {_header_kind(u.text) for u in zone} - {"header"} if kind == "header" else set()
                found.furniture.append(Furniture(" ".join(u.text for u in zone), min(kinds or {kind}), zone[0].line))
        return body
    # Lines the metadata was read from stay too, as what they were.
    for u in before:
        found.furniture.append(Furniture(u.text, "metadata" if id(u) in used else "navigation", u.line))
    for u in header:
        found.furniture.append(Furniture(u.text, "metadata" if id(u) in used else _header_kind(u.text), u.line))
    for u in units[b1:]:
        found.furniture.append(Furniture(u.text, "metadata" if id(u) in used else "footer", u.line))
    return body


def _opens_article(text: str) -> bool:
    return bool(_LEAD_CREDIT.match(text) or _REPORTER_LEAD.match(text + " ") or _WIRE_LEAD.match(text)
                or _DESK_LEAD.match(text) or WIRE_BYLINE.match(text)
                or re.match(r"^[\u4e00-\u9fff]{2,10}(?:讯|訊)\s*[（(]?", text) and len(text) > 40)


def _closes_article(text: str) -> bool:
    return (len(text) <= 40 and text[-1] in TERMINAL and not is_interface_text(text)
            and not is_caption_line(text) and not _is_stop(text))


def _is_unmarked_caption(text: str, following: str, preceding: str | None) -> bool:
    """Shaped like a picture's caption with no marker: one short sentence,
    no clause break, between paragraphs twice its length or more."""
    return (len(text) <= 40 and text.endswith("。") and text.count("。") == 1 and not re.search(r"[，,；;：:]", text)
            and len(following) >= 2 * len(text) and (preceding is None or len(preceding) >= 2 * len(text)))


# A picture's label standing alone (資料圖片, 五礦資源官網, 網上截圖): it names
# no photographer, so the line above it is not taken for its caption.
_PICTURE_LABEL = re.compile(
    r"^[\u4e00-\u9fff\w]{0,10}(?:官網|官网|網站|网站|資料圖片|资料图片|網上圖片|网上图片|截圖|截图|資料照片|资料照片)$")


def is_caption_line(text: str, following: str = "") -> bool:
    if _CREDIT_LINE.match(text) or _PICTURE_LABEL.match(text) or text.startswith(
            ("▲", "△", "▼", "圖為", "图为", "圖說", "图说")):
        return True
    if _PHOTO_CREDIT_TAIL.search(text) and len(text) <= 160:
        return True
    # A one-sentence line followed by a photo credit is that photo's caption.
    return bool(following and _CREDIT_LINE.match(following) and len(text) <= 80)


def _is_subheading(text: str) -> bool:
    return (4 <= len(text) <= 30 and len(_CJK.findall(text)) >= 4 and not _SENTENCE_MARKS.search(text[:-1])
            and text[-1] not in "。，；：:,;" and not is_interface_text(text) and not is_caption_line(text, "")
            and not _is_field_line(text) and not find_dates(text) and not _DATELINE_CREDIT.match(text)
            and not _REPORTER_LEAD.match(text + " ") and not _OUTLET_REPORTERS.match(text)
            and not REPORTER_LINE.match(text) and not _is_personal_name(text))


def _is_field_line(text: str) -> bool:
    if len(text) > 100 or "。" in text:
        return False
    dates = find_dates(text)
    field = _FIELD.search(text)
    return (bool(dates and dates[0].start <= 12) or bool(field and field.start() <= 12)
            or bool(_WIRE_TITLE_LINE.match(text)) or bool(_LOCATION_TAG.match(text)))


def _header_kind(text: str) -> str:
    if _CREDIT_LINE.match(text) or _PHOTO_CREDIT_TAIL.search(text) or text.startswith(("▲", "圖為", "图为")):
        return "caption"
    return "header"


def _read_channel(before: list[Unit], header: list[Unit], found: Found, flattened: bool) -> None:
    """The breadcrumb closest above the headline; else a column label (one
    or two short words) right above it; else the word the date line
    carries."""
    crumbs = _crumbs(before[-80:], flattened) or _crumbs(header[:12], flattened)
    if crumbs:
        crumb = crumbs[-1] if _crumbs(before[-80:], flattened) else crumbs[0]
        found.breadcrumb = crumb
        found.because("channel", "the breadcrumb closest to the headline",
                      crumbs[-2] if len(crumbs) > 1 else None)
        parsed = parse_breadcrumb(crumb)
        if parsed:
            found.site = found.site or parsed[0]
            found.channel = parsed[1]
        else:
            found.channel = crumb
        return
    words: list[str] = []
    for u in reversed(before[-2:] if flattened else before[-1:]):
        if re.fullmatch(r"[\u4e00-\u9fff]{2,6}", u.text) and u.text not in _CRUMB_ROOTS:
            words.insert(0, u.text)
        else:
            break
    if len(words) == 2 and not _is_column_label(words, before):
        words = words[1:]
    if words and _is_column_label(words, before):
        found.breadcrumb = found.channel = " ".join(words)
        found.because("channel", "the column named right above the headline")
        return
    for u in header[:3]:
        dates = find_dates(u.text)
        if dates or (flattened and re.fullmatch(r"[\u4e00-\u9fff]{2,6}", u.text)):
            joined = " ".join(x.text for x in header[:4]) if flattened else u.text
            dates = find_dates(joined)
            label = strip_space(joined[: dates[0].start]) if dates else ""
            if re.fullmatch(r"[\u4e00-\u9fff]{2,6}", label) and not _DATE_LABEL.search(label):
                found.breadcrumb = found.channel = label
                found.because("channel", "the column named on the date line")
            return


_DATE_LABEL = re.compile(r"(时间|時間|日期|更新|出版|发布|發布|發佈|发表|發表|发稿|發稿|刊登|上传|上傳)$")
_CRUMB_ROOTS = ("首頁", "首页", "主頁", "主页", "正文", "Home")


def _is_column_label(words: list[str], before: list[Unit]) -> bool:
    """Short words right above a headline name its column when the page says
    so elsewhere: the page title carries the column, the line above is the
    site's root (a breadcrumb laid out a line a step), or a column and its
    section both stand in the page's menus too."""
    page_title = before[0].text if before else ""
    suffix = page_title.split(words[-1][:2], 1)
    if len(suffix) == 2 and suffix[0] and _TITLE_SEPARATOR.search(suffix[0][-4:] + " "):
        return True
    above = before[-1 - len(words)].text if len(before) > len(words) else ""
    if above in _CRUMB_ROOTS:
        return True
    # A column and its section standing alone before the headline, after
    # something that is not a menu of short words, and named in the menus.
    run = 0
    for u in reversed(before):
        if not re.fullmatch(r"[\u4e00-\u9fff]{1,6}", u.text):
            break
        run += 1
    menus = " ".join(u.text for u in before[: -len(words)])
    return len(words) == 2 and run == 2 and f" {words[0]} " in f" {menus} "


def _crumbs(units: list[Unit], flattened: bool) -> list[str]:
    """Breadcrumbs among ``units``, in page order: in a flattened page found
    in the running text, in a page of lines a line each (a step may have
    spaces: THE NEXT WEB)."""
    if flattened:
        text = " ".join(u.text for u in units)
        return [_without_ui_start(m.group(0).strip()) for m in _CRUMB.finditer(text)
                if _is_crumb(_without_ui_start(m.group(0).strip()))]
    out = []
    for u in units:
        text = re.sub(r"^(?:当前位置|當前位置|您的位置|你的位置|位置)\s*[:：︰]\s*", "", u.text)
        if len(text) <= 80 and _is_crumb(text, spaced=True):
            out.append(text)
        else:
            out.extend(m.group(0).strip() for m in _CRUMB.finditer(text) if _is_crumb(m.group(0)))
    return out


def _without_ui_start(crumb: str) -> str:
    """"更多>> 首页 > 科技": a link before the breadcrumb is not its first step."""
    m = re.match(r"^([^\s>＞»›→]{1,8})\s*(?:>>|»)\s+", crumb)
    return crumb[m.end():] if m and _ui_hits(m.group(1)) and m.group(1) not in _CRUMB_ROOTS else crumb


def _is_crumb(text: str, spaced: bool = False) -> bool:
    if not re.search(r">|＞|»|›|→|\s/\s", text) and not text.startswith(_CRUMB_ROOTS):
        return False  # "社福/衛環" is a menu item; "首页/要闻动态/今日关注" a path
    parts = [p for p in re.split(r"\s*(?:>>|>|＞|»|›|→|\s/\s|(?<=[\u4e00-\u9fff])/(?=[\u4e00-\u9fff]))\s*",
                                 text.rstrip(" >＞»›")) if p.strip()]
    part = r"[\w\u4e00-\u9fff][\w\u4e00-\u9fff_-]*(?: [\w\u4e00-\u9fff_-]+){0,3}" if spaced else r"[\w\u4e00-\u9fff _-]+"
    if spaced and (len(parts) < 2 or max(map(len, parts)) > 16):
        return False
    if any(re.search(r"查看|更多|登录|登入|注册|註冊|分享|收藏|打印|列印|下载|下載|订阅|訂閱|关注|關注|(?i:cookie)|文本文件", p)
           for p in parts):
        return False  # "查看TA的文章 > 评论" is a row of links, not a path
    return len(parts) >= 2 and all(re.fullmatch(part, p.strip()) for p in parts) and not any(
        re.fullmatch(r"[\d:：\-./]+", p) for p in parts)


def _read_header_fields(header: list[Unit], before: list[Unit], found: Found, used: set[int],
                        flattened: bool = False) -> None:
    """Date, source, byline and editors between the headline and the body;
    a date may also stand just above the headline."""
    joined_header = " ".join(u.text for u in header)
    for m in _PUBLISHED_BY_RUNNING.finditer(joined_header):
        if flattened and not _ui_hits(m["name"]) and (published := find_dates(m["date"])):
            found.published = published[0].value
            found.because("published", "'X 于 DATE 发布' under the headline")
            if found.byline is None:
                found.byline = m["name"]
                found.because("byline", "'X 于 DATE 发布' under the headline")
            break
    for u in header:
        if (m := _PUBLISHED_BY.match(u.text)) and (published := find_dates(m["date"])) and not _ui_hits(m["name"]):
            found.published = published[0].value
            found.because("published", "'X 于 DATE 发布' under the headline")
            if found.byline is None and not _ui_hits(m["name"]):
                found.byline = m["name"]
                found.because("byline", "'X 于 DATE 发布' under the headline")
            used.add(id(u))
            break
    for u in header[:6]:
        dates = find_dates(u.text)
        name = u.text[: dates[0].start].strip() if dates else ""
        if found.byline is None and dates and _is_personal_name(name) and not _in_page_title(name, before):
            found.byline = name  # "谢若含2017-03-01 14:27:02": the author and the time
            found.because("byline", "the name before the date under the headline")
    for i, u in enumerate(header[:-1]):
        if found.byline is None and _FOLLOW_BUTTON.match(header[i + 1].text) and 2 <= len(u.text) <= 20 \
                and not _SENTENCE_MARKS.search(u.text) and not _ui_hits(u.text):
            found.byline = u.text  # an account's name above its follow button
            found.because("byline", "the account's name above its follow button")
            used.add(id(u))
    for u in [*header, *before[-3:]]:
        if found.channel is None and (m := _CATEGORY_FIELD.match(u.text)):
            found.breadcrumb = found.channel = m["name"]
            found.because("channel", "the labelled category near the headline")
    joined, owner = _joined(header)
    dates = find_dates(joined)
    if dates and found.published is None:
        # The headline's own date is the first one under it.
        found.published = dates[0].value
        found.because("published", "the first date under the headline",
                      next((d.value for d in dates[1:] if d.value != dates[0].value), None))
        used.update(id(header[owner[k]]) for k in range(dates[0].start, dates[0].end) if owner[k] >= 0)
    for u in [*(before[-8:] if flattened else before[-3:]), *header]:
        text = u.text
        for m in _FIELD.finditer(text):
            label = m["label"]
            value = re.split(r"[\s\u3000]|(?=责任编辑|責任編輯|来源|來源|作者|编辑|編輯)", text[m.end():])[0]
            value = value.strip("　 ,，|｜")
            if not value and label in ("来源", "來源", "稿源") and (nxt := _next_text(header, u)):
                value = nxt.split()[0] if nxt.split() else ""
            if not value or len(value) > 20:
                continue
            used.add(id(u))
            if label in ("来源", "來源", "稿源"):
                found.source = found.source or _clean_source(value)
                found.because("source", f"labelled {label} near the headline")
            elif label in ("责任编辑", "責任編輯", "责编", "責編", "编辑", "編輯"):
                found.editors = found.editors or split_names(value)
                found.because("editors", f"labelled {label} near the headline")
            elif label in ("发信人", "發信人", "楼主", "樓主"):
                found.byline = found.byline or re.split(r"[\s(（]", value)[0]
                found.because("byline", "the poster in the forum post's header")
            elif label != "出品":
                found.byline = found.byline or value
                found.because("byline", f"labelled {label} near the headline")
        if (m := _REPORTER_LEAD.search(text + " ")) and found.byline is None:
            found.byline = strip_space(m["byline"])
            found.because("byline", "the reporter's credit under the headline")
            used.add(id(u))
        elif found.byline is None and u in header and (
                (m := REPORTER_LINE.match(text)) or (m := _AUTHOR_LINE_START.match(text))):
            # "记者 张三 李四", "本报记者 张三 通讯员 李四", "文/张三" under the headline.
            found.byline = strip_space(m["byline"] if "byline" in m.groupdict() else m["name"])
            found.because("byline", "the reporter or author line under the headline")
            used.add(id(u))
        elif found.byline is None and u in header and (m := _OUTLET_REPORTERS.match(text)):
            found.byline = strip_space(m["byline"])
            found.because("byline", "the reporter or author line under the headline")
            used.add(id(u))
        elif found.byline is None and _is_personal_name(text) and not _in_page_title(text, before) and not any(
                b.text == text for b in before):
            found.byline = text
            found.because("byline", "a personal name alone under the headline")
            used.add(id(u))
        if (m := _DESK_LEAD.match(text)) and found.byline is None:
            found.byline = m["desk"]
            found.because("byline", "the desk's credit under the headline")
            used.add(id(u))
        if (m := _SOURCE_FROM.search(text)) and found.source is None:
            found.source = m["value"]
            found.because("source", "'来源于' near the headline")
            used.add(id(u))
        if m := _BBS_SOURCE.match(text):
            found.source = found.source or m["site"]
    if found.published is None:
        above = before[-6:]
        joined, owner = _joined(above)
        dates = find_dates(joined)
        if dates:
            found.published = dates[-1].value
            found.because("published", "the date just above the headline")
            used.update(id(above[owner[k]]) for k in range(dates[-1].start, dates[-1].end) if owner[k] >= 0)
    # A CMS fills 作者 with the desk editor's name: that is not the author.
    if found.byline and found.byline in found.editors:
        found.byline = None
        found.reasons.pop("byline", None)


def _joined(units: list[Unit]) -> tuple[str, list[int]]:
    """The units' text joined by spaces, and which unit each character is of
    (-1 for the joining spaces): a date or a field cut by the page's layout
    is read whole."""
    text, owner = [], []
    for i, u in enumerate(units):
        if text:
            text.append(" ")
            owner.append(-1)
        text.append(u.text)
        owner.extend([i] * len(u.text))
    return "".join(text), owner


def _next_text(units: list[Unit], u: Unit) -> str:
    for i, other in enumerate(units):
        if other is u:
            return units[i + 1].text if i + 1 < len(units) else ""
    return ""


def _clean_source(value: str) -> str:
    return re.sub(r"(参与互动|參與互動)$", "", value)


def _is_personal_name(text: str) -> bool:
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", text)) and text[0] in _SURNAMES and not _ui_hits(text)


def _in_page_title(text: str, before: list[Unit]) -> bool:
    return bool(before) and text in before[0].text


def _read_trailer_fields(trailer: list[Unit], found: Found, used: set[int]) -> None:
    """Editors, bylines and sources in the lines that close the article."""
    author_from_trailer = None
    trailer_editors: set[str] = set()
    for u in trailer:
        text = strip_space(u.text)
        if _SIGNATURE.match(text):
            used.add(id(u))
            continue
        if (m := _BRACKET_EDITOR.match(text)) and not found.editors:
            found.editors = [m["name"]]  # （松花江网编辑 孙桂芳）
            found.because("editors", "the site's editor in brackets closing the article")
            used.add(id(u))
        elif m := _EDITOR_FIELD.match(text):
            # Every editors line closing the article adds its names (编辑：甲 and 责任编辑：乙).
            names = re.split(r"\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：︰︱|｜]\s*", m["names"])
            if not found.editors or "editors" in trailer_editors:
                found.editors = list(dict.fromkeys([*found.editors, *(n for p in names for n in split_names(p))]))
                trailer_editors.add("editors")
                found.because("editors", "the editors line closing the article")
            used.add(id(u))
        elif m := _AUTHOR_FIELD.match(text):
            author_from_trailer = author_from_trailer or strip_space(m["name"])
            used.add(id(u))
        elif m := _BBS_SOURCE.match(text):
            found.source = found.source or m["site"]
            used.add(id(u))
        elif m := _POSTED_BY.match(text):
            author_from_trailer = author_from_trailer or m["name"]
        elif len(text) <= 30 and ((m := _OUTLET_REPORTERS.match(text)) or (m := REPORTER_LINE.match(text))):
            author_from_trailer = author_from_trailer or strip_space(m["byline"])  # 记者 刘涛, after the text
            used.add(id(u))
        elif (m := _SOURCE_FIELD.match(text)) and found.source is None and len(text) <= 40:
            found.source = _clean_source(m["value"])
            found.because("source", "labelled 来源 closing the article")
            used.add(id(u))
        elif (m := _CATEGORY_FIELD.match(text)) and found.channel is None:
            found.breadcrumb = found.channel = m["name"]
            found.because("channel", "the labelled category closing the article")
            used.add(id(u))
        elif found.published is None and (m := _DATE_FIELD.match(text)) and (dates := find_dates(m["date"])):
            found.published = dates[0].value
            found.because("published", "the labelled date closing the article")
            used.add(id(u))
    if author_from_trailer and found.byline is None:
        found.byline = author_from_trailer
        found.because("byline", "the author line closing the article")


_WIRE_LEAD = re.compile(
    r"^(?:据|據)?[\u4e00-\u9fff]{2,12}?(?:(?:\d{1,2}月)?\d{1,2}日)?(?:电|電)\s*[（(]\s*"
    r"(?P<byline>(?:本报|本報)?(?:记者|記者|通讯员|通訊員)[^（）()]{2,30}?)\s*[）)]"
)
# "TNW中文站 10月14日报道": who reports from where, above the first paragraph.
# "社會中心／綜合報導": a desk's credit, in place of a reporter's.
_DESK_LEAD = re.compile(
    r"^(?P<desk>[\u4e00-\u9fff]{2,8}(?:中心|組|组|部|台|室))\s*[／/]\s*(?:綜合報導|综合报道|報導|报道|整理)\s*")
_SOURCE_FROM = re.compile(r"(?:本文)?(?:来源于|來源於|转载自|轉載自|转自|轉自)\s*[:：︰]?\s*(?P<value>[^\s\u3000,，。]{2,20})")
# A blog post's footer: "posted @ 2024-05-09 14:45 作者名".
_POSTED_AT = re.compile(r"^(?:posted|Posted|POSTED|发表于|發表於)\s*@?\s*"
                        r"(?P<date>\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s+"
                        r"(?P<name>[\w\u4e00-\u9fff][\w\u4e00-\u9fff.-]{1,29})(?:\s|$)")
_AUTHOR_LINE_START = re.compile(r"^(?:文|图文|圖文)\s*[/／|｜]\s*(?P<name>[\u4e00-\u9fff·]{2,8})$")
_DATELINE_CREDIT = re.compile(r"^[\w\u4e00-\u9fff·]{2,20}\s*(?:\d{1,2}月)?\d{1,2}日(?:报道|報導|讯|訊|电|電)$")


def _read_lead_byline(body: list[Unit], found: Found) -> None:
    """``記者林悅／南市報導`` before the first paragraph, or a desk credit
    ``〔即時新聞／綜合報導〕`` opening it."""
    if not body:
        return
    first = body[0]
    if (m := _DESK_LEAD.match(first.text)) and found.byline in (None, m["desk"]):
        found.byline = m["desk"]
        found.because("byline", "the desk's credit opening the first paragraph")
        found.furniture.append(Furniture(strip_space(m.group(0)), "byline", first.line))
        first.text = strip_space(first.text[m.end():]) or first.text
    elif m := _REPORTER_LEAD.match(first.text):
        if found.byline is None:
            found.byline = strip_space(m["byline"])
            found.because("byline", "the reporter's credit opening the first paragraph")
        rest = strip_space(first.text[m.end():])
        found.furniture.append(Furniture(strip_space(m.group(0)), "byline", first.line))
        if rest:
            first.text = rest
        else:
            body.pop(0)
    elif (m := _WIRE_LEAD.match(first.text)) and found.byline is None:
        found.byline = strip_space(m["byline"])
        found.because("byline", "the reporters named in the wire dateline")
    elif (m := _LEAD_CREDIT.match(first.text)) and found.byline is None and (
            m["desk3"] is None or m["desk3"] != found.source):  # "国际在线报道：" by the source itself
        found.byline = strip_space(m["desk"] or m["desk2"] or m["desk3"])
        found.because("byline", "the desk credit opening the first paragraph")
