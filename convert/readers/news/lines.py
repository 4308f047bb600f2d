"""What a line of a page is: prose, interface text (menus, share and login
prompts, link rows), a caption or a credit, a labelled field, a breadcrumb,
a reporter's credit; the vocabulary and forms every page-dump stage shares."""

from __future__ import annotations

import re

from ..._lazy_re import lazy
from .blocks import numbering
from .dates import find_dates
from .patterns import (
    HEADING_MAX,
    REPORTER_LINE,
    SHORT_LINE_MAX,
    TERMINAL,
    WIRE_BYLINE,
    furniture_kind,
    outlet,
)
from .units import Unit, is_han_word

CJK = lazy(r"[\u3400-\u9fff\uf900-\ufaff]")

SENTENCE_MARKS = lazy(r"[，。！？；、,;!?]")

# Bounded repeats: a long line with no space must not make this quadratic.
URL = lazy(r"https?://\S+|www\.\S+|[\w.-]{1,64}\.(?:com|net|org|cn|tw|hk)\b(?:/\S{0,300})?", re.I)

# Words of a site's interface, not of news prose: one in a short line, or two
# anywhere, make the line page furniture.
UI_WORDS = lazy(
    r"(?<![A-Za-z])(?i:facebook|twitter|line|weibo|instagram|youtube|rss|app)(?![A-Za-z])|登入|登录|登錄|註冊|注册|會員|会员|下載|下载|APP|App|訂閱|订阅|追蹤|分享|按讚|按个|按個|点赞|點讚"
    r"|點擊|点击|客戶端|客户端|粉絲團|粉丝团|二维码|二維碼|扫一扫|掃一掃|关注我们|關注我們|加关注|加關注|複製|复制|連結|链接|留言|評論|评论|跟帖|跟貼"
    r"|收藏|列印|打印|字號|字号|字級|返回|首頁|首页|上一篇|下一篇|上一頁|下一頁|上一页|下一页|更多|熱門|热门|推薦|推荐"
    r"|廣告|广告|版權|版权|Copyright|©|隱私|隐私|條款|条款|聯絡我們|联系我们|關於我們|关于我们|網站地圖|网站地图|Facebook"
    r"|Line|Twitter|Weibo|微信|微博|RSS|搜尋|搜索|登出|密碼|密码|電郵|邮箱|郵箱|讚|Like"
    r"|往下閱讀|繼續閱讀|继续阅读|閱讀全文|阅读全文|展開全文|展开全文|閱讀更多|阅读更多|简体版|簡體版|繁體版|繁体版|纠错|糾錯|关闭|關閉|公众号|公眾號|默认|默認"
    r"|沙发|沙發|板凳|阅读模式|閱讀模式|倒序浏览|倒序瀏覽|只看该作者|只看該作者|电梯直达|電梯直達|当前离线|當前離線"
    r"|当前在线|當前在線|发消息|發消息|回复|回覆"
)
# A comment button standing alone (我要说说, 我要說兩句), not a column named 我要说.
COMMENT_BUTTON = lazy(r"^我要(?:说|說|评论|評論)(?:说|說|两句|兩句)?$", opens="我")

# Headings that open what follows an article: related links, comments,
# the next article.
STOP = lazy(
    r"^[-–—=\s▌■●◆【\[]*(?:相关新闻|相關新聞|相关阅读|相關閱讀|相关文章|相關文章|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀"
    r"|热门推荐|熱門推薦|热点搜索|熱點搜尋|热门搜索|熱門搜尋|热搜|熱搜|猜你喜欢|猜你喜歡|其他人也在看|大家都在看|大家都在读|大家都在讀|编辑推荐|編輯推薦|热门文章|熱門文章|你或有興趣|你可能感兴趣|您可能會有興趣|你可能會有興趣|也許您會感興趣|为您推荐|為您推薦"
    r"|(?:你|您)(?:可能|或許|或许|也許|也许)?(?:會|会)?(?:有興趣|有兴趣|感興趣|感兴趣|喜歡|喜欢)"
    r"|最新动态|最新動態|最新资讯|最新資訊|最新新闻|最新新聞|最新文章|最新推荐|最新推薦"
    r"|往期推荐|往期推薦|往期回顾|往期回顧|更多新闻|更多新聞|留言列表|发表评论|發表評論|网友评论|網友評論|最新评论|最新評論|热门评论|熱門評論|评论列表|評論列表"
    r"|上一篇|下一篇|阅读下一篇|閱讀下一篇|此分類上一篇|往下看更多|更多精彩|热点推荐|熱點推薦|今日推荐|今日推薦|相关推荐|相關推薦)"
)

