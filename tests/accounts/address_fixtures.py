"""Two good addresses as a person types them: one in Hangzhou, one in London under a Chinese name."""

HOME = {
    "name": "Zhou Min",
    "phone": "13800138000",
    "region": "Zhejiang",
    "city": "Hangzhou",
    "street": "18 Wensan Road, Xihu District, Room 502",
    "postcode": "310012",
}
WORK = {
    "name": "周敏",
    "phone": "+44 20 7946 0958",
    "region": "England",
    "city": "London",
    "street": "1 Poultry",
    "postcode": "ec2r 8ej",
}
