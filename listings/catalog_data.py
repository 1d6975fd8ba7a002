"""The demo catalog as data: a category tree in English and Simplified Chinese, brands, and catalog
models with their launch price in CNY and launch year, plus the words demo listings are written with.

Prices are the manufacturer's list price in mainland China when the model (in the named
configuration) was launched, rounded as the brand published it. Luxury houses raise prices every
year; for those the figure is a recent boutique price and the year is when that price applied.

`load_catalog()` writes the tree, brands and models idempotently (get_or_create on slugs and on
brand + name); `seed_demo` and `seed_bench` both start from it.
"""

# Chinese text uses full-width Chinese punctuation, which is what sellers type.
# ruff: noqa: RUF001

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from listings.models import Brand, CatalogModel, Category, Grade


@dataclass(frozen=True)
class CategoryData:
    slug: str
    name: str
    name_zh: str
    drawing: str = ""  # the demo.images drawing for items in this leaf
    is_luxury: bool = False
    children: tuple["CategoryData", ...] = ()


@dataclass(frozen=True)
class BrandData:
    slug: str
    name: str
    name_zh: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class ModelData:
    brand: str  # brand slug
    category: str  # leaf category slug
    name: str
    launch_price: int  # CNY
    launch_year: int
    drawing: str = ""  # overrides the category's drawing (e.g. a hair dryer among appliances)
    name_zh: str = ""  # how Chinese sellers usually write it, when different


CATEGORY_TREE: tuple[CategoryData, ...] = (
    CategoryData(
        "electronics",
        "Electronics",
        "电子数码",
        children=(
            CategoryData("phones", "Phones", "手机", drawing="phone"),
            CategoryData("tablets", "Tablets", "平板电脑", drawing="tablet"),
            CategoryData("laptops", "Laptops", "笔记本电脑", drawing="laptop"),
            CategoryData("cameras", "Cameras", "相机", drawing="camera"),
            CategoryData("game-consoles", "Game consoles", "游戏机", drawing="console"),
        ),
    ),
    CategoryData(
        "luxury",
        "Luxury",
        "奢侈品",
        is_luxury=True,
        children=(
            CategoryData("bags", "Bags", "箱包", drawing="bag", is_luxury=True),
            CategoryData("watches", "Watches", "腕表", drawing="watch", is_luxury=True),
            CategoryData("jewelry", "Jewelry", "珠宝首饰", drawing="jewelry", is_luxury=True),
        ),
    ),
    CategoryData(
        "fashion",
        "Fashion",
        "服饰鞋包",
        children=(
            CategoryData("sneakers", "Sneakers", "运动鞋", drawing="sneaker"),
            CategoryData("clothing", "Clothing", "服装", drawing="clothing"),
        ),
    ),
    CategoryData(
        "home",
        "Home",
        "家居生活",
        children=(
            CategoryData("home-appliances", "Home appliances", "家用电器", drawing="appliance"),
            CategoryData("furniture", "Furniture", "家具", drawing="furniture"),
        ),
    ),
    CategoryData(
        "books-media",
        "Books & media",
        "图书音像",
        children=(CategoryData("books", "Books", "图书", drawing="book"),),
    ),
)


BRANDS: tuple[BrandData, ...] = (
    BrandData("apple", "Apple", "苹果", ("phones", "tablets", "laptops")),
    BrandData("samsung", "Samsung", "三星", ("phones", "tablets")),
    BrandData("huawei", "Huawei", "华为", ("phones", "tablets", "laptops")),
    BrandData("xiaomi", "Xiaomi", "小米", ("phones", "tablets", "home-appliances")),
    BrandData("oppo", "OPPO", "", ("phones",)),
    BrandData("vivo", "vivo", "", ("phones",)),
    BrandData("lenovo", "Lenovo", "联想", ("laptops", "tablets")),
    BrandData("dell", "Dell", "戴尔", ("laptops",)),
    BrandData("asus", "ASUS", "华硕", ("laptops",)),
    BrandData("sony", "Sony", "索尼", ("cameras", "game-consoles")),
    BrandData("canon", "Canon", "佳能", ("cameras",)),
    BrandData("nikon", "Nikon", "尼康", ("cameras",)),
    BrandData("fujifilm", "Fujifilm", "富士", ("cameras",)),
    BrandData("dji", "DJI", "大疆", ("cameras",)),
    BrandData("nintendo", "Nintendo", "任天堂", ("game-consoles",)),
    BrandData("louis-vuitton", "Louis Vuitton", "路易威登", ("bags",)),
    BrandData("gucci", "Gucci", "古驰", ("bags",)),
    BrandData("chanel", "Chanel", "香奈儿", ("bags",)),
    BrandData("hermes", "Hermès", "爱马仕", ("bags",)),
    BrandData("coach", "Coach", "蔻驰", ("bags",)),
    BrandData("rolex", "Rolex", "劳力士", ("watches",)),
    BrandData("omega", "Omega", "欧米茄", ("watches",)),
    BrandData("cartier", "Cartier", "卡地亚", ("watches", "jewelry")),
    BrandData("tudor", "Tudor", "帝舵", ("watches",)),
    BrandData("seiko", "Seiko", "精工", ("watches",)),
    BrandData("tiffany", "Tiffany & Co.", "蒂芙尼", ("jewelry",)),
    BrandData("van-cleef-arpels", "Van Cleef & Arpels", "梵克雅宝", ("jewelry",)),
    BrandData("nike", "Nike", "耐克", ("sneakers",)),
    BrandData("adidas", "Adidas", "阿迪达斯", ("sneakers",)),
    BrandData("new-balance", "New Balance", "新百伦", ("sneakers",)),
    BrandData("li-ning", "Li-Ning", "李宁", ("sneakers",)),
    BrandData("uniqlo", "Uniqlo", "优衣库", ("clothing",)),
    BrandData("arcteryx", "Arc'teryx", "始祖鸟", ("clothing",)),
    BrandData("the-north-face", "The North Face", "北面", ("clothing",)),
    BrandData("dyson", "Dyson", "戴森", ("home-appliances",)),
    BrandData("midea", "Midea", "美的", ("home-appliances",)),
    BrandData("haier", "Haier", "海尔", ("home-appliances",)),
    BrandData("ikea", "IKEA", "宜家", ("furniture",)),
    BrandData("muji", "Muji", "无印良品", ("furniture",)),
    BrandData("herman-miller", "Herman Miller", "赫曼米勒", ("furniture",)),
    BrandData("chongqing-press", "Chongqing Publishing House", "重庆出版社", ("books",)),
    BrandData("people-literature", "People's Literature Publishing House", "人民文学出版社", ("books",)),
    BrandData("citic-press", "CITIC Press", "中信出版社", ("books",)),
    BrandData("oreilly", "O'Reilly Media", "", ("books",)),
)


