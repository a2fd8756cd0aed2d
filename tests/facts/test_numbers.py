"""Numbers as reports write them: values, units, qualifiers, and what is not a number."""

from __future__ import annotations

import pytest

from fazhi.facts.numbers import chinese_to_float, find_numbers, parse_number


def _read(text: str) -> tuple[float, str, str, bool]:
    n = parse_number(text)
    assert n is not None, text
    return n.value, n.unit, n.qualifier, n.approx


@pytest.mark.parametrize(("text", "expected"), [
    ("全年共发布政府信息11,224条", (11224.0, "条", "", False)),
    ("平均跑动次数达0.0259次", (0.0259, "次", "达", False)),
    ("全程网办率达到98.56%", (98.56, "%", "达到", False)),
    ("群众满意度９６．５％", (96.5, "%", "", False)),
])
def test_arabic_numbers_with_separators_decimals_and_full_width_forms(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("海丰县注册用户数56.9万", (569_000.0, "", "", False)),
    ("全年共受理413萬件", (4_130_000.0, "件", "", False)),
    ("向代表委员发送信息3万余条", (30_000.0, "条", "余", True)),
    ("12345热线全年受理群众诉求86.3万件", (863_000.0, "件", "", False)),
    ("网站累计访问量1.2亿人次", (120_000_000.0, "人次", "", False)),
    ("全年网上办件10余万件", (100_000.0, "件", "余", True)),
    ("普法宣传覆盖群众十余万人", (100_000.0, "人", "余", True)),
])
def test_magnitudes_multiply_the_number(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2022年将三批共755项县级行政执法权下放", (3.0, "批")),
    ("开展法治讲座二十六场", (26.0, "场")),
    ("全省行政复议案件首次突破两万件", (20_000.0, "件")),
    ("组织开展普法活动一百二十余场次", (120.0, "场次")),
    ("累计培训执法人员两千余人次", (2000.0, "人次")),
])
def test_chinese_numerals_followed_by_a_measure_word(text, expected):
    value, unit, _, _ = _read(text)
    assert (value, unit) == expected


def test_percent_written_in_words():
    assert _read("推进政务服务事项网上可办率达到百分之九十以上") == (90.0, "%", "以上", True)


def test_one_hundred_percent_in_words():
    assert _read("调解成功率达百分之百")[:2] == (100.0, "%")


def test_percentage_points_are_their_own_unit():
    assert _read("市民总体满意度较2019年提高了1.02个百分点")[:2] == (1.02, "个百分点")


def test_traditional_qualifiers_are_read_as_written():
    assert _read("組織承接省級下放事項600餘項") == (600.0, "项", "余", True)


def test_traditional_percentage_points_are_simplified():
    assert _read("總體滿意度提高了1.02個百分點")[:2] == (1.02, "个百分点")


def test_per_mille_is_its_own_unit():
    assert _read("全市万人犯罪率为0.5‰")[:2] == (0.5, "‰")


def test_a_fraction_is_a_percentage():
    assert _read("占全部案件的三分之一以上") == (33.33, "%", "以上", True)


@pytest.mark.parametrize(("text", "qualifier"), [
    ("办理市政府主要领导批示、交办、督办事项近80项", "近"),
    ("组织有关单位承接落实省级下放行政权力事项600余項", "余"),
    ("全年共办理260多件政府信息公开申请", "多"),
    ("今年人大代表和政协委员提出的约1358件建议提案", "约"),
    ("行政执法人员持证上岗率保持在95%以上", "以上"),
    ("每人每年学法不少于40课时", "不少于"),
    ("群众满意率连续三年超过90%", "超过"),
    ("接待来访群众300人左右", "左右"),
])
def test_approximate_qualifiers_make_the_figure_approximate(text, qualifier):
    n = find_numbers(text)[-1]
    assert (n.qualifier, n.approx) == (qualifier, True)


@pytest.mark.parametrize(("text", "qualifier"), [
    ("我县延伸乡镇事项目录清单共192项", "共"),
    ("累计663项事项进驻政务服务中心", "累计"),
    ("网站访问量达11110692次", "达"),
    ("人大代表建议办复率达到100%", "达到"),
    ("市本级权责清单事项共计4,356项", "共计"),
])
def test_emphasis_qualifiers_keep_the_figure_exact(text, qualifier):
    n = parse_number(text)
    assert (n.qualifier, n.approx) == (qualifier, False)


def test_nearest_does_not_make_recent_months_approximate():
    assert _read("最近3个月行政复议案件逐月下降") == (3.0, "个月", "", False)


def test_a_range_keeps_both_bounds_and_is_approximate():
    n = parse_number("行政诉讼败诉率力争下降3至5个百分点")
    assert (n.value, n.high, n.unit, n.qualifier, n.approx) == (3.0, 5.0, "个百分点", "区间", True)


def test_a_percent_range():
    n = parse_number("事项办理时限压缩10%—20%")
    assert (n.value, n.high, n.unit) == (10.0, 20.0, "%")