# A line opened by one of these is a box beside the article (a notice, a
# hotline, a promotion), not its prose.
BOX_BULLETS = "●★☆◆◇■□►▶※"

def is_stop(text: str) -> bool:
    """A heading that opens what follows an article (相关新闻, 网友评论), not a
    sentence that begins with the same words."""
    m = STOP.match(text)
    if not m:
        return False
    if m.end() == len(text) or text[m.end()] in " \u3000:：>»|｜-—(（[【":
        return True  # the heading alone, or run into what it heads in a flattened page
    return len(text) <= SHORT_LINE_MAX and not text.endswith(("。", "！", "？"))

HASHTAGS = lazy(r"^#\S+(\s+#\S+)+$", opens="#")

LEAD_CREDIT = lazy(
    r"^(?:[〔［\[【(（]\s*(?P<desk>[^〔〕［］\[\]【】()（）]{2,12}?)\s*[／/]\s*[^〔〕［］\[\]【】()（）]{0,10}[〕］\]】)）]"
    # 【本報記者報道】, 大公文匯全媒體報道：
    r"|[〔［\[【(（]\s*(?P<desk2>[^〔〕［］\[\]【】()（）]{2,10}?)(?:報道|报道|報導)\s*[〕］\]】)）]"
    r"|(?P<desk3>[\u4e00-\u9fff]{2,10}?)(?:報道|报道|報導)\s*[:：︰])"
)

# "新华社记者邹多为、唐诗凝", "半月谈记者 史卫燕": an outlet's reporters.
OUTLET_REPORTERS = lazy(
    r"^(?P<byline>[\u4e00-\u9fff]{2,6}?(?:社|报|報|台|网|網|刊|谈|談)(?:特约|特約)?(?:记者|記者|通讯员|通訊員)"
    r"\s*[\u4e00-\u9fff·、\s]{2,30})$"
)

# A wire story's own dateline and title line: 新华社北京5月9日电 题：...
WIRE_TITLE_LINE = lazy(r"^[\u4e00-\u9fff]{2,12}?(?:\d{1,2}月)?\d{1,2}日(?:电|電)\s*题\s*[:：︰]")

# Where a self-media post was sent from: 发布于：北京市, 来自甘肃, IP属地：广东.
# "A-肖老师-树谷学院 于 2024-05-06 15:47:53 发布": who published it, and when.
PUBLISHED_BY = lazy(r"^(?P<name>\S{2,30}?)\s+(?:于|於)\s+(?P<date>\d{4}[-/年].{4,20}?)\s*(?:发布|發布|發佈|发表|發表)$")

# The same in running text, where a flattened page cut it into words.
PUBLISHED_BY_RUNNING = lazy(
    r"(?:^|\s)(?P<name>[^\s]{2,30}?)\s+(?:于|於)\s+(?P<date>\d{4}[-/年][^发發]{4,20}?)\s*(?:发布|發布|發佈|发表|發表)(?:\s|$)")

# The site's editor in brackets: （松花江网编辑 孙桂芳）.
BRACKET_EDITOR = lazy(r"^[（(][\u4e00-\u9fff]{0,8}(?:编辑|編輯|责编|責編)\s*(?P<name>[\u4e00-\u9fff·]{2,4})\s*[）)]$", opens="（(")

# A date by its label, after the article: 时间：2019-09-24 17:08.
DATE_FIELD = lazy(r"^(?:时间|時間|日期|发布时间|發布時間|發佈時間|发表时间|發表時間|发布于|發布於|發佈於|发表于|發表於)\s*[:：︰]\s*"
                  r"(?P<date>.{8,25})$", opens="时時日发發")

