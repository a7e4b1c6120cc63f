"""Named projects and enterprises in the running text of work plans, found from the genre's patterns.

Work plans name the projects of the year inside sentences of a few fixed shapes: a
construction verb, a list of names split by ``、``, and a tail that says what they are::

    大力推进总投资50亿元的胖东来梦之城、30亿元的许继集团许昌铁矿、25亿元的天目先导负极材料等418个重点项目
    加快许继电气装备产业园、智能配网产业园等项目建设
    开工建设人民医院东院区项目

and name enterprises in lists ending with 企业 (``依托许继、森源等龙头企业``), by their
legal form (``许继集团``, ``鑫金汇公司``), or as the developer at the head of a project's
name (``胖东来高新技术产业园``, ``上汽汇众产业园``).  Nothing here lists the names: a
project is recognised by its frame (verb, list, tail) and the noun its name ends with
(产业园, 调蓄工程, 综合体, 铁矿 …); an enterprise by its frame, its legal form, or by
standing before an industry word in a project's name (许继 | 电气装备产业园).

>>> [(p.name, p.investment, p.measure, p.developer) for p in project_mentions(
...     "大力推进总投资50亿元的胖东来梦之城、30亿元的许继集团许昌铁矿、25亿元的天目先导负极材料等418个重点项目")]
[('胖东来梦之城', '50', '亿元', None), ('许继集团许昌铁矿', '30', '亿元', '许继'), ('天目先导负极材料', '25', '亿元', '天目先导')]
>>> [e.name for e in enterprise_mentions("依托许继、森源等龙头企业带动产业延链补链")]
['许继', '森源']

Offsets (``start``/``end``) point into the text as given, plus ``offset``: the text is
width-folded with :func:`loaders.text.fold`, which keeps every character in place.
Names are normalised (:func:`project_key`, :func:`enterprise_key`) so that the same
project written ``X项目`` in a notice and ``X`` in a report meets under one name.

This module is pure: no RDF, no gazetteer.  Whether a short prefix is a place (长葛 in
长葛循环经济产业园 is not a developer) is asked of an optional ``is_place`` callable,
which ``kg.projects`` builds from the gazetteer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from loaders.text import fold

__all__ = [
    "EnterpriseMention",
    "ProjectMention",
    "document_mentions",
    "enterprise_key",
    "enterprise_mentions",
    "project_key",
    "project_mentions",
]


@dataclass(frozen=True)
class ProjectMention:
    """A named project in a text."""

    mention: str  # exact substring of the text, as written (without the investment prefix)
    name: str  # normalised name: the key and label (project_key; a shared head applied: 郑南 -> 郑南高速公路)
    start: int
    end: int
    investment: str | None = None  # decimal as written, e.g. "50"
    measure: str | None = None  # 亿元 | 万元
    developer: str | None = None  # normalised name of the enterprise at the head of the name, if any


@dataclass(frozen=True)
class EnterpriseMention:
    """A named enterprise in a text."""

    mention: str  # exact substring of the text
    name: str  # normalised short name (enterprise_key): 许继集团 -> 许继
    start: int
    end: int
    how: str  # "list" (…等龙头企业) | "legal-form" (…集团/公司) | "developer" (head of a project name)


# -- vocabulary of the genre (words, never names) ------------------------------------------------

# Nouns a project's name ends with, longest first.  A name may add a phase (二期) after it.
_HEADS = sorted(
    """工程 项目 产业园 科技园 工业园 物流园 创业园 产业园区 物流园区 园区 产业基地 生产基地 基地 城 小镇 综合体
    古街 片区 新区 院区 医院 中医院 学院 学校 校区 新校区 中学 小学 实验室 中心 生产线 铁矿 矿 电站 电厂 水厂
    污水处理厂 厂 工厂 段 高速公路 高速 铁路 通道 机场 港 港区 物流港 陆港 码头 枢纽 枢纽站 站 联络线 专用线 管网
    管线 连接线 高铁 大道 快速路 立交 大桥 隧道 湿地公园 公园 植物园 廊道 遗址 遗址公园 馆 博物馆 体育馆 图书馆 展馆
    广场 大厦 产业化 公路 大学 幼儿园 交易市场 公租房 大楼 病房楼 体育场 文化馆 美术馆 科技馆 纪念馆 剧院""".split(),
    key=len,
    reverse=True,
)
_HEAD_AT_END = re.compile("(?:" + "|".join(map(re.escape, _HEADS)) + ")$")
# Heads of industrial projects: only these (or a name with no head noun) may begin with a developer.
_INDUSTRIAL_HEADS = set("产业园 工业园 科技园 物流园 产业园区 产业基地 生产基地 基地 生产线 产业化 铁矿 矿 厂 工厂 电站 电厂".split())

# Zones and designations a plan creates or upgrades: not constructions (许昌高新区, 襄城县省级未来产业先导区).
_DESIGNATION = re.compile(r"(?:高新区|开发区|经开区|综保区|示范区|试验区|先导区|先行区|集聚区|功能区|保税区|自贸区|合作区|产业带|示范城市)$")
# How a phrase that is no construction ends: 行动, 计划, 机制 … (only for names outside an explicit project list).
_NOT_A_PROJECT = re.compile(r"(?:行动|计划|活动|机制|体系|政策|制度|工作|作用|格局|布局|规划|方案|试点|示范|品牌|理念)$")
# What an item of a project list is not: an action (工业企业深度治理、大型装备化改造等…治理工程).
_ACTION_END = re.compile(r"(?:治理|整治|管控|防治|监管|保护|连通|修复|设施建设)$")
# Institutions: a project only when they are built, not when they are supported to develop.
_INSTITUTION_HEADS = {"大学", "学院", "学校", "校区", "医院", "中医院"}
_DEVELOPS = re.compile(r"^(?:、[^,;。]{0,24}?)?(?:等[^,;。]{0,6}?)?(?:高质量发展|提质发展|加快发展|发展|做强做优|做大做强|提质增效|升级|创建)")
# Verbs that forbid what follows: 严控新建…工业园区 is no project.
_FORBIDDING = re.compile(r"(?:严控|严禁|禁止|控制|限制|不得|停止|淘汰|关停|严格控制|遏制)$")

# Words that describe without naming: a candidate made only of these (and a head) names nothing.
_GENERIC = sorted(
    """重点 重大 一批 省级 市级 县级 国家级 国家 全国 国际 中国 全球 中原 现代 现代化 新型 特色 示范 综合 服务 平台
    创新 科技 技术 智能 智慧 数字 数字化 绿色 低碳 零碳 生态 物流 冷链 电商 跨境 高新 高新技术 经济 城市 城乡
    乡村 农村 公共 文化 旅游 文旅 体育 医疗 卫生 医药 教育 养老 民生 基础设施 设施 产业 工业 商业 园区 项目
    工程 建设 中心 基地 高质量 高标准 高水平 大型 骨干 龙头 区域 标准化 公办 配套 道路 供暖 供热 污水处理 交通
    能源 水利 保税 研究 检测 创业 孵化 人力资源 循环 环保 节能 制造 先进 未来 战略性 新兴 传统 优势 主导 千亿级
    百亿级 集聚 集群 融合 合作 开放 招商引资 招商 后续 展示 提升 改造 提质 升级 开发 新建 改扩建 市政 社区
    小区 老旧 棚户区 农贸 专业 市场 物业 停车 便民 休闲 口袋 完整 韧性 海绵 安全 应急 消防 防灾 安置 保障性
    住房 安居 租赁 普惠 农业 扶贫 深度 城镇 污水 收集 处理 水系 河湖 连通 修复 优质 粮食 饮水 一体化 源网荷储
    充电 换电 储能 分布式 光伏 风电 新能源 生产 产业链 专精特新 中小企业 企业 工作 相关 其他 有关 各类 多个 若干 更多 一流 高端 高品质 重要 铁路 专用 跨国 头部 产品""".split(),
    key=len,
    reverse=True,
)
# Words an industry or product is named with (in a project's name, after its developer).
_INDUSTRY = sorted(
    """新能源 新材料 材料 负极 正极 电池 锂电 隔膜 光伏 储能 氢能 风电 高端 智能 智慧 数字 电气 电力 电子 装备 制造
    食品 有机 循环 经济 人工智能 高新 高新技术 不锈钢 培育钻石 钻石 超硬 生物 医药 中药 制品 化工 聚酯 纺织 汽车
    零部件 信息 半导体 硅 再生 环保 节能 物流 冷链 仓储 商业 文旅 康养 总部 产业 研发 精密 机械 铸造 钢 铝 铜
    发制品 家居 建材 陶瓷 服装 包装 能源 热电 水泥 特钢 纳米 新型 现代 国际 全球 年产 绿色 低碳 零碳 生产 深加工
    精细 高性能 健康 医疗 器械 环境保护 电商 跨境 数据 算力 软件 通信 光电 显示 芯片 碳 石墨 有色 金属 钛 镁
    静脉 零担 稀土 玻璃 塑料 橡胶 涂料 化学 肥料 饲料 粮油 乳业 肉制品 烟草 酒 饮料 纸 印刷 木业 家具 陶 瓷""".split(),
    key=len,
    reverse=True,
)
# Words that end a company's own short name and may stand between it and its product: 红东方化工 | 新材料.
_COMPANY_WORDS = ("化工", "科技", "药业", "制药", "实业")

# Chinese abbreviations of provinces and countries: 豫沪, 中德 name a cooperation, not a company.
_REGION_CHARS = set("豫沪京津冀晋苏浙皖闽赣鲁鄂湘粤桂琼渝川蜀黔滇藏陕秦甘陇青宁新港澳台黑吉辽蒙中德法美日韩欧英俄荷意")

# Verbs that open a project's clause (with the adverbs that may come before them).
_ADVERB = r"(?:争取|大力|积极|全力|强力|扎实|有序|稳步|持续|全面|深入|继续|重点|突出|统筹|实质性|着力|切实|务实|尽快|集中|高标准|高质量|高水平|高效|加快|力争|全年|今年|协同|共同|同步|依法)"
_TRIGGER = (
    r"(?:开工建设|开工|新建|续建|改扩建|扩建|改建|建成(?:运营|通车|投用|投产)?|建设|抓细抓好|抓好|加快(?:建设|推进|实施)?"
    r"|推进|推动(?:实施)?|实施|启动|启用|筹建|支持|完成|做好|开展|谋划|引进|落地)"
)
_OPENING = re.compile(rf"{_ADVERB}*{_TRIGGER}(?:{_ADVERB}|{_TRIGGER})*")
# Actions after the name: stripped before looking at the name's head.
_TRAILING = re.compile(
    r"(?:开发建设|建设|开发|前期(?:工作)?|提质升级|提质扩容|提质发展|提档升级|高质量发展|加快发展|集聚发展|发展|"
    r"提标改造|升级改造|改造提升|改造|扩建|迁建|改建|扩容|提质扩能|扩能|提质|提升|建成投产|建成投用|投产|落地|开工|顺利推进|落户|运营|投用|通车)$"
)
# What a project does in a sentence without a verb before it (…项目顺利推进, …项目建成投产).
_PROGRESS = re.compile(r"^(?:顺利推进|建成投产|建成投用|建成|投产|开工|落地|竣工|完工|投用|运营|通车)")
# Verbs inside an object: ``X建成Y`` (X is the project, Y what it becomes), ``X创建Y`` (a designation).
_INNER_VERB = re.compile(r"建成|创建|争创|申报|升格为|转型为|成为|进入|纳入|共建|组建|建设")

_COUNT = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)(?:\s*[-—~～至]\s*(?:\d+|[一二三四五六七八九十]+))?"
_COUNTED = re.compile(rf"{_COUNT}\s*(?:个|条|座|家|所|项|处|批|大|类|栋|套|户|公里|亩)")
_PLURAL = re.compile(r"^(?:各类|各|一批|多个|若干|更多|部分|县级|县域|基层|乡镇|村级|乡级|全市|全省|一系列)|一批|各类")
_TAIL_COUNT = re.compile(rf"{_COUNT}\s*(?:个|条|座|家|所|项|处|栋|套|户|公里|万?平方米|亩)(?:以上|左右)?$")
_INVESTMENT_PREFIX = re.compile(r"^(?:总投资|投资|计划投资)?\s*(\d+(?:\.\d+)?)\s*(亿元|万元|亿)(?:的)")
_INVESTMENT_AFTER = re.compile(r"^(?:项目)?(?:总投资|计划总投资|投资)(?:约|超过|达)?\s*(\d+(?:\.\d+)?)\s*(亿元|万元|亿)")
_PHASE = re.compile(r"(?:[一二三四五六七八九十\d]+期)$")
_QUOTES = "“”\"'‘’「」『』《》"
_SLOGAN = re.compile(r"[“\"「『《][\d一二三四五六七八九十百千万两个]+[”\"」』》]")
_QUOTED = re.compile(r"[“\"「『《][^“”\"「」『』《》]*[”\"」』》]")
# What a list of projects ends with after 等: a count and a classifier (…等418个重点项目, …等项目建设).
# 等 that closes a list (not 甲等, 等容量, 同等, 等级 …).
_LIST_DENG = re.compile(r"(?<![甲乙丙同平对均高初中上下次优])等(?![容级同于待量距价效])")
_PROJECT_TAIL = re.compile(
    rf"^等\s*(?:{_COUNT}\s*(?:个|条|座|项|处)?(?:以上|左右)?)?(?:(?!企业|单位|部门|平台|高校|机构)[^,;。]){{0,16}}?(?:项目|工程)"
    rf"|^等\s*(?:(?!基础设施|设施|平台|载体|体系|网络)[\u4e00-\u9fff]){{0,6}}?(?:片区开发(?:建设)?|建设)$"
)
_ENTERPRISE_TAIL = re.compile(rf"^等\s*(?:{_COUNT}\s*家(?:以上)?)?[\u4e00-\u9fff]{{0,6}}?(?:企业|公司|集团)")
_LEGAL_FORM = re.compile(r"(?:集团有限公司|股份有限公司|有限责任公司|集团公司|有限公司|集团|公司|股份)$")
_LEGAL_IN_TEXT = re.compile(r"(?:集团有限公司|股份有限公司|有限责任公司|集团公司|有限公司|集团|公司)(?!化)")
_NOT_A_COMPANY = re.compile(r"(?:教育|医疗|医共|职教|人才|投资类|国有|融资平台|平台|产业化|投资|融资)(?:集团|公司)")
_ENTERPRISE_OPENING = re.compile(r"^(?:依托|支持|推动|鼓励|引导|围绕|发挥|培育|扶持|帮助|引进|积极|大力|加快|重点|着力|组织|联合|推进|做大做强|做强)+")
_CJK = "\u4e00-\u9fff"


# -- normalisation ---------------------------------------------------------------------------


_NO_QUOTES = {ord(q): None for q in _QUOTES}


@lru_cache(maxsize=8192)
def _plain(text: str) -> str:
    return re.sub(r"\s+", "", fold(text)).translate(_NO_QUOTES)


def project_key(name: str) -> str:
    """The normalised name of a project: folded, no spaces or quote marks, no trailing 项目.

    >>> project_key("人民医院东院区项目"), project_key("“曹魏·187”"), project_key("沙陀湖调蓄工程")
    ('人民医院东院区', '曹魏·187', '沙陀湖调蓄工程')
    """
    key = _plain(name)
    while key.endswith("项目") and len(key) > 2:
        key = key[:-2]
    return key


def enterprise_key(name: str) -> str:
    """The normalised short name of an enterprise: no legal form (集团, 股份有限公司 …), no spaces.

    >>> enterprise_key("许继集团"), enterprise_key("河南森源电气股份有限公司"), enterprise_key("许继")
    ('许继', '河南森源电气', '许继')
    """
    key = _plain(name)
    while True:
        stripped = _LEGAL_FORM.sub("", key)
        if stripped == key or len(stripped) < 2:
            return key
        key = stripped


# -- clauses and items ----------------------------------------------------------------------

_OPEN, _CLOSE = "(“「『《[", ")”」』》]"
_NESTING = re.compile(r"[(“「『《\[\"]")


def _split(text: str, start: int, seps: str) -> list[tuple[int, int]]:
    """Spans of ``text`` split at characters of ``seps`` outside brackets and quotes."""
    if not _NESTING.search(text):  # the usual case: nothing to keep together
        bounds = [-1, *(m.start() for m in re.finditer(f"[{re.escape(seps)}]", text)), len(text)]
        return [(start + a + 1, start + b) for a, b in pairwise(bounds) if b > a + 1]
    out, depth, begin, quote = [], 0, 0, False
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch == '"':
            quote = not quote
        elif ch in seps and depth == 0 and not quote:
            out.append((start + begin, start + i))
            begin = i + 1
    out.append((start + begin, start + len(text)))
    return [(a, b) for a, b in out if b > a]


def _strip_span(folded: str, a: int, b: int) -> tuple[int, int]:
    while a < b and folded[a].isspace():
        a += 1
    while b > a and folded[b - 1].isspace():
        b -= 1
    return a, b


@lru_cache(maxsize=8192)
def _head(name: str, *, bare: bool = False) -> str | None:
    """The head noun a name ends with (after a phase such as 二期 or a trailing bracket), or None.

    A designation (高新区, 开发区, 示范区 …) is not a head: it names a zone, not a construction.
    At least two characters must stand before the head (绕城 is no name), unless ``bare``
    asks whether a shared head such as 高速公路 is one.
    """
    core = re.sub(r"\([^()]*\)$", "", _PHASE.sub("", _plain(name)))
    if _DESIGNATION.search(core):
        return None
    m = _HEAD_AT_END.search(core)
    if m is None:
        return None
    if bare or m.start() >= (2 if m.end() - m.start() == 1 else 1):
        return m.group(0)
    for head in _HEADS:  # the longest head leaves too little before it: try shorter ones
        if core.endswith(head) and (bare or len(core) - len(head) >= (2 if len(head) == 1 else 1)):
            return head
    return None


@lru_cache(maxsize=8192)
def _residue(text: str, *, heads: bool = True) -> str:
    """What is left of a name once the genre's generic words (and its head) are taken out."""
    rest = _SLOGAN.sub("", fold(text).replace(" ", ""))  # “十四五”, “5163”, “三个一百”: numbers, not names
    rest = _PHASE.sub("", _plain(rest))
    if heads:
        head = _head(rest)
        if head:
            rest = rest[: -len(head)]
    for word in _GENERIC:
        rest = rest.replace(word, "")
    return re.sub(rf"[^{_CJK}A-Za-z]", "", rest)


