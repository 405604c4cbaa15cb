//! `vocdesk mail receive`, as an MTA's pipe transport runs it: one mail on standard
//! input, the envelope in flags or in the SENDER and RECIPIENT environment, and the
//! answer in sysexits codes: 0 taken, 65 malformed or too large, 67 not an address of
//! ours, 75 try later (the store could not keep it).

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::Arc;

use vocdesk_app::{App, AppConfig, Caller};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::clock::ManualClock;
use vocdesk_domain::ids::InquiryId;
use vocdesk_domain::inbound::InboundStatus;
use vocdesk_domain::inquiry::InquiryInput;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::role::{Actor, TokenScope};
use vocdesk_store::BlobStore;

const DOMAIN: &str = "reply.example.com";

/// The demo in `dir` with a new question of customer1's; answers it and dev1's reply
/// address for it.
async fn asked(dir: &Path) -> (App, InquiryId, String) {
    let (store, seed) = common::demo_store(dir).await;
    let config = AppConfig { reply_domain: DOMAIN.to_owned(), ..AppConfig::default() };
    let clock = Arc::new(ManualClock::new(common::now()));
    let app = App::open(store, BlobStore::in_data_dir(dir), clock, config).await.expect("app");
    let customer = seed.users.get("customer1@example.com").expect("customer").clone();
    let developer = seed.users.get("dev1@example.com").expect("developer").clone();
    let actor = Actor { user_id: customer.id.clone(), role: customer.role, seller_id: None, scope: TokenScope::Full };
    let caller = Caller { user: &customer, actor: &actor, channel: Channel::Store };
    let input =
        InquiryInput { category: "question", subject: "레벨 3", body: "열리지 않아요", ..Default::default() };
    let farm = &seed.apps.get("farm").expect("farm").id;
    let thread = vocdesk_app::inquiries::open(&app, caller, farm, &input, vec![]).await.expect("asked");
    let token = app.reply_key().token(&thread.inquiry.id, &developer.id);
    app.store().remember_reply_token(&token, &thread.inquiry.id, &developer.id, app.now()).await.expect("token");
    (app, thread.inquiry.id, token.address(DOMAIN))
}

fn receive(dir: &Path, args: &[&str], env: &[(&str, &str)], mail: &[u8]) -> Output {
    let mut command = common::vocdesk();
    command.args(["--data", &dir.display().to_string(), "mail", "receive", "--reply-domain", DOMAIN]).args(args);
    command.envs(env.iter().copied()).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    // A refusal may come before all of a large mail is read: a closed pipe is an answer.
    let _ = stdin.write_all(mail);
    drop(stdin);
    child.wait_with_output().expect("it ends")
}

fn reply(to: &str, text: &str) -> Vec<u8> {
    let id = vocdesk_domain::ids::InboundId::generate();
    format!(
        "From: Dev One <dev1@example.com>\r\nTo: {to}\r\nSubject: Re: 레벨 3\r\nMessage-ID: <{id}@client.example.org>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\r\n-- \r\nDev One\r\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn r15_a_reply_piped_in_joins_its_thread_and_exits_0() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, inquiry, address) = asked(dir.path()).await;
    let output = receive(
        dir.path(),
        &["--sender", "dev1@example.com", "--recipient", &address],
        &[],
        &reply(&address, "2.1.1로 업데이트해 주세요."),
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{said}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(said.contains(&format!("joined inquiry {inquiry}")), "{said}");
    let thread = app.store().thread(&inquiry).await.expect("thread").expect("exists");
    let last = thread.messages.last().expect("a message");
    assert_eq!((last.channel, last.body.as_str()), (Channel::Email, "2.1.1로 업데이트해 주세요."), "signature trimmed");

    // The envelope may come in the environment instead, as Postfix's pipe gives it.
    let env = [("SENDER", "dev1@example.com"), ("RECIPIENT", address.as_str())];
    let output = receive(dir.path(), &[], &env, &reply(&address, "한 번 더 확인 부탁드립니다."));
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let thread = app.store().thread(&inquiry).await.expect("thread").expect("exists");
    assert_eq!(thread.messages.last().map(|m| m.body.as_str()), Some("한 번 더 확인 부탁드립니다."));
}

#[tokio::test]
async fn r15_the_pipe_answers_67_65_and_75_as_sysexits_says_and_keeps_what_it_took() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _, address) = asked(dir.path()).await;
    let elsewhere = receive(dir.path(), &["--recipient", "someone@other.example"], &[], &reply("x", "x"));
    assert_eq!(elsewhere.status.code(), Some(67), "not an address of ours");

    let garbage =
        receive(dir.path(), &["--sender", "dev1@example.com", "--recipient", &address], &[], b"\x00 not a mail");
    assert_eq!(garbage.status.code(), Some(65), "malformed");
    let kept = app.store().list_inbound(true, &PageRequest { limit: 10, after: None }).await.expect("list");
    assert_eq!(kept.items.iter().map(|m| m.status).collect::<Vec<_>>(), [InboundStatus::Held], "kept raw and held");

    let mut big = reply(&address, "big");
    big.resize(26 * 1024 * 1024, b'a');
    let too_large = receive(dir.path(), &["--recipient", &address], &[], &big);
    assert_eq!(too_large.status.code(), Some(65), "over 25 MiB");

    let unreachable = [("VOCDESK_DATABASE_URL", "postgres://postgres@127.0.0.1:1/none")];
    let later = receive(dir.path(), &["--recipient", &address], &unreachable, &reply(&address, "x"));
    assert_eq!(later.status.code(), Some(75), "try later: {}", String::from_utf8_lossy(&later.stderr));
}