# A category named by a label: 所属分类：数理化.
CATEGORY_FIELD = lazy(r"^(?:所属分类|所屬分類|分类|分類|栏目|欄目|频道|頻道|板块|版塊)\s*[:：︰]\s*(?P<name>[^\s:：]{2,12})$", opens="所分栏欄频頻板版")

# A follow button under an account's name.
FOLLOW_BUTTON = lazy(r"^[+＋]?\s*(?:关注|關注|订阅|訂閱|追蹤|加关注|加關注)$")
# An account's figures beside its name: 粉丝：23文章：11, 关注 5 粉丝 1.2万.
ACCOUNT_FIGURES = lazy(r"^(?:(?:粉丝|粉絲|关注|關注|文章|获赞|獲讚|作品|阅读|閱讀|点赞|點讚|原创|原創)\s*[:：︰]?\s*"
                       r"\d[\d.,]*[万萬wW]?\s*)+$")

LOCATION_TAG = lazy(r"^(?:发布于|發佈於|發布於|来自|來自|IP属地|IP屬地)\s*[:：︰]?\s*[\u4e00-\u9fff]{2,8}$", opens="发發来來I")

REPORTER_LEAD = lazy(
    r"(?:^|(?<=\s))(?P<byline>(?:本報|本报|本台|本刊)?(?:特約|特约)?(?:記者|记者|通訊員|通讯员)\s*[\u4e00-\u9fff·・]{2,8}?)"
    r"\s*[／/]\s*[\u4e00-\u9fff]{0,8}?(?:報導|报道|報道|報導|报导|綜合報導|综合报道)\s*"
)

CREDIT_LINE = lazy(
    r"^(?:[（(]?\s*(?:圖|图|攝影|摄影|照片|圖片|图片)\s*[／/:：]\s*[^（）()]{1,20}[）)]?"
    r"|(?:記者|记者)?[\u4e00-\u9fff]{2,5}\s*[／/]\s*(?:翻攝|翻摄|攝|摄|攝影|摄影|提供)"
    r"|[\u4e00-\u9fff]{2,12}(?:供图|供圖|提供))$"
)

PHOTO_CREDIT_TAIL = lazy(
    r"[（(](?:[^（）()]{0,20}(?:攝|摄|供圖|供图|圖片|图片|資料圖|资料图|資料照|资料照)[^（）()]{0,20}"
    r"|(?:圖|图|照片|相片)[^（）()]{0,20}|[A-Za-z][A-Za-z .&/-]{1,30})[）)]\s*$"
)

FIELD = lazy(
    r"(?P<label>责任编辑|責任編輯|责编|責編|编辑|編輯|来源|來源|稿源|作者|撰文|撰稿|记者|記者|采写|採寫|文字|发信人|發信人|楼主|樓主|出品)"
    r"\s*[:：︰︱|｜/／]\s*"
)

EDITOR_FIELD = lazy(
    r"^[\[【（(]?\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：︰︱|｜]\s*(?P<names>.{2,40}?)\s*[\]】）)]?$"
)

AUTHOR_FIELD = lazy(
    r"^[\[【（(]?\s*(?:作者|撰文|撰稿|文|記者|记者|采写|採寫)\s*[:：︰︱|｜／/]\s*(?P<name>[^\]】）)]{2,30}?)\s*[\]】）)]?$"
)

SOURCE_FIELD = lazy(r"(?:来源|來源)\s*[:：︰︱]?\s*(?P<value>[^\s:：|｜,，。]{2,20})")

BARE_LABEL = lazy(FIELD.pattern)

# A reply in a forum thread: its poster and time, as the first post had.
REPLY_HEADER = lazy(r"^(?:作者|发信人|發信人|回复人|回覆人)\s*[:：︰]\s*\S{1,30}\s+(?:时间|時間|发表于|發表於|发表时间|發表時間)", opens="作发發回")

