"""The published data of seller trust: the store levels, the rules with their points (in both
languages) and the thresholds of the restrictions. Migrations 0002 and 0004 write it; `*_ensure`
writes it again into a database emptied since (a test that flushed it), as the migrations did.
Each function takes the model classes, so that a migration passes its historical models."""

# rank, code, name, Chinese name. Rank 1 is where every store starts.
LEVELS = [
    (1, "starter", "Starter store", "新手店铺"),
    (2, "trusted", "Trusted store", "优选店铺"),
    (3, "gold", "Gold store", "金牌店铺"),
]

# code, points, title, Chinese title, what it forbids, in Chinese.
RULES = [
    (
        "not_as_described",
        4,
        "Item not as described",
        "商品与描述不符",
        "The item's condition, parts or defects differ from what the listing said.",
        "商品的成色、配件或瑕疵与描述不一致。",
    ),
    (
        "late_shipment",
        2,
        "Late shipment",
        "延迟发货",
        "The item was not shipped within the time the seller promised or the order allows.",
        "未在承诺或订单规定的时间内发货。",
    ),
    (
        "misleading_listing",
        4,
        "Misleading listing",
        "误导性商品信息",
        "Photos, price or words that mislead shoppers: someone else's photos, a false price new.",
        "使用误导买家的图片、价格或文字，例如盗用他人图片、虚标原价。",
    ),
    (
        "off_platform_payment",
        8,
        "Payment outside Reloop",
        "引导站外交易",
        "Asking a shopper to pay or talk outside Reloop, where neither side is protected.",
        "引导买家在 Reloop 之外付款或联系，使双方失去保障。",
    ),
    (
        "abusive_messages",
        6,
        "Abusive messages",
        "辱骂或骚扰",
        "Insulting, threatening or harassing a shopper in messages or reviews.",
        "在消息或评价中辱骂、威胁或骚扰买家。",
    ),
    (
        "counterfeit",
        12,
        "Counterfeit item",
        "售卖假冒商品",
        "Selling a fake, a replica or an unauthorised copy as genuine.",
        "将假货、仿品或未经授权的复制品作为正品出售。",
    ),
    (
        "prohibited_item",
        12,
        "Prohibited item",
        "发布禁售商品",
        "Listing an item that may not be sold on Reloop (weapons, drugs, stolen goods, recalled items).",
        "发布 Reloop 禁止销售的商品（武器、药品、赃物、召回商品等）。",
    ),
]
THRESHOLDS = [("no_flash_sales", 12, None), ("listing_cap", 24, 10), ("suspension", 48, None)]


def levels_ensure(Level) -> None:
    for rank, code, name, name_zh in LEVELS:
        Level.objects.get_or_create(code=code, defaults={"rank": rank, "name": name, "name_zh": name_zh})


def rules_ensure(Rule, Threshold) -> None:
    for code, points, title, title_zh, description, description_zh in RULES:
        Rule.objects.get_or_create(
            code=code,
            defaults={
                "points": points,
                "title": title,
                "title_zh": title_zh,
                "description": description,
                "description_zh": description_zh,
            },
        )
    for kind, points, cap in THRESHOLDS:
        Threshold.objects.get_or_create(kind=kind, defaults={"points": points, "cap": cap})


def published_ensure() -> None:
    """The levels, rules and thresholds, made again where they are missing."""
    from trust.models import Level, Rule, Threshold

    levels_ensure(Level)
    rules_ensure(Rule, Threshold)
