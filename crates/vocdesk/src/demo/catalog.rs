//! The demo's catalog: sellers, accounts, apps, items and purchases, as tables.

use super::*;
/// A seller of the demo.
pub(super) struct SellerSpec {
    pub(super) key: &'static str,
    pub(super) name: &'static str,
    pub(super) support_email: &'static str,
}

/// A demo account; `seller` is a [`SellerSpec`] key.
pub struct AccountSpec {
    /// Sign-in address.
    pub email: &'static str,
    pub(super) display_name: &'static str,
    /// Role, printed next to the address.
    pub role: Role,
    pub(super) seller: Option<&'static str>,
    pub(super) customer_no: Option<&'static str>,
    pub(super) locale: Locale,
}

/// A demo app; `seller` is a [`SellerSpec`] key, `price` is `None` for free apps.
pub(super) struct AppSpec {
    pub(super) key: &'static str,
    pub(super) seller: &'static str,
    pub(super) title: &'static str,
    pub(super) summary: &'static str,
    pub(super) price: Option<(i64, &'static str)>,
}

/// An in-app item; `app` is an [`AppSpec`] key.
pub(super) struct ItemSpec {
    pub(super) key: &'static str,
    pub(super) app: &'static str,
    pub(super) title: &'static str,
    pub(super) price: (i64, &'static str),
}

/// What a demo purchase buys: an app, or an in-app item (of the item's app).
pub(super) enum Product {
    App(&'static str),
    Item(&'static str),
}

/// A demo purchase, `days_ago` days before the seed's date, at `at` Korean time.
pub(super) struct PurchaseSpec {
    pub(super) key: &'static str,
    pub(super) customer: &'static str,
    pub(super) product: Product,
    pub(super) days_ago: i32,
    pub(super) at: (i8, i8),
    pub(super) status: PurchaseStatus,
}

pub(super) const SELLERS: &[SellerSpec] = &[
    SellerSpec {
        key: "hanbit", name: "한빛게임즈 (Hanbit Games)", support_email: "support@hanbit-games.example.com"
    },
    SellerSpec { key: "bluelake", name: "Blue Lake Apps", support_email: "help@bluelake-apps.example.com" },
];

/// The five demo accounts of the README; `dev1` and `dev2` belong to different sellers.
pub const ACCOUNTS: &[AccountSpec] = &[
    AccountSpec {
        email: "operator@example.com",
        display_name: "스토어 운영팀 (Store Operations)",
        role: Role::Operator,
        seller: None,
        customer_no: None,
        locale: Locale::Ko,
    },
    AccountSpec {
        email: "dev1@example.com",
        display_name: "김도윤 (한빛게임즈)",
        role: Role::Developer,
        seller: Some("hanbit"),
        customer_no: None,
        locale: Locale::Ko,
    },
    AccountSpec {
        email: "dev2@example.com",
        display_name: "Emily Carter (Blue Lake Apps)",
        role: Role::Developer,
        seller: Some("bluelake"),
        customer_no: None,
        locale: Locale::En,
    },
    AccountSpec {
        email: "customer1@example.com",
        display_name: "이서연",
        role: Role::Customer,
        seller: None,
        customer_no: Some("C-100001"),
        locale: Locale::Ko,
    },
    AccountSpec {
        email: "customer2@example.com",
        display_name: "James Miller",
        role: Role::Customer,
        seller: None,
        customer_no: Some("C-100002"),
        locale: Locale::En,
    },
];

pub(super) const APPS: &[AppSpec] = &[
    AppSpec {
        key: "farm",
        seller: "hanbit",
        title: "별빛 농장 이야기 (Starlight Farm Story)",
        summary: "작물을 키우고 마을 사람들과 함께 나만의 별빛 농장을 꾸며 보세요. 무료로 즐기고, 필요할 때만 아이템을 구매하세요.\n\n\
                  Grow crops, befriend the villagers and build your own starlight farm. Free to play; buy items only when you want to.",
        price: None,
    },
    AppSpec {
        key: "dungeon",
        seller: "hanbit",
        title: "던전 러너 (Dungeon Runner)",
        summary: "한 손으로 즐기는 로그라이크 액션. 매일 바뀌는 던전을 달려 보물을 찾으세요. 광고 없음.\n\n\
                  One-handed roguelike action: run a new dungeon every day and grab the treasure. No ads.",
        price: Some((3_300, "KRW")),
    },
    AppSpec {
        key: "puzzle",
        seller: "hanbit",
        title: "한글 퍼즐 마스터 (Hangul Puzzle Master)",
        summary: "자음과 모음을 맞춰 낱말을 완성하는 두뇌 퍼즐 1,000단계.\n\n\
                  A thousand levels of word puzzles: combine Korean consonants and vowels into words.",
        price: Some((1_200, "KRW")),
    },
    AppSpec {
        key: "weather",
        seller: "bluelake",
        title: "Lakeside Weather (호숫가 날씨)",
        summary: "Hour-by-hour forecasts, fine-dust alerts and a calm home-screen widget.\n\n\
                  시간별 예보와 미세먼지 알림, 깔끔한 홈 화면 위젯을 제공합니다.",
        price: None,
    },
    AppSpec {
        key: "budget",
        seller: "bluelake",
        title: "Pocket Budget",
        summary: "Track spending in seconds, split bills with friends and export to CSV.\n\n\
                  몇 초 만에 지출을 기록하고, 친구와 더치페이를 정산하고, CSV로 내보내세요.",
        price: Some((299, "USD")),
    },
    AppSpec {
        key: "tiles",
        seller: "bluelake",
        title: "Sky Tiles (스카이 타일)",
        summary: "Match the tiles before the clouds roll in: a relaxing puzzle with daily challenges.\n\n\
                  구름이 몰려오기 전에 타일을 맞추세요. 매일 새로운 도전이 있는 힐링 퍼즐.",
        price: None,
    },
];

pub(super) const ITEMS: &[ItemSpec] = &[
    ItemSpec {
        key: "farm-gems", app: "farm", title: "별빛 보석 100개 (100 Starlight Gems)", price: (1_200, "KRW")
    },
    ItemSpec {
        key: "farm-sprout", app: "farm", title: "새싹 패키지 (Sprout Starter Pack)", price: (3_300, "KRW")
    },
    ItemSpec {
        key: "dungeon-skins", app: "dungeon", title: "영웅 스킨 팩 (Hero Skin Pack)", price: (2_500, "KRW")
    },
    ItemSpec { key: "tiles-hints", app: "tiles", title: "Hint Bundle ×10 (힌트 10개)", price: (1_200, "KRW") },
    ItemSpec { key: "tiles-adfree", app: "tiles", title: "Ad-free Pass (광고 제거)", price: (3_300, "KRW") },
];

/// Each customer has paid and free purchases of both sellers' apps (the README's demo),
/// item purchases, and cancelled purchases: one recorded cancelled by the payment system
/// (customer1's hint bundle), the others cancelled by the refund story of [`INQUIRIES`]
/// (an approved request, a cancellation on the developer's behalf). New rows go at the
/// end, so that the payment ids of the earlier ones stay the same.
pub(super) const PURCHASES: &[PurchaseSpec] = &[
    // customer1 (ko)
    purchase("c1-farm", "customer1@example.com", Product::App("farm"), 28, (20, 41)),
    purchase("c1-weather", "customer1@example.com", Product::App("weather"), 26, (7, 30)),
    purchase("c1-farm-sprout", "customer1@example.com", Product::Item("farm-sprout"), 25, (21, 3)),
    purchase("c1-dungeon", "customer1@example.com", Product::App("dungeon"), 21, (12, 15)),
    purchase("c1-budget", "customer1@example.com", Product::App("budget"), 16, (9, 12)),
    purchase("c1-farm-gems", "customer1@example.com", Product::Item("farm-gems"), 11, (23, 47)),
    purchase("c1-tiles", "customer1@example.com", Product::App("tiles"), 9, (18, 20)),
    cancelled("c1-tiles-hints", "customer1@example.com", Product::Item("tiles-hints"), 3, (22, 5)),
    // customer2 (en)
    purchase("c2-tiles", "customer2@example.com", Product::App("tiles"), 29, (19, 55)),
    purchase("c2-tiles-adfree", "customer2@example.com", Product::Item("tiles-adfree"), 24, (20, 10)),
    purchase("c2-puzzle", "customer2@example.com", Product::App("puzzle"), 19, (13, 30)),
    purchase("c2-budget", "customer2@example.com", Product::App("budget"), 13, (8, 45)),
    purchase("c2-farm", "customer2@example.com", Product::App("farm"), 10, (22, 40)),
    purchase("c2-farm-gems", "customer2@example.com", Product::Item("farm-gems"), 8, (23, 15)),
    purchase("c2-weather", "customer2@example.com", Product::App("weather"), 6, (7, 5)),
    // Paid when recorded; the approved request of `c2-dungeon-refund` cancels it.
    purchase("c2-dungeon", "customer2@example.com", Product::App("dungeon"), 2, (17, 50)),
    // The refund story (R5-R9).
    purchase("c2-tiles-hints", "customer2@example.com", Product::Item("tiles-hints"), 6, (20, 30)),
    purchase("c1-tiles-adfree", "customer1@example.com", Product::Item("tiles-adfree"), 10, (21, 10)),
    purchase("c1-puzzle", "customer1@example.com", Product::App("puzzle"), 4, (21, 30)),
];

pub(super) const fn purchase(
    key: &'static str,
    customer: &'static str,
    product: Product,
    days_ago: i32,
    at: (i8, i8),
) -> PurchaseSpec {
    PurchaseSpec { key, customer, product, days_ago, at, status: PurchaseStatus::Paid }
}

pub(super) const fn cancelled(
    key: &'static str,
    customer: &'static str,
    product: Product,
    days_ago: i32,
    at: (i8, i8),
) -> PurchaseSpec {
    PurchaseSpec { key, customer, product, days_ago, at, status: PurchaseStatus::Cancelled }
}
