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


# Checks whose measured value identifies the one physical item: an IMEI ("imei-recorded") or a serial
# number ("serial-number", "serial-reference", "serial-or-date-code", "serial-or-certificate"). Public
# reports show only their last 4 characters (inspection.reports); staff see them whole. A new version
# of a checklist keeps the rule by naming such checks with the same prefixes.
IDENTIFIER_CODE_PREFIXES = ("imei", "serial")


def holds_identifier(code: str) -> bool:
    return code.startswith(IDENTIFIER_CODE_PREFIXES)


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


TABLETS: tuple[CheckData, ...] = (
    CheckData(
        "activation-lock-off",
        "identity",
        CRITICAL,
        "Activation lock / Find My / Google FRP is off",
        "激活锁 / 查找我的设备 / 谷歌账户锁已关闭",
    ),
    text_check("serial-number", "identity", MAJOR, "Serial number recorded", "已记录序列号"),
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
        "cellular-model-verified",
        "identity",
        MINOR,
        "Wi-Fi or cellular model as declared",
        "WLAN版 / 蜂窝版与申报一致",
    ),
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
    CheckData("housing-dents", "appearance", MINOR, "Housing free of dents and dings", "机身无磕碰、凹痕"),
    CheckData(
        "housing-scratches", "appearance", MINOR, "Housing free of scratches and scuffs", "机身无划痕、磨损"
    ),
    CheckData("frame-bent", "appearance", MAJOR, "Body not bent or warped", "机身无弯曲、变形"),
    CheckData("camera-lens-glass", "appearance", MINOR, "Camera lens covers intact", "摄像头镜片完好"),
    CheckData("dead-pixels", "screen", MAJOR, "No dead or stuck pixels", "无坏点、亮点"),
    CheckData("burn-in", "screen", MAJOR, "No burn-in or image retention", "无烧屏、残影"),
    CheckData("touch-all-zones", "screen", MAJOR, "Touch responds in every zone", "全屏触控灵敏无断触"),
    CheckData(
        "brightness-uniformity", "screen", MINOR, "Brightness uniform, no backlight bleed", "亮度均匀，无漏光"
    ),
    CheckData("colour-tint", "screen", MINOR, "No colour tint, banding or lines", "无偏色、色带、线条"),
    CheckData(
        "pen-input",
        "screen",
        MINOR,
        "Stylus input and pressure (where supported)",
        "手写笔输入与压感正常（如支持）",
    ),
    CheckData(
        "face-id", "function", MAJOR, "Face ID / Touch ID enrols and unlocks", "面容 / 指纹识别可录入并解锁"
    ),
    CheckData("rear-camera", "function", MINOR, "Rear camera: photo and video", "后置摄像头拍照、录像正常"),
    CheckData("front-camera", "function", MINOR, "Front camera: photo and video", "前置摄像头拍照、录像正常"),
    CheckData(
        "speakers", "function", MAJOR, "All speakers clear at full volume", "所有扬声器满音量清晰无破音"
    ),
    CheckData("microphones", "function", MINOR, "Microphones record clearly", "麦克风录音清晰"),
    CheckData("button-power", "function", MAJOR, "Power / top button", "电源键 / 顶部按键正常"),
    CheckData("button-volume", "function", MINOR, "Volume buttons", "音量键正常"),
    CheckData(
        "sensors",
        "function",
        MINOR,
        "Rotation, ambient light and compass sensors",
        "旋转、环境光与指南针传感器正常",
    ),
    CheckData(
        "smart-connector", "function", MINOR, "Smart Connector / keyboard pins", "智能接口 / 键盘触点正常"
    ),
    CheckData("wifi", "connectivity", MAJOR, "Wi-Fi connects and holds speed", "Wi-Fi连接与速率正常"),
    CheckData("bluetooth", "connectivity", MINOR, "Bluetooth pairs and plays audio", "蓝牙配对与音频正常"),
    CheckData(
        "cellular-signal", "connectivity", MAJOR, "Cellular data (cellular models)", "蜂窝数据正常（蜂窝版）"
    ),
    CheckData("gps", "connectivity", MINOR, "GPS location fix (cellular models)", "GPS定位正常（蜂窝版）"),
    number_check(
        "battery-health", "battery", MAJOR, "Battery health", "电池健康度", unit="%", low="0", high="100"
    ),
    number_check(
        "battery-cycle-count", "battery", MINOR, "Battery cycle count", "电池循环次数", low="0", high="10000"
    ),
    CheckData(
        "charging-port", "battery", MAJOR, "Charging port charges and syncs", "充电口充电、数据传输正常"
    ),
    CheckData(
        "battery-not-swollen",
        "battery",
        CRITICAL,
        "Battery not swollen (no lifted screen)",
        "电池无鼓包（屏幕无顶起）",
    ),
    CheckData("original-screen", "repair-history", MAJOR, "Original screen", "原装屏幕"),
    CheckData("original-battery", "repair-history", MAJOR, "Original battery", "原装电池"),
    CheckData(
        "no-signs-of-opening",
        "repair-history",
        MAJOR,
        "No signs of opening (adhesive, pry marks)",
        "无拆修痕迹（胶条、撬痕）",
    ),
    CheckData("water-damage", "repair-history", MAJOR, "No signs of liquid damage", "无进水痕迹"),
)


