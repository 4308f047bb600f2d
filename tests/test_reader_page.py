"""The page-dump stage on small made-up pages: each rule alone."""

from __future__ import annotations

import pytest

from convert.model import paragraph_texts
from convert.readers.news import read_news
from convert.readers.news.dates import find_dates
from convert.readers.news.lines import density_score, is_interface_text

PROSE = [
    "市政府今天公布新的交通計劃，將在三年內增設十條公車路線，並延長捷運的營運時間，以回應市民的需求。",
    "交通局長表示，新路線將優先連接新建住宅區與主要商業區，預計每天可服務超過五萬名乘客。",
    "不過，部分議員質疑計劃的財源，認為市府應先提出詳細的預算規劃，再交由議會審議。",
]
MENU = ["首頁", "即時", "政治", "社會", "國際", "財經", "生活", "娛樂", "體育", "科技", "登入", "訂閱"]


def _page(*, title_line: str, around_headline: list[str], tail: list[str]) -> str:
    return "\n".join([title_line, *MENU, *around_headline, *PROSE, *tail])


@pytest.mark.parametrize("text,value", [
    ("2019-09-07 13:43:12", "2019-09-07T13:43+08:00"),
    ("2015/10/20 11:40", "2015-10-20T11:40+08:00"),
    ("2019年09月07日 13:43", "2019-09-07T13:43+08:00"),
    ("發布時間：2019-09-07", "2019-09-07"),
    ("15:312018/09/16", "2018-09-16T15:31+08:00"),
    ("社會 20:36 2023/03/31", "2023-03-31T20:36+08:00"),
    ("Fri Mar 18 20:52:50 2016", "2016-03-18T20:52+08:00"),
    ("Dec 28 Sat 2013 00:28", "2013-12-28T00:28+08:00"),
    # Day first, as Hong Kong and European pages write it; month first where
    # the day cannot be first or a 12-hour clock follows (American software).
    ("06/02/2022 - 13:48", "2022-02-06T13:48+08:00"),
    ("发布日期： 9/17/2004 5:54:13 AM", "2004-09-17T05:54+08:00"),
    ("9/7/2004 5:54:13 PM", "2004-09-07T17:54+08:00"),
    ("12/7/2004 12:05:00 AM", "2004-12-07T00:05+08:00"),
    ("17/09/2022 11:30 PM", "2022-09-17T23:30+08:00"),  # day first, as Hong Kong and Malaysian pages write it
    ("06/09/2022 11:30 PM", "2022-09-06T23:30+08:00"),
    ("9/17/2004", "2004-09-17"),
])
def test_every_date_form(text, value):
    assert find_dates(text)[0].value == value


def test_a_date_without_a_year_gives_nothing():
    assert find_dates("3月18日 20:52") == []


def test_the_headline_is_the_page_title_shown_again_not_the_first_menu_item():
    text = _page(title_line="市府公布交通新計劃 增設十條公車路線 | 社會 | 某某新聞網",
                 around_headline=["市府公布交通新計劃 增設十條公車路線", "2021-05-06 10:20", "記者王小明／台北報導"],
                 tail=["相關新聞", "另一則新聞的標題在這裡", "版權所有 © 2021"])
    doc = read_news(text, path="page.txt")
    assert doc.meta.title == "市府公布交通新計劃 增設十條公車路線"
    assert doc.meta.published == "2021-05-06T10:20+08:00"
    assert doc.meta.byline == "記者王小明"
    assert list(paragraph_texts(doc)) == PROSE
    kept = [f.text for f in doc.furniture]
    assert "首頁" in kept and "相關新聞" in kept and "另一則新聞的標題在這裡" in kept


def test_a_flattened_page_reads_like_its_lines():
    lines = _page(title_line="市府公布交通新計劃 增設十條公車路線_某某新聞網",
                  around_headline=["首頁 > 社會", "市府公布交通新計劃 增設十條公車路線", "2021-05-06 10:20", "來源： 某某日報"],
                  tail=["責任編輯：李四", "相關新聞", "另一則新聞"]).split("\n")
    doc = read_news(" ".join(lines), path="page.txt")
    assert doc.meta.title == "市府公布交通新計劃 增設十條公車路線"
    assert doc.meta.published == "2021-05-06T10:20+08:00"
    assert doc.meta.source == "某某日報"
    assert doc.meta.breadcrumb == "首頁 > 社會"
    assert doc.meta.editors == ("李四",)
    assert list(paragraph_texts(doc)) == PROSE