def _is_generic(name: str) -> bool:
    """Whether a name names nothing particular; 市体育中心 (the city's one) does."""
    plain = _plain(name)
    if re.match(r"^市(?!场|级|县|区|直|属)", plain) and _head(plain):
        return len(_residue(plain[1:])) < 1 and len(plain) < 4
    return len(_residue(name)) < 2


def _programme(name: str) -> bool:
    """A 工程 that is a programme, not a construction: 强基工程, "乐业许都"工程, 便民休闲绿廊提升工程."""
    if not _plain(name).endswith("工程"):
        return False
    plain = _PHASE.sub("", _plain(name).removesuffix("工程")) + "工程"  # 职业教育攻坚二期工程
    outside = _QUOTED.sub("", fold(name).replace(" ", ""))
    if len(re.sub(rf"[^{_CJK}A-Za-z0-9]", "", outside)) <= 2:  # only a quoted slogan before 工程
        return True
    return bool(re.search(r"(?:培育|提升|提质|跨越|示范|整治|惠民|发展|融合|创新|强基|攻关|振兴|行动|计划|引领|赋能|提速|保障|攻坚|帮扶|普查|惠农|安居)工程$", plain))


def _plural_or_counted(name: str) -> bool:
    """一批…, 各类…, 20个小区…, and numbered slogans in quotes (“四院一中心”, “四好农村路”)."""
    plain = _plain(name)
    if _PLURAL.search(plain) or _COUNTED.search(plain) or _TAIL_COUNT.search(plain):
        return True
    return any(re.search(r"[一二三四五六七八九十百千万两]", q.group(0)) for q in _QUOTED.finditer(fold(name)))


