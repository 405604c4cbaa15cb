//! What generated reviewers are called and what they write (`vocdesk demo --reviews N`):
//! names, and reviews put together from sentences by language, mood and app, so that a
//! million of them read like people rather than like one line repeated.

use vocdesk_domain::locale::Locale;

/// A fixed pseudo-random sequence (SplitMix64): the same numbers on every run.
pub(super) struct Dice(u64);

impl Dice {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True `percent` times in a hundred.
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.below(options.len() as u64) as usize]
    }
}

const FAMILY: &[&str] = &[
    "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황", "안", "송", "류",
    "홍",
];
const GIVEN: &[&str] = &[
    "민준", "서연", "도윤", "지우", "하준", "서윤", "시우", "지민", "주원", "하은", "예준", "수아", "지호", "지아",
    "건우", "채원", "현우", "다은", "우진", "예린", "선우", "유나", "준서", "소율", "연우", "가은", "은우", "윤서",
    "정우", "민서", "승현", "수빈", "태윤", "하린", "동현", "나연", "재원", "지안", "성민", "혜원",
];
const FIRST: &[&str] = &[
    "James", "Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Mia", "Lucas", "Sophia", "Mason", "Isabella", "Logan",
    "Amelia", "Ryan", "Harper", "Daniel", "Chloe", "Henry", "Grace", "Jack", "Lily", "Owen", "Zoe", "Leo", "Hannah",
    "Nathan", "Ella", "Aiden", "Nora", "Caleb", "Ruby", "Samuel", "Alice", "David", "Julia", "Thomas", "Maya", "Adam",
    "Clara",
];
const LAST: &[&str] = &[
    "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Walker", "Wright", "Robinson",
    "Clarke", "Hughes", "Green", "Hall", "Wood", "Harris", "Lewis", "Martin", "Jackson", "Lee", "Park", "Kim",
    "Nguyen", "Garcia", "Miller", "Moore", "Young", "King", "Scott",
];

/// A believable name in the customer's language.
pub(super) fn name(dice: &mut Dice, locale: Locale) -> String {
    match locale {
        Locale::Ko => format!("{}{}", dice.pick(FAMILY), dice.pick(GIVEN)),
        Locale::En => format!("{} {}", dice.pick(FIRST), dice.pick(LAST)),
    }
}

/// How a rating feels: 1-2 stars, 3, 4-5.
#[derive(Clone, Copy)]
enum Mood {
    Low,
    Middle,
    High,
}

fn mood(stars: u8) -> Mood {
    match stars {
        1 | 2 => Mood::Low,
        3 => Mood::Middle,
        _ => Mood::High,
    }
}

const KO_OPEN: [&[&str]; 3] = [
    &[
        "실망스러워요.",
        "기대했는데 아쉽네요.",
        "이건 좀 아닌 것 같아요.",
        "솔직히 별로예요.",
        "돈이 아까워요.",
        "업데이트 후로 엉망이에요.",
    ],
    &["그럭저럭 쓸 만해요.", "나쁘지는 않아요.", "장단점이 확실해요.", "무난합니다.", "아직은 보통이에요."],
    &[
        "정말 만족해요!",
        "최고예요.",
        "강력 추천합니다.",
        "매일 쓰고 있어요.",
        "이 가격에 이 정도면 훌륭해요.",
        "오랜만에 좋은 앱을 찾았네요.",
    ],
];
const KO_CLOSE: [&[&str]; 3] = [
    &["빨리 고쳐 주세요.", "개선되면 별점 올릴게요.", "환불하고 싶어요.", "지켜보겠습니다."],
    &["업데이트 기대할게요.", "조금만 더 다듬어 주세요.", "앞으로가 기대돼요."],
    &["앞으로도 잘 부탁드려요!", "개발자님 감사합니다.", "친구들에게도 추천했어요.", "계속 쓸게요."],
];
const EN_OPEN: [&[&str]; 3] = [
    &[
        "Really disappointed.",
        "Not worth it.",
        "I wanted to like this.",
        "Frustrating.",
        "The last update broke it.",
        "Uninstalling for now.",
    ],
    &["It's okay.", "Decent, with a few rough edges.", "Good idea, mixed execution.", "Does the job.", "Not bad."],
    &[
        "Love it!",
        "Exactly what I was looking for.",
        "Five stars, no question.",
        "I use it every day.",
        "Worth every penny.",
        "A small gem.",
    ],
];
const EN_CLOSE: [&[&str]; 3] = [
    &["Please fix this.", "Will update my rating if it gets better.", "I want a refund.", "Hoping for a fix soon."],
    &["Looking forward to updates.", "Could be great with some polish.", "Keep working on it."],
    &["Thank you, developers!", "Recommended to all my friends.", "Keep it up!", "Can't wait for the next update."],
];