def test_the_column_named_right_above_the_headline_when_the_page_title_carries_it():
    text = _page(title_line="市府公布交通新計劃 - 社會 - 某某新聞網",
                 around_headline=["社會", "市府公布交通新計劃", "2021-05-06 10:20"], tail=[])
    assert read_news(text).meta.channel == "社會"
    # The last item of a menu is not a column.
    text = _page(title_line="市府公布交通新計劃 - 某某新聞網",
                 around_headline=["影音", "市府公布交通新計劃", "2021-05-06 10:20"], tail=[])
    assert read_news(text).meta.channel is None


def test_a_cms_author_field_holding_the_editor_is_not_the_byline():
    text = _page(title_line="市府公布交通新計劃_某某新聞網",
                 around_headline=["市府公布交通新計劃", "2021-05-06 10:20 來源：某某日報 作者：李四 責任編輯：李四"],
                 tail=["（作者：張三）"])
    doc = read_news(text)
    assert doc.meta.editors == ("李四",)
    assert doc.meta.byline == "張三"


@pytest.mark.parametrize("line", [
    "下載星島頭條APP", "分享到：", "facebook", "#上吊 #自殺 #北市", "首頁 | 新聞 | 體育 | 娛樂",
    "金像獎2023 蔡天鳳 隱形戰隊 超市大搜查 和解在後 口罩令", "https://bit.ly/abc",
])
def test_interface_text(line):
    assert is_interface_text(line)
    assert density_score(line) < 0


@pytest.mark.parametrize("line", PROSE + ["出國前後關注點大不同", "在 RxJava 的默認規則中，事件的發出和消費都是在同一個線程的。"])
def test_prose_is_not_interface_text(line):
    assert not is_interface_text(line)


def test_a_scraper_record_keeps_its_paragraphs_and_drops_the_app_prompt():
    text = "\n".join(["市府公布交通新計劃", "2021-05-06 10:20",
                      "下載某某新聞APP    " + " ".join(PROSE) + " 鏈結已複製至剪貼簿"])
    doc = read_news(text)
    assert list(paragraph_texts(doc)) == PROSE
    kept = "\n".join(f.text for f in doc.furniture)
    assert "下載某某新聞APP" in kept and "鏈結已複製至剪貼簿" in kept


def test_a_today_banner_is_not_the_publication_date():
    text = _page(title_line="市府公布交通新計劃_某某新聞網",
                 around_headline=["今天是2024年1月2日 星期二", "市府公布交通新計劃", "記者王小明／台北報導"], tail=[])
    assert read_news(text).meta.published is None
    assert find_dates("今天是2024年1月2日") == []


NOTICE = """国务院办公厅关于进一步做好高校毕业生等青年就业创业工作的通知

国办发〔2022〕13号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

高校毕业生等青年就业关系民生福祉、经济发展和国家未来。经国务院同意，现就有关事项通知如下。

各地区、各部门要把高校毕业生等青年就业作为重中之重，强化组织领导。

国务院办公厅

二〇二二年五月五日
"""


def test_a_notice_is_dated_by_its_signature_and_its_number_is_not_body():
    doc = read_news(NOTICE)
    assert doc.meta.title == "国务院办公厅关于进一步做好高校毕业生等青年就业创业工作的通知"
    assert doc.meta.published == "2022-05-05"
    kinds = {f.text: f.kind for f in doc.furniture}
    assert kinds["国办发〔2022〕13号"] == "document-number"
    assert kinds["国务院办公厅"] == kinds["二〇二二年五月五日"] == "signature"
    paras = list(paragraph_texts(doc))
    assert paras[0].startswith("各省") and paras[-1].endswith("强化组织领导。")


def test_evidence_names_the_line_the_rule_and_the_runner_up():
    from convert.readers.news import explain_news

    text = _page(title_line="市府公布交通新計劃 增設十條公車路線 | 社會 | 某某新聞網",
                 around_headline=["市府公布交通新計劃 增設十條公車路線", "2021-05-06 10:20 更新：2021-05-07 08:00",
                                  "記者王小明／台北報導"], tail=[])
    _, evidence = explain_news(text)
    by_field = {e.field: e for e in evidence}
    title = by_field["title"]
    assert title.line == 1 + len(MENU) + 1 and "page title" in title.rule
    assert title.runner_up == text.split("\n")[0]
    published = by_field["published"]
    assert published.value == "2021-05-06T10:20+08:00" and published.line == title.line + 1
    assert published.runner_up == "2021-05-07T08:00+08:00"
    assert by_field["byline"].line == title.line + 2