LAPTOPS: tuple[CheckData, ...] = (
    CheckData(
        "activation-lock-off",
        "identity",
        CRITICAL,
        "Activation lock / Find My / device account lock is off",
        "激活锁 / 查找我的设备 / 设备账户锁已关闭",
    ),
    CheckData(
        "firmware-password-off",
        "identity",
        CRITICAL,
        "No firmware / BIOS / supervisor password",
        "无固件 / BIOS / 管理员密码",
    ),
    CheckData(
        "mdm-enrolment-absent",
        "identity",
        CRITICAL,
        "Not enrolled in remote management (MDM, Computrace)",
        "未注册远程管理（MDM、Computrace）",
    ),
    text_check(
        "serial-number",
        "identity",
        MAJOR,
        "Serial number recorded (matches the chassis label)",
        "已记录序列号（与底壳标签一致）",
    ),
    CheckData(
        "os-reinstalled",
        "identity",
        MAJOR,
        "Clean operating system, no previous owner's data",
        "系统已重装，无前任机主数据",
    ),
    CheckData(
        "specs-match",
        "identity",
        MAJOR,
        "Processor and memory match the declared model",
        "处理器与内存与申报一致",
    ),
    number_check(
        "storage-capacity",
        "identity",
        MAJOR,
        "Storage capacity verified",
        "存储容量核实",
        unit="GB",
        low="1",
        high="16384",
    ),
    CheckData("lid-dents", "appearance", MINOR, "Lid free of dents", "顶盖无凹痕"),
    CheckData("lid-scratches", "appearance", MINOR, "Lid free of scratches and scuffs", "顶盖无划痕、磨损"),
    CheckData("bottom-case", "appearance", MINOR, "Bottom case and feet intact", "底壳与脚垫完好"),
    CheckData("palm-rest-wear", "appearance", MINOR, "Palm rest free of shine and wear", "掌托无磨亮、磨损"),
    CheckData("chassis-cracks", "appearance", MAJOR, "Chassis free of cracks and bends", "机身无裂纹、弯曲"),
    CheckData(
        "hinge",
        "appearance",
        MAJOR,
        "Hinge holds the screen at every angle, no creak",
        "转轴任意角度可停留，无异响",
    ),
    CheckData(
        "screen-glass", "screen", MAJOR, "Screen free of cracks and pressure marks", "屏幕无碎裂、压痕"
    ),
    CheckData(
        "screen-coating",
        "screen",
        MINOR,
        "Anti-reflective coating intact (no staingate)",
        "屏幕镀膜完好（无脱膜）",
    ),
    CheckData("keyboard-marks", "screen", MINOR, "No keyboard marks on the screen", "屏幕无键盘印"),
    CheckData("dead-pixels", "screen", MAJOR, "No dead or stuck pixels", "无坏点、亮点"),
    CheckData(
        "backlight-bleed", "screen", MINOR, "Backlight even, no bleed or shadows", "背光均匀，无漏光、阴影"
    ),
    CheckData("colour-tint", "screen", MINOR, "No colour tint, banding or lines", "无偏色、色带、线条"),
    CheckData(
        "touch-screen",
        "screen",
        MAJOR,
        "Touch screen responds everywhere (where fitted)",
        "触摸屏全屏响应正常（如有）",
    ),
    CheckData(
        "keys-left", "keyboard", MAJOR, "Keyboard, left zone: every key registers", "键盘左区每个按键有效"
    ),
    CheckData(
        "keys-centre", "keyboard", MAJOR, "Keyboard, centre zone: every key registers", "键盘中区每个按键有效"
    ),
    CheckData(
        "keys-right",
        "keyboard",
        MAJOR,
        "Keyboard, right zone and arrows: every key registers",
        "键盘右区与方向键每个按键有效",
    ),
    CheckData("function-row", "keyboard", MINOR, "Function row / Touch Bar", "功能键行 / 触控栏正常"),
    CheckData(
        "keycaps-shine", "keyboard", MINOR, "Keycaps free of shine and worn legends", "键帽无打油、字符磨损"
    ),
    CheckData("keyboard-backlight", "keyboard", MINOR, "Keyboard backlight", "键盘背光正常"),
    CheckData(
        "trackpad", "keyboard", MAJOR, "Trackpad tracks, clicks and gestures", "触控板移动、点按与手势正常"
    ),
    CheckData(
        "fingerprint-reader", "function", MINOR, "Fingerprint reader / Touch ID", "指纹识别 / 触控ID正常"
    ),
    CheckData("webcam", "function", MINOR, "Webcam", "摄像头正常"),
    CheckData("speakers", "function", MINOR, "Speakers clear at full volume", "扬声器满音量清晰无破音"),
    CheckData("microphones", "function", MINOR, "Microphones", "麦克风正常"),
    CheckData(
        "ports-usb",
        "function",
        MAJOR,
        "Every USB / Thunderbolt port charges or connects",
        "所有USB / 雷电接口供电、连接正常",
    ),
    CheckData(
        "ports-other",
        "function",
        MINOR,
        "HDMI, card reader, headphone jack and other ports",
        "HDMI、读卡器、耳机孔等其他接口正常",
    ),
    CheckData(
        "fans-thermals",
        "function",
        MAJOR,
        "Fans quiet, no throttling under a stress test",
        "风扇无异响，压力测试不降频",
    ),
    CheckData("memory-test", "function", MAJOR, "Memory test passes", "内存检测通过"),
    CheckData("storage-health", "function", MAJOR, "Storage SMART health good", "硬盘SMART健康状态良好"),
    CheckData("wifi", "connectivity", MAJOR, "Wi-Fi connects and holds speed", "Wi-Fi连接与速率正常"),
    CheckData("bluetooth", "connectivity", MINOR, "Bluetooth pairs", "蓝牙配对正常"),
    number_check(
        "battery-health", "battery", MAJOR, "Battery health", "电池健康度", unit="%", low="0", high="100"
    ),
    number_check(
        "battery-cycle-count", "battery", MINOR, "Battery cycle count", "电池循环次数", low="0", high="10000"
    ),
    CheckData(
        "charger-works",
        "battery",
        MAJOR,
        "Charges with the original-rated charger",
        "使用原规格充电器可正常充电",
    ),
    CheckData(
        "battery-not-swollen",
        "battery",
        CRITICAL,
        "Battery not swollen (trackpad and case flat)",
        "电池无鼓包（触控板与底壳平整）",
    ),
    CheckData(
        "original-parts",
        "repair-history",
        MAJOR,
        "Original screen, keyboard and battery",
        "原装屏幕、键盘与电池",
    ),
    CheckData(
        "no-signs-of-opening", "repair-history", MINOR, "No stripped screws or pry marks", "无螺丝滑丝、撬痕"
    ),
    CheckData("liquid-damage", "repair-history", MAJOR, "No signs of liquid damage", "无进水痕迹"),
)