# How an article's last paragraph ends: an end mark, or the reporter's credit
# in brackets (（王煌忠／台中報導）, （记者 X）).
ARTICLE_END = lazy(
    r"(?:[（(](?:完|全文完)[）)]|【完】|[（(](?:作者|作者系)[:：︰︱][^（）()]{2,60}[）)]"
    r"|^《[^》]{2,20}》\s*[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*\d{1,3}\s*版\s*[）)]"
    r"|[（(][^（）()]{2,16}[／/][^（）()]{0,10}(?:報導|报道|報道|電|电)[）)]"
    r"|[（(][\u4e00-\u9fff]{0,6}(?:记者|記者|通讯员|通訊員)[\s\u4e00-\u9fff·、]{2,24}[）)])\s*$"
)

TITLE_FIELD = lazy(r"^(?:标\s*题|標\s*題|文章主题|文章主題)\s*[:：︰]\s*(?P<title>.{4,120})$", opens="标標文")
# The label alone, its value on the next line (a notice laid out as a table of fields).
TITLE_LABEL_ALONE = lazy(r"^(?:标\s*题|標\s*題)\s*[:：︰]$", opens="标標")
# A forum post's subject, a title only where its poster's field follows (a
# talk's or a meeting's 主题 is followed by its 时间 and 地点).
SUBJECT_FIELD = lazy(r"^(?:主题|主題)\s*[:：︰]\s*(?P<title>.{4,120})$", opens="主")
POSTER_FIELD = lazy(r"^(?:作者|楼主|樓主|发帖人|發帖人|发信人|發信人)\s*[:：︰]", opens="作楼樓发發")

FLAT_TITLE_FIELD = lazy(
    r"(?:(?P<label>标\s*题|標\s*題)|(?<![\u4e00-\u9fff])主[题題])\s*[:：︰]\s*(?P<title>\S.{2,118}?)\s+"
    r"(?(label)(?=发信站|發信站|时间|時間|发信人|發信人|作者\s*[:：︰])|(?=(?:作者|楼主|樓主|发帖人|發帖人)\s*[:：︰]))")

POSTED_BY = lazy(r"^(?P<name>\S{2,20}) (?:發表在|发表在|发表于|發表於) ")

SIGNATURE = lazy(r"^--\s*$", opens="-")

BBS_SOURCE = lazy(r"^(?:※\s*(?:来源|來源)\s*[:：︰]\s*·?|(?:来源|來源)\s*[:：︰]\s*·)\s*(?P<site>[^\s·]{2,20})", opens="※来來")

# The separators a page title puts between headline, channel and site.
# (\w takes in every character of U+4E00-U+9FFF: written [\w\u4e00-\u9fff],
# each class cost re a loop over its 21,000 code points to compile.)
TITLE_SEPARATOR = lazy(
    r"\s*(?:[_|｜»]|--|－|—|::|\s-\s?|\s@\s|(?<=\w)-(?=[\u4e00-\u9fff])"
    r"|(?<=[^\s\w-])-(?=\w[^\s-]{1,20}(?:\s|$|-))|(?<=[？！」』”])-(?=\w))\s*")

CRUMB_PART = r"(?:(?<![\w:：./-])[A-Za-z][A-Za-z0-9]*(?:[^\S\n][A-Za-z][A-Za-z0-9]*){1,3}|[^\s>＞»›→/|]{1,16})"

CRUMB_SEPARATOR = r"(?:>>|>|＞|»|›|→|[^\S\n]/[^\S\n]|(?<=[\u4e00-\u9fff])/(?=[\u4e00-\u9fff]))"

CRUMB = lazy(
    r"(?:" + CRUMB_PART + r"[^\S\n]*" + CRUMB_SEPARATOR + r"[^\S\n]*){1,6}"
    r"(?:" + CRUMB_PART + r"(?:[^\S\n]*(?:>>|>|＞|»|›)(?![^\S\n]*[^\s>＞»›→/|]))?|(?<=[>＞»›]))"
)