CATALOG_MODELS: tuple[ModelData, ...] = (
    # Phones
    ModelData("apple", "phones", "iPhone 16 Pro 128GB", 7999, 2024),
    ModelData("apple", "phones", "iPhone 15 Pro Max 256GB", 9999, 2023),
    ModelData("apple", "phones", "iPhone 15 Pro 128GB", 7999, 2023),
    ModelData("apple", "phones", "iPhone 15 128GB", 5999, 2023),
    ModelData("apple", "phones", "iPhone 14 Pro 128GB", 7999, 2022),
    ModelData("apple", "phones", "iPhone 14 128GB", 5999, 2022),
    ModelData("apple", "phones", "iPhone 13 128GB", 5999, 2021),
    ModelData("apple", "phones", "iPhone 13 Pro 256GB", 8799, 2021),
    ModelData("apple", "phones", "iPhone 12 128GB", 6799, 2020),
    ModelData("apple", "phones", "iPhone SE (3rd generation) 64GB", 3499, 2022),
    ModelData("huawei", "phones", "Mate 60 Pro 12GB+512GB", 6999, 2023),
    ModelData("huawei", "phones", "Mate 50 Pro 8GB+256GB", 6799, 2022),
    ModelData("huawei", "phones", "P60 Pro 8GB+256GB", 6988, 2023),
    ModelData("huawei", "phones", "Pura 70 Pro 12GB+512GB", 6999, 2024),
    ModelData("huawei", "phones", "nova 11 8GB+256GB", 2999, 2023),
    ModelData("xiaomi", "phones", "Xiaomi 14 12GB+256GB", 4299, 2023),
    ModelData("xiaomi", "phones", "Xiaomi 14 Ultra 12GB+256GB", 6499, 2024),
    ModelData("xiaomi", "phones", "Xiaomi 13 8GB+256GB", 4299, 2022),
    ModelData("xiaomi", "phones", "Redmi K70 12GB+256GB", 2499, 2023),
    ModelData("samsung", "phones", "Galaxy S24 Ultra 12GB+256GB", 9699, 2024),
    ModelData("samsung", "phones", "Galaxy S23 8GB+256GB", 5499, 2023),
    ModelData("samsung", "phones", "Galaxy Z Flip5 8GB+256GB", 7499, 2023),
    ModelData("oppo", "phones", "Find X7 Ultra 12GB+256GB", 5999, 2024),
    ModelData("oppo", "phones", "Reno11 8GB+256GB", 2499, 2023),
    ModelData("vivo", "phones", "X100 Pro 12GB+256GB", 4999, 2023),
    ModelData("vivo", "phones", "X90 8GB+256GB", 3699, 2022),
    # Tablets
    ModelData("apple", "tablets", "iPad Pro 11-inch (M2) 128GB Wi-Fi", 6799, 2022),
    ModelData("apple", "tablets", "iPad Air (5th generation) 64GB Wi-Fi", 4799, 2022),
    ModelData("apple", "tablets", "iPad (10th generation) 64GB Wi-Fi", 3599, 2022),
    ModelData("apple", "tablets", "iPad mini (6th generation) 64GB Wi-Fi", 3799, 2021),
    ModelData("huawei", "tablets", "MatePad Pro 11 8GB+128GB", 3699, 2022),
    ModelData("xiaomi", "tablets", "Xiaomi Pad 6 8GB+128GB", 1999, 2023),
    ModelData("lenovo", "tablets", "Xiaoxin Pad Pro 12.7 8GB+128GB", 2299, 2023, name_zh="小新Pad Pro 12.7"),
    ModelData("samsung", "tablets", "Galaxy Tab S9 8GB+128GB", 5999, 2023),
    # Laptops
    ModelData("apple", "laptops", "MacBook Air 13-inch M2 8GB/256GB", 9499, 2022),
    ModelData("apple", "laptops", "MacBook Air 13-inch M1 8GB/256GB", 7999, 2020),
    ModelData("apple", "laptops", "MacBook Air 15-inch M3 8GB/256GB", 10499, 2024),
    ModelData("apple", "laptops", "MacBook Pro 14-inch M3 Pro 18GB/512GB", 16999, 2023),
    ModelData("apple", "laptops", "MacBook Pro 14-inch M1 Pro 16GB/512GB", 14999, 2021),
    ModelData("lenovo", "laptops", "ThinkPad X1 Carbon Gen 11 i7/16GB/1TB", 12999, 2023),
    ModelData(
        "lenovo", "laptops", "Legion Y9000P 2023 i9/RTX 4060", 9999, 2023, name_zh="拯救者 Y9000P 2023"
    ),
    ModelData("lenovo", "laptops", "Xiaoxin Pro 14 2023 R7/16GB/1TB", 5499, 2023, name_zh="小新 Pro 14 2023"),
    ModelData("dell", "laptops", "XPS 13 9315 i5/16GB/512GB", 8999, 2022),
    ModelData("dell", "laptops", "XPS 15 9530 i7/32GB/1TB", 16999, 2023),
    ModelData("asus", "laptops", "ROG Zephyrus G14 2023 R9/RTX 4060", 11999, 2023, name_zh="ROG 幻14 2023"),
    ModelData("asus", "laptops", "Zenbook 14 OLED i5/16GB/512GB", 5999, 2023),
    ModelData("huawei", "laptops", "MateBook X Pro 2023 i7/16GB/1TB", 11999, 2023),
    # Cameras
    ModelData("sony", "cameras", "Alpha 7 IV body", 16999, 2021, name_zh="A7M4 单机身"),
    ModelData("sony", "cameras", "Alpha 7C II body", 14999, 2023, name_zh="A7C2 单机身"),
    ModelData("sony", "cameras", "ZV-E10 with 16-50mm kit lens", 5299, 2021),
    ModelData("sony", "cameras", "RX100 VII", 8499, 2019, name_zh="黑卡7"),
    ModelData("canon", "cameras", "EOS R6 Mark II body", 15999, 2022),
    ModelData("canon", "cameras", "EOS R50 with RF-S 18-45mm kit", 5699, 2023),
    ModelData("canon", "cameras", "EOS 5D Mark IV body", 21999, 2016),
    ModelData("nikon", "cameras", "Z 6II body", 12999, 2020),
    ModelData("nikon", "cameras", "Z f body", 15999, 2023),
    ModelData("fujifilm", "cameras", "X100V", 8990, 2020),
    ModelData("fujifilm", "cameras", "X-T5 body", 12690, 2022),
    ModelData("fujifilm", "cameras", "X-S20 body", 8990, 2023),
    ModelData("dji", "cameras", "Osmo Pocket 3", 3499, 2023),
    # Game consoles
    ModelData("nintendo", "game-consoles", "Switch OLED", 2599, 2021),
    ModelData("nintendo", "game-consoles", "Switch Lite", 1499, 2019),
    ModelData("sony", "game-consoles", "PlayStation 5 (disc edition)", 3899, 2021),
    ModelData("sony", "game-consoles", "PlayStation 5 Slim (digital edition)", 3099, 2023),
    # Bags
    ModelData("louis-vuitton", "bags", "Neverfull MM Monogram", 14800, 2023),
    ModelData("louis-vuitton", "bags", "Speedy Bandoulière 25 Monogram", 13300, 2023),
    ModelData("louis-vuitton", "bags", "Alma BB Monogram", 13100, 2023),
    ModelData("gucci", "bags", "GG Marmont small matelassé shoulder bag", 17900, 2023),
    ModelData("gucci", "bags", "Jackie 1961 small shoulder bag", 22900, 2023),
    ModelData("chanel", "bags", "Classic Flap Medium caviar", 78400, 2023, name_zh="CF 中号 荔枝皮"),
    ModelData("chanel", "bags", "Chanel 22 small handbag", 45300, 2023),
    ModelData("hermes", "bags", "Birkin 25 Togo", 85100, 2023),
    ModelData("hermes", "bags", "Picotin Lock 18 Clemence", 23300, 2023),
    ModelData("coach", "bags", "Tabby shoulder bag 26", 3900, 2022),
    ModelData("coach", "bags", "Willow tote 24", 3500, 2023),
    # Watches
    ModelData("rolex", "watches", "Submariner Date 126610LN", 76600, 2020, name_zh="黑水鬼 126610LN"),
    ModelData("rolex", "watches", "Datejust 41 126334 blue dial", 80600, 2021),
    ModelData("rolex", "watches", "GMT-Master II 126710BLRO", 85600, 2021, name_zh="百事圈 126710BLRO"),
    ModelData("omega", "watches", "Speedmaster Moonwatch Professional 310.30.42.50.01.001", 52400, 2021),
    ModelData("omega", "watches", "Seamaster Diver 300M 210.30.42.20.01.001", 42500, 2019),
    ModelData("cartier", "watches", "Santos de Cartier medium steel", 51000, 2021),
    ModelData("cartier", "watches", "Tank Must large", 22400, 2021),
    ModelData("tudor", "watches", "Black Bay Fifty-Eight M79030N", 27900, 2018),
    ModelData("tudor", "watches", "Ranger M79950", 21900, 2022),
    ModelData("seiko", "watches", "Presage Cocktail Time SRPB43", 3600, 2017),
    ModelData("seiko", "watches", "Prospex SPB143", 8900, 2020),
    # Jewelry
    ModelData("cartier", "jewelry", "Love bracelet yellow gold", 57600, 2023),
    ModelData("cartier", "jewelry", "Juste un Clou bracelet rose gold", 55300, 2023),
    ModelData("tiffany", "jewelry", "Return to Tiffany heart tag pendant silver", 2650, 2023),
    ModelData("tiffany", "jewelry", "Tiffany T Wire bracelet 18k gold", 16900, 2023),
    ModelData(
        "van-cleef-arpels", "jewelry", "Vintage Alhambra pendant yellow gold mother-of-pearl", 23800, 2023
    ),
    # Sneakers
    ModelData("nike", "sneakers", "Air Jordan 1 High OG", 1299, 2021),
    ModelData("nike", "sneakers", "Dunk Low Retro Panda", 799, 2021),
    ModelData("nike", "sneakers", "Air Force 1 '07", 799, 2019),
    ModelData("nike", "sneakers", "Air Max 97", 1299, 2017),
    ModelData("adidas", "sneakers", "Samba OG", 899, 2022),
    ModelData("adidas", "sneakers", "Ultraboost Light", 1499, 2023),
    ModelData("adidas", "sneakers", "Yeezy Boost 350 V2", 1899, 2019),
    ModelData("new-balance", "sneakers", "990v6", 1999, 2022),
    ModelData("new-balance", "sneakers", "2002R", 1099, 2021),
    ModelData("new-balance", "sneakers", "550", 799, 2020),
    ModelData("li-ning", "sneakers", "Way of Wade 10", 1599, 2022, name_zh="韦德之道10"),
    # Clothing
    ModelData("uniqlo", "clothing", "Ultra Light Down jacket", 499, 2022, drawing="jacket"),
    ModelData("uniqlo", "clothing", "U crew neck T-shirt", 99, 2023, drawing="tshirt"),
    ModelData("uniqlo", "clothing", "Cashmere crew neck sweater", 599, 2022, drawing="sweater"),
    ModelData("arcteryx", "clothing", "Beta LT jacket", 4500, 2022, drawing="jacket"),
    ModelData("arcteryx", "clothing", "Atom hoody", 2500, 2022, drawing="jacket"),
    ModelData("arcteryx", "clothing", "Alpha SV jacket", 6800, 2022, drawing="jacket"),
    ModelData("the-north-face", "clothing", "1996 Retro Nuptse jacket", 2298, 2022, drawing="jacket"),
    # Home appliances
    ModelData("dyson", "home-appliances", "V12 Detect Slim", 4490, 2021, drawing="vacuum"),
    ModelData("dyson", "home-appliances", "Supersonic HD08 hair dryer", 2999, 2020, drawing="hairdryer"),
    ModelData("dyson", "home-appliances", "Airwrap Complete Long", 4599, 2022, drawing="hairdryer"),
    ModelData("dyson", "home-appliances", "Purifier Cool TP07", 4990, 2021, drawing="purifier"),
    ModelData("xiaomi", "home-appliances", "Mijia Robot Vacuum X10+", 3999, 2022, drawing="robot"),
    ModelData("midea", "home-appliances", "Smart air fryer 5L KZE5004", 299, 2022, drawing="airfryer"),
    ModelData(
        "midea", "home-appliances", "1.5 HP inverter air conditioner KFR-35GW", 2999, 2022, drawing="aircon"
    ),
    ModelData(
        "haier", "home-appliances", "10 kg front-load washer EG100MATE2S", 2999, 2022, drawing="washer"
    ),
    ModelData(
        "haier", "home-appliances", "470 L French-door refrigerator BCD-470", 4999, 2022, drawing="fridge"
    ),
    # Furniture
    ModelData("ikea", "furniture", "POÄNG armchair", 749, 2020, drawing="chair"),
    ModelData("ikea", "furniture", "MALM chest of 6 drawers", 1299, 2019, drawing="drawers"),
    ModelData("ikea", "furniture", "KALLAX shelving unit 4x4", 999, 2019, drawing="shelf"),
    ModelData("ikea", "furniture", "BILLY bookcase", 399, 2019, drawing="shelf"),
    ModelData("muji", "furniture", "Oak desk 110 cm", 2950, 2021, drawing="desk"),
    ModelData("muji", "furniture", "Oak stacking shelf 3x2", 2450, 2021, drawing="shelf"),
    ModelData("herman-miller", "furniture", "Aeron chair size B", 12800, 2020, drawing="chair"),
    # Books
    ModelData(
        "chongqing-press", "books", "The Three-Body Problem trilogy box set", 168, 2008, name_zh="三体 全三册"
    ),
    ModelData(
        "people-literature", "books", "Harry Potter 7-book set (Chinese)", 498, 2020, name_zh="哈利·波特 全集"
    ),
    ModelData(
        "people-literature",
        "books",
        "Dream of the Red Chamber (2 volumes)",
        59,
        2008,
        name_zh="红楼梦 上下册",
    ),
    ModelData(
        "citic-press",
        "books",
        "Sapiens: A Brief History of Humankind (Chinese)",
        68,
        2017,
        name_zh="人类简史",
    ),
    ModelData("oreilly", "books", "Designing Data-Intensive Applications", 399, 2017),
    ModelData("oreilly", "books", "Fluent Python, 2nd edition", 549, 2022),
)