def test_money_written_with_wan_or_yi_is_kept_in_wan_yuan():
    found = find_numbers("罚没款1,365.8万元,涉及金额约45.6亿元,罚款300元")
    assert [(n.value, n.unit) for n in found] == [(1365.8, "万元"), (456_000.0, "万元"), (300.0, "元")]


def test_the_span_is_the_number_as_written_with_its_qualifier():
    text = "收到省政府督查室转来的群众留言问题线索近650条"
    n = parse_number(text)
    assert (n.text, text[n.start:n.end]) == ("近650条", "近650条")


def test_comparison_base_between_qualifier_and_number():
    n = parse_number("全年共办理政府信息公开申请,接近2017年的2倍")
    assert (n.value, n.unit, n.qualifier, n.approx) == (2.0, "倍", "接近", True)


@pytest.mark.parametrize("text", [
    "2020年",
    "按照2020年度工作部署",
    "2022年10月28日组织召开专题讲座",
    "截至12月23日",
    "各区(市)9月底公开发布标准目录",
    "信息提供日期:2019-01-04 17:09",
    "二〇二二年一月十日",
    "认真落实《法治政府建设实施纲要(2021-2025年)》",
    "贯彻法治政府建设实施纲要(2015-2020年)",
    "2021—2025年",
    "(汕法治办〔2022〕39号)",
    "深府〔2018〕1号",
])
def test_years_dates_periods_and_document_numbers_are_not_numbers(text):
    assert find_numbers(text) == []


@pytest.mark.parametrize("text", [
    "认真贯彻党的十九大和十九届四中、五中全会精神",
    "全面贯彻落实党的二十大精神",
    "办理了市十五届人大五次会议人大代表建议",
    "第十四届全国人民代表大会第一次会议",
    "市八届人大一次会议期间",
])
def test_session_names_are_not_numbers(text):
    assert find_numbers(text) == []


@pytest.mark.parametrize("text", [
    "发布疫情防控、“六稳”“六保”等政策解读",
    "通过“三会一课”扎实开展学习",
    "切实增强党员干部的“四个意识”",
    "深刻领悟“两个确立”的决定性意义",
    "履行推进法治建设第一责任人职责",
    "引入第三方评估",
    "协助市领导推进“三大行动”“六大会战”",
    "推行“深圳90”改革",
    "做好12345热线、市长信箱等渠道来件受理",
    "定期发布12345热线大数据",
    "完成政务网IPv6和适老化改造",
    "制定实施攻势2.0版作战方案",
    "创新打造“三民”活动2.0升级版",
    "一是强化理论武装。二是领导带头学习。",
    "严格落实中央八项规定精神",
    "全面推行行政执法三项制度",
    "对法治建设工作十分重视",
    "邀请省政府办公厅研究二处处长授课",
    "开展数十场专题培训",
    "实施法治政府建设三年行动计划",
    "咨询电话:0755-88123456",
    "提供7×24小时不打烊服务",
    "1.加强组织领导;2.完善制度机制",
    "该案(2023)粤0303行初123号判决已生效",
    "组织开展“3·15”国际消费者权益日和12·4国家宪法日宣传活动",
    "按照1+N模式组建工作专班",
    "详见www.gov.cn/zhengce/2023/content.htm",
    "统计数据截至2023.12",
    "坚持“两个毫不动摇”",
    "2023年1-11月",
    "一季度、前三季度",
])
def test_slogans_names_ordinals_versions_and_list_markers_are_not_numbers(text):
    assert find_numbers(text) == []


@pytest.mark.parametrize("text", [
    "三年来,全县法治政府建设扎实推进",
    "连续12年获评全省依法行政先进单位",
    "连续3年组织乡镇党政主要负责人述法",
    "近5年来行政复议纠错率稳步下降",
    "过去五年,我们始终坚持依法行政",
])
def test_multi_year_spans_are_not_facts(text):
    assert find_numbers(text) == []


@pytest.mark.parametrize("text", [
    "依據民國109年度施政計畫辦理",
    "本府111年度法治教育實施成果",
    "公告日期:97-11-20",
])
def test_roc_years_and_dates_are_not_facts(text):
    assert find_numbers(text) == []


@pytest.mark.parametrize("text", [
    "根据赣府厅字2021〕57号文件要求",
    "索引号 113609210/2022-01873",
    "索引号:000014349/2023-00215",
    "办理政协第012、037号提案",
    "统一社会信用代码 11440300007542360X",
])
def test_index_and_document_numbers_without_their_brackets_are_not_facts(text):
    assert find_numbers(text) == []


@pytest.mark.parametrize("text", [
    "从5个方面部署年度重点任务",
    "表3:各乡镇行政调解案件情况",
    "附件2 行政执法人员名单",
    "在全市考核中取得三个全省第一",
    "推动实现“3个100%”工作目标",
    "由民政部等七部委联合印发",
    "被司法部等3部门联合通报表扬",
    "二里沟镇人民政府认真落实",
    "同一违法行为并处三种以上行政处罚的,按一宗统计",
    "全年收到群众来信30(略)件",
    "调解成功12**件",
])
def test_list_sizes_joint_issuers_place_names_and_redactions_are_not_facts(text):
    assert find_numbers(text) == []


