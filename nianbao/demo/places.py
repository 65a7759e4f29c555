"""The demo city: Xining's 7 districts and counties, with departments and towns/streets of each.

Names are real place names (streets of the urban districts, towns of the counties); the set of
departments is the usual one of a 区县 government. Which of them appear is drawn from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY = "西宁市"


@dataclass(frozen=True)
class District:
    """A 区县: its canonical name, the short form some titles use, and its sub-units' names."""

    name: str
    short: str  # the form used in some titles (大通县 for 大通回族土族自治县)
    site: str  # the government website's name, for the page chrome
    domain: str
    towns: tuple[str, ...]  # full names of towns / streets, without the district prefix


DISTRICTS: tuple[District, ...] = (
    District(
        "城东区",
        "城东区",
        "西宁市城东区人民政府",
        "www.xncd.gov.cn",
        (
            "东关大街街道办事处",
            "清真巷街道办事处",
            "大众街街道办事处",
            "周家泉街道办事处",
            "火车站街道办事处",
            "八一路街道办事处",
            "林家崖街道办事处",
            "乐家湾镇人民政府",
            "韵家口镇人民政府",
        ),
    ),
    District(
        "城中区",
        "城中区",
        "西宁市城中区人民政府",
        "www.xncz.gov.cn",
        (
            "人民街街道办事处",
            "南滩街道办事处",
            "仓门街街道办事处",
            "礼让街街道办事处",
            "饮马街街道办事处",
            "南川东路街道办事处",
            "南川西路街道办事处",
            "总寨镇人民政府",
        ),
    ),
    District(
        "城西区",
        "城西区",
        "西宁市城西区人民政府",
        "www.xncx.gov.cn",
        (
            "西关大街街道办事处",
            "古城台街道办事处",
            "虎台街道办事处",
            "兴海路街道办事处",
            "胜利路街道办事处",
            "通海路街道办事处",
            "文汇路街道办事处",
            "彭家寨镇人民政府",
        ),
    ),
    District(
        "城北区",
        "城北区",
        "西宁市城北区人民政府",
        "www.xncb.gov.cn",
        (
            "朝阳街道办事处",
            "小桥大街街道办事处",
            "马坊街道办事处",
            "火车西站街道办事处",
            "大堡子镇人民政府",
            "廿里铺镇人民政府",
        ),
    ),
    District(
        "湟中区",
        "湟中区",
        "西宁市湟中区人民政府",
        "www.huangzhong.gov.cn",
        (
            "鲁沙尔镇人民政府",
            "多巴镇人民政府",
            "拦隆口镇人民政府",
            "上五庄镇人民政府",
            "李家山镇人民政府",
            "西堡镇人民政府",
            "共和镇人民政府",
            "甘河滩镇人民政府",
            "上新庄镇人民政府",
            "田家寨镇人民政府",
            "土门关乡人民政府",
            "海子沟乡人民政府",
        ),
    ),
    District(
        "大通回族土族自治县",
        "大通县",
        "大通回族土族自治县人民政府",
        "www.datong.gov.cn",
        (
            "桥头镇人民政府",
            "城关镇人民政府",
            "塔尔镇人民政府",
            "东峡镇人民政府",
            "黄家寨镇人民政府",
            "长宁镇人民政府",
            "景阳镇人民政府",
            "多林镇人民政府",
            "新庄镇人民政府",
            "青林乡人民政府",
        ),
    ),
    District(
        "湟源县",
        "湟源县",
        "湟源县人民政府",
        "www.huangyuan.gov.cn",
        (
            "城关镇人民政府",
            "大华镇人民政府",
            "东峡乡人民政府",
            "日月藏族乡人民政府",
            "和平乡人民政府",
            "波航乡人民政府",
            "申中乡人民政府",
            "巴燕乡人民政府",
        ),
    ),
)

# Departments of a 区县 government, with a rough level of activity (licences, penalties, fees).
DEPARTMENTS: tuple[tuple[str, float], ...] = (
    ("教育局", 0.6),
    ("民政局", 0.7),
    ("财政局", 0.4),
    ("自然资源局", 1.2),
    ("人力资源和社会保障局", 1.0),
    ("住房和城乡建设局", 1.3),
    ("卫生健康局", 0.9),
    ("市场监督管理局", 1.6),
    ("农业农村局", 0.8),
    ("司法局", 0.3),
    ("应急管理局", 0.7),
    ("交通运输局", 0.9),
)


@dataclass(frozen=True)
class DemoUnit:
    """A reporting unit of the demo city."""

    name: str  # canonical name, as the store keeps it (e.g. 城东区民政局)
    district: District
    kind: str  # government | department | town
    local: str  # the part after the district name (民政局, 桥头镇人民政府, 人民政府)
    activity: float  # scales the unit's numbers

    @property
    def short_local(self) -> str:
        """The unit as it speaks of itself in the narrative (本局, 本镇, 本街道, 本区/本县)."""
        if self.kind == "government":
            return "本县" if self.district.name.endswith("县") else "本区"
        if self.kind == "town":
            if self.local.endswith("街道办事处"):
                return "本街道"
            return "本乡" if "乡" in self.local else "本镇"
        return "本局"


def unit_name(district: District, local: str) -> str:
    """The canonical name of a unit of a district."""
    return district.name + local
