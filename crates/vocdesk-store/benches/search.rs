//! Search at scale (issue 12, item 13: "over 200,000 inquiries in under 50 ms"): seeds
//! an embedded store with 200,000 inquiries from 2,000 customers of two sellers, in
//! Korean and English, then measures the developer inbox's search for a common Korean
//! word (환불, in a fifth of them), two words together, a rare English word and a
//! customer number, and the same common word for an operator across both sellers.
//!
//!   cargo bench -p vocdesk-store --bench search
//!   (VOCDESK_BENCH_INQUIRIES=N for another size; VOCDESK_BENCH_POSTGRES_URL to run it
//!   on a PostgreSQL database too, which it fills: give it an empty one)

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};
use vocdesk_domain::account::NewUser;
use vocdesk_domain::audit::{AuditActor, AuditEntry, Channel};
use vocdesk_domain::catalog::NewApp;
use vocdesk_domain::ids::SellerId;
use vocdesk_domain::inquiry::{InquiryFilter, InquiryInput, InquiryScope, NewInquiry};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::role::Role;
use vocdesk_domain::search::SearchQuery;
use vocdesk_store::{Acting, InquiryQuery, Store};

const KOREAN: [&str; 12] = [
    "결제가",
    "두 번",
    "됐어요",
    "업데이트 후",
    "레벨이",
    "열리지 않아요",
    "로그인이",
    "안 돼요",
    "광고가",
    "너무 많아요",
    "아이템이",
    "사라졌어요",
];
const ENGLISH: [&str; 10] =
    ["the game", "crashes", "after", "update", "cannot", "log in", "my items", "are gone", "please", "help"];

fn audit() -> AuditEntry {
    AuditEntry {
        actor: AuditActor::system("bench"),
        channel: Channel::Cli,
        action: "bench".to_owned(),
        subject_type: "bench".to_owned(),
        subject_id: "bench".to_owned(),
        detail: "{}".to_owned(),
    }
}

/// A deterministic pseudo-random sequence (xorshift), so every run seeds the same store.
fn next(state: &mut u64) -> usize {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    (*state % 1_000_000) as usize
}

/// Seeds the store; answers the first seller and one customer's number to search for.
async fn seed(store: &dyn Store, inquiries: usize) -> (SellerId, String) {
    let now: Timestamp = "2026-12-01T00:00:00Z".parse().expect("time");
    let mut sellers = Vec::new();
    let mut apps = Vec::new();
    for name in ["Bench One", "Bench Two"] {
        let seller = store.create_seller(name, "support@example.com", &audit(), now).await.expect("seller");
        let app = NewApp::new(seller.id.clone(), &format!("{name} Game"), "", None).expect("app");
        apps.push(store.create_app(&app, &audit(), now).await.expect("app"));
        sellers.push(seller);
    }
    let mut customers = Vec::new();
    for n in 0..2_000 {
        let user = NewUser::new(
            &format!("bench{n}@example.com"),
            &format!("고객{n}"),
            Role::Customer,
            None,
            Some(format!("B-{n:05}")),
            Locale::Ko,
        )
        .expect("user");
        customers.push(store.create_user(&user, "$argon2id$bench", &audit(), now).await.expect("user"));
    }
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let started = Instant::now();
    for n in 0..inquiries {
        let customer = &customers[next(&mut state) % customers.len()];
        let app = &apps[n % 2];
        let mut body: Vec<&str> = Vec::new();
        for _ in 0..6 {
            let words: &[&str] = if n % 3 == 0 { &ENGLISH } else { &KOREAN };
            body.push(words[next(&mut state) % words.len()]);
        }
        if n % 5 == 0 {
            body.push("환불해 주세요");
        }
        if n % 997 == 0 {
            body.push("kaleidoscope");
        }
        let text = body.join(" ");
        let subject = format!("문의 {n}");
        let input = InquiryInput { category: "question", subject: &subject, body: &text, ..Default::default() };
        let new = NewInquiry::parse(&input, app.id.clone(), customer.id.clone(), Channel::Store).expect("inquiry");
        let acting = Acting { actor: AuditActor::user(customer.id.clone(), customer.role), channel: Channel::Store };
        let at = now + SignedDuration::from_secs(i64::try_from(n).unwrap_or(0));
        store.create_inquiry(&new, &[], &acting, at).await.expect("create");
    }
    eprintln!("seeded {inquiries} inquiries in {:.1} s", started.elapsed().as_secs_f64());
    (sellers[0].id.clone(), customers[7].customer_no.clone().unwrap_or_default())
}

fn search(c: &mut Criterion, engine: &str, store: &dyn Store, seller: &SellerId, number: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let cutoff: Timestamp = "2026-11-28T00:00:00Z".parse().expect("time");
    for (label, scope, words) in [
        ("developer 환불", InquiryScope::Seller(seller.clone()), "환불"),
        ("developer 환불 결제", InquiryScope::Seller(seller.clone()), "환불 결제"),
        ("developer kaleidoscope", InquiryScope::Seller(seller.clone()), "kaleidoscope"),
        ("developer customer number", InquiryScope::Seller(seller.clone()), number),
        ("operator 환불", InquiryScope::All, "환불"),
    ] {
        let query = InquiryQuery {
            scope,
            filter: InquiryFilter { words: SearchQuery::parse(words), ..Default::default() },
            overdue_cutoff: cutoff,
        };
        let page = PageRequest { limit: 20, after: None };
        c.bench_function(&format!("{engine}: search {label}, first page of 20"), |b| {
            b.to_async(&runtime).iter(|| async { store.list_inquiries(&query, &page).await.expect("search") })
        });
    }
}

fn benches(c: &mut Criterion) {
    let inquiries: usize =
        std::env::var("VOCDESK_BENCH_INQUIRIES").ok().and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = runtime.block_on(async {
        let store = vocdesk_store::open(None, dir.path()).await.expect("open");
        store.migrate().await.expect("migrate");
        store
    });
    let (seller, number) = runtime.block_on(seed(store.as_ref(), inquiries));
    search(c, "sqlite", store.as_ref(), &seller, &number);
    if let Ok(url) = std::env::var("VOCDESK_BENCH_POSTGRES_URL") {
        let store = runtime.block_on(async {
            let store = vocdesk_store::open(Some(&url), dir.path()).await.expect("open");
            store.migrate().await.expect("migrate");
            store
        });
        let (seller, number) = runtime.block_on(seed(store.as_ref(), inquiries));
        search(c, "postgresql", store.as_ref(), &seller, &number);
    }
}

criterion_group! { name = search_benches; config = Criterion::default().sample_size(20); targets = benches }
criterion_main!(search_benches);
