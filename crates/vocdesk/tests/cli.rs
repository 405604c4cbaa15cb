//! The `vocdesk` binary as an operator meets it: help texts, `migrate`, `demo` (and its
//! refusal on a store with accounts), `import purchases` exit codes, and `serve`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Output, Stdio};

use common::vocdesk;

fn run(args: &[&str]) -> Output {
    vocdesk().args(args).output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_command_has_help() {
    for (args, needle) in [
        (&["--help"][..], "VOCDESK_DATABASE_URL"),
        (&["serve", "--help"][..], "--listen"),
        (&["migrate", "--help"][..], "migrations"),
        (&["demo", "--help"][..], "empty store"),
        (&["import", "--help"][..], "purchases"),
        (&["import", "purchases", "--help"][..], "--batch-size"),
        (&["operator", "create", "--help"][..], "standard input"),
        (&["mail", "receive", "--help"][..], "75 try later"),
    ] {
        let output = run(args);
        assert!(output.status.success(), "vocdesk {args:?} --help fails");
        let help = text(&output.stdout);
        assert!(help.contains(needle), "vocdesk {args:?}: no {needle:?} in\n{help}");
        assert!(help.contains("--data"), "vocdesk {args:?}: the global --data flag is listed");
    }
    let import_help = text(&run(&["import", "purchases", "--help"]).stdout);
    assert!(import_help.contains("2 when some rows were rejected"), "{import_help}");
}

#[test]
fn migrate_then_demo_then_demo_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8 path");

    let migrate = run(&["migrate", "--data", data]);
    assert!(migrate.status.success(), "{}", text(&migrate.stderr));
    assert!(text(&migrate.stdout).contains("Migrations applied"), "{}", text(&migrate.stdout));

    let demo = run(&["demo", "--data", data]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    let out = text(&demo.stdout);
    for account in [
        "operator@example.com",
        "dev1@example.com",
        "dev2@example.com",
        "customer1@example.com",
        "customer2@example.com",
    ] {
        assert!(out.contains(account), "{account} in\n{out}");
    }
    assert!(out.contains("demo-password"), "{out}");

    let again = vocdesk().args(["demo"]).env("VOCDESK_DATA", data).output().expect("runs");
    assert!(!again.status.success(), "a second demo is refused");
    assert!(text(&again.stderr).contains("already has accounts"), "{}", text(&again.stderr));
}

#[tokio::test]
async fn import_exits_2_with_rejected_lines_and_0_when_all_rows_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    drop(store);
    let farm = &seed.apps["farm"].id;
    let files = tempfile::tempdir().expect("temp dir");
    let header = "tid,txid,receipt_no,customer_no,app_id,item_id,amount_minor,currency,purchased_at,status\n";
    let good = format!("T202611200100,,,C-100001,{farm},,0,KRW,2026-11-20T10:00:00+09:00,\n");
    let bad = format!("T202611200101,,,C-100001,{farm},,0,KRW,yesterday,\n");
    let mixed = files.path().join("mixed.csv");
    std::fs::write(&mixed, format!("{header}{good}{bad}")).expect("write");
    let clean = files.path().join("clean.csv");
    std::fs::write(&clean, format!("{header}{good}")).expect("write");
    let data = dir.path().to_str().expect("utf-8 path");

    let output = run(&["--data", data, "import", "purchases", mixed.to_str().expect("path"), "--batch-size", "1"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("line 3: rejected: purchased_at"), "{stderr}");
    assert!(!stderr.contains("line 2"), "{stderr}");
    assert!(text(&output.stdout).contains("1 created, 0 already recorded, 1 rejected"), "{}", text(&output.stdout));

    let output = run(&["--data", data, "import", "purchases", clean.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("0 created, 1 already recorded, 0 rejected"), "{}", text(&output.stdout));

    let missing = run(&["--data", data, "import", "purchases", "/nonexistent/export.csv"]);
    assert_eq!(missing.status.code(), Some(1));
}

/// Starts `vocdesk serve --demo` on a free port and reads what it prints up to the
/// sign-in line; returns the child, its address and the printed text.
fn serve_demo(data: &str) -> (Child, String, String) {
    let mut child = vocdesk()
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data", data])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut address = None;
    let mut printed = String::new();
    let mut line = String::new();
    while stdout.read_line(&mut line).expect("read") > 0 {
        printed.push_str(&line);
        if let Some(rest) = line.trim().strip_prefix("vocdesk listening on http://") {
            address = Some(rest.to_owned());
        }
        if line.contains("Sign in at") {
            break;
        }
        line.clear();
    }
    let Some(address) = address else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("no listening address in:\n{printed}");
    };
    (child, address, printed)
}

/// SIGTERM, then the exit status of a graceful shutdown.
fn terminate(mut child: Child) -> std::process::ExitStatus {
    let status = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    child.wait().expect("wait")
}

#[test]
fn serve_with_demo_answers_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8 path");
    let (child, address, printed) = serve_demo(data);
    assert!(printed.contains("Seeded the demo"), "{printed}");
    assert!(printed.contains("dev1@example.com"), "the demo accounts are printed:\n{printed}");

    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    write!(stream, "GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let exit = terminate(child);
    assert!(exit.success(), "a graceful shutdown exits 0: {exit:?}");

    // A restart with --demo seeds nothing new but still shows how to sign in.
    let (child, _, printed) = serve_demo(data);
    assert!(!printed.contains("Seeded the demo"), "{printed}");
    assert!(printed.contains("customer2@example.com"), "{printed}");
    assert!(terminate(child).success());
}

/// Runs `vocdesk operator create` with `password` piped to standard input.
fn create_operator(data: &str, email: &str, password: &str) -> Output {
    let mut child = vocdesk()
        .args(["operator", "create", "--data", data, "--email", email, "--name", "Store Ops"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().expect("stdin").write_all(password.as_bytes()).expect("write the password");
    child.wait_with_output().expect("it finishes")
}

#[test]
fn the_first_operator_is_created_with_a_password_from_standard_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8 path");

    let created = create_operator(data, "Ops@Store.example", "a long enough password\n");
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(text(&created.stdout).contains("Created operator ops@store.example"), "{}", text(&created.stdout));

    let duplicate = create_operator(data, "ops@store.example", "another long password");
    assert!(!duplicate.status.success(), "the same email twice is refused");
    assert!(text(&duplicate.stderr).contains("already exists"), "{}", text(&duplicate.stderr));

    let short = create_operator(data, "second@store.example", "short");
    assert!(!short.status.success(), "a short password is refused");
    assert!(text(&short.stderr).contains("password"), "{}", text(&short.stderr));
    let missing = create_operator(data, "third@store.example", "");
    assert!(!missing.status.success(), "no password, no account");

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let store = vocdesk_store::SqliteStore::open(dir.path()).await.expect("the store opens");
        use vocdesk_store::Store;
        let (user, hash) = store.credentials("ops@store.example").await.expect("query").expect("the operator exists");
        assert_eq!(user.role, vocdesk_domain::role::Role::Operator);
        assert!(vocdesk_app::password::verify("a long enough password", &hash), "the line ending is not part of it");
        assert!(store.credentials("second@store.example").await.expect("query").is_none());
        assert!(store.credentials("third@store.example").await.expect("query").is_none());
    });
}