CAMERAS: tuple[CheckData, ...] = (
    text_check("serial-number", "identity", MAJOR, "Body serial number recorded", "已记录机身序列号"),
    CheckData(
        "serial-not-reported-stolen", "identity", CRITICAL, "Serial not reported stolen", "序列号未登记被盗"
    ),
    CheckData(
        "body-scratches", "appearance", MINOR, "Body free of scratches and brassing", "机身无划痕、掉漆露铜"
    ),
    CheckData("body-dents", "appearance", MAJOR, "Body free of dents and cracks", "机身无凹陷、裂纹"),
    CheckData(
        "grip-rubber",
        "appearance",
        MINOR,
        "Grip rubber and covers attached, not peeling",
        "握把蒙皮与胶塞贴合不翘起",
    ),
    CheckData("lcd-glass", "appearance", MINOR, "Rear screen glass free of scratches", "背屏玻璃无划痕"),
    CheckData(
        "battery-door",
        "appearance",
        MINOR,
        "Battery and card doors close and latch",
        "电池仓与卡槽盖闭合锁紧",
    ),
    CheckData("tripod-socket", "appearance", MINOR, "Tripod socket threads intact", "三脚架螺孔完好"),
    number_check("shutter-count", "sensor", MINOR, "Shutter count", "快门次数", low="0", high="2000000"),
    CheckData(
        "shutter-fires",
        "sensor",
        CRITICAL,
        "Shutter fires at every speed, no error",
        "各档快门速度释放正常，无报错",
    ),
    CheckData(
        "sensor-dust",
        "sensor",
        MINOR,
        "Sensor free of dust and spots (f/16 test)",
        "传感器无灰尘、脏点（f/16测试）",
    ),
    CheckData(
        "sensor-scratches", "sensor", MAJOR, "Sensor / filter free of scratches", "传感器 / 滤镜无划痕"
    ),
    CheckData(
        "hot-pixels", "sensor", MINOR, "No hot or dead pixels (long exposure)", "无热噪点、坏点（长曝光）"
    ),
    CheckData(
        "image-stabilisation",
        "sensor",
        MAJOR,
        "In-body stabilisation works, no rattle",
        "机身防抖正常，无异响",
    ),
    CheckData(
        "mirror-box", "sensor", MINOR, "Mirror and focus screen clean (DSLR)", "反光镜与对焦屏洁净（单反）"
    ),
    CheckData("lens-mount", "lens", MAJOR, "Lens mount flat, bayonet not worn", "卡口平整，卡榫无磨损"),
    CheckData(
        "mount-contacts",
        "lens",
        MAJOR,
        "Mount contacts clean, lens communicates",
        "卡口触点洁净，镜头通讯正常",
    ),
    CheckData("autofocus", "lens", MAJOR, "Autofocus accurate in every AF mode", "各对焦模式对焦准确"),
    CheckData(
        "lens-glass",
        "lens",
        MAJOR,
        "Lens glass free of fungus, haze and scratches (kit lens)",
        "镜片无霉、无雾、无划痕（套机镜头）",
    ),
    CheckData(
        "aperture-blades", "lens", MAJOR, "Aperture blades clean, close crisply", "光圈叶片无油，收缩利落"
    ),
    CheckData("zoom-focus-rings", "lens", MINOR, "Zoom and focus rings smooth", "变焦环与对焦环顺滑"),
    CheckData(
        "viewfinder",
        "controls",
        MAJOR,
        "Viewfinder clear; EVF without dead pixels",
        "取景器清晰；电子取景器无坏点",
    ),
    CheckData("eye-sensor", "controls", MINOR, "Eye sensor switches to the viewfinder", "眼部感应器切换正常"),
    CheckData(
        "rear-screen",
        "controls",
        MAJOR,
        "Rear screen, touch and tilt/flip hinge",
        "背屏显示、触控与翻转铰链正常",
    ),
    CheckData(
        "dials",
        "controls",
        MINOR,
        "Mode and command dials click and register",
        "模式与拨轮手感清晰、响应正常",
    ),
    CheckData("buttons", "controls", MINOR, "Every button registers", "所有按键响应正常"),
    CheckData(
        "popup-flash", "controls", MINOR, "Built-in flash and hot shoe fire", "内置闪光灯与热靴触发正常"
    ),
    CheckData(
        "video-recording",
        "function",
        MAJOR,
        "Video records at top resolution without overheating",
        "最高规格录像正常，无过热中断",
    ),
    CheckData("card-slots", "function", MAJOR, "Every card slot reads and writes", "所有卡槽读写正常"),
    CheckData(
        "microphone", "function", MINOR, "Built-in microphone and mic jack", "内置麦克风与麦克风接口正常"
    ),
    CheckData("usb-hdmi-ports", "function", MINOR, "USB and HDMI ports", "USB与HDMI接口正常"),
    CheckData(
        "wifi-bluetooth",
        "connectivity",
        MINOR,
        "Wi-Fi / Bluetooth pairing with the app",
        "Wi-Fi / 蓝牙与手机应用连接正常",
    ),
    CheckData(
        "battery-holds-charge",
        "battery",
        MINOR,
        "Battery holds charge; no 'battery life' warning",
        "电池续航正常，无电池老化提示",
    ),
    CheckData("charger-included", "battery", MINOR, "Battery and charger included", "附电池与充电器"),
    CheckData(
        "firmware", "repair-history", MINOR, "Official firmware, no hack installed", "官方固件，未刷机"
    ),
    CheckData(
        "no-signs-of-opening",
        "repair-history",
        MAJOR,
        "No signs of opening or drop repairs",
        "无拆修、摔机维修痕迹",
    ),
    CheckData(
        "weather-seals",
        "repair-history",
        MINOR,
        "Weather seals present, no corrosion",
        "防尘防滴密封圈完好，无腐蚀",
    ),
)