SURNAMES = set(
    "王李張张劉刘陳陈楊杨黃黄趙赵吳吴周徐孫孙馬马朱胡郭何高林羅罗鄭郑梁謝谢宋唐許许韓韩馮冯鄧邓曹彭曾蕭萧肖田董袁潘"
    "于蔣蒋蔡余杜葉叶程蘇苏魏呂吕丁任沈姚盧卢姜崔鍾钟譚谭陸陆汪范金石廖賈贾夏韋韦付方白鄒邹孟熊秦邱江尹薛閆闫段雷侯龍龙"
    "史陶黎賀贺顧顾毛郝龔龚邵萬万錢钱嚴严覃武戴莫孔向湯汤歐欧游詹施洪傅柯賴赖翁溫温莊庄簡简凌鄔邬"
)

PARTICLES = set("的了是在和与與及也都就")

def ui_hits(text: str) -> int:
    return len(UI_WORDS.findall(text))

def ui_heavy(text: str) -> bool:
    hits = ui_hits(text)
    # One interface word makes a short label or prompt, not a short statement.
    return hits >= 2 and (len(text) <= 80 or hits * 20 >= len(text)) or bool(
        hits and len(text) <= SHORT_LINE_MAX and not text.endswith("。"))

def is_interface_text(text: str) -> bool:
    """A line of the site's interface: menus, share and login prompts,
    link rows, hashtags, copyright, a bare link."""
    n = len(text)
    if ui_heavy(text):
        return True
    if HASHTAGS.match(text) or text.count("|") + text.count("｜") >= 2:
        return True
    words = text.split()
    if (len(words) >= 5 and sum(map(len, words)) <= len(words) * 6  # a row of tags or links,
            and not re.match(r"^[（(]?\d{1,2}[).）、]", text)  # not a numbered heading
            and not any(w in PARTICLES for w in words)):  # nor words of a sentence
        return True
    url = URL.search(text)
    if url and len(url.group(0)) * 2 >= n:
        return True
    return furniture_kind(text) is not None

def is_interface_line_inside(text: str) -> bool:
    """Interface text standing between an article's paragraphs (分享, ▼點擊圖片
    放大, 請繼續往下閱讀): mostly interface words, never a numbered heading
    or a sentence, so a sub-heading that mentions 评论 or 推荐 stays."""
    if len(text) > 40 or not is_interface_text(text) or numbering(text) or text.endswith("。"):
        return False
    hits = sum(len(m) for m in UI_WORDS.findall(text))
    return len(text) <= 6 or hits * 3 >= len(CJK.findall(text)) or not ui_hits(text)

def density_score(text: str) -> float:
    """What a line counts for the article block: its length when it reads as
    prose, a penalty when it reads as page furniture or a link."""
    n = len(text)
    if is_stop(text) or is_interface_text(text) or text[0] in BOX_BULLETS:
        return -30.0
    marks = len(SENTENCE_MARKS.findall(text))
    if n >= 20 and marks >= 1 and ("，" in text or "。" in text or "," in text or n >= 40):
        return float(min(n, 300))
    if n >= 45 or (n >= 30 and (re.search(r"[，。；、,]", text) or re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text))):
        return n * 0.5
    if n >= 8 and text[-1] in TERMINAL + "”」":
        return n * 0.5
    return -8.0

# A page's notices that follow its article (its disclaimer, its copyright).
CLOSING_KINDS = ("disclaimer", "copyright")

def opens_article(text: str) -> bool:
    return bool(LEAD_CREDIT.match(text) or REPORTER_LEAD.match(text + " ") or WIRE_LEAD.match(text)
                or DESK_LEAD.match(text) or WIRE_BYLINE.match(text)
                or re.match(r"^[\u4e00-\u9fff]{2,10}(?:讯|訊)\s*[（(]?", text) and len(text) > 40)

def closes_article(text: str) -> bool:
    return (len(text) <= 40 and text[-1] in TERMINAL and not is_interface_text(text)
            and not is_caption_line(text) and not is_stop(text))

def is_unmarked_caption(text: str, following: str, preceding: str | None) -> bool:
    """Shaped like a picture's caption with no marker: one short sentence,
    no clause break, between paragraphs twice its length or more."""
    return (len(text) <= 40 and text.endswith("。") and text.count("。") == 1 and not re.search(r"[，,；;：:]", text)
            and len(following) >= 2 * len(text) and (preceding is None or len(preceding) >= 2 * len(text)))

