//! The demo's reviews (R10-R13, R18) as tables: the extra reviewer accounts, the
//! sellers' saved replies, and every review step by step: written, answered, edited
//! after the answer, reported, hidden and shown again.

use super::*;

/// A demo customer who only writes reviews; they obtained every app they review (a
/// purchase recorded before the review, free or paid as the app is).
pub(super) struct ReviewerSpec {
    pub(super) email: &'static str,
    pub(super) display_name: &'static str,
    pub(super) customer_no: &'static str,
    pub(super) locale: Locale,
}

/// Reviewers besides customer1 and customer2, in Korean and English, so that every app's
/// page reads like many people rated it.
pub(super) const REVIEWERS: &[ReviewerSpec] = &[
    reviewer("reviewer1@example.com", "박지훈", "C-100101", Locale::Ko),
    reviewer("reviewer2@example.com", "최민지", "C-100102", Locale::Ko),
    reviewer("reviewer3@example.com", "한예린", "C-100103", Locale::Ko),
    reviewer("reviewer4@example.com", "오준호", "C-100104", Locale::Ko),
    reviewer("reviewer5@example.com", "Sarah Thompson", "C-100105", Locale::En),
    reviewer("reviewer6@example.com", "Daniel Kim", "C-100106", Locale::En),
    reviewer("reviewer7@example.com", "Olivia Brown", "C-100107", Locale::En),
    reviewer("reviewer8@example.com", "Lucas Martin", "C-100108", Locale::En),
];

const fn reviewer(
    email: &'static str,
    display_name: &'static str,
    customer_no: &'static str,
    locale: Locale,
) -> ReviewerSpec {
    ReviewerSpec { email, display_name, customer_no, locale }
}

/// A seller's saved reply, with the `{customer_name}` and `{app_title}` placeholders.
pub(super) struct TemplateSpec {
    pub(super) key: &'static str,
    pub(super) seller: &'static str,
    pub(super) title: &'static str,
    pub(super) text: &'static str,
    pub(super) lang: &'static str,
    pub(super) hours_ago: i64,
}

const HANBIT_THANKS_KO: &str = "{customer_name}님, {app_title}을(를) 즐겨 주셔서 감사합니다! 보내 주신 의견은 \
     팀원 모두가 읽고 있어요. 앞으로도 더 재미있는 업데이트로 보답하겠습니다. — 한빛게임즈";
const HANBIT_THANKS_EN: &str = "Thank you for playing {app_title}, {customer_name}! Every review is read by the \
     whole team, and yours helps us decide what to build next.";
const BLUELAKE_THANKS_EN: &str = "Thanks so much for the review, {customer_name}! We're a small team, and feedback \
     like yours shapes every update of {app_title}.";
const BLUELAKE_THANKS_KO: &str = "{customer_name}님, {app_title}을(를) 사용해 주셔서 감사합니다! 남겨 주신 \
     의견은 다음 업데이트에 꼭 반영하겠습니다. — Blue Lake Apps";

pub(super) const TEMPLATES: &[TemplateSpec] = &[
    TemplateSpec {
        key: "hanbit-thanks-ko",
        seller: "hanbit",
        title: "감사 인사 (한국어)",
        text: HANBIT_THANKS_KO,
        lang: "ko",
        hours_ago: 700,
    },
    TemplateSpec {
        key: "hanbit-thanks-en",
        seller: "hanbit",
        title: "Thank you (English)",
        text: HANBIT_THANKS_EN,
        lang: "en",
        hours_ago: 699,
    },
    TemplateSpec {
        key: "hanbit-bug-ko",
        seller: "hanbit",
        title: "버그 안내 (한국어)",
        text: "{customer_name}님, 불편을 드려 죄송합니다. {app_title}의 문제를 확인하고 있어요. 앱의 \
               '판매자에게 문의'로 기기 정보와 상황을 알려 주시면 더 빨리 해결할 수 있습니다.",
        lang: "ko",
        hours_ago: 690,
    },
    TemplateSpec {
        key: "bluelake-thanks-en",
        seller: "bluelake",
        title: "Thanks (English)",
        text: BLUELAKE_THANKS_EN,
        lang: "en",
        hours_ago: 710,
    },
    TemplateSpec {
        key: "bluelake-thanks-ko",
        seller: "bluelake",
        title: "감사 인사 (Korean)",
        text: BLUELAKE_THANKS_KO,
        lang: "ko",
        hours_ago: 705,
    },
    TemplateSpec {
        key: "bluelake-bug-en",
        seller: "bluelake",
        title: "Bug report (English)",
        text: "Sorry about the trouble, {customer_name}. Please send us the details with Contact seller on the \
               {app_title} page, so that we can fix it quickly.",
        lang: "en",
        hours_ago: 695,
    },
];