GAME_CONSOLES: tuple[CheckData, ...] = (
    text_check("serial-number", "identity", MAJOR, "Serial number recorded", "已记录序列号"),
    CheckData(
        "account-removed", "identity", CRITICAL, "Previous owner's account removed", "已移除前任机主账户"
    ),
    CheckData(
        "console-not-banned",
        "identity",
        CRITICAL,
        "Console not banned from online services",
        "主机未被封禁联网服务",
    ),
    number_check(
        "storage-capacity",
        "identity",
        MINOR,
        "Storage capacity verified",
        "存储容量核实",
        unit="GB",
        low="1",
        high="8192",
    ),
    CheckData(
        "housing-scratches", "appearance", MINOR, "Housing free of scratches and scuffs", "外壳无划痕、磨损"
    ),
    CheckData(
        "housing-cracks",
        "appearance",
        MAJOR,
        "Housing free of cracks and broken clips",
        "外壳无裂纹、卡扣无断裂",
    ),
    CheckData(
        "screen-scratches", "screen", MINOR, "Screen free of scratches (handhelds)", "屏幕无划痕（掌机）"
    ),
    CheckData("dead-pixels", "screen", MAJOR, "No dead pixels (handhelds)", "无坏点（掌机）"),
    CheckData("video-output", "function", MAJOR, "HDMI video and audio output", "HDMI视频与音频输出正常"),
    CheckData(
        "disc-drive",
        "function",
        MAJOR,
        "Disc drive reads and ejects (where fitted)",
        "光驱读盘、出盘正常（如有）",
    ),
    CheckData(
        "fan-noise", "function", MAJOR, "Fan quiet, no overheating in a game", "风扇无异响，游戏中不过热"
    ),
    CheckData(
        "controller-buttons",
        "function",
        MAJOR,
        "Controller: every button and trigger",
        "手柄每个按键与扳机正常",
    ),
    CheckData("stick-drift", "function", MAJOR, "Controller sticks without drift", "手柄摇杆无漂移"),
    CheckData("controller-rumble", "function", MINOR, "Controller vibration", "手柄振动正常"),
    CheckData("usb-ports", "function", MINOR, "USB ports and dock", "USB接口与底座正常"),
    CheckData("wifi", "connectivity", MAJOR, "Wi-Fi and online sign-in", "Wi-Fi与联网登录正常"),
    CheckData("bluetooth-pairing", "connectivity", MINOR, "Controllers pair wirelessly", "手柄无线配对正常"),
    CheckData("power-supply", "battery", MAJOR, "Power supply / charger works", "电源 / 充电器正常"),
    CheckData(
        "no-signs-of-opening",
        "repair-history",
        MAJOR,
        "Warranty seal and screws untouched",
        "保修贴与螺丝未动",
    ),
    CheckData("unmodified", "repair-history", CRITICAL, "Not modified or jailbroken", "未改机、未破解"),
)