# A picture's label standing alone (資料圖片, 五礦資源官網, 網上截圖): it names
# no photographer, so the line above it is not taken for its caption.
PICTURE_LABEL = lazy(
    r"^\w{0,10}(?:官網|官网|網站|网站|資料圖片|资料图片|網上圖片|网上图片|截圖|截图|資料照片|资料照片)$")

def is_caption_line(text: str, following: str = "") -> bool:
    if CREDIT_LINE.match(text) or PICTURE_LABEL.match(text) or text.startswith(
            ("▲", "△", "▼", "圖為", "图为", "圖說", "图说")):
        return True
    if PHOTO_CREDIT_TAIL.search(text) and len(text) <= 160:
        return True
    # A one-sentence line followed by a photo credit is that photo's caption.
    return bool(following and CREDIT_LINE.match(following) and len(text) <= 80)

def is_subheading(text: str) -> bool:
    return (4 <= len(text) <= HEADING_MAX and len(CJK.findall(text)) >= 4 and not SENTENCE_MARKS.search(text[:-1])
            and text[-1] not in "。，；：:,;" and not is_interface_text(text) and not is_caption_line(text, "")
            and not is_field_line(text) and not find_dates(text) and not DATELINE_CREDIT.match(text)
            and not REPORTER_LEAD.match(text + " ") and not OUTLET_REPORTERS.match(text)
            and not REPORTER_LINE.match(text) and not is_personal_name(text))

def is_field_line(text: str) -> bool:
    if len(text) > 100 or "。" in text:
        return False
    dates = find_dates(text)
    field = FIELD.search(text)
    return (bool(dates and dates[0].start <= 12) or bool(field and field.start() <= 12)
            or bool(WIRE_TITLE_LINE.match(text)) or bool(LOCATION_TAG.match(text)))

def header_kind(text: str) -> str:
    if CREDIT_LINE.match(text) or PHOTO_CREDIT_TAIL.search(text) or text.startswith(("▲", "圖為", "图为")):
        return "caption"
    return "header"

DATE_LABEL = lazy(r"(时间|時間|日期|更新|出版|发布|發布|發佈|发表|發表|发稿|發稿|刊登|上传|上傳)$")

CRUMB_ROOTS = ("首頁", "首页", "主頁", "主页", "正文", "Home")

def find_crumbs(units: list[Unit], flattened: bool) -> list[str]:
    """Breadcrumbs among ``units``, in page order: in a flattened page found
    in the running text, in a page of lines a line each (a step may have
    spaces: THE NEXT WEB)."""
    if flattened:
        text = " ".join(u.text for u in units)
        found = (crumb_tail(without_ui_start(HERE_PREFIX.sub("", m.group(0).strip()))) for m in CRUMB.finditer(text))
        return [crumb for crumb in found if crumb is not None]
    out = []
    for u in units:
        text = HERE_PREFIX.sub("", u.text)
        if len(text) <= 80 and is_crumb(text, spaced=True):
            out.append(text)
        else:
            out.extend(m.group(0).strip() for m in CRUMB.finditer(text) if is_crumb(m.group(0)))
    return out

HERE_PREFIX = lazy(r"^(?:当前位置|當前位置|您的位置|你的位置|位置)\s*[:：︰]\s*")

# "当前位置：洛阳": a 'you are here' line with one step, the column.
HERE_STEP = lazy(r"(?:当前位置|當前位置|您的位置|你的位置|您现在的位置|您現在的位置)\s*[:：︰]\s*(?P<step>[\u4e00-\u9fff]{2,8})")

# "报社新闻　频道": a line that names itself a channel.
CHANNEL_NAMED = lazy(r"[\u4e00-\u9fff][\u4e00-\u9fff\u3000 ]{1,8}(?:频道|頻道)")

FULL_STOP = lazy(r"[。！？!?]")

