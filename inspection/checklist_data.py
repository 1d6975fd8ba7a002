"""Version 1 of every category's inspection checklist, as data.

What a professional refurbisher or luxury authenticator checks, one tuple of checks per leaf category
slug (see listings/catalog_data.py). `inspection.checklists.checklists_load()` turns this into
`Checklist` version 1 rows; once an inspection has used a version it never changes again, so editing
this file affects only categories that have no checklist yet (or, with `load_checklists --update`,
adds a new version).

Check codes are stable slugs: grading rules (inspection/grading.py) and reports refer to them. Labels
are data in both languages, not translation strings: staff edit them in the admin per version.

Severity is what a defect on that check means for the item:
- critical: the item cannot be sold as is (locked, blacklisted, counterfeit marker, unsafe);
- major: a clear fault or heavy wear; the grade drops a lot;
- minor: cosmetic or small; the grade drops a little.
"""

# Chinese labels use full-width Chinese punctuation.
# ruff: noqa: RUF001

from dataclasses import dataclass
from decimal import Decimal

CRITICAL = "critical"
MAJOR = "major"
MINOR = "minor"

NONE = "none"
NUMBER = "number"
TEXT = "text"


@dataclass(frozen=True)
class CheckData:
    code: str
    group: str  # a key of GROUPS
    severity: str  # critical, major or minor
    label: str
    label_zh: str
    measure: str = NONE  # none, number or text
    unit: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None


def number_check(
    code: str,
    group: str,
    severity: str,
    label: str,
    label_zh: str,
    *,
    unit: str = "",
    low: str | None = None,
    high: str | None = None,
) -> CheckData:
    return CheckData(
        code,
        group,
        severity,
        label,
        label_zh,
        measure=NUMBER,
        unit=unit,
        min_value=None if low is None else Decimal(low),
        max_value=None if high is None else Decimal(high),
    )


def text_check(code: str, group: str, severity: str, label: str, label_zh: str) -> CheckData:
    return CheckData(code, group, severity, label, label_zh, measure=TEXT)


# Group keys are stored on each check; their labels, in both languages, are data like check labels.
GROUPS: dict[str, tuple[str, str]] = {
    "identity": ("Identity and locks", "身份与锁定"),
    "appearance": ("Appearance", "外观"),
    "screen": ("Screen", "屏幕"),
    "function": ("Function", "功能"),
    "connectivity": ("Connectivity", "网络与连接"),
    "battery": ("Battery and charging", "电池与充电"),
    "repair-history": ("Repair history", "维修历史"),
    "keyboard": ("Keyboard and trackpad", "键盘与触控板"),
    "sensor": ("Sensor and shutter", "传感器与快门"),
    "lens": ("Lens and mount", "镜头与卡口"),
    "controls": ("Controls and viewfinder", "操作与取景器"),
    "authenticity": ("Authenticity markers", "鉴定要点"),
    "materials": ("Materials and wear", "材质与磨损"),
    "hardware": ("Hardware", "五金"),
    "movement": ("Movement", "机芯"),
    "case": ("Case and bracelet", "表壳与表带"),
    "set": ("Box, papers and accessories", "配件与凭证"),
    "fit": ("Size and fit", "尺码与版型"),
    "cleanliness": ("Cleanliness and odour", "清洁与气味"),
    "safety": ("Electrical safety", "用电安全"),
    "structure": ("Structure", "结构"),
    "content": ("Content", "内容"),
}