@pytest.mark.parametrize("line,byline", [
    ("记者 张三 李四", "记者 张三 李四"),
    ("本报记者 张三 通讯员 李四", "本报记者 张三 通讯员 李四"),
    ("文/张三", "张三"),
    ("社會中心／綜合報導", "社會中心"),
    ("記者王小明／台北報導", "記者王小明"),
])
def test_bylines_under_the_headline(line, byline):
    text = _page(title_line="市府公布交通新計劃_某某新聞網",
                 around_headline=["市府公布交通新計劃", "2021-05-06 10:20", line], tail=[])
    assert read_news(text).meta.byline == byline


@pytest.mark.parametrize("line,removed", [
    ("分享", True), ("▼點擊圖片放大", True), ("請繼續往下閱讀...", True), ("- 閱讀更多 -", True),
    ("三、加强评论引导", False), ("网友评论引发热议。", False),
])
def test_interface_lines_between_paragraphs(line, removed):
    text = _page(title_line="市府公布交通新計劃_某某新聞網",
                 around_headline=["市府公布交通新計劃", "2021-05-06 10:20"], tail=[])
    lines = text.split("\n")
    lines.insert(len(lines) - 1, line)  # between the second and the third paragraph
    doc = read_news("\n".join(lines))
    assert (line not in paragraph_texts(doc)) is removed
    assert line in {f.text for f in doc.furniture} or line in paragraph_texts(doc)  # never lost


def test_the_title_is_the_line_after_a_bare_title_label():
    """A government notice laid out as a table of fields: 标题 on a line of
    its own, its value under it, then the document's number and date."""
    headline = "某某市人民政府关于调整公共交通线路的通告"
    text = "\n".join(["某某市政府信息公开", *MENU, "索引号：", "000000-2022-001", "标      题：", headline,
                     "发文字号：", "某政发〔2022〕1号", "发布日期：", "2022年01月28日", *MENU[:4],
                     headline, "某政发〔2022〕1号", *PROSE, "相关链接", "版权所有 © 2022"])
    doc = read_news(text, path="notice.txt")
    assert doc.meta.title == headline
    assert doc.meta.published == "2022-01-28"


@pytest.mark.parametrize("label", ["主题：", "主題：", "标题：", "文章主题："])
def test_a_forum_post_s_subject_label_is_not_part_of_its_title(label):
    subject = "你知道导游为什么热衷于让你去商场购物吗？"
    text = "\n".join(["某某论坛 :: 网闻贴吧", *MENU, f"{label} {subject}", "作者：某网友   时间：2005-08-22 19:13:18",
                     *PROSE, "回复线索：", "版权所有 © 2005"])
    assert read_news(text, path="post.txt").meta.title == subject


def test_markup_left_in_place_of_a_field_s_value_is_no_value():
    text = "\n".join(["市府公布交通新計劃_某某新聞網", *MENU, "市府公布交通新計劃",
                     '作者： size="20"   来源： size="20"   发布日期： 2021-05-06 10:20', *PROSE, "版權所有 © 2021"])
    doc = read_news(text, path="page.txt")
    assert doc.meta.title == "市府公布交通新計劃"
    assert (doc.meta.source, doc.meta.byline) == (None, None)
    assert doc.meta.published == "2021-05-06T10:20+08:00"


@pytest.mark.parametrize("between", ['size="20"', "某政发〔2022〕1号"])
def test_markup_debris_and_a_document_number_are_not_the_headline(between):
    """Where the page title names only the site, the headline is the
    title-like line above the prose: not markup a template left, nor the
    number an official document carries under its title."""
    text = "\n".join(["某某新聞網", *MENU, *MENU, "市府公布新計劃", between, "2021-05-06 10:20",
                      *PROSE, *PROSE, "相關新聞", "版權所有 © 2021"])
    assert read_news(text, path="page.txt").meta.title == "市府公布新計劃"


def test_a_reporters_credit_is_not_the_headline():
    text = "\n".join(["某某新聞網", *MENU, *MENU, "市府公布新計劃", "本报记者 王小明 李大同", "2021-05-06 10:20",
                      *PROSE, *PROSE, "相關新聞", "版權所有 © 2021"])
    doc = read_news(text, path="page.txt")
    assert doc.meta.title == "市府公布新計劃"


def test_a_flattened_forum_post_s_subject_field_is_its_title():
    from convert.readers.news.lines import FLAT_TITLE_FIELD

    subject = "你知道导游为什么热衷于让你去商场购物吗？"
    for label, follows in (("主题：", "作者：某网友"), ("主題：", "樓主：某網友"), ("标题：", "发信站：某站"),
                           ("标题：", "时间：2005-08-22")):
        page = f"某某论坛 :: null 首页 > 社区 > 论坛 在线用户:12066 {label} {subject} {follows} 正文……"
        assert FLAT_TITLE_FIELD.search(page)["title"] == subject
    # A label inside a word (会议主题) is not the post's subject.
    assert FLAT_TITLE_FIELD.search("活动通知 会议主题：绿色发展论坛 作者：某某 正文……") is None
    # A talk's subject, followed by its time and place.
    assert FLAT_TITLE_FIELD.search("讲座预告 主题：数字经济与高质量发展 时间：2023年5月10日 地点：报告厅") is None