def test_a_count_beside_a_list_size_is_still_a_fact():
    found = find_numbers("从4个方面提出27项具体措施")
    assert [(n.value, n.unit) for n in found] == [(27.0, "项")]


@pytest.mark.parametrize(("text", "expected"), [
    ("在全国营商环境评价中位居第15位", (15.0, "位")),
    ("法治政府建设考核排名全省第4名", (4.0, "名")),
])
def test_a_rank_written_in_digits_is_a_figure(text, expected):
    assert _read(text)[:2] == expected


def test_a_year_between_ranking_words_and_the_rank_stays_a_year():
    assert [(n.value, n.unit) for n in find_numbers("位列2022年全省第6位")] == [(6.0, "位")]


def test_a_rank_in_words_is_an_ordinal():
    assert find_numbers("依法行政考核排名全市第一") == []


def test_a_count_of_certificates_merged_carries_its_unit():
    assert _read("在全省率先实现“27证合一”")[:2] == (27.0, "证")


def test_a_slash_fraction_is_one_percentage():
    assert _read("行政诉讼案件占案件总数的1/5左右") == (20.0, "%", "左右", True)


def test_a_list_given_by_name_is_not_counted_again():
    text = "全面落实“行政执法公示制度”“执法全过程记录制度”“重大执法决定法制审核制度”等三项制度"
    assert find_numbers(text) == []


def test_a_count_after_deng_that_names_no_listed_item_is_a_fact():
    found = find_numbers("公布了区住建局等9个部门32项中介服务")
    assert [(n.value, n.unit) for n in found] == [(9.0, "个"), (32.0, "项")]


def test_a_lone_yi_is_not_counted():
    assert find_numbers("实行不动产登记一小时办结,推进一站式服务") == []


def test_arabic_numbers_in_a_quotation_count_when_they_carry_a_unit():
    found = find_numbers("共充实了“5名公职律师+1名财务审计员”")
    assert [(n.value, n.unit) for n in found] == [(5.0, "名"), (1.0, "名")]


def test_a_number_without_unit_before_punctuation_is_a_count():
    assert _read("海丰市场主体注册用户数48324;") == (48324.0, "", "", False)


def test_years_as_a_unit_count_only_below_a_thousand():
    found = find_numbers("社区矫正对象平均矫正期限3年,最长两年半,2019年入矫")
    assert [(n.value, n.unit) for n in found] == [(3.0, "年"), (2.0, "年")]


def test_chinese_numeral_reading():
    assert (chinese_to_float("二十六"), chinese_to_float("两万"), chinese_to_float("三八")) == (26.0, 20000.0, None)


def test_parse_number_returns_none_without_a_number():
    assert parse_number("坚持以习近平新时代中国特色社会主义思想为指导") is None


@pytest.mark.parametrize(("text", "qualifier", "written"), [
    ("全市行政复议案件纠错率约为18.5%", "约", "约为18.5%"),
    ("全年受理群众来信约有300件", "约", "约有300件"),
    ("新登记市场主体近有5000户", "近", "近有5000户"),
    ("群众对政务服务的满意率超过了95%", "超过", "超过了95%"),
    ("行政机关负责人出庭应诉率约达86%", "约", "约达86%"),
    ("大约有两千人参加旁听庭审", "大约", "大约有两千人"),
])
def test_a_linking_verb_may_stand_between_an_approximate_qualifier_and_the_number(
        text, qualifier, written):
    n = find_numbers(text)[-1]
    assert (n.qualifier, n.approx, n.text) == (qualifier, True, written)


@pytest.mark.parametrize("text", [
    "执法检查约占全部检查的60%",   # 约 is too far from the number
    "约谈企业负责人30人",          # 约谈 is a verb of its own
    "土地指标制约了3个重点项目",     # 制约
    "节约财政资金300万元",          # 节约
    "节约300万元",
    "最近有300人参加培训",          # 最近 is not 近
])
def test_yue_away_from_the_number_or_inside_another_word_is_not_a_qualifier(text):
    n = find_numbers(text)[-1]
    assert (n.qualifier, n.approx) == ("", False)


def test_an_emphasis_word_takes_no_linking_verb():
    assert _read("全年共有120件") == (120.0, "件", "", False)


@pytest.mark.parametrize(("text", "bound"), [
    ("办结率达到95%以上", "≥"), ("超过90%", "≥"), ("不少于40课时", "≥"), ("至少3次", "≥"),
    ("承接事项600余项", "≥"), ("260多件", "≥"), ("3个工作日以内", "≤"), ("不超过5%", "≤"),
    ("不足10人", "≤"), ("约3000人", ""), ("近80项", ""), ("10人左右", ""), ("3至5个", ""),
    ("共755项", ""), ("600餘項", "≥"),
])
def test_a_bound_says_which_way_the_true_value_lies(text, bound):
    (number,) = find_numbers(text)
    assert number.bound == bound
    # a bound is not exact, and an exact figure has no bound
    assert number.approx or not bound