BAGS: tuple[CheckData, ...] = (
    text_check(
        "serial-or-date-code",
        "authenticity",
        MAJOR,
        "Serial number, date code or microchip recorded",
        "已记录序列号、日期码或芯片信息",
    ),
    CheckData(
        "date-code-consistent",
        "authenticity",
        CRITICAL,
        "Date code format matches the factory and era",
        "日期码格式与产地、年份相符",
    ),
    CheckData(
        "heat-stamp",
        "authenticity",
        CRITICAL,
        "Heat stamp font, spacing and depth consistent",
        "烫印字体、间距与深浅一致",
    ),
    CheckData(
        "stitching-count",
        "authenticity",
        CRITICAL,
        "Stitch count per panel as the house makes it",
        "各部位针数与品牌工艺一致",
    ),
    CheckData(
        "stitching-evenness",
        "authenticity",
        MAJOR,
        "Stitching even, straight, slanted as expected",
        "走线均匀平直，斜度正确",
    ),
    CheckData(
        "hardware-engraving",
        "authenticity",
        CRITICAL,
        "Hardware engraving crisp, correct font",
        "五金刻字清晰，字体正确",
    ),
    CheckData(
        "zipper-brand",
        "authenticity",
        MAJOR,
        "Zipper maker and pull as the model uses (Lampo, Riri, YKK…)",
        "拉链品牌与拉头符合型号（Lampo、Riri、YKK等）",
    ),
    CheckData(
        "pattern-alignment",
        "authenticity",
        CRITICAL,
        "Canvas pattern aligned and symmetrical at seams",
        "帆布花纹在接缝处对齐对称",
    ),
    CheckData(
        "material-feel",
        "authenticity",
        CRITICAL,
        "Leather and canvas grain, smell and weight right",
        "皮料与帆布纹理、气味、重量正确",
    ),
    CheckData(
        "lining",
        "materials",
        MAJOR,
        "Lining clean, no tears, stains or stickiness",
        "内衬干净，无破损、污渍、发黏",
    ),
    CheckData("corners-wear", "materials", MINOR, "Corners free of scuffs and rubbing", "四角无磨损、蹭皮"),
    CheckData(
        "handles-patina",
        "materials",
        MINOR,
        "Handles and vachetta: even patina, no water marks",
        "提手与牛皮部位包浆均匀，无水渍",
    ),
    CheckData("handles-cracks", "materials", MAJOR, "Handles free of cracks and fraying", "提手无开裂、起毛"),
    CheckData(
        "edge-paint",
        "materials",
        MINOR,
        "Edge paint intact, not cracked or peeling",
        "封边油完好，无开裂、脱落",
    ),
    CheckData(
        "exterior-stains",
        "materials",
        MAJOR,
        "Exterior free of stains, ink and colour transfer",
        "外部无污渍、墨迹、染色",
    ),
    CheckData(
        "shape-structure",
        "materials",
        MINOR,
        "Holds its shape; no creases or slouching",
        "版型挺括，无折痕、塌陷",
    ),
    CheckData(
        "hardware-plating",
        "hardware",
        MINOR,
        "Hardware plating free of scratches and tarnish",
        "五金电镀无划痕、氧化",
    ),
    CheckData(
        "clasp-lock", "hardware", MAJOR, "Clasps, locks and zips close smoothly", "搭扣、锁头与拉链开合顺畅"
    ),
    CheckData(
        "odour", "cleanliness", MAJOR, "No odour (smoke, mould, perfume)", "无异味（烟味、霉味、香水味）"
    ),
    CheckData("dust-bag", "set", MINOR, "Dust bag present", "附防尘袋"),
    CheckData(
        "receipt-card",
        "set",
        MINOR,
        "Receipt, authenticity card or box present",
        "附购买凭证、鉴定卡或包装盒",
    ),
    CheckData(
        "strap-accessories",
        "set",
        MINOR,
        "Strap, lock, keys and charms as sold",
        "肩带、锁头、钥匙与挂饰齐全",
    ),
)