#[test]
fn r5_serve_takes_the_auto_cancel_policy_and_sweep_interval_and_refuses_anything_else() {
    use clap::Parser;
    use vocdesk::cli::{Cli, Command};
    use vocdesk_domain::refund::AutoCancelPolicy;

    let cli = Cli::try_parse_from(["vocdesk", "serve", "--auto-cancel", "auto", "--sweep-interval-secs", "5"])
        .expect("serve --auto-cancel auto --sweep-interval-secs 5 parses");
    let Command::Serve(args) = cli.command else { panic!("serve") };
    assert_eq!(args.auto_cancel, AutoCancelPolicy::Auto);
    assert_eq!(args.sweep_interval_secs, 5);
    let cli = Cli::try_parse_from(["vocdesk", "serve", "--auto-cancel", "manual"]).expect("manual parses");
    let Command::Serve(args) = cli.command else { panic!("serve") };
    assert_eq!(args.auto_cancel, AutoCancelPolicy::Manual);

    for bad in [&["--auto-cancel", "sometimes"][..], &["--auto-cancel", ""][..], &["--sweep-interval-secs", "0"][..]] {
        let args: Vec<&str> = ["vocdesk", "serve"].iter().chain(bad).copied().collect();
        assert!(Cli::try_parse_from(&args).is_err(), "{bad:?} is refused");
    }

    // The binary refuses it before opening any store, saying what it expects.
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8 path");
    let output = run(&["serve", "--data", data, "--auto-cancel", "sometimes"]);
    assert_eq!(output.status.code(), Some(2), "a usage error");
    let stderr = text(&output.stderr);
    assert!(stderr.contains("manual or auto"), "{stderr}");
    assert!(std::fs::read_dir(dir.path()).expect("dir").next().is_none(), "nothing was created in the data directory");
}