# -- projects -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    start: int  # span of the name as written (investment prefix excluded)
    end: int
    investment: str | None = None
    measure: str | None = None


def _item(folded: str, a: int, b: int, *, listed: bool = False) -> _Item | None:
    a, b = _strip_span(folded, a, b)
    if not listed:  # …扩建, …提质升级; in a project list the text names the item whole (新兴路快速化提升改造)
        b = _strip_trailing(folded, a, b)
    investment = measure = None
    m = _INVESTMENT_PREFIX.match(folded[a:b])
    if m:
        investment, measure = m.group(1), "亿元" if m.group(2) == "亿" else m.group(2)
        a += m.end()
    opening = _OPENING.match(folded[a:b])
    if opening and opening.end() < b - a:
        a += opening.end()
    a, b = _strip_span(folded, a, b)
    if b - a < 2:
        return None
    return _Item(a, b, investment, measure)


def _strip_trailing(folded: str, a: int, b: int) -> int:
    """End of the object phrase once trailing actions (建设, 提质升级 …) are stripped."""
    while True:
        m = _TRAILING.search(folded[a:b])
        if not m or m.start() == 0:
            return b
        b = a + m.start()


def _shared_head(items: list[_Item], folded: str, tail: str, is_place) -> dict[int, str]:
    """Names for items that share a head written once: 郑南、焦平、周平3条高速公路; 贾鲁河、北汝河、双洎河通航工程."""
    names: dict[int, str] = {}
    tail_head = re.sub(rf"^等?\s*(?:{_COUNT})?\s*(?:个|条|座|处)?(?:以上|左右)?", "", tail)
    tail_head = re.sub(r"(?:建设)?(?:项目|工程)$", "", _TRAILING.sub("", tail_head))
    if tail_head and _head(tail_head, bare=True) and all(_head(folded[it.start:it.end]) is None for it in items):
        head = re.sub(r"^(?:重大|重点|省级|市级)", "", tail_head)
        for i, it in enumerate(items):
            names[i] = project_key(folded[it.start:it.end] + head)
        return names
    if tail or len(items) < 2:
        return names
    *first, last = items
    if any(_head(folded[it.start:it.end]) for it in first):
        return names
    last_text = folded[last.start:last.end]
    m = re.search(rf"{_COUNT}\s*(?:个|条|座|处)", last_text)
    if m and m.start() > 0 and _head(last_text[m.end():], bare=True):
        head, own = last_text[m.end():], last_text[: m.start()]
    else:
        # parallel bare names (贾鲁河、北汝河、双洎河…): the last one's own name is a place, or as long as the others
        lengths = {it.end - it.start for it in first}
        if max(lengths) > 4 or any(_QUOTED.search(folded[it.start:it.end]) for it in first):
            return names
        own = None
        if is_place:
            for k in range(2, len(last_text) - 1):
                if is_place(last_text[:k]):
                    own = last_text[:k]
                    break
        if own is None and len(lengths) == 1:
            own = last_text[: lengths.pop()]
        if not own or len(own) >= len(last_text):
            return names
        head = last_text[len(own):]
        if len(head) < 2 or re.search(rf"[^{_CJK}]", head) or not _head(head, bare=True) or _programme(head):
            return names
    for i, it in enumerate(first):
        names[i] = project_key(folded[it.start:it.end] + head)
    names[len(items) - 1] = project_key(own + head)
    return names