/// Sentences about one app, by mood: `[low, middle, high]`, Korean then English.
fn details(app: &str) -> ([&'static [&'static str]; 3], [&'static [&'static str]; 3]) {
    match app {
        "farm" => (
            [
                &["에너지가 너무 빨리 닳아요.", "수확할 때 자꾸 멈춰요.", "보석 없이는 진행이 안 돼요."],
                &["농장 꾸미기는 재밌는데 에너지가 부족해요.", "이벤트가 좀 더 자주 있으면 좋겠어요."],
                &["작물 키우는 재미가 쏠쏠해요.", "마을 주민들이 너무 귀여워요.", "배경 음악이 힐링 그 자체예요."],
            ],
            [
                &[
                    "Energy runs out far too fast.",
                    "It freezes whenever I harvest.",
                    "Impossible to progress without gems.",
                ],
                &["Decorating is fun but energy is scarce.", "Events could come around more often."],
                &["Growing crops is so relaxing.", "The villagers are adorable.", "The music is pure comfort."],
            ],
        ),
        "dungeon" => (
            [
                &["보스에서 계속 튕겨요.", "난이도가 말이 안 돼요.", "조작이 자꾸 씹혀요."],
                &["조작은 좋은데 후반 난이도가 너무 높아요.", "던전 구성이 조금 반복적이에요."],
                &["한 손으로 하기 딱 좋아요.", "광고가 없어서 너무 좋아요.", "매일 바뀌는 던전이 신선해요."],
            ],
            [
                &["It crashes at the boss every time.", "The difficulty is unfair.", "Controls keep missing my taps."],
                &["Great controls, brutal late game.", "Dungeons start to feel repetitive."],
                &[
                    "Perfect one-handed game.",
                    "No ads at all, which is wonderful.",
                    "A new dungeon every day keeps it fresh.",
                ],
            ],
        ),
        "puzzle" => (
            [
                &["후반부는 같은 유형만 반복돼요.", "힌트가 너무 비싸요.", "정답이 이상한 문제가 있어요."],
                &["퍼즐은 좋은데 단계가 너무 쉬워요.", "힌트가 조금 더 있었으면 해요."],
                &["한글 공부에 정말 좋아요.", "아이랑 같이 하기 좋아요.", "낱말 만드는 재미가 있어요."],
            ],
            [
                &["Later levels repeat the same patterns.", "Hints are too expensive.", "Some answers look wrong."],
                &["Nice puzzles, but too easy for a while.", "I'd like a few more hints."],
                &["Great way to practise Korean.", "Fun to play with my kids.", "Building words is so satisfying."],
            ],
        ),
        "weather" => (
            [
                &["비 예보가 자주 틀려요.", "알림이 너무 늦게 와요.", "위젯이 자꾸 사라져요."],
                &["화면은 예쁜데 예보가 가끔 틀려요.", "위젯 글씨가 좀 작아요."],
                &["미세먼지 알림이 정확해요.", "위젯이 깔끔해요.", "시간별 예보가 보기 편해요."],
            ],
            [
                &["Rain forecasts are often wrong.", "Alerts arrive far too late.", "The widget keeps disappearing."],
                &["Pretty, but the forecast is hit and miss.", "The widget text is a bit small."],
                &[
                    "Fine-dust alerts are spot on.",
                    "The widget is clean and calm.",
                    "Hourly forecasts are easy to read.",
                ],
            ],
        ),
        "budget" => (
            [
                &["동기화하다가 기록이 날아갔어요.", "앱이 자꾸 로그아웃돼요.", "내보내기가 안 돼요."],
                &["기능은 좋은데 카테고리 설정이 불편해요.", "월 예산 기능이 있으면 좋겠어요."],
                &["더치페이 정산이 너무 편해요.", "CSV 내보내기가 유용해요.", "지출 기록이 몇 초면 끝나요."],
            ],
            [
                &["Sync lost a week of my entries.", "It keeps logging me out.", "Export just doesn't work."],
                &["Useful, but categories are clumsy.", "A monthly budget limit would help."],
                &["Splitting bills is effortless.", "CSV export is a lifesaver.", "Logging an expense takes seconds."],
            ],
        ),
        _ => (
            [
                &["광고가 너무 많아요.", "광고 제거를 샀는데도 광고가 나와요.", "게임이 자꾸 멈춰요."],
                &["퍼즐은 좋은데 광고가 흐름을 끊어요.", "일일 도전이 조금 어려워요."],
                &["자기 전에 하기 딱 좋아요.", "구름 애니메이션이 예뻐요.", "일일 도전이 적당히 어려워요."],
            ],
            [
                &["Way too many ads.", "I bought ad-free and still see ads.", "The game keeps freezing."],
                &["Nice puzzles, but ads break the flow.", "Daily challenges can be a bit hard."],
                &["Perfect before bed.", "The cloud animation is gorgeous.", "Daily challenges are just hard enough."],
            ],
        ),
    }
}