# --- Words for demo listings ------------------------------------------------------------------------

# (English, Chinese, RGB hex used by the drawing) per leaf category.
COLOURS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "phones": (
        ("Natural Titanium", "原色钛金属", "#8c8780"),
        ("Black", "黑色", "#2a2a2d"),
        ("Midnight", "午夜色", "#232a35"),
        ("Starlight", "星光色", "#ece4d8"),
        ("Blue", "蓝色", "#3c5a7d"),
        ("Green", "绿色", "#5c7062"),
        ("Pink", "粉色", "#efc9cf"),
        ("Purple", "紫色", "#7c6a8f"),
        ("White", "白色", "#f1f0ec"),
    ),
    "tablets": (
        ("Space Grey", "深空灰色", "#55575c"),
        ("Silver", "银色", "#d9dadc"),
        ("Blue", "蓝色", "#7f9cbc"),
        ("Starlight", "星光色", "#e8dfd1"),
    ),
    "laptops": (
        ("Space Grey", "深空灰色", "#5b5d62"),
        ("Silver", "银色", "#cfd1d4"),
        ("Midnight", "午夜色", "#2b3038"),
        ("Black", "黑色", "#232323"),
    ),
    "cameras": (("Black", "黑色", "#1f1f21"), ("Silver", "银色", "#bfc0c2")),
    "game-consoles": (
        ("White", "白色", "#f2f2f2"),
        ("Neon red/blue", "红蓝", "#e8453c"),
        ("Grey", "灰色", "#7b7d82"),
    ),
    "bags": (
        ("Monogram", "经典老花", "#7a5535"),
        ("Black", "黑色", "#1d1c1c"),
        ("Beige", "米色", "#d8c3a5"),
        ("Burgundy", "酒红色", "#6e1f2b"),
        ("Gold", "金棕色", "#a8733b"),
    ),
    "watches": (
        ("black dial", "黑盘", "#151515"),
        ("blue dial", "蓝盘", "#1d3a6b"),
        ("green dial", "绿盘", "#1e4d3a"),
        ("silver dial", "银盘", "#d8d8d4"),
    ),
    "jewelry": (
        ("yellow gold", "黄金", "#d4a94f"),
        ("rose gold", "玫瑰金", "#d9a08a"),
        ("white gold", "白金", "#d8d8d8"),
        ("silver", "银色", "#cfd2d6"),
    ),
    "sneakers": (
        ("White/Black", "黑白", "#f4f4f4"),
        ("Chicago", "芝加哥", "#c8202f"),
        ("Grey", "元祖灰", "#9a9a9c"),
        ("Navy", "藏青", "#263657"),
        ("Cream", "奶油白", "#efe6d2"),
    ),
    "clothing": (
        ("Black", "黑色", "#202022"),
        ("Navy", "藏青", "#27334f"),
        ("Olive", "橄榄绿", "#5f6a45"),
        ("Orange", "橙色", "#d8692f"),
        ("Grey", "灰色", "#8d8f93"),
    ),
    "home-appliances": (
        ("White", "白色", "#efefef"),
        ("Nickel/Copper", "镍铜色", "#b07a5a"),
        ("Grey", "灰色", "#9da0a4"),
    ),
    "furniture": (
        ("Birch", "桦木", "#d9bd8f"),
        ("Oak", "橡木", "#c49a66"),
        ("White", "白色", "#efece6"),
        ("Black", "黑色", "#333333"),
    ),
    "books": (
        ("Paperback", "平装", "#2f5d8a"),
        ("Hardcover", "精装", "#8a2f2f"),
        ("Box set", "套装", "#35503c"),
    ),
}