def _clause_projects(folded: str, a: int, b: int, is_place) -> list[tuple[_Item, str]]:
    """Projects of one clause: (item, normalised name)."""
    clause = folded[a:b]
    # 1. an explicit list: …、…等[N个]…项目 (the text itself calls the items projects)
    tail_at = other_tail = None
    for m in _LIST_DENG.finditer(clause):
        if _PROJECT_TAIL.match(clause[m.start():]):
            tail_at = m.start()
            break
        other_tail = m.start() if other_tail is None else other_tail
    opening = _OPENING.search(clause)
    if opening and _FORBIDDING.search(clause[: opening.start()]):
        return []
    if tail_at is None:
        end = _strip_trailing(folded, a, b)
        if (not opening or opening.start() >= end - a) and end < b:  # no verb before: …项目顺利推进, …项目建成投产
            if _PROGRESS.search(folded[end:b]):  # 市中心医院新院区建成投用; …项目顺利推进
                return _object_projects(folded, a, end, is_place, listed=False, siblings=False)
            return []
        if not opening:
            return []
        obj_start = a + opening.end()
        if other_tail is not None and other_tail > opening.end():  # …、…等电商平台发展: items before 等, heads required
            return _object_projects(folded, obj_start, a + other_tail, is_place, listed=False, siblings=False,
                                    after=folded[a + other_tail:b])
        obj_end = _strip_trailing(folded, obj_start, b)
        return _object_projects(folded, obj_start, obj_end, is_place, listed=False, after=folded[obj_end:b])
    obj_start = a
    if opening and opening.start() < tail_at:
        obj_start = a + opening.end()
    tail = clause[tail_at:]
    return _object_projects(folded, obj_start, a + tail_at, is_place, listed=True, tail=_TRAILING.sub("", tail))