/// A review of the app (`app` is its demo key) in the customer's language.
pub(super) fn review_text(dice: &mut Dice, app: &str, stars: u8, locale: Locale) -> String {
    let m = mood(stars) as usize;
    let (ko, en) = details(app);
    let (open, detail, close, space) = match locale {
        Locale::Ko => (KO_OPEN[m], ko[m], KO_CLOSE[m], " "),
        Locale::En => (EN_OPEN[m], en[m], EN_CLOSE[m], " "),
    };
    let mut text = String::with_capacity(160);
    if dice.chance(70) {
        text.push_str(dice.pick(open));
        text.push_str(space);
    }
    text.push_str(dice.pick(detail));
    if dice.chance(40) {
        text.push_str(space);
        text.push_str(dice.pick(detail));
    }
    if dice.chance(50) {
        text.push_str(space);
        text.push_str(dice.pick(close));
    }
    text
}

const KO_REPLY: [&[&str]; 3] = [
    &[
        "{name}님, 불편을 드려 죄송합니다. 말씀하신 문제를 확인하고 있으며 다음 업데이트에서 수정하겠습니다.",
        "{name}님, 이용에 불편을 드려 정말 죄송합니다. '판매자에게 문의'로 기기 정보를 보내 주시면 빠르게 도와드릴게요.",
    ],
    &[
        "{name}님, 솔직한 의견 감사합니다. 말씀하신 부분은 팀에서 개선 방안을 검토하고 있어요.",
        "{name}님, 소중한 의견 감사합니다! 다음 업데이트에 반영할 수 있도록 노력하겠습니다.",
    ],
    &[
        "{name}님, 따뜻한 리뷰 감사합니다! 앞으로도 더 좋은 모습으로 찾아뵐게요.",
        "{name}님, 즐겁게 이용해 주셔서 감사합니다. 팀원 모두에게 큰 힘이 됩니다!",
    ],
];
const EN_REPLY: [&[&str]; 3] = [
    &[
        "Sorry about this, {name}. We're looking into it and a fix is planned for the next update.",
        "We're sorry for the trouble, {name}. Please send us your device details with Contact seller so we can help quickly.",
    ],
    &[
        "Thanks for the honest feedback, {name}. The team is looking at how to improve this.",
        "Thank you, {name}! We'll do our best to address this in an upcoming update.",
    ],
    &[
        "Thank you so much, {name}! Reviews like yours keep us going.",
        "Thanks for the kind words, {name}. More is on the way!",
    ],
];

/// The developer's official reply to a review, in the review's language.
pub(super) fn reply_text(dice: &mut Dice, stars: u8, lang: Locale, customer: &str) -> String {
    let options = match lang {
        Locale::Ko => KO_REPLY[mood(stars) as usize],
        Locale::En => EN_REPLY[mood(stars) as usize],
    };
    dice.pick(options).replace("{name}", customer)
}
