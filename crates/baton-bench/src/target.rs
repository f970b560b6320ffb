//! The server under test: a Baton the harness starts (release binary, fresh data directory,
//! generous per-address limits), the Node.js floor relay (bench/floor/relay.js), or a server
//! already running at `--url`.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// Which server a report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Baton,
    Floor,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Baton => "baton",
            Kind::Floor => "floor",
        }
    }
}

/// How to start Baton.
#[derive(Clone, Debug)]
pub struct BatonLaunch {
    pub bin: PathBuf,
    pub durability: String,
    /// Extra arguments passed through to `baton serve`.
    pub extra_args: Vec<String>,
}

/// How to start the floor.
#[derive(Clone, Debug)]
pub struct FloorLaunch {
    pub node: String,
    pub script: PathBuf,
}

pub struct Target {
    pub kind: Kind,
    pub addr: SocketAddr,
    /// The server's process, for /proc readings (unknown for `--url` without `--server-pid`).
    pub pid: Option<u32>,
    pub admin_email: String,
    pub admin_password: String,
    child: Option<Child>,
    data_dir: Option<PathBuf>,
    keep_data: bool,
    /// A second Baton on the same PostgreSQL database (`--second-node`): agents connect to it.
    second: Option<Box<Target>>,
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // SIGTERM first so the server shuts down cleanly; SIGKILL if it lingers.
            // SAFETY: kill(2) on our own child's pid.
            unsafe {
                libc::kill(child.id() as i32, libc::SIGTERM);
            }
            let deadline = Instant::now() + Duration::from_secs(5);
            loop {
                match child.try_wait() {
                    Ok(Some(_)) => break,
                    Ok(None) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(50))
                    }
                    _ => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                }
            }
        }
        if let Some(dir) = &self.data_dir {
            if self.keep_data {
                eprintln!("kept the server's data directory: {}", dir.display());
            } else {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

fn temp_dir(prefix: &str) -> anyhow::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// Reads the child's stdout on a thread (so the pipe never fills) and hands over its lines.
fn stdout_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    // Nobody listens any more: keep draining so the child never blocks.
                    continue;
                }
            }
        });
    }
    rx
}

impl Target {
    /// Starts `baton serve` on a free loopback port with a fresh data directory and reads the
    /// first-run admin credentials from its output.
    pub fn start_baton(launch: &BatonLaunch, keep_data: bool) -> anyhow::Result<Target> {
        Target::spawn_baton(launch, keep_data, true)
    }

    /// Starts a second Baton on the same database (the launch must name a PostgreSQL
    /// `--database-url`); from then on agents connect to it while visitors stay on the first,
    /// so every relayed message crosses from one process to the other.
    pub fn add_second_node(&mut self, launch: &BatonLaunch) -> anyhow::Result<()> {
        if !launch
            .extra_args
            .iter()
            .any(|a| a.starts_with("--database-url"))
        {
            bail!(
                "--second-node needs --serve-arg=--database-url=postgres://… (a shared database)"
            );
        }
        let second = Target::spawn_baton(launch, self.keep_data, false)?;
        self.second = Some(Box::new(second));
        Ok(())
    }

    /// Where agents' panels and requests go: the second node when there is one.
    pub fn agent_addr(&self) -> SocketAddr {
        self.second.as_ref().map_or(self.addr, |s| s.addr)
    }

    /// The server processes, for CPU readings.
    pub fn pids(&self) -> Vec<u32> {
        self.pid
            .into_iter()
            .chain(self.second.as_ref().and_then(|s| s.pid))
            .collect()
    }