WATCHES: tuple[CheckData, ...] = (
    text_check(
        "serial-reference",
        "authenticity",
        MAJOR,
        "Serial and reference numbers recorded",
        "已记录序列号与型号编号",
    ),
    CheckData(
        "serial-not-reported-stolen",
        "authenticity",
        CRITICAL,
        "Serial not on a stolen-watch register",
        "序列号未登记被盗",
    ),
    CheckData(
        "dial-printing",
        "authenticity",
        CRITICAL,
        "Dial printing, indices and hands genuine",
        "表盘印字、时标与指针为原装",
    ),
    CheckData(
        "movement-genuine",
        "authenticity",
        CRITICAL,
        "Movement genuine and correct calibre for the reference",
        "机芯为原装且型号与编号相符",
    ),
    CheckData(
        "case-back-engraving",
        "authenticity",
        CRITICAL,
        "Case back engraving and markings consistent",
        "表背刻字与标识一致",
    ),
    CheckData(
        "rehaut-engraving", "authenticity", MAJOR, "Rehaut / inner bezel engraving aligned", "内圈刻字对齐"
    ),
    number_check(
        "movement-accuracy",
        "movement",
        MAJOR,
        "Movement accuracy (timegrapher, dial up)",
        "走时误差（校表仪，面朝上）",
        unit="s/day",
        low="-60",
        high="60",
    ),
    number_check(
        "movement-amplitude",
        "movement",
        MAJOR,
        "Balance amplitude (dial up)",
        "摆幅（面朝上）",
        unit="°",
        low="0",
        high="360",
    ),
    CheckData("power-reserve", "movement", MINOR, "Power reserve as specified", "动力储存符合标称"),
    CheckData(
        "complications",
        "movement",
        MAJOR,
        "Date, chronograph and other complications work",
        "日历、计时等功能正常",
    ),
    CheckData(
        "crown-pushers",
        "case",
        MAJOR,
        "Crown winds, sets and screws down; pushers work",
        "表冠上链、调时、旋紧正常；按把正常",
    ),
    CheckData("water-resistance", "case", MAJOR, "Water resistance test passed", "防水测试通过"),
    CheckData("crystal", "case", MAJOR, "Crystal free of chips and scratches", "表镜无崩口、划痕"),
    CheckData(
        "bezel-action",
        "case",
        MINOR,
        "Bezel rotates and clicks as designed; insert intact",
        "表圈转动与咔嗒声正常，圈口完好",
    ),
    CheckData("case-scratches", "case", MINOR, "Case free of scratches and dings", "表壳无划痕、磕碰"),
    CheckData(
        "case-polished",
        "case",
        MINOR,
        "Case not over-polished (sharp edges kept)",
        "表壳未过度抛光（棱线清晰）",
    ),
    CheckData(
        "bracelet-stretch",
        "case",
        MINOR,
        "Bracelet without stretch; clasp closes firmly",
        "表带无拉伸松旷，表扣扣合紧实",
    ),
    CheckData("bracelet-original", "case", MINOR, "Bracelet or strap original to the watch", "表带为原装"),
    CheckData("box-papers", "set", MINOR, "Box and warranty papers present", "附表盒与保卡"),
    CheckData("service-history", "set", MINOR, "Service history documented", "有保养记录"),
)


JEWELRY: tuple[CheckData, ...] = (
    CheckData(
        "hallmark",
        "authenticity",
        CRITICAL,
        "Hallmark and maker's mark present and consistent",
        "印记与品牌标识齐全且一致",
    ),
    number_check(
        "metal-purity",
        "authenticity",
        CRITICAL,
        "Metal purity test (XRF)",
        "金属成色检测（光谱）",
        unit="‰",
        low="0",
        high="1000",
    ),
    text_check(
        "serial-or-certificate",
        "authenticity",
        MAJOR,
        "Serial or stone certificate number recorded",
        "已记录序列号或证书编号",
    ),
    CheckData(
        "stones-genuine",
        "authenticity",
        CRITICAL,
        "Stones tested genuine (diamond tester, refractive index)",
        "宝石检测为天然（钻石笔、折射率）",
    ),
    number_check("weight", "authenticity", MAJOR, "Weight", "重量", unit="g", low="0", high="2000"),
    CheckData(
        "stone-setting",
        "materials",
        MAJOR,
        "Every stone present and secure; prongs intact",
        "所有宝石齐全牢固，爪镶完好",
    ),
    CheckData(
        "surface-scratches", "materials", MINOR, "Metal free of scratches and dents", "金属无划痕、凹痕"
    ),
    CheckData(
        "plating-wear", "materials", MINOR, "Plating or rhodium not worn through", "电镀 / 镀铑未磨损露底"
    ),
    CheckData("stone-chips", "materials", MAJOR, "Stones free of chips and abrasions", "宝石无崩口、磨损"),
    CheckData("clasp", "hardware", MAJOR, "Clasp closes and holds securely", "扣头开合牢固"),
    CheckData(
        "chain-links",
        "hardware",
        MAJOR,
        "Chain and links free of kinks and weak spots",
        "链条无打结、无薄弱处",
    ),
    CheckData(
        "resized-repaired",
        "hardware",
        MINOR,
        "No visible resizing or solder repairs",
        "无明显改圈、焊接修复痕迹",
    ),
    CheckData("box-certificate", "set", MINOR, "Box, pouch and certificate present", "附首饰盒、袋与证书"),
)


