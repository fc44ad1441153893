"""Realistic generated customers for the demo branch and the benchmarks (valid ID numbers).

Deterministic for a seed, so a demo looks the same on every machine. Names follow the
common-surname distribution roughly; ID numbers carry real region codes, plausible birth
dates and a correct check character; phones are mainland mobiles; a third hold a debit card.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from stdnum.cn import ric, uscc

from app.services.customers.records import AccountInput, CustomerInput

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鑫斌宇浩凯健俊帆"
         "辉鹏鹏飞志强建国建华国强文博子涵梓萱一诺浩然欣怡宇轩思远晓东海波春梅秋菊")
REGIONS = ("110101", "110105", "110108", "310101", "310104", "310115", "440103", "440106", "440304", "440305",
           "330102", "330106", "320102", "320106", "510104", "510107", "420102", "420106", "370102", "610102")
CITIES = ("北京市东城区", "北京市朝阳区", "上海市黄浦区", "上海市徐汇区", "广州市越秀区", "深圳市南山区",
          "杭州市西湖区", "南京市玄武区", "成都市锦江区", "武汉市江岸区", "济南市历下区", "西安市新城区")
STREETS = ("人民路", "解放路", "中山路", "建设路", "和平街", "新华路", "文化路", "长江路")
OCCUPATIONS = ("教师", "工程师", "医生", "个体经营", "公务员", "退休", "学生", "会计", "销售", "自由职业")
COMPANY_WORDS = ("华信", "恒通", "瑞丰", "中科", "金桥", "鼎盛", "宏达", "新元", "天成", "博远")
INDUSTRIES = ("批发和零售业", "制造业", "信息传输、软件和信息技术服务业", "建筑业", "住宿和餐饮业", "交通运输、仓储和邮政业")
COMPANY_KINDS = ("科技有限公司", "贸易有限公司", "建设工程有限公司", "餐饮管理有限公司", "物流有限公司")


def resident_id(rng: random.Random, *, earliest: date = date(1940, 1, 1), latest: date = date(2006, 12, 31)) -> str:
    birth = earliest + timedelta(days=rng.randrange((latest - earliest).days))
    body = rng.choice(REGIONS) + birth.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def credit_code(rng: random.Random) -> str:
    body = "91" + rng.choice(REGIONS) + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def person_name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "17", "18", "19")) + f"{rng.randrange(10**9):09d}"


def generate(count: int, seed: int = 2026, corporate_share: float = 0.05) -> Iterator[CustomerInput]:
    rng = random.Random(seed)
    for n in range(count):
        bands = dict(asset_band=rng.choices(("high", "middle", "low"), (1, 4, 10))[0],
                     activity_band=rng.choices(("high", "middle", "low"), (2, 5, 8))[0],
                     credit_grade=rng.choices(("good", "fair", "risk"), (5, 8, 1))[0],
                     compliance=rng.choices(("compliant", "watch", "risk"), (40, 3, 1))[0])
        address = rng.choice(CITIES) + rng.choice(STREETS) + f"{rng.randrange(1, 300)}号"
        accounts = (AccountInput(number="622202" + f"{rng.randrange(10**13):013d}",
                                 opened_on=date(2010, 1, 1) + timedelta(days=rng.randrange(5000))),) \
            if n % 3 == 0 else ()
        if rng.random() < corporate_share:
            yield CustomerInput(name=rng.choice(CITIES)[:2] + "市" + rng.choice(COMPANY_WORDS) + rng.choice(COMPANY_KINDS),
                                id_type="uscc", id_number=credit_code(rng), phones=(mobile(rng),), address=address,
                                legal_representative=person_name(rng), contact_name=person_name(rng),
                                # From n, not the generator: the rest of the demo stays as it was.
                                consent=True, consent_date=date(2024, 1, 1) + timedelta(days=n % 600),
                                industry=INDUSTRIES[n % len(INDUSTRIES)], enterprise_size=("small", "micro", "medium")[n % 3],
                                licence_expires_on=date(2027, 1, 1) + timedelta(days=(n * 37) % 3000), **bands)
        else:
            yield CustomerInput(name=person_name(rng), id_type="resident_id", id_number=resident_id(rng),
                                phones=(mobile(rng),), address=address, occupation=rng.choice(OCCUPATIONS),
                                consent=True, consent_date=date(2024, 1, 1) + timedelta(days=rng.randrange(600)),
                                accounts=accounts, **bands)