/// One step in a review's life, `hours_ago` hours before the seed's `now`.
pub(super) enum ReviewStep {
    /// R10: the customer writes (the first time) or edits the review.
    Write { hours_ago: i64, stars: i64, text: Option<&'static str> },
    /// R11: the seller's developer posts the official reply (placeholders filled).
    Reply { hours_ago: i64, text: &'static str },
    /// R12: someone (an account email) reports the review or its reply.
    Report { hours_ago: i64, by: &'static str, target: &'static str, reason: &'static str, note: Option<&'static str> },
    /// R12: the operator hides the review or its reply, with a reason.
    Hide { hours_ago: i64, target: ReportTarget, reason: &'static str },
    /// R12: the operator shows it again, with a reason.
    Show { hours_ago: i64, target: ReportTarget, reason: &'static str },
}

impl ReviewStep {
    pub(super) fn hours_ago(&self) -> i64 {
        match self {
            ReviewStep::Write { hours_ago, .. }
            | ReviewStep::Reply { hours_ago, .. }
            | ReviewStep::Report { hours_ago, .. }
            | ReviewStep::Hide { hours_ago, .. }
            | ReviewStep::Show { hours_ago, .. } => *hours_ago,
        }
    }
}

const fn write(hours_ago: i64, stars: i64, text: &'static str) -> ReviewStep {
    ReviewStep::Write { hours_ago, stars, text: Some(text) }
}

const fn stars_only(hours_ago: i64, stars: i64) -> ReviewStep {
    ReviewStep::Write { hours_ago, stars, text: None }
}

const fn reply(hours_ago: i64, text: &'static str) -> ReviewStep {
    ReviewStep::Reply { hours_ago, text }
}

const fn report(
    hours_ago: i64,
    by: &'static str,
    target: &'static str,
    reason: &'static str,
    note: Option<&'static str>,
) -> ReviewStep {
    ReviewStep::Report { hours_ago, by, target, reason, note }
}

const fn hide(hours_ago: i64, target: ReportTarget, reason: &'static str) -> ReviewStep {
    ReviewStep::Hide { hours_ago, target, reason }
}

const fn show(hours_ago: i64, target: ReportTarget, reason: &'static str) -> ReviewStep {
    ReviewStep::Show { hours_ago, target, reason }
}

/// A demo review: `customer` is an account or reviewer email, `app` an [`AppSpec`] key;
/// `steps` run forward in time and start with a [`ReviewStep::Write`].
pub(super) struct ReviewSpec {
    pub(super) key: &'static str,
    pub(super) customer: &'static str,
    pub(super) app: &'static str,
    pub(super) steps: &'static [ReviewStep],
}

const fn review(
    key: &'static str,
    customer: &'static str,
    app: &'static str,
    steps: &'static [ReviewStep],
) -> ReviewSpec {
    ReviewSpec { key, customer, app, steps }
}

pub(super) const C1: &str = "customer1@example.com";
const C2: &str = "customer2@example.com";
const R: ReportTarget = ReportTarget::Review;
const REPLY: ReportTarget = ReportTarget::Reply;

/// Every app's reviews. customer1 reviewed Starlight Farm (answered; hers to edit) and
/// not Dungeon Runner (a browser test writes that one); dev1 owes answers; one reply is
/// outdated (R18); one review is hidden and one hidden then shown again; one reply is
/// hidden and one hidden then shown again; three items wait in the moderation queue.
pub(super) const REVIEWS: &[ReviewSpec] = &[
    // 별빛 농장 이야기 (hanbit, free)
    review(
        "c1-farm",
        C1,
        "farm",
        &[
            write(
                600,
                4,
                "작물 키우는 재미가 쏠쏠해요. 마을 주민들과 친해지는 이벤트도 귀엽고, 밤하늘 배경 음악이 정말 \
                       좋아요. 에너지가 조금만 더 빨리 찼으면 좋겠어요.",
            ),
            reply(
                580,
                "{customer_name}님, 별빛 농장을 아껴 주셔서 감사합니다! 에너지 회복 속도는 다음 업데이트에서 \
                    조정할 예정이에요. 겨울 축제 이벤트도 곧 찾아갑니다. — 한빛게임즈 김도윤",
            ),
        ],
    ),
    review(
        "r1-farm",
        "reviewer1@example.com",
        "farm",
        &[
            write(400, 2, "업데이트 후에 수확할 때마다 화면이 멈춰요. 재미있게 하던 게임인데 아쉽습니다."),
            reply(
                380,
                "{customer_name}님, 불편을 드려 죄송합니다. 수확할 때 멈추는 문제는 1.4.2 업데이트에서 \
                    수정했습니다. 업데이트 후에도 같은 문제가 있으면 '판매자에게 문의'로 알려 주세요.",
            ),
            // R18: edited after the answer; the reply is now outdated.
            write(200, 4, "1.4.2 업데이트 후 멈춤 문제가 해결됐어요! 다만 에너지 회복이 너무 느려서 별 하나 뺍니다."),
        ],
    ),
    review(
        "r5-farm",
        "reviewer5@example.com",
        "farm",
        &[write(
            330,
            4,
            "A genuinely relaxing farming game. The villagers are charming and the night-sky music is \
                       lovely. I only wish crops grew a little faster without gems.",
        )],
    ),
    review("r2-farm", "reviewer2@example.com", "farm", &[stars_only(260, 5)]),
    review(
        "c2-farm",
        C2,
        "farm",
        &[write(
            150,
            3,
            "Cute art and a calm mood, but the energy system stops me after ten minutes unless I buy gems.",
        )],
    ),
    review(
        "r6-farm",
        "reviewer6@example.com",
        "farm",
        &[
            write(90, 1, "FREE GEMS!!! Visit free-gems-starfarm.example and enter my code for 10,000 gems every day."),
            report(80, "reviewer5@example.com", "review", "spam", Some("Advertises a gem generator site.")),
            report(70, "dev1@example.com", "review", "spam", Some("외부 사이트를 홍보하는 리뷰입니다.")),
            hide(60, R, "Reviews may not advertise other websites or offer game currency."),
        ],
    ),
    // 던전 러너 (hanbit, paid): no review by customer1.
    review(
        "r3-dungeon",
        "reviewer3@example.com",
        "dungeon",
        &[
            write(
                640,
                5,
                "광고 없이 한 손으로 즐길 수 있어서 출퇴근길에 딱이에요. 매일 바뀌는 던전 덕분에 질리지 않습니다.",
            ),
            reply(620, HANBIT_THANKS_KO),
        ],
    ),
    review(
        "r7-dungeon",
        "reviewer7@example.com",
        "dungeon",
        &[
            write(
                420,
                4,
                "Tight one-handed controls and no ads, which is rare. The difficulty spikes hard after floor \
                       20, though.",
            ),
            reply(
                400,
                "Thanks for playing, {customer_name}! Floor 20 is meant to be a wall, but we hear you: the next \
                    update adds a checkpoint at floor 15. Like word games? Try our Hangul Puzzle Master too!",
            ),
            report(
                380,
                "reviewer8@example.com",
                "reply",
                "spam",
                Some("The reply advertises the developer's other game."),
            ),
        ],
    ),
    review("r4-dungeon", "reviewer4@example.com", "dungeon", &[stars_only(200, 3)]),
    review(
        "r8-dungeon",
        "reviewer8@example.com",
        "dungeon",
        &[
            write(100, 1, "Crashes every time I reach the third boss. I paid for this and I want my money back."),
            report(
                90,
                "dev1@example.com",
                "review",
                "off_topic",
                Some("환불 요청은 리뷰가 아니라 문의로 접수해야 합니다."),
            ),
        ],
    ),
    // 한글 퍼즐 마스터 (hanbit, paid)
    review(
        "c1-puzzle",
        C1,
        "puzzle",
        &[write(
            50,
            4,
            "자음과 모음을 맞춰 낱말을 만드는 방식이 신선해요. 아이랑 같이 하기에도 좋아요. 힌트가 조금 더 \
                      있었으면 좋겠어요.",
        )],
    ),
    review(
        "c2-puzzle",
        C2,
        "puzzle",
        &[
            write(
                380,
                5,
                "I'm learning Korean and this is the most fun practice I've found. Building words from \
                       consonants and vowels finally made batchim click for me.",
            ),
            reply(360, HANBIT_THANKS_EN),
        ],
    ),
    review(
        "r2-puzzle",
        "reviewer2@example.com",
        "puzzle",
        &[
            write(300, 2, "처음엔 재밌는데 500단계 이후로는 같은 유형이 반복돼요. 1,000단계라는 말이 무색합니다."),
            reply(
                290,
                "{customer_name}님, 솔직한 의견 감사합니다. 그래도 1,000단계를 모두 깨신 분은 아직 없답니다 :) \
                    후반부에는 새로운 유형의 퍼즐을 추가할 예정입니다.",
            ),
            report(280, "reviewer2@example.com", "reply", "abusive", Some("제 실력을 비꼬는 것 같아 불쾌합니다.")),
            hide(270, REPLY, "신고를 검토하는 동안 답변을 숨깁니다."),
            show(240, REPLY, "검토 결과 답변이 리뷰 내용에 답하고 있어 다시 표시합니다."),
        ],
    ),
    review("r3-puzzle", "reviewer3@example.com", "puzzle", &[stars_only(30, 5)]),
    // Lakeside Weather (bluelake, free)
    review(
        "c1-weather",
        C1,
        "weather",
        &[
            write(
                550,
                4,
                "위젯이 깔끔하고 미세먼지 알림이 정확해요. 다만 위젯 글씨를 조금 더 크게 설정할 수 있으면 \
                       좋겠어요.",
            ),
            reply(530, BLUELAKE_THANKS_KO),
        ],
    ),
    review(
        "c2-weather",
        C2,
        "weather",
        &[write(
            110,
            2,
            "Rain alerts arrive about an hour after it has started raining. The hourly chart is nice, but \
                       the alerts are the reason I installed it.",
        )],
    ),
    review("r5-weather", "reviewer5@example.com", "weather", &[stars_only(350, 5)]),
    review(
        "r1-weather",
        "reviewer1@example.com",
        "weather",
        &[
            write(230, 3, "예보 화면은 보기 좋은데 비 예보가 자주 틀려요."),
            reply(
                220,
                "{customer_name}님, 불편을 드려 죄송합니다. 지역 예보를 더 촘촘한 격자로 계산하도록 바꾸는 \
                    중이에요. 다음 달 업데이트를 기대해 주세요.",
            ),
        ],
    ),
    review(
        "r4-weather",
        "reviewer4@example.com",
        "weather",
        &[
            write(40, 1, "개발자 진짜 머리 나쁜 듯 ㅋㅋ 날씨도 못 맞추는 날씨 앱"),
            report(
                30,
                "dev2@example.com",
                "review",
                "abusive",
                Some("Insults the developers instead of reviewing the app."),
            ),
            report(20, C1, "review", "abusive", None),
        ],
    ),
    // Pocket Budget (bluelake, paid)
    review(
        "c1-budget",
        C1,
        "budget",
        &[
            write(
                330,
                5,
                "더치페이 정산 기능이 정말 편해요. 모임 끝나고 바로 나눠서 보내면 끝! CSV 내보내기로 가계부 \
                       정리도 쉬워졌어요.",
            ),
            reply(320, BLUELAKE_THANKS_KO),
        ],
    ),
    review(
        "c2-budget",
        C2,
        "budget",
        &[
            write(
                260,
                4,
                "CSV export is handy and the categories make sense. I'd love a monthly budget limit with a \
                       warning.",
            ),
            reply(250, BLUELAKE_THANKS_EN),
        ],
    ),
    review(
        "r5-budget",
        "reviewer5@example.com",
        "budget",
        &[
            write(180, 2, "After the last update, sync lost a whole week of my entries."),
            reply(
                170,
                "So sorry, {customer_name}! Call me directly at 010-2345-6789 and I'll restore your data myself.",
            ),
            report(160, "reviewer6@example.com", "reply", "personal_info", Some("The reply publishes a phone number.")),
            hide(
                150,
                REPLY,
                "Official replies must not contain personal phone numbers; please help the customer \
                          through an inquiry instead.",
            ),
        ],
    ),
    review(
        "r7-budget",
        "reviewer7@example.com",
        "budget",
        &[write(95, 5, "The best budgeting app I've paid for. Splitting bills with friends takes seconds.")],
    ),
    // Sky Tiles (bluelake, free)
    review("c1-tiles", C1, "tiles", &[write(140, 3, "힐링되는 퍼즐이지만 판마다 광고가 나와서 흐름이 끊겨요.")]),
    review(
        "c2-tiles",
        C2,
        "tiles",
        &[
            write(
                650,
                5,
                "My daily five-minute break. The cloud animation is gorgeous and the daily challenge is just \
                       hard enough.",
            ),
            reply(640, "Thank you, {customer_name}! Tomorrow's challenge is a tricky one. Good luck!"),
        ],
    ),
    review(
        "r8-tiles",
        "reviewer8@example.com",
        "tiles",
        &[
            write(220, 1, "Scam!!! I bought the ad-free pass and still get ads. These developers are thieves."),
            report(210, "dev2@example.com", "review", "abusive", Some("Calls us thieves.")),
            hide(200, R, "Hidden after a report of abusive language."),
            show(
                120,
                R,
                "On review, the complaint about the ad-free pass is a fair one, so the review is shown again. \
                      Please keep reviews free of insults.",
            ),
        ],
    ),
    review(
        "r2-tiles",
        "reviewer2@example.com",
        "tiles",
        &[write(80, 4, "타일 디자인이 예쁘고 배경 음악이 잔잔해서 자기 전에 하기 좋아요.")],
    ),
    review("r6-tiles", "reviewer6@example.com", "tiles", &[stars_only(45, 4)]),
];