SNEAKERS: tuple[CheckData, ...] = (
    CheckData(
        "size-label",
        "authenticity",
        CRITICAL,
        "Size label font, print and production code consistent",
        "尺码标字体、印刷与生产编号一致",
    ),
    CheckData(
        "box-label-match",
        "authenticity",
        MAJOR,
        "Box label matches the size label (style code, size)",
        "鞋盒标签与内标一致（货号、尺码）",
    ),
    CheckData(
        "stitching",
        "authenticity",
        CRITICAL,
        "Stitching density and placement as the factory makes it",
        "车线密度与位置符合原厂工艺",
    ),
    CheckData(
        "shape-toe-box",
        "authenticity",
        CRITICAL,
        "Shape, toe box and heel profile correct",
        "鞋型、鞋头与后跟轮廓正确",
    ),
    CheckData(
        "uv-test",
        "authenticity",
        MAJOR,
        "UV light test shows no hidden marks or stamps",
        "紫外灯检测无隐藏标记、异常荧光",
    ),
    CheckData(
        "logo-details",
        "authenticity",
        CRITICAL,
        "Logos, tongue tag and insole print correct",
        "标志、鞋舌标与鞋垫印字正确",
    ),
    CheckData("glue-marks", "materials", MINOR, "No excess glue marks", "无溢胶"),
    CheckData("sole-wear", "materials", MAJOR, "Outsole tread wear", "大底磨损"),
    CheckData(
        "midsole-creasing",
        "materials",
        MINOR,
        "Midsole free of creasing and yellowing",
        "中底无褶皱、氧化发黄",
    ),
    CheckData("upper-creasing", "materials", MINOR, "Upper free of toe creases", "鞋面无折痕"),
    CheckData("upper-stains", "materials", MAJOR, "Upper free of stains and scuffs", "鞋面无污渍、磨损"),
    CheckData(
        "heel-drag", "materials", MINOR, "Heel lining and counter not worn through", "后跟内衬与鞋跟无磨破"
    ),
    CheckData("insole", "materials", MINOR, "Insoles present and clean", "鞋垫齐全干净"),
    CheckData("odour", "cleanliness", MAJOR, "No odour", "无异味"),
    CheckData(
        "laces-accessories", "set", MINOR, "Laces, extra laces and tags as sold", "鞋带、备用鞋带与吊牌齐全"
    ),
    CheckData("original-box", "set", MINOR, "Original box in good condition", "原盒完好"),
)


CLOTHING: tuple[CheckData, ...] = (
    CheckData(
        "brand-labels",
        "authenticity",
        CRITICAL,
        "Brand, care and composition labels consistent",
        "品牌标、洗标与成分标一致",
    ),
    CheckData("size-label", "fit", MAJOR, "Size label present and as declared", "尺码标齐全且与申报一致"),
    CheckData("measurements-match", "fit", MAJOR, "Measurements match the stated size", "实测尺寸与尺码相符"),
    CheckData("stains", "materials", MAJOR, "Free of stains and discolouration", "无污渍、褪色"),
    CheckData(
        "holes-tears", "materials", MAJOR, "Free of holes, tears and moth damage", "无破洞、撕裂、虫蛀"
    ),
    CheckData("pilling", "materials", MINOR, "Free of pilling and fuzzing", "无起球、起毛"),
    CheckData(
        "fading",
        "materials",
        MINOR,
        "Colour even, no fading at seams or collar",
        "颜色均匀，接缝、领口无褪色",
    ),
    CheckData("seams", "materials", MAJOR, "Seams and hems intact", "缝线与下摆完好"),
    CheckData(
        "zips-buttons",
        "hardware",
        MINOR,
        "Zips, buttons and fasteners all present and working",
        "拉链、纽扣与扣件齐全可用",
    ),
    CheckData(
        "odour", "cleanliness", MAJOR, "No odour (smoke, mould, perfume)", "无异味（烟味、霉味、香水味）"
    ),
    CheckData("pet-hair", "cleanliness", MINOR, "Free of pet hair and lint", "无宠物毛发、绒屑"),
    CheckData(
        "tags-attached",
        "set",
        MINOR,
        "Original tags attached (for 'new with tags')",
        "原吊牌仍在（全新带吊牌）",
    ),
)


HOME_APPLIANCES: tuple[CheckData, ...] = (
    text_check("serial-number", "identity", MINOR, "Model and serial number recorded", "已记录型号与序列号"),
    CheckData("model-matches", "identity", MAJOR, "Model as declared", "型号与申报一致"),
    CheckData("power-cord", "safety", CRITICAL, "Power cord and plug undamaged", "电源线与插头无破损"),
    CheckData(
        "insulation-test",
        "safety",
        CRITICAL,
        "Insulation and earth continuity test passed",
        "绝缘与接地导通测试通过",
    ),
    CheckData(
        "no-burning-smell",
        "safety",
        CRITICAL,
        "No burning smell, sparks or overheating in use",
        "使用中无焦味、打火、过热",
    ),
    CheckData(
        "certification-mark", "safety", MAJOR, "CCC / safety certification mark present", "有3C等安全认证标志"
    ),
    CheckData("housing-cracks", "appearance", MAJOR, "Housing free of cracks", "外壳无裂纹"),
    CheckData(
        "housing-scratches", "appearance", MINOR, "Housing free of scratches and scuffs", "外壳无划痕、磨损"
    ),
    CheckData(
        "discolouration", "appearance", MINOR, "Plastic not yellowed or discoloured", "塑料件无发黄、变色"
    ),
    CheckData(
        "main-function",
        "function",
        MAJOR,
        "Main function works through a full cycle",
        "主要功能完整运行一个周期",
    ),
    CheckData("all-modes", "function", MINOR, "Every mode and setting works", "所有模式与档位正常"),
    CheckData("controls-display", "function", MINOR, "Buttons, dials and display", "按键、旋钮与显示屏正常"),
    CheckData("noise-vibration", "function", MINOR, "No abnormal noise or vibration", "无异常噪音、振动"),
    CheckData("remote-app", "function", MINOR, "Remote control or app pairing", "遥控器或应用连接正常"),
    CheckData(
        "filters-consumables",
        "cleanliness",
        MINOR,
        "Filters and consumables clean or replaced",
        "滤网与耗材已清洁或更换",
    ),
    CheckData(
        "interior-clean",
        "cleanliness",
        MAJOR,
        "Interior clean: no limescale, mould or residue",
        "内部清洁：无水垢、霉斑、残留",
    ),
    CheckData("accessories", "set", MINOR, "Accessories and manual as sold", "配件与说明书齐全"),
)