def crumb_tail(text: str) -> str | None:
    """The breadcrumb that ends ``text``: links the page ran into it
    (含有?的内容>> 去?的标签>> 天涯论坛 > 情感天地) are not its steps."""
    while not is_crumb(text):
        m = re.search(r"(?:>>|>|＞|»|›)\s*", text)
        if m is None:
            return None
        text = text[m.end():]
    return text

def without_ui_start(crumb: str) -> str:
    """"更多>> 首页 > 科技": a link before the breadcrumb is not its first step."""
    m = re.match(r"^([^\s>＞»›→]{1,8})\s*(?:>>|»)\s+", crumb)
    return crumb[m.end():] if m and ui_hits(m.group(1)) and m.group(1) not in CRUMB_ROOTS else crumb

def is_crumb(text: str, spaced: bool = False) -> bool:
    if not re.search(r">|＞|»|›|→|\s/\s", text) and not text.startswith(CRUMB_ROOTS):
        return False  # "社福/衛環" is a menu item; "首页/要闻动态/今日关注" a path
    parts = [p for p in re.split(r"\s*(?:>>|>|＞|»|›|→|\s/\s|(?<=[\u4e00-\u9fff])/(?=[\u4e00-\u9fff]))\s*",
                                 text.rstrip(" >＞»›")) if p.strip()]
    part = r"\w[\w-]*(?: [\w-]+){0,3}" if spaced else r"[\w -]+"
    if spaced and (len(parts) < 2 or max(map(len, parts)) > 16):
        return False
    if any(re.search(r"查看|更多|登录|登入|注册|註冊|分享|收藏|打印|列印|下载|下載|订阅|訂閱|关注|關注|(?i:cookie)|文本文件"
                     r"|检索|檢索|搜索|搜尋", p)
           for p in parts):
        return False  # "查看TA的文章 > 评论", "栏目检索 / 专栏检索" are rows of links, not a path
    return len(parts) >= 2 and all(re.fullmatch(part, p.strip()) for p in parts) and not any(
        re.fullmatch(r"[\d:：\-./]+", p) for p in parts)

def clean_source(value: str) -> str | None:
    return outlet(re.sub(r"(参与互动|參與互動)$", "", value))

def is_personal_name(text: str) -> bool:
    return is_han_word(text, 2, 4) and text[0] in SURNAMES and not ui_hits(text)

def in_page_title(text: str, before: list[Unit]) -> bool:
    return bool(before) and text in before[0].text

WIRE_LEAD = lazy(
    r"^(?:据|據)?[\u4e00-\u9fff]{2,12}?(?:(?:\d{1,2}月)?\d{1,2}日)?(?:电|電)\s*[（(]\s*"
    r"(?P<byline>(?:本报|本報)?(?:记者|記者|通讯员|通訊員)[^（）()]{2,30}?)\s*[）)]"
)

# "TNW中文站 10月14日报道": who reports from where, above the first paragraph.
# "社會中心／綜合報導": a desk's credit, in place of a reporter's.
DESK_LEAD = lazy(
    r"^(?P<desk>[\u4e00-\u9fff]{2,8}(?:中心|組|组|部|台|室))\s*[／/]\s*(?:綜合報導|综合报道|報導|报道|整理)\s*")

SOURCE_FROM = lazy(r"(?:本文)?(?:来源于|來源於|转载自|轉載自|转自|轉自)\s*[:：︰]?\s*(?P<value>[^\s\u3000,，。]{2,20})")

# A blog post's footer: "posted @ 2024-05-09 14:45 作者名".
POSTED_AT = lazy(r"^(?:posted|Posted|POSTED|发表于|發表於)\s*@?\s*"
                        r"(?P<date>\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s+"
                        r"(?P<name>\w[\w.-]{1,29})(?:\s|$)",
    opens="pP发發",
)

AUTHOR_LINE_START = lazy(r"^(?:文|图文|圖文)\s*[/／|｜]\s*(?P<name>[\u4e00-\u9fff·]{2,8})$", opens="文图圖")

DATELINE_CREDIT = lazy(r"^[\w·]{2,20}\s*(?:\d{1,2}月)?\d{1,2}日(?:报道|報導|讯|訊|电|電)$")