# Finishes that belong to particular models and are used only when the model's name says so.
NAMED_ONLY_COLOURS = frozenset({"Monogram"})

SIZES: dict[str, tuple[str, ...]] = {
    "sneakers": ("EU 38", "EU 39", "EU 40", "EU 41", "EU 42", "EU 42.5", "EU 43", "EU 44", "EU 45"),
    "clothing": ("S", "M", "L", "XL"),
}

# A detail a seller adds to the title, by leaf category: (English, Chinese).
TITLE_DETAILS: dict[str, tuple[tuple[str, str], ...]] = {
    "phones": (
        ("battery {battery}%", "电池{battery}%"),
        ("unlocked, battery {battery}%", "全网通 电池{battery}%"),
        ("with case and charger", "送壳送充电器"),
        ("original box", "原盒在"),
    ),
    "tablets": (
        ("with Apple Pencil", "送笔"),
        ("with keyboard cover", "送键盘"),
        ("battery {battery}%", "电池{battery}%"),
    ),
    "laptops": (
        ("{cycles} battery cycles", "循环{cycles}次"),
        ("with charger", "带原装充电器"),
        ("boxed", "带盒"),
    ),
    "cameras": (
        ("{shutter} shutter count", "快门{shutter}次"),
        ("with 2 batteries", "两电一充"),
        ("boxed", "全套包装"),
    ),
    "game-consoles": (
        ("with 2 controllers", "双手柄"),
        ("boxed, with 3 games", "带盒送三个游戏"),
        ("console only", "单机"),
    ),
    "bags": (("with dust bag", "带防尘袋"), ("full set with receipt", "全套带小票"), ("{year}", "{year}年")),
    "watches": (
        ("box and papers {year}", "{year}年 卡盒齐全"),
        ("serviced {year}", "{year}年保养"),
        ("watch only", "单表"),
    ),
    "jewelry": (
        ("size {ring}", "{ring}号"),
        ("with box and certificate", "证书盒子齐全"),
        ("{year}", "{year}年购"),
    ),
    "sneakers": (
        ("{size}", "{size}"),
        ("{size}, boxed", "{size} 带盒"),
        ("{size}, worn twice", "{size} 只穿过两次"),
    ),
    "clothing": (("size {size}", "{size}码"), ("size {size}, with tags", "{size}码 吊牌在")),
    "home-appliances": (
        ("with all attachments", "配件齐全"),
        ("boxed", "带包装"),
        ("bought {year}", "{year}年购入"),
    ),
    "furniture": (("collection only", "限自提"), ("assembled", "已组装"), ("bought {year}", "{year}年购入")),
    "books": (("like new", "几乎全新"), ("first printing", "首印版"), ("with bookmarks", "送书签")),
}