def _object_projects(folded, a, b, is_place, *, listed: bool, tail: str = "", siblings: bool = True,
                     after: str = "") -> list[tuple[_Item, str]]:
    if b - a < 2:
        return []
    if not listed:
        # X建成Y: X is the project; X创建Y, X建设Y: Y is a designation or a new object
        inner = [m for m in _INNER_VERB.finditer(folded, a, b) if m.start() > a + 1]
        if inner:
            m = inner[0]
            left = _object_projects(folded, a, m.start(), is_place, listed=False) if m.group(0) == "建成" else []
            right_start = m.end()
            right_end = _strip_trailing(folded, right_start, b)
            right = _object_projects(folded, right_start, right_end, is_place, listed=False) if m.group(0) in ("建设",) else []
            return left + right
        if _TAIL_COUNT.search(folded[a:b]):  # 新建院士工作站、中原学者工作站2家
            return []
    first = folded[a:b].split("、", 1)[0]
    if _PLURAL.match(_plain(folded[a:b])) or re.search(r"一批|各类|多个|若干|一系列", first):
        return []  # 一批5G、大数据中心等新型基础设施项目: the list is a category
    spans = _split(folded[a:b], a, "、")
    spans = [s for sp in spans for s in _split_conjunction(folded, *sp)]
    items = [it for it in (_item(folded, s, e, listed=listed) for s, e in spans) if it]
    if not items:
        return []
    names = _shared_head(items, folded, tail, is_place)
    named = [names.get(i) or project_key(folded[it.start:it.end]) for i, it in enumerate(items)]
    basis = [names.get(i) or folded[it.start:it.end] for i, it in enumerate(items)]  # as written, for the tests
    if listed and sum(1 for n in basis if _is_generic(n) or _plural_or_counted(n)) * 2 > len(basis):
        return []  # a list of categories: 交通、能源、水利等重大基础设施项目
    headed = sum(1 for n in basis if _head(n) and not _is_generic(n) and not _programme(n))
    out = []
    for i, (it, name) in enumerate(zip(items, named)):
        written = folded[it.start:it.end]
        if len(name) < 3 and not _head(name) or _plural_or_counted(name if i in names else written) or _programme(written):
            continue
        if re.search(r"(?:重点|重大|民生|新建)$", name):  # 新区重点项目, 重大项目: a category of projects
            continue
        if listed and _ACTION_END.search(name):
            continue
        if not listed:
            head = _head(name)
            classifier = _plain(written).endswith("项目") or bool(_PHASE.search(name))  # 沙澧河二期
            if head in _INSTITUTION_HEADS and _DEVELOPS.search(folded[it.end:b] + after):
                continue  # 支持焦作大学、黄河交通学院高质量发展: the institution, not a construction
            if re.search(r"(?:示范区|试验区|自贸区|开发区|高新区)", name[: -len(head)] if head else name):
                continue  # 郑洛新国家自主创新示范区新乡片区: a part of a zone
            if _NOT_A_PROJECT.search(project_key(written)):
                continue
            parts = re.split(r"[和与及]", written)
            if len(parts) > 1 and not _head(parts[-1]) and not classifier:
                continue  # 新城功能完备和老城(改造提质)
            among_headed = siblings and len(items) > 1 and headed * 2 >= len(items) and len(_residue(name)) >= 2
            if not head and not classifier and (_DESIGNATION.search(name) or not among_headed):
                continue  # an item without head noun only among headed siblings (曹魏·187、北海片区、许东新城)
            if _is_generic(basis[i]):
                continue
            if head and len(name) - len(head) < 2:
                continue
        out.append((it, name))
    return out