    fn spawn_baton(
        launch: &BatonLaunch,
        keep_data: bool,
        first_run: bool,
    ) -> anyhow::Result<Target> {
        if !launch.bin.exists() {
            bail!(
                "no Baton binary at {} (build it with `cargo build --release -p baton`, or pass --baton-bin)",
                launch.bin.display()
            );
        }
        let port = free_port()?;
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let data_dir = temp_dir("baton-bench")?;
        let log = std::fs::File::create(data_dir.join("server.log"))?;
        let mut child = Command::new(&launch.bin)
            .arg("serve")
            .args(["--listen", &addr.to_string()])
            .arg("--data-dir")
            .arg(&data_dir)
            .args(["--durability", &launch.durability])
            // Generous per-address and per-conversation limits: every simulated visitor comes
            // from this one machine.
            .args(["--conversations-per-minute-per-ip", "1000000"])
            .args(["--visitor-messages-per-minute", "100000"])
            .args(["--visitor-message-burst", "100000"])
            .args(&launch.extra_args)
            .env(
                "BATON_LOG",
                std::env::var("BATON_LOG").unwrap_or("warn".into()),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .with_context(|| format!("cannot start {}", launch.bin.display()))?;
        let lines = stdout_lines(&mut child);
        let mut target = Target {
            kind: Kind::Baton,
            addr,
            pid: Some(child.id()),
            admin_email: String::new(),
            admin_password: String::new(),
            child: Some(child),
            data_dir: Some(data_dir.clone()),
            keep_data,
            second: None,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while target.admin_password.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                // A node joining a database that was set up already prints no password.
                Ok(line) if !first_run && line.contains("Agent Editor") => break,
                Ok(line) => {
                    if let Some(email) = line.trim().strip_prefix("Admin login:") {
                        target.admin_email = email.trim().to_owned();
                    } else if let Some(rest) = line.trim().strip_prefix("Password:") {
                        target.admin_password =
                            rest.split_whitespace().next().unwrap_or("").to_owned();
                    }
                }
                Err(_) => {
                    let log =
                        std::fs::read_to_string(data_dir.join("server.log")).unwrap_or_default();
                    bail!(
                        "Baton did not print its first-run admin password within 60 s; its log:\n{log}"
                    );
                }
            }
        }
        wait_listening(addr)?;
        Ok(target)
    }

    /// Starts the Node.js floor relay on a free loopback port.
    pub fn start_floor(launch: &FloorLaunch) -> anyhow::Result<Target> {
        if !launch.script.exists() {
            bail!("no floor relay at {}", launch.script.display());
        }
        let modules = launch
            .script
            .parent()
            .unwrap_or(Path::new("."))
            .join("node_modules/ws");
        if !modules.exists() {
            bail!(
                "the floor's dependencies are missing: run `npm ci --prefix {}`",
                launch.script.parent().unwrap_or(Path::new(".")).display()
            );
        }
        let port = free_port()?;
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let mut child = Command::new(&launch.node)
            .arg(&launch.script)
            .args(["--listen", &addr.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start {}", launch.node))?;
        let lines = stdout_lines(&mut child);
        let target = Target {
            kind: Kind::Floor,
            addr,
            pid: Some(child.id()),
            admin_email: "admin@floor.example".into(),
            admin_password: "floor-admin-password".into(),
            child: Some(child),
            data_dir: None,
            keep_data: false,
            second: None,
        };
        match lines.recv_timeout(Duration::from_secs(30)) {
            Ok(line) if line.contains("listening") => {}
            other => bail!("the floor relay did not start: {other:?}"),
        }
        wait_listening(addr)?;
        Ok(target)
    }

    /// A server someone else started.
    pub fn existing(
        url: &str,
        pid: Option<u32>,
        email: Option<String>,
        password: Option<String>,
    ) -> anyhow::Result<Target> {
        let hostport = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let addr: SocketAddr = hostport
            .parse()
            .with_context(|| format!("--url must be http://IP:PORT on this machine, not {url}"))?;
        Ok(Target {
            kind: Kind::Baton,
            addr,
            pid,
            admin_email: email.context("--url needs --admin-email")?,
            admin_password: password.context("--url needs --admin-password")?,
            child: None,
            data_dir: None,
            keep_data: true,
            second: None,
        })
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn rss_kib(&self) -> Option<u64> {
        self.pid.and_then(crate::sys::rss_kib)
    }

    /// Whether the server process is still alive (always true for `--url`).
    pub fn alive(&mut self) -> bool {
        let second = self.second.as_mut().is_none_or(|s| s.alive());
        second
            && match &mut self.child {
                Some(child) => matches!(child.try_wait(), Ok(None)),
                None => true,
            }
    }
}

fn wait_listening(addr: SocketAddr) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("nothing listens on {addr} after 30 s")
}