# What a seller says about the item's condition, by grade: (English, Chinese).
CONDITION_NOTES: dict[str, tuple[tuple[str, str], ...]] = {
    Grade.NEW: (
        ("Brand new, never opened. Still sealed in its original packaging.", "全新未拆封，包装完好。"),
        ("Unused gift, all tags and accessories included.", "朋友送的礼物，全新未用，配件吊牌齐全。"),
    ),
    Grade.LIKE_NEW: (
        ("Used for a few weeks and kept in a case; no marks anywhere.", "仅使用几周，一直戴壳，无任何划痕。"),
        ("Like new: I can't find a single mark on it.", "99新，找不到任何使用痕迹。"),
    ),
    Grade.EXCELLENT: (
        ("Faint hairline marks you only see under a lamp. Works perfectly.", "灯光下有细微划痕，功能完美。"),
        ("Very lightly used, looked after carefully.", "轻度使用，一直很爱惜。"),
    ),
    Grade.VERY_GOOD: (
        ("Light wear on the edges, nothing that affects use.", "边角有轻微磨损，不影响使用。"),
        ("Some small scuffs from daily use; everything works.", "日常使用有小划痕，功能正常。"),
    ),
    Grade.GOOD: (
        (
            "Clear signs of use: scratches and a small dent, photographed. Fully working.",
            "有明显使用痕迹和小磕碰，已拍照，功能完好。",
        ),
        ("Used daily for two years, scuffs visible, works fine.", "日常用了两年，有磨损，功能正常。"),
    ),
    Grade.FAIR: (
        (
            "Heavy wear, and one fault described below; priced accordingly.",
            "成色一般，有一处小毛病（见下文），价格已体现。",
        ),
        ("Well used, cosmetic damage, sold as is.", "使用痕迹重，外观有损，按现状出售。"),
    ),
}