def _split_conjunction(folded: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split ``X及Y`` / ``X和Y`` / ``X与Y`` where X ends with a head noun (客运枢纽站及黄河大道西延工程)."""
    text = folded[a:b]
    for m in re.finditer(r"[及和与]", text):
        left, right = text[: m.start()], text[m.end():]
        left = text[: _strip_trailing(folded, a, a + m.start()) - a]
        if len(left) < 2 or len(right) < 2 or not (_head(right) or _TRAILING.search(right)):
            continue
        if _head(left):
            return [(a, a + len(left))] + _split_conjunction(folded, a + m.end(), b)
        if _head(right) and not _head(text):  # 冬季清洁取暖和中心城区“汽改水”工程: only the right one is named
            return _split_conjunction(folded, a + m.end(), b)
        if _head(right) and (_QUOTED.search(right) or _NOT_A_PROJECT.search(left) or re.search(r"(?:取暖|供暖|供热|治理|保护|整治|修复|提升)$", left)):
            return _split_conjunction(folded, a + m.end(), b)
    return [(a, b)]


def _split_dash(folded: str, a: int, b: int) -> list[tuple[int, int]]:
    """A clause split at a dash of apposition: 全省首个德国独资项目——百菲萨电炉除尘灰项目建成投产."""
    out, start = [], a
    for m in re.finditer(r"——|--", folded[a:b]):
        out.append((start, a + m.start()))
        start = a + m.end()
    out.append((start, b))
    return [(s, e) for s, e in out if e > s]


def _investment_after(folded: str, end: int, limit: int) -> tuple[str, str] | None:
    m = _INVESTMENT_AFTER.match(re.sub(r"^[,(,(\s]+", "", folded[end:limit]))
    if m:
        return m.group(1), "亿元" if m.group(2) == "亿" else m.group(2)
    return None


def project_mentions(
    text: str,
    offset: int = 0,
    *,
    is_place: Callable[[str], bool] | None = None,
    known_enterprises: Iterable[str] = (),
) -> list[ProjectMention]:
    """The named projects of a text, in order, each once per span.

    ``is_place`` tells a place from a developer at the head of a name (长葛 | 循环经济产业园);
    ``known_enterprises`` are enterprise names found elsewhere in the same document, tried
    as developers when the name gives no other clue (胖东来 | 梦之城).

    >>> [(p.mention, p.name, p.start, p.end) for p in project_mentions("开工建设人民医院东院区项目,拟设置2000余张床位", 100)]
    [('人民医院东院区项目', '人民医院东院区', 104, 113)]
    >>> [p.name for p in project_mentions("建成通车郑南、焦平、周平3条高速公路")]
    ['郑南高速公路', '焦平高速公路', '周平高速公路']
    >>> [p.name for p in project_mentions("实施重大项目210个,完成投资700亿元以上")]
    []
    """
    folded = fold(text)
    known = sorted({enterprise_key(k) for k in known_enterprises if len(enterprise_key(k)) >= 2}, key=len, reverse=True)
    out: list[ProjectMention] = []
    seen: set[tuple[int, int]] = set()
    clauses = [c for a, b in _split(folded, 0, ",;。!?:\n") for c in _split_dash(folded, a, b)]
    for ci, (a, b) in enumerate(clauses):
        found = _clause_projects(folded, a, b, is_place)
        for it, name in found:
            if (it.start, it.end) in seen:
                continue
            seen.add((it.start, it.end))
            investment, measure = it.investment, it.measure
            if investment is None and len(found) == 1:
                limit = clauses[ci + 1][1] if ci + 1 < len(clauses) else b
                after = _investment_after(folded, it.end, limit)
                if after:
                    investment, measure = after
            developer = _developer(name, is_place, known)
            out.append(ProjectMention(text[it.start:it.end], name, offset + it.start, offset + it.end, investment, measure, developer))
    return out


def _is_region(prefix: str) -> bool:
    return all(ch in _REGION_CHARS for ch in prefix)


def _looks_like_place(prefix: str, is_place) -> bool:
    if re.search(r"[市县区镇乡村省州河湖山江海]$", prefix) or re.search(r"^[\u4e00-\u9fff]{1,3}[市县区镇乡]", prefix) or _is_region(prefix):
        return True
    return bool(is_place and is_place(prefix))


def _developer(name: str, is_place, known: Sequence[str] = ()) -> str | None:
    """The enterprise at the head of a project's name, if the name shows one.

    >>> _developer("许继电气装备产业园", None), _developer("上汽汇众产业园", None), _developer("智能配网产业园", None)
    ('许继', '上汽汇众', None)
    >>> _developer("红东方化工新能源新材料", None), _developer("长葛循环经济产业园", lambda s: s == "长葛")
    ('红东方化工', None)
    """
    plain = _plain(name)
    legal = _LEGAL_IN_TEXT.search(plain)
    if legal and 2 <= legal.start() <= 8 and not _NOT_A_COMPANY.search(plain[: legal.end()]):
        prefix = plain[: legal.start()]
        if not _looks_like_place(prefix, is_place) and len(_residue(prefix, heads=False)) >= 2:
            return enterprise_key(plain[: legal.end()])
    head = _head(plain)
    if head is None or head in _INDUSTRIAL_HEADS:
        for k in range(2, 6):
            prefix, rest = plain[:k], plain[k:]
            rest = re.sub(r"^\([^()]*\)", "", rest)
            if not rest:
                break
            if _starts_with(rest, _INDUSTRY) or (head and rest == head and k >= 3):
                if _is_company_prefix(prefix, is_place):
                    for word in _COMPANY_WORDS:
                        if rest.startswith(word) and _starts_with(rest[len(word):], _INDUSTRY):
                            return prefix + word
                    return prefix
                break
        m = re.match(rf"^([{_CJK}]{{2,4}}?)[一二三四五六七八九十\d]+期$", plain)
        if m and _is_company_prefix(m.group(1), is_place):
            return m.group(1)
    for k in known:
        if plain.startswith(k) and len(plain) > len(k) + 1 and not _looks_like_place(k, is_place):
            return k
    return None


def _starts_with(text: str, words: Sequence[str]) -> bool:
    return any(text.startswith(w) for w in words)


def _is_company_prefix(prefix: str, is_place) -> bool:
    """Whether a name's first characters can be a company's short name: not a place, no generic or industry word."""
    if not re.fullmatch(rf"[{_CJK}]{{2,5}}", prefix) or _looks_like_place(prefix, is_place):
        return False
    if re.search(r"[院所校局委厅办站会]", prefix):  # 中科院, 研究所: an institution, not a company
        return False
    core = next((prefix[: -len(w)] for w in _COMPANY_WORDS if prefix.endswith(w) and len(prefix) - len(w) >= 2), prefix)
    return not (any(w in core for w in _GENERIC) or any(w in core for w in _INDUSTRY))


# -- enterprises ------------------------------------------------------------------------------


def enterprise_mentions(
    text: str,
    offset: int = 0,
    *,
    is_place: Callable[[str], bool] | None = None,
    projects: Sequence[ProjectMention] | None = None,
) -> list[EnterpriseMention]:
    """The enterprises a text names, in order of position: in 企业 lists, by legal form, as developers.

    ``projects`` are the text's project mentions (found with the same offset) whose developers
    count as mentions; by default they are found here.

    >>> [(e.name, e.how) for e in enterprise_mentions("积极推动许继集团与豫检集团组建河南电气研究院,支持富森生物、欣瑞制药等企业集聚发展")]
    [('许继', 'legal-form'), ('豫检', 'legal-form'), ('富森生物', 'list'), ('欣瑞制药', 'list')]
    >>> [(e.mention, e.name, e.start) for e in enterprise_mentions("加快上汽汇众产业园等项目建设", 10)]
    [('上汽汇众', '上汽汇众', 12)]
    """
    folded = fold(text)
    found: dict[tuple[int, int], EnterpriseMention] = {}

    def add(a: int, b: int, how: str, name: str | None = None) -> None:
        name = name or enterprise_key(folded[a:b])
        if len(name) < 2 or any(a < e and s < b for s, e in found):
            return
        found[(a, b)] = EnterpriseMention(text[a:b], name, offset + a, offset + b, how)

    for a, b in _split(folded, 0, ",;。!?:\n"):
        clause = folded[a:b]
        for m in re.finditer("等", clause):  # the first 等 that closes a list of enterprises
            tail = _ENTERPRISE_TAIL.match(clause[m.start():])
            if not tail or re.match(r"^等\s*(?:行业|产业|领域)", clause[m.start():]):
                continue
            start = 0
            opening = None
            for om in re.finditer(r"(?:依托|支持|推动|鼓励|引导|围绕|发挥|培育|扶持|帮助|引进)", clause[: m.start()]):
                opening = om
            if opening:
                start = opening.end()
            for s, e in _split(clause[start: m.start()], a + start, "、"):
                s, e = _strip_span(folded, s, e)
                lead = _ENTERPRISE_OPENING.match(folded[s:e])
                if lead and lead.end() < e - s:
                    s += lead.end()
                item = folded[s:e]
                if not (2 <= len(item) <= 12) or len(_residue(item, heads=False)) < 2 or _COUNTED.search(item):
                    continue
                if _head(item) or _TRAILING.search(item) or re.search(r"[院所校馆]", item):
                    continue  # 张仲景博物院改扩建: a construction among the enterprises
                add(s, e, "list")
            break
        for m in _LEGAL_IN_TEXT.finditer(clause):
            end = m.end()
            begin = m.start()
            while begin > 0 and re.match(rf"[{_CJK}A-Za-z0-9]", clause[begin - 1]) and m.start() - begin < 8:
                if re.search(rf"(?:{_TRIGGER}|与|和|及|的|、|等)$", clause[:begin]) and m.start() - begin >= 2:
                    break
                begin -= 1
            prefix = clause[begin:m.start()]
            lead = _ENTERPRISE_OPENING.match(prefix) or _OPENING.match(prefix)
            if lead and lead.end() < len(prefix) - 1:
                begin += lead.end()
                prefix = clause[begin:m.start()]
            if len(prefix) < 2 or _NOT_A_COMPANY.search(clause[begin:end]) or prefix.startswith(("市", "县", "区")):
                continue
            if len(_residue(prefix, heads=False)) < 2 or _looks_like_place(prefix, is_place):
                continue
            add(a + begin, a + end, "legal-form")
    if projects is None:
        projects = project_mentions(text, offset, is_place=is_place)
    for p in projects:
        if p.developer:
            s = p.start - offset
            at = folded.find(p.developer, s, p.end - offset)
            if at >= 0:
                add(at, at + len(p.developer), "developer", p.developer)
            else:  # 许继集团许昌铁矿: the developer is 许继, written 许继集团
                legal = _LEGAL_IN_TEXT.search(folded, s, p.end - offset)
                if legal:
                    add(s, legal.end(), "developer", p.developer)
    return sorted(found.values(), key=lambda e: e.start)


def document_mentions(
    texts: Sequence[str], *, is_place: Callable[[str], bool] | None = None
) -> list[tuple[list[ProjectMention], list[EnterpriseMention]]]:
    """Projects and enterprises of each text of one document (its tasks), in two passes.

    The first pass finds the enterprises each text names on its own; the second looks
    for them again at the head of every project name of the document, so that 胖东来梦之城
    is known to be 胖东来's once 胖东来 is named anywhere in the document.

    >>> [[p.developer for p in ps] for ps, _ in document_mentions(["加快胖东来高新技术产业园等项目建设", "加快胖东来梦之城等项目建设"])]
    [['胖东来'], ['胖东来']]
    """
    known: set[str] = set()
    first = []
    for text in texts:
        projects = project_mentions(text, is_place=is_place)
        enterprises = enterprise_mentions(text, is_place=is_place, projects=projects)
        known.update(e.name for e in enterprises if e.how != "developer" or len(e.name) >= 3)
        first.append(projects)
    names = sorted(known, key=len, reverse=True)
    out = []
    for text, projects in zip(texts, first):
        folded = fold(text)
        projects = [p if p.developer else replace(p, developer=_developer(p.name, is_place, names)) for p in projects]
        enterprises = enterprise_mentions(text, is_place=is_place, projects=projects)
        for name in names:  # a known enterprise named again where enterprises are talked of: 推广胖东来经验, 许继、…
            for m in re.finditer(re.escape(name), folded):
                if re.match(r"(?:经验|模式|集团|公司|等|、)", folded[m.end():m.end() + 2]) and not any(
                    e.start < m.end() and m.start() < e.end for e in enterprises
                ):
                    enterprises.append(EnterpriseMention(text[m.start():m.end()], name, m.start(), m.end(), "list"))
        out.append((projects, sorted(enterprises, key=lambda e: e.start)))
    return out