PHONES: tuple[CheckData, ...] = (
    # Identity and locks: any of these fails the item, whatever its condition.
    CheckData(
        "activation-lock-off",
        "identity",
        CRITICAL,
        "Activation lock / Find My / Google FRP is off",
        "激活锁 / 查找我的手机 / 谷歌账户锁已关闭",
    ),
    text_check(
        "imei-recorded", "identity", CRITICAL, "IMEI recorded (from *#06#)", "已记录IMEI（拨*#06#查看）"
    ),
    CheckData(
        "imei-not-blacklisted",
        "identity",
        CRITICAL,
        "IMEI not blacklisted, lost or stolen",
        "IMEI未被列入黑名单、未挂失",
    ),
    CheckData(
        "imei-matches-tray", "identity", MAJOR, "IMEI matches the SIM tray and box", "IMEI与卡托、包装盒一致"
    ),
    CheckData("carrier-unlocked", "identity", MAJOR, "Not locked to a carrier", "无运营商锁（全网通）"),
    CheckData(
        "mdm-profile-absent", "identity", CRITICAL, "No MDM / supervision profile", "无企业监管（MDM）配置"
    ),
    CheckData(
        "factory-reset",
        "identity",
        MAJOR,
        "Factory reset, no previous owner's data",
        "已恢复出厂设置，无前任机主数据",
    ),
    number_check(
        "storage-capacity",
        "identity",
        MAJOR,
        "Storage capacity verified",
        "存储容量核实",
        unit="GB",
        low="1",
        high="4096",
    ),
    CheckData(
        "model-number-matches", "identity", MAJOR, "Model number matches the declared model", "型号与申报一致"
    ),
    # Appearance
    CheckData(
        "screen-glass-scratches", "appearance", MINOR, "Screen glass free of scratches", "屏幕玻璃无划痕"
    ),
    CheckData(
        "screen-glass-cracks",
        "appearance",
        MAJOR,
        "Screen glass free of cracks and chips",
        "屏幕玻璃无碎裂、崩边",
    ),
    CheckData("back-glass-cracks", "appearance", MAJOR, "Back glass free of cracks", "后盖玻璃无碎裂"),
    CheckData("back-scratches", "appearance", MINOR, "Back free of scratches and scuffs", "后盖无划痕、磨损"),
    CheckData("frame-dents", "appearance", MINOR, "Frame free of dents and dings", "边框无磕碰、凹痕"),
    CheckData(
        "frame-scratches", "appearance", MINOR, "Frame free of scratches and paint loss", "边框无划痕、掉漆"
    ),
    CheckData("frame-bent", "appearance", MAJOR, "Body not bent or warped", "机身无弯曲、变形"),
    CheckData(
        "camera-lens-glass", "appearance", MAJOR, "Rear camera lens covers free of cracks", "后摄镜片无碎裂"
    ),
    CheckData(
        "camera-lens-scratches",
        "appearance",
        MINOR,
        "Camera lens covers free of scratches",
        "摄像头镜片无划痕",
    ),
    CheckData(
        "ports-clean",
        "appearance",
        MINOR,
        "Ports and grilles clean, free of debris",
        "接口与听筒网清洁无异物",
    ),
    CheckData(
        "buttons-intact", "appearance", MINOR, "Buttons present, flush and undamaged", "按键齐全、平整无损"
    ),
    # Screen
    CheckData("dead-pixels", "screen", MAJOR, "No dead or stuck pixels", "无坏点、亮点"),
    CheckData("burn-in", "screen", MAJOR, "No burn-in or image retention", "无烧屏、残影"),
    CheckData("touch-all-zones", "screen", MAJOR, "Touch responds in every zone", "全屏触控灵敏无断触"),
    CheckData("multi-touch", "screen", MAJOR, "Multi-touch and gestures work", "多点触控与手势正常"),
    CheckData(
        "brightness-uniformity",
        "screen",
        MINOR,
        "Brightness uniform, no clouding or shadows",
        "亮度均匀，无漏光、阴影",
    ),
    CheckData("colour-tint", "screen", MINOR, "No colour tint, banding or green lines", "无偏色、色带、绿线"),
    CheckData("true-tone", "screen", MINOR, "True Tone / auto colour available", "原彩显示 / 自动色温可用"),
    CheckData(
        "auto-brightness", "screen", MINOR, "Ambient light sensor adjusts brightness", "自动亮度调节正常"
    ),
    CheckData(
        "high-refresh-rate",
        "screen",
        MINOR,
        "High refresh rate works (where fitted)",
        "高刷新率正常（如支持）",
    ),
    # Function
    CheckData(
        "face-id", "function", MAJOR, "Face ID / face unlock enrols and unlocks", "面容识别可录入并解锁"
    ),
    CheckData(
        "touch-id", "function", MAJOR, "Touch ID / fingerprint enrols and unlocks", "指纹识别可录入并解锁"
    ),
    CheckData(
        "rear-camera-main", "function", MAJOR, "Rear main camera: photo and video", "后置主摄拍照、录像正常"
    ),
    CheckData("rear-camera-ultrawide", "function", MAJOR, "Rear ultra-wide camera", "后置超广角摄像头正常"),
    CheckData(
        "rear-camera-telephoto",
        "function",
        MAJOR,
        "Rear telephoto camera (where fitted)",
        "后置长焦摄像头正常（如有）",
    ),
    CheckData("front-camera", "function", MAJOR, "Front camera: photo and video", "前置摄像头拍照、录像正常"),
    CheckData(
        "autofocus", "function", MAJOR, "Autofocus locks near and far, no shake", "对焦远近正常，无抖动异响"
    ),
    CheckData(
        "optical-stabilisation",
        "function",
        MINOR,
        "Optical stabilisation works, no rattle",
        "光学防抖正常，无异响",
    ),
    CheckData("flash", "function", MINOR, "Flash and torch", "闪光灯与手电筒正常"),
    CheckData(
        "speaker-bottom",
        "function",
        MAJOR,
        "Bottom speaker clear at full volume",
        "底部扬声器满音量清晰无破音",
    ),
    CheckData("speaker-top", "function", MINOR, "Top (stereo) speaker", "顶部（立体声）扬声器正常"),
    CheckData("earpiece", "function", MAJOR, "Earpiece in calls", "通话听筒正常"),
    CheckData("microphone-bottom", "function", MAJOR, "Bottom microphone (calls)", "底部麦克风（通话）正常"),
    CheckData("microphone-top", "function", MINOR, "Top microphone (noise cancelling)", "顶部降噪麦克风正常"),
    CheckData("microphone-rear", "function", MINOR, "Rear microphone (video)", "背部麦克风（录像）正常"),
    CheckData("vibration", "function", MINOR, "Vibration motor / haptics", "振动马达 / 触感反馈正常"),
    CheckData("button-power", "function", MAJOR, "Power / side button", "电源键 / 侧边键正常"),
    CheckData("button-volume", "function", MINOR, "Volume buttons", "音量键正常"),
    CheckData("button-mute", "function", MINOR, "Mute switch / action button", "静音键 / 操作按钮正常"),
    CheckData(
        "proximity-sensor",
        "function",
        MAJOR,
        "Proximity sensor turns the screen off in calls",
        "距离感应器通话熄屏正常",
    ),
    CheckData(
        "gyroscope",
        "function",
        MINOR,
        "Gyroscope and accelerometer (rotation)",
        "陀螺仪与重力感应（自动旋转）正常",
    ),
    CheckData("compass", "function", MINOR, "Compass", "指南针正常"),
    # Connectivity
    CheckData(
        "sim-tray",
        "connectivity",
        MINOR,
        "SIM tray present, reads the SIM / eSIM",
        "卡托齐全，可识别SIM卡 / eSIM",
    ),
    CheckData(
        "cellular-signal",
        "connectivity",
        MAJOR,
        "Cellular signal, calls and mobile data",
        "蜂窝信号、通话与移动数据正常",
    ),
    CheckData("wifi", "connectivity", MAJOR, "Wi-Fi connects and holds speed", "Wi-Fi连接与速率正常"),
    CheckData("bluetooth", "connectivity", MAJOR, "Bluetooth pairs and plays audio", "蓝牙配对与音频正常"),
    CheckData("nfc", "connectivity", MINOR, "NFC (payments, transit cards)", "NFC（支付、交通卡）正常"),
    CheckData("gps", "connectivity", MINOR, "GPS location fix", "GPS定位正常"),
    # Battery and charging
    number_check(
        "battery-health", "battery", MAJOR, "Battery health", "电池健康度", unit="%", low="0", high="100"
    ),
    number_check(
        "battery-cycle-count", "battery", MINOR, "Battery cycle count", "电池循环次数", low="0", high="10000"
    ),
    CheckData(
        "charging-port", "battery", MAJOR, "Charging port charges and syncs", "充电口充电、数据传输正常"
    ),
    CheckData("wireless-charging", "battery", MINOR, "Wireless / MagSafe charging", "无线充电 / MagSafe正常"),
    CheckData(
        "battery-not-swollen",
        "battery",
        CRITICAL,
        "Battery not swollen (no lifted screen or back)",
        "电池无鼓包（屏幕、后盖无顶起）",
    ),
    # Repair history
    CheckData(
        "original-screen",
        "repair-history",
        MAJOR,
        "Original screen (no 'unknown part' notice)",
        "原装屏幕（无“未知部件”提示）",
    ),
    CheckData("original-battery", "repair-history", MAJOR, "Original battery", "原装电池"),
    CheckData("original-cameras", "repair-history", MAJOR, "Original cameras", "原装摄像头"),
    CheckData(
        "parts-service-history",
        "repair-history",
        MINOR,
        "Parts and service history clean",
        "部件与维修记录无异常",
    ),
    CheckData(
        "water-indicators", "repair-history", MAJOR, "Liquid contact indicators not tripped", "进水标签未变色"
    ),
    CheckData(
        "no-signs-of-opening",
        "repair-history",
        MAJOR,
        "No signs of opening (screws, adhesive, pry marks)",
        "无拆修痕迹（螺丝、胶条、撬痕）",
    ),
    CheckData(
        "no-third-party-parts", "repair-history", MAJOR, "No third-party parts inside", "无第三方非原装配件"
    ),
)


# Leaf category slug -> its checks, in the order the inspector works through them.
CHECKLISTS: dict[str, tuple[CheckData, ...]] = {
    "phones": PHONES,
}
