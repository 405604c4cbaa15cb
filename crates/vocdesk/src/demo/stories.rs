//! The demo's stories: every inquiry, step by step, and the off-store request.

use super::*;
/// A file attached to a demo message.
pub(super) struct FileSpec {
    pub(super) name: &'static str,
    pub(super) content: &'static str,
}

/// One step of a demo thread, `hours_ago` hours before the seed's `now`.
pub(super) enum Step {
    /// A customer message, with an optional file; the first step opens the inquiry.
    Customer { hours_ago: i64, body: &'static str, file: Option<&'static FileSpec> },
    /// A reply by the developer of the app's seller.
    Developer { hours_ago: i64, body: &'static str },
    /// One side closes the thread (R4).
    Close { hours_ago: i64, side: Side },
    /// R7: the customer consents to share personal information later, from the thread.
    Consent { hours_ago: i64 },
    /// R5: the reminder sweep reminds the seller of the customer's wait, 24 hours before
    /// the limit (or later).
    Remind { hours_ago: i64 },
    /// R8: the developer submits a cancellation request for the inquiry's purchase.
    Request { hours_ago: i64, reason: &'static str },
    /// R8: an operator approves the inquiry's request: the purchase is cancelled.
    Approve { hours_ago: i64 },
    /// R8: an operator rejects the inquiry's request, with a reason.
    Reject { hours_ago: i64, reason: &'static str },
    /// R5: past the limit, an operator cancels the purchase on the developer's behalf.
    OnBehalf { hours_ago: i64 },
}

impl Step {
    pub(super) fn hours_ago(&self) -> i64 {
        match self {
            Step::Customer { hours_ago, .. }
            | Step::Developer { hours_ago, .. }
            | Step::Close { hours_ago, .. }
            | Step::Consent { hours_ago }
            | Step::Remind { hours_ago }
            | Step::Request { hours_ago, .. }
            | Step::Approve { hours_ago }
            | Step::Reject { hours_ago, .. }
            | Step::OnBehalf { hours_ago } => *hours_ago,
        }
    }
}

pub(super) const fn ask(hours_ago: i64, body: &'static str) -> Step {
    Step::Customer { hours_ago, body, file: None }
}

pub(super) const fn ask_with(hours_ago: i64, body: &'static str, file: &'static FileSpec) -> Step {
    Step::Customer { hours_ago, body, file: Some(file) }
}

pub(super) const fn answer(hours_ago: i64, body: &'static str) -> Step {
    Step::Developer { hours_ago, body }
}

pub(super) const fn close(hours_ago: i64, side: Side) -> Step {
    Step::Close { hours_ago, side }
}

pub(super) const fn consent(hours_ago: i64) -> Step {
    Step::Consent { hours_ago }
}

pub(super) const fn remind(hours_ago: i64) -> Step {
    Step::Remind { hours_ago }
}

pub(super) const fn request(hours_ago: i64, reason: &'static str) -> Step {
    Step::Request { hours_ago, reason }
}

pub(super) const fn approve(hours_ago: i64) -> Step {
    Step::Approve { hours_ago }
}

pub(super) const fn reject(hours_ago: i64, reason: &'static str) -> Step {
    Step::Reject { hours_ago, reason }
}

pub(super) const fn on_behalf(hours_ago: i64) -> Step {
    Step::OnBehalf { hours_ago }
}

/// A demo inquiry (R1): `customer` is an account email, `app` an [`AppSpec`] key and
/// `purchase` a [`PurchaseSpec`] key of that customer's purchase of that app. `steps` are
/// in time order and start with the customer's question.
pub(super) struct InquirySpec {
    pub(super) key: &'static str,
    pub(super) customer: &'static str,
    pub(super) app: &'static str,
    pub(super) purchase: Option<&'static str>,
    pub(super) category: Category,
    pub(super) channel: Channel,
    pub(super) consent: bool,
    pub(super) subject: &'static str,
    pub(super) steps: &'static [Step],
}

/// The crash log customer1 attaches to her Starlight Farm error report.
pub(super) const FARM_CRASH_LOG: FileSpec = FileSpec {
    name: "starfarm-crash.log",
    content: "StarlightFarm 1.4.1 (build 311) iOS 17.5 iPhone13,1\n\
              [12:03:41.218] INFO  LevelUp: 11 -> 12\n\
              [12:03:41.220] INFO  RewardPopup: open reward_table=lv12\n\
              [12:03:41.365] ERROR AssetLoader: deco_lantern_limited.bundle: missing manifest entry\n\
              [12:03:41.366] FATAL Unhandled NullReferenceException in RewardPopup.ShowItems()\n\
              \x20 at RewardPopup.ShowItems (RewardPopup.cs:88)\n\
              \x20 at LevelUpFlow.OnLevelChanged (LevelUpFlow.cs:142)\n\
              [12:03:41.371] INFO  CrashReporter: session 8f2c1e saved\n",
};

/// Inquiries in every R4 state, in the language of the customer who asked: Korean for
/// customer1, English for customer2 (and for the Korean seller's reply to customer2, and
/// the English-speaking seller's reply to customer1 in Korean). The refund story runs
/// through the last six; every wait past 48 hours got its R5 reminder.
///
/// | key | state at `now` |
/// | --- | --- |
/// | `c1-farm-visit` | awaiting_developer, 2 h |
/// | `c2-weather-widget` | awaiting_developer, 5 h, channel `api` |
/// | `c1-dungeon-refund` | awaiting_developer, overdue (R5): 5 days, reminded, a follow-up, no reply; refund, paid, consent |
/// | `c2-farm-gems` | awaiting_developer, overdue (R5): 4 days, reminded, no reply |
/// | `c1-farm-crash` | awaiting_customer (answered), with a log attachment |
/// | `c2-tiles-restore` | awaiting_customer (answered) |
/// | `c2-budget-csv` | awaiting_developer again: a follow-up after the answer |
/// | `c1-farm-gems` | closed by the customer |
/// | `c2-dungeon-refund` | closed by the developer; its request (R8) approved: purchase cancelled |
/// | `c1-dungeon-skins` | closed by the developer |
/// | `c2-tiles-streak` | reopened after closing: awaiting_developer |
/// | `c1-budget-krw` | awaiting_developer, 30 h |
/// | `c2-hints-refund` | awaiting_developer, overdue (R5): 100 h, reminded; refund, paid, no consent |
/// | `c1-sprout-refund` | awaiting_developer, 60 h: reminded (R5), not yet overdue; refund, paid, consent |
/// | `c1-budget-refund` | awaiting_customer: consent given later (R7), request open (R8) |
/// | `c2-adfree-refund` | awaiting_customer: request rejected with a reason (R8) |
/// | `c1-adfree-refund` | closed by the customer after the store cancelled on the developer's behalf (R5) |
///
/// [`OFF_STORE`] adds a refund asked for by phone (R9), its request open.
pub(super) const INQUIRIES: &[InquirySpec] = &[
    InquirySpec {
        key: "c1-farm-visit",
        customer: "customer1@example.com",
        app: "farm",
        purchase: None,
        category: Category::Question,
        channel: Channel::Store,
        consent: false,
        subject: "친구 농장에 놀러 가는 방법이 궁금해요",
        steps: &[ask(
            2,
            "안녕하세요. 별빛 농장 이야기 재미있게 하고 있어요.\n\
             친구가 자기 농장에 놀러 오라고 하는데, 친구 농장 방문 메뉴를 못 찾겠어요. 친구 추가는 이미 했습니다.\n\
             어디에서 들어가면 되는지 알려 주세요.",
        )],
    },
    InquirySpec {
        key: "c2-weather-widget",
        customer: "customer2@example.com",
        app: "weather",
        purchase: Some("c2-weather"),
        category: Category::Maintenance,
        channel: Channel::Api,
        consent: false,
        subject: "Feature request: fine dust level on the small widget",
        steps: &[ask(
            5,
            "Hi Blue Lake team,\n\n\
             I love the calm widget, but the 2x2 size only shows the temperature. Could you add the fine dust \
             (PM2.5) level to it? I check it every morning before my run, and right now I have to open the app \
             for it.\n\nThanks,\nJames",
        )],
    },
    InquirySpec {
        key: "c1-dungeon-refund",
        customer: "customer1@example.com",
        app: "dungeon",
        purchase: Some("c1-dungeon"),
        category: Category::Refund,
        channel: Channel::Store,
        consent: true,
        subject: "환불 요청드립니다 (실행이 안 됩니다)",
        steps: &[
            ask(
                120,
                "던전 러너를 구매했는데 제 휴대폰(갤럭시 A12, 안드로이드 13)에서 로딩 화면 80%에서 멈추고 더 이상 진행이 안 됩니다.\n\
                 앱 삭제 후 재설치, 휴대폰 재부팅까지 해 봤는데 똑같습니다.\n\
                 플레이를 할 수 없어서 환불 요청드립니다. 결제 확인에 필요하시면 개인정보 제공에 동의합니다.",
            ),
            remind(71),
            ask(30, "문의드린 지 4일이 지났는데 아직 답변을 받지 못했습니다. 환불이 가능한지만이라도 알려 주세요."),
        ],
    },
    InquirySpec {
        key: "c2-farm-gems",
        customer: "customer2@example.com",
        app: "farm",
        purchase: Some("c2-farm-gems"),
        category: Category::ErrorReport,
        channel: Channel::Store,
        consent: true,
        subject: "Paid for 100 Starlight Gems but they never arrived",
        steps: &[
            ask(
                96,
                "Hello,\n\n\
             I bought the 100 Starlight Gems pack a few days ago. The payment went through (I got the receipt \
             from the store), but my gem count did not change, even after restarting the game and signing out \
             and in again.\n\n\
             I'm happy to share my payment details so you can look it up. Could you please add the gems to my \
             account?\n\nJames Miller",
            ),
            remind(47),
        ],
    },
    InquirySpec {
        key: "c1-farm-crash",
        customer: "customer1@example.com",
        app: "farm",
        purchase: Some("c1-farm"),
        category: Category::ErrorReport,
        channel: Channel::Store,
        consent: false,
        subject: "레벨 12에서 앱이 종료됩니다",
        steps: &[
            ask_with(
                70,
                "농장 레벨 12가 되는 순간 보상 창이 뜨다가 앱이 꺼집니다. 다시 들어가면 레벨 11로 돌아가 있고, \
                 수확해서 다시 레벨 12가 되면 또 꺼지는 게 반복돼요.\n\
                 기기는 아이폰 12 미니, iOS 17.5입니다. 설정에서 찾은 오류 로그를 첨부합니다.",
                &FARM_CRASH_LOG,
            ),
            answer(
                52,
                "이서연 님, 불편을 드려 죄송합니다. 보내 주신 로그 덕분에 원인을 찾았습니다.\n\
                 레벨 12 보상에 들어 있는 한정 장식품을 불러오는 과정에서 iOS 17.5 일부 기기에서 오류가 발생하고 있었습니다. \
                 수정한 1.4.2 버전을 오늘 심사에 제출했고, 2~3일 안에 업데이트될 예정입니다.\n\
                 업데이트 후에도 같은 문제가 생기면 이 문의에 답장 부탁드립니다. 사과의 의미로 별빛 보석 30개를 우편함으로 보내 드렸습니다.",
            ),
        ],
    },
    InquirySpec {
        key: "c2-tiles-restore",
        customer: "customer2@example.com",
        app: "tiles",
        purchase: Some("c2-tiles-adfree"),
        category: Category::Question,
        channel: Channel::Store,
        consent: true,
        subject: "Ad-free Pass not restored on my new phone",
        steps: &[
            ask(
                40,
                "Hi,\n\n\
                 I switched to a new phone this week and reinstalled Sky Tiles, but the ads are back even though \
                 I bought the Ad-free Pass last month. I'm signed in with the same store account. How do I get it \
                 back?\n\nThanks!",
            ),
            answer(
                20,
                "Hi James,\n\n\
                 Sorry about that! The pass belongs to your store account, so nothing is lost. On the new phone, \
                 open Settings (the gear on the title screen) > Purchases > Restore purchases, and the pass comes \
                 back within a few seconds.\n\n\
                 If you still see ads after that, just reply here and I'll check your purchase on our side.\n\n\
                 Emily, Blue Lake Apps",
            ),
        ],
    },
    InquirySpec {
        key: "c2-budget-csv",
        customer: "customer2@example.com",
        app: "budget",
        purchase: Some("c2-budget"),
        category: Category::Maintenance,
        channel: Channel::Store,
        consent: false,
        subject: "CSV export opens as a single column in Excel",
        steps: &[
            ask(
                80,
                "Hello,\n\n\
                 When I export my expenses to CSV and open the file in Excel, everything ends up in column A. \
                 Would it be possible to choose the separator, or to export to .xlsx directly?\n\nJames",
            ),
            answer(
                60,
                "Hi James,\n\n\
                 Thanks for the suggestion. Until we add a separator option, you can open the file with Data > \
                 From Text/CSV in Excel and pick \"Comma\" as the delimiter; dates and amounts then keep their own \
                 columns.\n\n\
                 An .xlsx export is planned for the next release.\n\nEmily",
            ),
            ask(
                6,
                "Thanks, that works on my laptop. Excel on the iPad has no From Text/CSV option, though, so I \
                 still get a single column there. Is the separator setting coming soon?",
            ),
        ],
    },
    InquirySpec {
        key: "c1-farm-gems",
        customer: "customer1@example.com",
        app: "farm",
        purchase: Some("c1-farm-gems"),
        category: Category::Other,
        channel: Channel::Store,
        consent: false,
        subject: "결제했는데 아이템이 안 들어왔어요",
        steps: &[
            ask(
                216,
                "그저께 밤에 별빛 보석 100개를 결제했는데 보석이 안 들어왔어요. 결제 완료 문자는 받았습니다.\n\
                 게임을 껐다 켜도 그대로예요. 확인 부탁드립니다.",
            ),
            answer(
                200,
                "안녕하세요, 한빛게임즈 고객지원 김도윤입니다.\n\
                 확인해 보니 결제 직후 서버 점검이 시작되어 지급이 누락되었습니다. 방금 별빛 보석 100개를 지급해 드렸습니다.\n\
                 게임을 다시 시작하신 뒤 우편함에서 받아 주세요. 불편을 드려 죄송합니다.",
            ),
            ask(190, "방금 받았습니다. 빠르게 처리해 주셔서 감사합니다!"),
            close(189, Side::Customer),
        ],
    },
    InquirySpec {
        key: "c2-dungeon-refund",
        customer: "customer2@example.com",
        app: "dungeon",
        purchase: Some("c2-dungeon"),
        category: Category::Refund,
        channel: Channel::Store,
        consent: true,
        subject: "Bought Dungeon Runner by mistake - refund please",
        steps: &[
            ask(
                26,
                "Hello,\n\n\
                 I bought Dungeon Runner by mistake; I meant to tap the free demo of another game, and I haven't \
                 opened it at all. Could I get a refund?\n\nThank you,\nJames Miller",
            ),
            answer(
                21,
                "Hello James,\n\n\
                 Thank you for letting us know. We have asked the store to cancel this purchase; the money goes \
                 back to your original payment method, usually within 3 to 5 business days.\n\n\
                 The game leaves your library once the cancellation is complete. Sorry for the trouble!\n\n\
                 Doyun Kim, Hanbit Games",
            ),
            request(
                20,
                "구매 후 하루 이내의 요청이고 실행 기록이 없습니다(다른 게임의 무료 체험판으로 착각해 잘못 구매). \
                 전액 환불에 동의합니다.\n\
                 Bought by mistake within a day and never launched; we agree to a full refund.",
            ),
            close(19, Side::Developer),
            approve(8),
        ],
    },
    InquirySpec {
        key: "c1-dungeon-skins",
        customer: "customer1@example.com",
        app: "dungeon",
        purchase: None,
        category: Category::Question,
        channel: Channel::Store,
        consent: false,
        subject: "영웅 스킨 팩을 다른 기기에서도 쓸 수 있나요?",
        steps: &[
            ask(
                100,
                "영웅 스킨 팩을 사려고 하는데요, 휴대폰과 태블릿에서 같이 쓸 수 있는지 궁금합니다.\n\
                 그리고 스킨마다 능력치 차이가 있나요?",
            ),
            answer(
                96,
                "안녕하세요, 한빛게임즈입니다.\n\
                 같은 스토어 계정으로 로그인하시면 휴대폰과 태블릿 모두에서 스킨을 사용하실 수 있습니다. \
                 스킨은 외형만 바뀌고 능력치 차이는 없습니다.\n\
                 더 궁금하신 점이 있으면 언제든 문의해 주세요.",
            ),
            close(24, Side::Developer),
        ],
    },
    InquirySpec {
        key: "c2-tiles-streak",
        customer: "customer2@example.com",
        app: "tiles",
        purchase: Some("c2-tiles"),
        category: Category::ErrorReport,
        channel: Channel::Store,
        consent: false,
        subject: "Daily challenge streak reset to 0",
        steps: &[
            ask(
                150,
                "Hi,\n\n\
                 My daily challenge streak was at 41 days and this morning it shows 0, even though I played \
                 yesterday. I was travelling and my phone switched time zones, if that matters.\n\n\
                 Can you restore it?",
            ),
            answer(
                140,
                "Hi James,\n\n\
                 You're right: the time zone change made yesterday's game count for the wrong day. I've restored \
                 your streak to 42 days on our server; it shows after you restart the game.\n\n\
                 I'll close this inquiry for now, but feel free to write here again if anything looks off.\n\n\
                 Emily",
            ),
            close(139, Side::Developer),
            ask(
                10,
                "It happened again after today's update: the streak is back to 0, and I haven't changed time \
                 zones this time. Could you take another look?",
            ),
        ],
    },
    InquirySpec {
        key: "c1-budget-krw",
        customer: "customer1@example.com",
        app: "budget",
        purchase: None,
        category: Category::Maintenance,
        channel: Channel::Store,
        consent: false,
        subject: "원화(KRW) 금액을 소수점 없이 표시해 주세요",
        steps: &[ask(
            30,
            "Pocket Budget 잘 쓰고 있습니다. 그런데 통화를 원화로 바꿔도 금액이 소수점 두 자리(예: ₩12,000.00)로 \
             표시돼서 보기가 불편합니다.\n\
             원화는 소수점 없이 표시되도록 바꿔 주실 수 있을까요? 천 원 단위로 빠르게 입력하는 버튼도 있으면 좋겠어요.",
        )],
    },
    InquirySpec {
        key: "c2-hints-refund",
        customer: "customer2@example.com",
        app: "tiles",
        purchase: Some("c2-tiles-hints"),
        category: Category::Refund,
        channel: Channel::Store,
        consent: false,
        subject: "My child bought a Hint Bundle without asking",
        steps: &[
            ask(
                100,
                "Hello,\n\n\
                 My 8-year-old bought the Hint Bundle on my phone while playing Sky Tiles, without asking me. \
                 I have turned on purchase approval in the store settings since. The hints have not been used.\n\n\
                 Could you please refund this purchase?\n\nJames Miller",
            ),
            remind(51),
        ],
    },
    InquirySpec {
        key: "c1-sprout-refund",
        customer: "customer1@example.com",
        app: "farm",
        purchase: Some("c1-farm-sprout"),
        category: Category::Refund,
        channel: Channel::Store,
        consent: true,
        subject: "새싹 패키지 아이템이 사라졌어요. 환불 부탁드립니다",
        steps: &[
            ask(
                60,
                "지난달에 새싹 패키지를 구매했는데, 어제 업데이트 후 접속해 보니 패키지로 받은 씨앗과 비료가 모두 사라졌습니다.\n\
                 창고와 우편함 모두 확인했어요. 복구가 어렵다면 환불 부탁드립니다. 결제 확인이 필요하시면 개인정보 제공에 동의합니다.",
            ),
            remind(11),
        ],
    },
    InquirySpec {
        key: "c1-budget-refund",
        customer: "customer1@example.com",
        app: "budget",
        purchase: Some("c1-budget"),
        category: Category::Refund,
        channel: Channel::Store,
        consent: false,
        subject: "달러로 결제되어 해외 결제 수수료가 붙었어요",
        steps: &[
            ask(
                44,
                "Pocket Budget을 원화로 결제하는 줄 알았는데 US$2.99로 결제되면서 카드사 해외 결제 수수료가 따로 청구됐습니다.\n\
                 이번 결제를 취소해 주시면 원화 결제가 가능해질 때 다시 구매하고 싶습니다.",
            ),
            answer(
                40,
                "안녕하세요 이서연 님, Blue Lake Apps의 Emily입니다. 불편을 드려 죄송합니다.\n\
                 환불은 저희가 스토어에 구매 취소를 요청하는 방식으로 진행됩니다. 결제 내역(거래 번호)을 확인할 수 있도록 \
                 이 문의 화면에서 개인정보 제공에 동의해 주시겠어요? 확인되는 대로 바로 요청하겠습니다.",
            ),
            consent(37),
            ask(36, "개인정보 제공에 동의했습니다. 확인 부탁드립니다."),
            answer(
                30,
                "동의해 주셔서 감사합니다. 결제 내역을 확인했고, 방금 스토어에 구매 취소를 요청했습니다.\n\
                 스토어에서 승인되면 메일로 안내해 드리며, 결제하신 카드로 환불됩니다. 원화 가격은 다음 달에 추가할 예정입니다.",
            ),
            request(
                29,
                "The customer expected a KRW charge; her card issuer added an overseas fee to the US$2.99 charge. \
                 Payment checked with her consent (TID on record). We agree to a full refund; she will buy again \
                 once KRW pricing ships.",
            ),
        ],
    },
    InquirySpec {
        key: "c2-adfree-refund",
        customer: "customer2@example.com",
        app: "tiles",
        purchase: Some("c2-tiles-adfree"),
        category: Category::Refund,
        channel: Channel::Store,
        consent: true,
        subject: "Refund for the Ad-free Pass",
        steps: &[
            ask(
                70,
                "Hi,\n\n\
                 I've mostly stopped playing Sky Tiles since I switched phones, so I'd like a refund for the \
                 Ad-free Pass I bought last month. I'm happy to share my payment details if you need them.\n\n\
                 Thanks,\nJames",
            ),
            answer(
                66,
                "Hi James,\n\n\
                 Understood. The pass was bought more than three weeks ago, so whether it can be refunded is \
                 decided by the store's refund policy, not by us. I've sent the store a cancellation request for \
                 you; you'll hear from them by email.\n\nEmily, Blue Lake Apps",
            ),
            request(
                65,
                "Customer asks to refund the Ad-free Pass bought 24 days ago; he has stopped playing. We have no \
                 objection and leave it to the store's refund policy.",
            ),
            reject(
                30,
                "구매 후 7일이 지났고 구매 이후 계속 사용된 아이템이어서 스토어 환불 정책상 구매 취소 대상이 아닙니다.\n\
                 The pass was bought more than 7 days ago and has been in use since; under the store's refund \
                 policy it cannot be cancelled.",
            ),
            answer(
                28,
                "Hi James,\n\n\
                 The store has declined the request: passes in use are refunded only within 7 days of purchase. \
                 I'm sorry I couldn't do more. The pass stays on your account if you come back to the game.\n\n\
                 Emily",
            ),
        ],
    },
    InquirySpec {
        key: "c1-adfree-refund",
        customer: "customer1@example.com",
        app: "tiles",
        purchase: Some("c1-tiles-adfree"),
        category: Category::Refund,
        channel: Channel::Store,
        consent: true,
        subject: "광고 제거 패스가 적용되지 않아요. 환불해 주세요",
        steps: &[
            ask(
                216,
                "광고 제거 패스를 구매했는데 게임에서 광고가 계속 나옵니다. 구매 내역에는 있는데 앱을 다시 설치해도 적용이 안 돼요.\n\
                 해결이 안 되면 환불 부탁드립니다. 결제 확인에 필요하면 개인정보 제공에 동의합니다.",
            ),
            remind(167),
            on_behalf(140),
            answer(
                120,
                "이서연 님, Blue Lake Apps의 Emily입니다. 답변이 늦어 정말 죄송합니다.\n\
                 팀 휴가 기간이 겹쳐 문의를 늦게 확인했고, 그사이 답변 기한이 지나 스토어에서 구매를 취소하고 환불을 진행했습니다.\n\
                 광고 제거가 적용되지 않던 문제는 1.8.3 버전에서 수정했습니다. 다시 구매하시면 바로 적용됩니다.",
            ),
            ask(110, "환불된 것 확인했습니다. 답변 감사합니다."),
            close(109, Side::Customer),
        ],
    },
];

/// R9: a refund a customer asked for off the store (by phone or email), filed by a
/// developer of the seller with the store's form. `developer` is an account email,
/// `purchase` a [`PurchaseSpec`] key: the form names its customer number, date and time
/// and item, as the customer told them; `channel` and `consent` are the form's words.
pub(super) struct OffStoreSpec {
    pub(super) key: &'static str,
    pub(super) developer: &'static str,
    pub(super) purchase: &'static str,
    pub(super) channel: &'static str,
    pub(super) consent: &'static str,
    pub(super) hours_ago: i64,
    pub(super) reason: &'static str,
}

/// The off-store requests: customer1 phoned Hanbit Games; its request waits in the
/// operators' queue.
pub(super) const OFF_STORE: &[OffStoreSpec] = &[OffStoreSpec {
    key: "c1-puzzle-phone",
    developer: "dev1@example.com",
    purchase: "c1-puzzle",
    channel: "phone",
    consent: "O",
    hours_ago: 6,
    reason: "고객센터 전화 접수: 어머니 휴대폰에서 본인 계정으로 잘못 구매했고, 앱을 한 번도 실행하지 않았다고 합니다. \
             플레이 기록이 없음을 확인했으며 전액 환불에 동의합니다.",
}];