BOOKS: tuple[CheckData, ...] = (
    text_check(
        "isbn-edition", "identity", MINOR, "ISBN and edition / printing recorded", "已记录ISBN与版次 / 印次"
    ),
    CheckData(
        "pirated-copy",
        "identity",
        CRITICAL,
        "Not a pirated copy (paper, print and binding genuine)",
        "非盗版（纸张、印刷与装订为正版）",
    ),
    CheckData(
        "cover-wear",
        "appearance",
        MINOR,
        "Cover and dust jacket free of tears and creases",
        "封面与书衣无撕裂、折痕",
    ),
    CheckData("spine", "structure", MAJOR, "Spine intact, binding tight", "书脊完好，装订牢固"),
    CheckData("pages-complete", "content", CRITICAL, "No missing or loose pages", "无缺页、散页"),
    CheckData(
        "writing-highlighting",
        "content",
        MINOR,
        "Free of writing, highlighting and stamps",
        "无笔记、划线、印章",
    ),
    CheckData(
        "stains-water", "content", MAJOR, "Free of water damage, stains and foxing", "无水渍、污渍、霉斑"
    ),
    CheckData("odour", "cleanliness", MINOR, "No odour (smoke, mildew)", "无异味（烟味、霉味）"),
    CheckData("extras", "set", MINOR, "Supplements, CDs or maps included as sold", "附赠光盘、地图等齐全"),
)


FURNITURE: tuple[CheckData, ...] = (
    CheckData(
        "model-maker",
        "identity",
        MINOR,
        "Maker and model identified (label or stamp)",
        "已确认品牌与型号（标签或印记）",
    ),
    CheckData(
        "frame-stable", "structure", CRITICAL, "Frame stable under load, no wobble", "框架承重稳固，无晃动"
    ),
    CheckData(
        "joints",
        "structure",
        MAJOR,
        "Joints tight, no cracks or loose dowels",
        "榫卯 / 连接处紧固，无开裂、松动",
    ),
    CheckData("legs-base", "structure", MAJOR, "Legs and base level and undamaged", "桌腿 / 底座平稳无损"),
    CheckData(
        "mechanisms",
        "structure",
        MAJOR,
        "Drawers, doors, recliners and hinges work",
        "抽屉、柜门、躺椅机构与铰链正常",
    ),
    CheckData(
        "surface-scratches", "appearance", MINOR, "Surfaces free of scratches and dents", "表面无划痕、凹痕"
    ),
    CheckData(
        "finish",
        "appearance",
        MINOR,
        "Finish even; no peeling veneer or paint",
        "漆面均匀；贴皮、油漆无起翘脱落",
    ),
    CheckData("water-rings-burns", "appearance", MINOR, "Free of water rings and burns", "无水印、烫痕"),
    CheckData(
        "upholstery",
        "materials",
        MAJOR,
        "Upholstery free of tears, stains and sagging",
        "软包无破损、污渍、塌陷",
    ),
    CheckData("pests", "cleanliness", CRITICAL, "No woodworm, bed bugs or other pests", "无蛀虫、臭虫等虫害"),
    CheckData("odour", "cleanliness", MAJOR, "No odour (smoke, pets, damp)", "无异味（烟味、宠物味、潮味）"),
    CheckData(
        "hardware-complete", "set", MINOR, "Hardware, shelves and keys complete", "五金件、层板与钥匙齐全"
    ),
)


# Leaf category slug -> its checks, in the order the inspector works through them.
CHECKLISTS: dict[str, tuple[CheckData, ...]] = {
    "phones": PHONES,
    "tablets": TABLETS,
    "laptops": LAPTOPS,
    "cameras": CAMERAS,
    "game-consoles": GAME_CONSOLES,
    "bags": BAGS,
    "watches": WATCHES,
    "jewelry": JEWELRY,
    "sneakers": SNEAKERS,
    "clothing": CLOTHING,
    "home-appliances": HOME_APPLIANCES,
    "books": BOOKS,
    "furniture": FURNITURE,
}