FAULTS: dict[str, tuple[str, ...]] = {
    "phones": (
        "Face ID does not work.",
        "The battery has been replaced by a repair shop.",
        "A small crack in the corner of the back glass.",
    ),
    "tablets": ("A bright spot in the lower left of the screen.", "The charging port is a bit loose."),
    "laptops": (
        "Battery needs service according to the system.",
        "Two keys are shiny from wear.",
        "A dent on the lid corner.",
    ),
    "cameras": ("Rubber grip is lifting a little.", "Slight dust on the sensor, does not show at f/8."),
    "game-consoles": ("Left stick drifts slightly.", "Fan is a little loud under load."),
    "bags": ("Corners are worn through to the canvas.", "Handles have darkened (patina)."),
    "watches": ("Runs about +12 s/day; due for a service.", "Deep scratch on the clasp."),
    "jewelry": ("Small dent on the inside.", "Clasp is stiff."),
    "sneakers": ("Sole yellowing.", "Heel drag on the right shoe."),
    "clothing": ("A small repaired tear on the sleeve.", "Some pilling."),
    "home-appliances": (
        "Battery lasts about half as long as new.",
        "A crack on the outer casing, does not affect use.",
    ),
    "furniture": ("A water ring on the top.", "One drawer runner is stiff."),
    "books": ("Notes in pencil on some pages.", "Spine is creased."),
}

SELLER_LINES: tuple[tuple[str, str], ...] = (
    ("Selling because I upgraded.", "换新了所以出。"),
    ("Moving to another city, must go.", "搬家急出。"),
    ("Non-smoking home, no pets.", "无烟无宠家庭。"),
    ("Happy to answer questions; more photos on request.", "有问题随时问，可加拍细节图。"),
    ("Ships within 48 hours.", "48小时内发货。"),
    ("Bought from the official store, receipt available.", "官方渠道购买，有发票。"),
)

