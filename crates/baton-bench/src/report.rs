//! Figures: latency histograms (HdrHistogram, microseconds), a scenario's report, the table
//! printed for one server or for Baton beside the floor, and the JSON written with `--json`.

use hdrhistogram::Histogram;
use serde_json::{Value, json};

/// A latency histogram in microseconds, from 1 µs to 10 minutes at 3 significant digits.
pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
}

/// Records a latency, clamped into the histogram's range.
pub fn record(h: &mut Histogram<u64>, micros: u64) {
    let _ = h.record(micros.clamp(1, 600_000_000));
}

/// One figure of a report.
#[derive(Clone, Debug)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub value: Option<f64>,
    pub unit: &'static str,
}

/// What one scenario measured on one server.
#[derive(Debug)]
pub struct Report {
    pub scenario: &'static str,
    pub target: &'static str,
    pub params: Value,
    pub rows: Vec<Row>,
    /// Counts that did not add up (lost, duplicated, double accepts, connect errors, …). Any of
    /// them makes the run exit non-zero.
    pub failures: Vec<String>,
    /// Anything else worth keeping in the JSON (error kinds, per-phase detail).
    pub extra: Value,
}

impl Report {
    pub fn new(scenario: &'static str, target: &'static str, params: Value) -> Report {
        Report {
            scenario,
            target,
            params,
            rows: Vec::new(),
            failures: Vec::new(),
            extra: json!({}),
        }
    }

    pub fn row(
        &mut self,
        key: impl Into<String>,
        label: impl Into<String>,
        value: Option<f64>,
        unit: &'static str,
    ) {
        self.rows.push(Row {
            key: key.into(),
            label: label.into(),
            value,
            unit,
        });
    }

    pub fn count(&mut self, key: impl Into<String>, label: impl Into<String>, value: u64) {
        self.row(key, label, Some(value as f64), "");
    }

    /// p50/p99/p99.9/max rows (milliseconds) and the sample count.
    pub fn latency(&mut self, key: &str, label: &str, h: &Histogram<u64>) {
        let ms = |q: f64| (!h.is_empty()).then(|| h.value_at_quantile(q) as f64 / 1000.0);
        self.row(
            format!("{key}.p50_ms"),
            format!("{label} p50"),
            ms(0.5),
            "ms",
        );
        self.row(
            format!("{key}.p99_ms"),
            format!("{label} p99"),
            ms(0.99),
            "ms",
        );
        self.row(
            format!("{key}.p999_ms"),
            format!("{label} p99.9"),
            ms(0.999),
            "ms",
        );
        self.row(
            format!("{key}.max_ms"),
            format!("{label} max"),
            (!h.is_empty()).then(|| h.max() as f64 / 1000.0),
            "ms",
        );
        self.count(
            format!("{key}.samples"),
            format!("{label} samples"),
            h.len(),
        );
    }

    /// Adds a failure when `count` is not zero.
    pub fn must_be_zero(&mut self, what: &str, count: u64) {
        if count != 0 {
            self.failures.push(format!("{what}: {count}"));
        }
    }

    pub fn to_json(&self) -> Value {
        let figures: serde_json::Map<String, Value> = self
            .rows
            .iter()
            .map(|r| {
                (
                    r.key.clone(),
                    r.value.map_or(Value::Null, |v| json!(round(v))),
                )
            })
            .collect();
        json!({
            "scenario": self.scenario,
            "target": self.target,
            "params": self.params,
            "figures": figures,
            "failures": self.failures,
            "extra": self.extra,
        })
    }
}

fn round(v: f64) -> f64 {
    if v.abs() >= 100.0 {
        (v * 10.0).round() / 10.0
    } else {
        (v * 1000.0).round() / 1000.0
    }
}

fn show(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "-".into(),
        Some(v) if unit.is_empty() && v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => {
            let v = round(v);
            if unit.is_empty() {
                format!("{v}")
            } else {
                format!("{v} {unit}")
            }
        }
    }
}

/// Prints one report, or Baton's beside the floor's with their ratio.
pub fn print(reports: &[Report]) {
    let Some(first) = reports.first() else { return };
    println!();
    println!("== {} ==  {}", first.scenario, first.params);
    let width = first
        .rows
        .iter()
        .map(|r| r.label.len())
        .max()
        .unwrap_or(10)
        .max(10);
    match reports {
        [one] => {
            println!("{:<width$}  {:>14}", "figure", one.target);
            for row in &one.rows {
                println!("{:<width$}  {:>14}", row.label, show(row.value, row.unit));
            }
        }
        [baton, floor, ..] => {
            println!(
                "{:<width$}  {:>14}  {:>14}  {:>8}",
                "figure", baton.target, floor.target, "ratio"
            );
            // Baton's rows in order, then any only the floor has (a rate Baton skipped).
            let mut rows: Vec<&Row> = baton.rows.iter().collect();
            rows.extend(
                floor
                    .rows
                    .iter()
                    .filter(|f| !baton.rows.iter().any(|b| b.key == f.key)),
            );
            for row in rows {
                let value = |r: &Report| {
                    r.rows
                        .iter()
                        .find(|x| x.key == row.key)
                        .and_then(|x| x.value)
                };
                let (a, b) = (value(baton), value(floor));
                let ratio = match (a, b) {
                    (Some(a), Some(b)) if b != 0.0 && !row.unit.is_empty() => {
                        format!("{:.2}x", a / b)
                    }
                    _ => String::new(),
                };
                println!(
                    "{:<width$}  {:>14}  {:>14}  {:>8}",
                    row.label,
                    show(a, row.unit),
                    show(b, row.unit),
                    ratio
                );
            }
        }
        [] => {}
    }
    for report in reports {
        if report.failures.is_empty() {
            println!("{}: counts add up", report.target);
        } else {
            println!("{}: FAILED: {}", report.target, report.failures.join("; "));
        }
    }
}
