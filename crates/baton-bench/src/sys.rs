//! What the harness reads from and asks of the operating system: the open-file limit, a
//! process's resident memory and CPU time from /proc, and the machine's description.

use std::time::Duration;

/// Raises this process's soft open-file limit to its hard limit (children inherit it, so a
/// server the harness starts gets it too). Returns the limit now in force.
///
/// Raising the hard limit itself needs CAP_SYS_RESOURCE; the harness tries, then settles for
/// the hard limit it has.
pub fn raise_nofile(wanted: u64) -> u64 {
    // SAFETY: getrlimit/setrlimit only read and write the struct passed by pointer.
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 1024;
        }
        if lim.rlim_max < wanted {
            let raised = libc::rlimit {
                rlim_cur: wanted,
                rlim_max: wanted,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                return wanted;
            }
        }
        lim.rlim_cur = lim.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        lim.rlim_cur
    }
}

/// Resident set size of a process in KiB (VmRSS in /proc/PID/status).
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// User plus system CPU time a process has used so far.
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf has no memory effects.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Some(Duration::from_micros(ticks * 1_000_000 / hz))
}

/// A CPU-time reading to compare with a later one.
#[derive(Clone, Copy)]
pub struct CpuMark {
    pid: u32,
    cpu: Option<Duration>,
    at: std::time::Instant,
}

impl CpuMark {
    pub fn now(pid: u32) -> CpuMark {
        CpuMark {
            pid,
            cpu: cpu_time(pid),
            at: std::time::Instant::now(),
        }
    }

    /// Cores used on average since the mark (1.0 = one core busy all the time).
    pub fn cores_since(&self) -> Option<f64> {
        let used = cpu_time(self.pid)?.checked_sub(self.cpu?)?;
        let wall = self.at.elapsed().as_secs_f64();
        (wall > 0.0).then(|| used.as_secs_f64() / wall)
    }
}

/// CPU time the whole machine has spent busy (everything but idle and iowait), from /proc/stat.
fn machine_busy() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let f: Vec<u64> = line
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal
    let busy = f.first()? + f.get(1)? + f.get(2)? + f.get(5)? + f.get(6)? + f.get(7).unwrap_or(&0);
    // SAFETY: sysconf has no memory effects.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Some(Duration::from_micros(busy * 1_000_000 / hz))
}

/// CPU use over a measured window: the server's, the harness's, and everything else on the
/// machine (other builds and tests share these cores and inflate latencies).
pub struct CpuWindow {
    /// One mark per server process (two with `--second-node`); their cores are added up.
    server: Vec<CpuMark>,
    harness: CpuMark,
    machine: Option<Duration>,
    at: std::time::Instant,
}

/// Cores used by each party over a window.
pub struct CpuUse {
    pub server: Option<f64>,
    pub harness: Option<f64>,
    pub other: Option<f64>,
}

impl CpuWindow {
    pub fn start(server_pids: &[u32]) -> CpuWindow {
        CpuWindow {
            server: server_pids.iter().copied().map(CpuMark::now).collect(),
            harness: CpuMark::now(std::process::id()),
            machine: machine_busy(),
            at: std::time::Instant::now(),
        }
    }

    pub fn finish(&self) -> CpuUse {
        let server = if self.server.is_empty() {
            None
        } else {
            self.server.iter().map(CpuMark::cores_since).sum()
        };
        let harness = self.harness.cores_since();
        let wall = self.at.elapsed().as_secs_f64();
        let machine = machine_busy()
            .zip(self.machine)
            .and_then(|(now, then)| now.checked_sub(then))
            .map(|d| d.as_secs_f64() / wall.max(1e-9));
        let other = machine.map(|m| (m - server.unwrap_or(0.0) - harness.unwrap_or(0.0)).max(0.0));
        CpuUse {
            server,
            harness,
            other,
        }
    }
}

/// nproc, memory and kernel, for the report.
pub fn machine() -> serde_json::Value {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem_kib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default();
    serde_json::json!({
        "cores": cores,
        "memory_gib": (mem_kib as f64 / 1024.0 / 1024.0 * 10.0).round() / 10.0,
        "kernel": kernel,
        "cpu": cpu,
        "loadavg": std::fs::read_to_string("/proc/loadavg").map(|s| s.trim().to_owned()).unwrap_or_default(),
    })
}