# Items without a catalog model, per leaf: (English title, Chinese title, typical price in CNY).
GENERIC_ITEMS: dict[str, tuple[tuple[str, str, int], ...]] = {
    "phones": (("Phone lot: three old handsets for parts", "三台旧手机打包 当配件机", 150),),
    "cameras": (("Vintage film camera, 35mm rangefinder", "老式135旁轴胶片相机", 680),),
    "bags": (("Leather crossbody bag, unbranded", "真皮斜挎包 无品牌", 260),),
    "jewelry": (("Sterling silver bangle", "925银手镯", 320),),
    "clothing": (
        ("Wool overcoat, tailored", "定制羊毛大衣", 900),
        ("Vintage denim jacket", "复古牛仔外套", 220),
    ),
    "furniture": (("Solid wood side table", "实木边几", 300), ("Rattan armchair", "藤编扶手椅", 450)),
    "books": (
        ("Box of 20 English paperbacks", "英文小说20本打包", 120),
        ("Python and algorithms textbooks, 5 books", "Python与算法教材5本", 150),
    ),
    "home-appliances": (("Electric kettle 1.7 L", "电热水壶 1.7升", 60),),
}


# --- Pricing ---------------------------------------------------------------------------------------

# Share of the launch price a used item keeps, by grade.
# Keyed by grade code: a Grade or its stored string finds the same entry.
GRADE_VALUE: dict[str, float] = {
    Grade.NEW: 0.93,
    Grade.LIKE_NEW: 0.85,
    Grade.EXCELLENT: 0.78,
    Grade.VERY_GOOD: 0.70,
    Grade.GOOD: 0.60,
    Grade.FAIR: 0.45,
}

# Share of value kept per year since launch, by top-level category. Phones lose about a fifth a year;
# classic luxury pieces barely move (boutique prices rise while used ones follow).
YEARLY_RETENTION = {
    "electronics": 0.80,
    "luxury": 0.97,
    "fashion": 0.88,
    "home": 0.85,
    "books-media": 0.92,
}

# How listings spread over leaf categories (weights), roughly what a general resale channel carries.
LISTING_SHARE = {
    "phones": 18,
    "tablets": 5,
    "laptops": 8,
    "cameras": 7,
    "game-consoles": 3,
    "bags": 9,
    "watches": 7,
    "jewelry": 4,
    "sneakers": 10,
    "clothing": 8,
    "home-appliances": 8,
    "furniture": 7,
    "books": 6,
}

# Weights for grades in demo data: most second-hand items are A or B.
GRADE_WEIGHTS = {
    Grade.NEW: 5,
    Grade.LIKE_NEW: 15,
    Grade.EXCELLENT: 30,
    Grade.VERY_GOOD: 25,
    Grade.GOOD: 15,
    Grade.FAIR: 10,
}


def leaf_categories() -> list[tuple[CategoryData, CategoryData]]:
    """Every (top-level, leaf) pair in tree order."""
    return [(top, leaf) for top in CATEGORY_TREE for leaf in top.children]


def top_of(leaf_slug: str) -> CategoryData:
    for top, leaf in leaf_categories():
        if leaf.slug == leaf_slug:
            return top
    raise KeyError(leaf_slug)


def drawing_for(model: ModelData | None, leaf_slug: str) -> str:
    if model is not None and model.drawing:
        return model.drawing
    for _top, leaf in leaf_categories():
        if leaf.slug == leaf_slug:
            return leaf.drawing
    raise KeyError(leaf_slug)


def nice_price(value: float) -> Decimal:
    """Round the way sellers do: 4,299 rather than 4,312.57; 389 rather than 391.2."""
    if value >= 1000:
        return Decimal(max(round(value / 100) * 100 - 1, 999))
    if value >= 100:
        return Decimal(max(round(value / 10) * 10 - 1, 99))
    return Decimal(max(round(value), 5))


def used_price(
    *, launch_price: int, launch_year: int, leaf_slug: str, grade: str, rng: random.Random, today: date
) -> Decimal:
    """A plausible asking price: launch price, less age and wear, with a seller's own judgement."""
    years = max((today - date(launch_year, 9, 1)).days / 365.25, 0.0)
    retention = YEARLY_RETENTION[top_of(leaf_slug).slug] ** years
    value = launch_price * GRADE_VALUE[grade] * retention * rng.uniform(0.9, 1.06)
    return min(nice_price(value), nice_price(launch_price * 0.97))


def pick_grade(rng: random.Random) -> str:
    grades = list(GRADE_WEIGHTS)
    return rng.choices(grades, weights=[GRADE_WEIGHTS[g] for g in grades])[0]


@dataclass(frozen=True)
class DemoItem:
    """What one demo listing says, before it is written anywhere."""

    leaf: str
    model: ModelData | None
    title: str
    description: str
    price: Decimal
    reference_price: Decimal | None
    grade: str
    colour_hex: str
    drawing: str


def _fill(template: str, rng: random.Random, leaf_slug: str, today: date) -> str:
    return template.format(
        battery=rng.randint(78, 100),
        cycles=rng.randint(12, 420),
        shutter=f"{rng.randint(2, 60) * 1000:,}",
        year=rng.randint(max(today.year - 5, 2015), today.year),
        size=rng.choice(SIZES.get(leaf_slug, ("M",))),
        ring=rng.randint(15, 19),
    )


