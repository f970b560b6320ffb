//! `baton workspace create` and `baton workspace list`: a workspace with its first bot and admin,
//! all or nothing; each admin logs in and sees only their own workspace's bots. Also
//! `baton agent set-password`.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

fn baton(data_dir: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("BATON_DATABASE_URL")
        .output()
        .expect("the baton binary runs");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

/// Runs `baton agent set-password` with the password on standard input.
fn set_password(data_dir: &Path, email: &str, password: &str) -> (bool, String) {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["agent", "set-password", "--email", email])
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("BATON_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let output = child.wait_with_output().unwrap();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

fn password_of(output: &str) -> String {
    output
        .lines()
        .find_map(|l| l.split("Password:").nth(1))
        .and_then(|p| p.split_whitespace().next())
        .expect("the one-time password is printed")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspaces_are_created_whole_and_see_only_themselves() {
    let dir: PathBuf = std::env::temp_dir().join(format!("baton-ws-{}", uuid::Uuid::now_v7()));
    let create = |name: &str, email: &str| {
        baton(
            &dir,
            &[
                "workspace",
                "create",
                "--name",
                name,
                "--admin-email",
                email,
            ],
        )
    };
    let (ok, acme) = create("Acme", "Admin@Acme.example");
    assert!(ok, "{acme}");
    assert!(acme.contains("Created workspace \"Acme\""), "{acme}");
    let first_password = password_of(&acme);
    let (ok, beta) = create("Beta Ltd", "boss@beta.example");
    assert!(ok, "{beta}");
    let beta_password = password_of(&beta);

    // Bad input: nothing is created, and the error names the option.
    let (ok, taken) = create("Gamma", "admin@acme.example");
    assert!(!ok);
    assert!(
        taken.contains("--admin-email") && taken.contains("already exists"),
        "{taken}"
    );
    let (ok, blank) = create("   ", "new@gamma.example");
    assert!(!ok);
    assert!(blank.contains("--name"), "{blank}");
    let (ok, bad_email) = create("Gamma", "not-an-email");
    assert!(!ok);
    assert!(bad_email.contains("--admin-email"), "{bad_email}");

    // The operator resets Acme's admin password from the command line.
    let (ok, reset) = set_password(&dir, "admin@acme.example", "a password set by the operator");
    assert!(ok, "{reset}");
    let (ok, unknown) = set_password(&dir, "nobody@acme.example", "whatever password 1");
    assert!(!ok);
    assert!(unknown.contains("--email"), "{unknown}");
    let (ok, weak) = set_password(&dir, "admin@acme.example", "short");
    assert!(!ok);
    assert!(weak.contains("at least 10"), "{weak}");
    let acme_password = "a password set by the operator".to_owned();

    let (ok, list) = baton(&dir, &["workspace", "list"]);
    assert!(ok, "{list}");
    let names: Vec<&str> = list
        .lines()
        .filter_map(|l| l.splitn(3, "  ").nth(2))
        .collect();
    assert_eq!(names, ["Acme", "Beta Ltd"], "{list}");

    // Each admin logs in and sees their own first bot only.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(&dir)
        .env_remove("BATON_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut banner = String::new();
    for line in BufReader::new(server.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        banner.push_str(&line);
        if line.contains("Agent Editor") {
            break;
        }
    }
    assert!(
        !banner.contains("First run"),
        "a database with workspaces is not seeded"
    );
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let old = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": "admin@acme.example", "password": first_password }))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401, "the replaced password no longer logs in");
    for (email, password, own) in [
        ("admin@acme.example", &acme_password, &acme),
        ("boss@beta.example", &beta_password, &beta),
    ] {
        let login = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            login.status(),
            200,
            "{email} logs in with the printed password"
        );
        let cookie = login.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let bots: Value = http
            .get(format!("{base}/api/v1/bots"))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ids: Vec<&str> = bots["bots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), 1, "{bots}");
        assert!(own.contains(ids[0]), "{email} sees their own bot only");
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
