//! `--metrics-listen` at the edge: a bad address or a port in use stops `baton serve` at once
//! with a one-line error naming the flag; with the flag the metrics are served on that address
//! only, and without it the server opens no listener but its public one.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

fn data_dir() -> PathBuf {
    std::env::temp_dir().join(format!("baton-metrics-{}", uuid::Uuid::now_v7()))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `baton serve` expecting it to stop; returns its exit success and its output.
fn serve_failing(extra: &[&str]) -> (bool, String) {
    let dir = data_dir();
    let output = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(&dir)
        .args(extra)
        .env_remove("BATON_METRICS_LISTEN")
        .output()
        .expect("the baton binary runs");
    let _ = std::fs::remove_dir_all(&dir);
    let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stdout));
    (output.status.success(), text)
}

fn error_lines(output: &str) -> Vec<&str> {
    output.lines().filter(|l| l.starts_with("error")).collect()
}

#[test]
fn a_bad_metrics_address_is_a_one_line_error_naming_the_flag() {
    let (ok, output) = serve_failing(&["--metrics-listen", "not-an-address"]);
    assert!(!ok, "serve must exit non-zero: {output}");
    let errors = error_lines(&output);
    assert_eq!(errors.len(), 1, "{output}");
    assert!(errors[0].contains("--metrics-listen"), "{output}");
    assert!(errors[0].contains("not-an-address"), "{output}");
    assert!(
        errors[0].contains("127.0.0.1:9464"),
        "says what is expected: {output}"
    );
}

#[test]
fn a_metrics_port_in_use_is_a_one_line_error_naming_the_flag() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (ok, output) = serve_failing(&["--metrics-listen", &addr]);
    assert!(!ok, "serve must exit non-zero: {output}");
    let errors = error_lines(&output);
    assert_eq!(errors.len(), 1, "{output}");
    assert!(
        errors[0].contains(&format!("--metrics-listen: cannot listen on {addr}")),
        "{output}"
    );
}

/// A running `baton serve`, killed on drop.
struct Server {
    child: Child,
    dir: PathBuf,
}

impl Server {
    fn start(port: u16, metrics: Option<&str>) -> Server {
        let dir = data_dir();
        let mut command = Command::new(env!("CARGO_BIN_EXE_baton"));
        command
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(&dir)
            .env_remove("BATON_METRICS_LISTEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(metrics) = metrics {
            command.env("BATON_METRICS_LISTEN", metrics);
        }
        let mut child = command.spawn().expect("the baton binary starts");
        // The banner ends with the first admin's login hints once the server is up.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        for line in lines.by_ref() {
            if line.expect("the server's banner").contains("Add agents") {
                break;
            }
        }
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, dir }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `GET path` over plain HTTP/1.0: the status code and the body.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the port is open");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// The TCP ports a process listens on (Linux: its socket inodes matched against /proc/net).
#[cfg(target_os = "linux")]
fn listening_ports(pid: u32) -> Vec<u16> {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy().into_owned();
            Some(
                target
                    .strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .to_owned(),
            )
        })
        .collect();
    let mut ports = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // local_address is HEX_IP:HEX_PORT, st 0A is LISTEN, inode is the tenth field.
            if fields.len() > 9 && fields[3] == "0A" && inodes.iter().any(|i| i == fields[9]) {
                let port = fields[1].rsplit(':').next().unwrap();
                ports.push(u16::from_str_radix(port, 16).unwrap());
            }
        }
    }
    ports.sort_unstable();
    ports
}

#[test]
fn metrics_are_served_on_their_own_address_only_and_only_when_asked() {
    let port = free_port();
    let metrics_port = free_port();
    let server = Server::start(port, Some(&format!("127.0.0.1:{metrics_port}")));
    let (status, body) = get(metrics_port, "/metrics");
    assert_eq!(status, 200);
    assert!(
        body.contains("# TYPE baton_visitor_sockets gauge"),
        "{body}"
    );
    assert_eq!(get(port, "/metrics").0, 404, "never on the public port");
    #[cfg(target_os = "linux")]
    {
        let mut expected = vec![port, metrics_port];
        expected.sort_unstable();
        assert_eq!(listening_ports(server.child.id()), expected);
    }
    drop(server);

    let port = free_port();
    let server = Server::start(port, None);
    assert_eq!(get(port, "/metrics").0, 404);
    #[cfg(target_os = "linux")]
    assert_eq!(
        listening_ports(server.child.id()),
        vec![port],
        "without --metrics-listen the server listens on its public port only"
    );
    drop(server);
}