def demo_item(
    rng: random.Random, *, leaf_slug: str, model: ModelData | None, today: date, chinese: bool
) -> DemoItem:
    """Compose one listing's title, description, grade and price, as a seller would write them."""
    grade = pick_grade(rng)
    colour_en, colour_zh, colour_hex = rng.choice(
        [c for c in COLOURS[leaf_slug] if c[0] not in NAMED_ONLY_COLOURS]
    )
    if model is not None:
        # A model whose name states its colour or metal ("blue dial", "Monogram", "rose gold") has it.
        named = [c for c in COLOURS[leaf_slug] if c[0].lower() in model.name.lower()]
        if named:
            colour_en, colour_zh, colour_hex = max(named, key=lambda c: len(c[0]))
    details = TITLE_DETAILS[leaf_slug]
    if model is not None and "pendant" in model.name:  # a pendant has no ring size
        details = tuple(d for d in details if "{ring}" not in d[0])
    detail_en, detail_zh = rng.choice(details)
    detail = _fill(detail_zh if chinese else detail_en, rng, leaf_slug, today)
    if model is not None:
        brand = next(b for b in BRANDS if b.slug == model.brand)
        # Sellers name the brand unless the model name already carries it; books go by their title.
        name_en = (
            model.name
            if leaf_slug == "books" or model.name.startswith(brand.name)
            else f"{brand.name} {model.name}"
        )
        name_zh = model.name_zh or model.name
        if leaf_slug != "books" and not name_zh.startswith(brand.name):
            name_zh = f"{brand.name_zh or brand.name} {name_zh}"
        # A colour the model's name already states ("blue dial", "Monogram") is not said twice.
        if colour_en.lower() in model.name.lower():
            title = f"{name_zh} {detail}" if chinese else f"{name_en}, {detail}"
        else:
            title = f"{name_zh} {colour_zh} {detail}" if chinese else f"{name_en}, {colour_en}, {detail}"
        price = used_price(
            launch_price=model.launch_price,
            launch_year=model.launch_year,
            leaf_slug=leaf_slug,
            grade=grade,
            rng=rng,
            today=today,
        )
        reference_price = Decimal(model.launch_price)
    else:
        title_en, title_zh, typical = rng.choice(GENERIC_ITEMS[leaf_slug])
        title = f"{title_zh} {detail}" if chinese else f"{title_en}, {detail}"
        price = nice_price(
            typical * GRADE_VALUE[grade] / GRADE_VALUE[Grade.EXCELLENT] * rng.uniform(0.8, 1.2)
        )
        reference_price = None

    note_en, note_zh = rng.choice(CONDITION_NOTES[grade])
    line_en, line_zh = rng.choice(SELLER_LINES)
    parts = [note_zh if chinese else note_en]
    if grade == Grade.FAIR:
        parts.append(rng.choice(FAULTS[leaf_slug]))
    parts.append(line_zh if chinese else line_en)
    if model is not None and not chinese:
        parts.append(f"Colour: {colour_en}. Launched in {model.launch_year}.")
    description = "\n\n".join(parts)
    return DemoItem(
        leaf=leaf_slug,
        model=model,
        title=title[:120],
        description=description,
        price=price,
        reference_price=reference_price,
        grade=grade,
        colour_hex=colour_hex,
        drawing=drawing_for(model, leaf_slug),
    )


# --- Loading ---------------------------------------------------------------------------------------


@dataclass
class LoadedCatalog:
    categories: dict[str, Category]
    brands: dict[str, Brand]
    models: dict[tuple[str, str], CatalogModel]  # (brand slug, model name) -> row
    created: int


def load_catalog() -> LoadedCatalog:
    """Create the category tree, brands and catalog models that are missing; never duplicates.

    Existing rows keep any edits staff made to them; only what is missing is added.
    """
    created = 0
    categories: dict[str, Category] = {}
    for top_position, top in enumerate(CATEGORY_TREE):
        parent, made = Category.objects.get_or_create(
            slug=top.slug,
            defaults={
                "name": top.name,
                "name_zh": top.name_zh,
                "position": top_position,
                "is_luxury": top.is_luxury,
            },
        )
        created += made
        categories[top.slug] = parent
        for position, leaf in enumerate(top.children):
            child, made = Category.objects.get_or_create(
                slug=leaf.slug,
                defaults={
                    "name": leaf.name,
                    "name_zh": leaf.name_zh,
                    "parent": parent,
                    "position": position,
                    "is_luxury": leaf.is_luxury,
                },
            )
            created += made
            categories[leaf.slug] = child

    brands: dict[str, Brand] = {}
    for data in BRANDS:
        brand, made = Brand.objects.get_or_create(
            slug=data.slug, defaults={"name": data.name, "name_zh": data.name_zh}
        )
        created += made
        if made:
            brand.categories.set([categories[slug] for slug in data.categories])
        brands[data.slug] = brand

    models: dict[tuple[str, str], CatalogModel] = {}
    for model_data in CATALOG_MODELS:
        row, made = CatalogModel.objects.get_or_create(
            brand=brands[model_data.brand],
            name=model_data.name,
            defaults={
                "category": categories[model_data.category],
                "launch_price": Decimal(model_data.launch_price),
                "launch_year": model_data.launch_year,
            },
        )
        created += made
        models[(model_data.brand, model_data.name)] = row
    return LoadedCatalog(categories=categories, brands=brands, models=models, created=created)
