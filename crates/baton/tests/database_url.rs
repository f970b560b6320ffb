//! `--database-url` at the edge: a database that cannot be reached or a URL of an unknown kind
//! stops `baton serve` at once with a one-line error that names the database without its
//! password.

use std::process::Command;

fn serve_with(url: &str) -> (bool, String) {
    let data_dir = std::env::temp_dir().join(format!("baton-url-{}", uuid::Uuid::now_v7()));
    let output = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(&data_dir)
        .env("BATON_DATABASE_URL", url)
        .output()
        .expect("the baton binary runs");
    let _ = std::fs::remove_dir_all(&data_dir);
    let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stdout));
    (output.status.success(), text)
}

#[test]
fn an_unreachable_database_is_a_clear_error_without_the_password() {
    // Nothing listens on port 1.
    let (ok, output) = serve_with("postgres://baton:hunter2secret@127.0.0.1:1/baton");
    assert!(!ok, "serve must exit non-zero");
    assert!(
        output.contains("cannot open the database postgres://baton:***@127.0.0.1:1/baton"),
        "the error names the database: {output}"
    );
    assert!(
        !output.contains("hunter2secret"),
        "the password leaked: {output}"
    );
}

#[test]
fn an_unknown_database_kind_is_a_clear_error() {
    let (ok, output) = serve_with("mysql://root:pw@localhost/baton");
    assert!(!ok);
    assert!(
        output.contains("must start with postgres://"),
        "the error says what is accepted: {output}"
    );
    assert!(!output.contains(":pw@"), "the password leaked: {output}");
}