def test_a_button_s_word_before_a_flattened_headline_is_not_part_of_it():
    """A flattened page whose title names only the site: the headline is the
    title-like piece above the prose, without the 我要说说 (comment) button
    the page set one space before it."""
    headline = "市府回应交通计划内幕 新路线即将开通"
    page = " ".join(["某某网", *" - ".join(["首页", "新闻", "北京", "体育", "娱乐", "汽车"]).split(" "), "推荐", "\u3000",
                     "我要说说", headline, "2005-07-18 13:03:17", *PROSE, *PROSE, "版权所有 © 2005"])
    assert read_news(page, path="page.txt").meta.title == headline


@pytest.mark.parametrize("closing,published", [
    ("发布于：2021-05-06 10:20", "2021-05-06T10:20+08:00"),  # the day above, with its time
    ("發表於：2021-05-06 10:20", "2021-05-06T10:20+08:00"),
    ("发布于：2021-05-07 10:20", "2021-05-06"),  # another day: the one above the article stands
])
def test_a_labelled_date_closing_the_article_gives_the_time_of_the_day_above(closing, published):
    text = _page(title_line="市府公布交通新計劃 增設十條公車路線 | 社會 | 某某新聞網",
                 around_headline=["市府公布交通新計劃 增設十條公車路線", "2021-05-06", "記者王小明／台北報導"],
                 tail=[closing, "相關新聞", "另一則新聞的標題在這裡", "版權所有 © 2021"])
    assert read_news(text, path="page.txt").meta.published == published


@pytest.mark.parametrize("figures", [[], ["粉丝：23文章：11"], ["关注 5 粉丝 1.2万"]])
def test_an_account_s_name_above_its_follow_button_is_the_byline_past_its_figures(figures):
    text = _page(title_line="市府公布交通新計劃 - 某某专栏",
                 around_headline=["市府公布交通新計劃", "专栏 2022-02-14 03:01", "魑皇", *figures, "关注"], tail=[])
    assert read_news(text, path="page.txt").meta.byline == "魑皇"


def test_a_talk_s_subject_is_not_the_title():
    """主题 over a 时间 and a 地点 is a talk's or a meeting's subject; a post's
    主题 is followed by its poster."""
    text = _page(title_line="经济学院举办数字经济讲座_某某大学新闻网",
                 around_headline=["经济学院举办数字经济讲座", "2023-05-11 09:00  来源：经济学院",
                                  "主题：数字经济与高质量发展", "时间：2023年5月10日14:00", "地点：经济楼报告厅"],
                 tail=["相关新闻", "版权所有 © 2023"])
    doc = read_news(text, path="page.txt")
    assert doc.meta.title == "经济学院举办数字经济讲座"
    assert doc.meta.published == "2023-05-11T09:00+08:00"


@pytest.mark.parametrize("headline", ["记者手记：在抗洪一线的七天七夜", "两会我要说｜代表委员谈民生"])
def test_a_headline_that_opens_with_a_credit_s_or_a_button_s_word_is_still_one(headline):
    text = "\n".join(["东方快讯网 - 您身边的新闻", *MENU, *MENU, headline, "2021-05-06 10:20  来源：东方快讯网",
                      *PROSE, *PROSE, "相關新聞", "版權所有 © 2021"])
    assert read_news(text, path="page.txt").meta.title == headline


def test_an_account_named_with_digits_is_its_name_not_its_figures():
    text = _page(title_line="市府公布交通新計劃 - 某某专栏",
                 around_headline=["市府公布交通新計劃", "专栏 2022-02-14 03:01", "北京12345", "关注"], tail=[])
    assert read_news(text, path="page.txt").meta.byline == "北京12345"


def test_an_event_s_time_closing_the_article_is_not_the_time_it_was_published():
    text = _page(title_line="市府公布跨年活動計劃 | 社會 | 某某新聞網",
                 around_headline=["市府公布跨年活動計劃", "2024-12-31", "記者王小明／台北報導"],
                 tail=["时间：2024年12月31日 19:30", "相關新聞", "版權所有 © 2024"])
    assert read_news(text, path="page.txt").meta.published == "2024-12-31"
