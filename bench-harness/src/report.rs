//! Turning measurements into the committed results: a Markdown table of ratios and a chart.

use std::fmt::Write as _;

/// One engine's timing of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// Engine name.
    pub engine: String,
    /// Mean time per iteration, in nanoseconds.
    pub mean_ns: f64,
    /// Standard deviation, in nanoseconds.
    pub stddev_ns: f64,
    /// How many samples the mean is over.
    pub samples: usize,
}

/// What a table cell shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Checked, then timed.
    Timed(Measurement),
    /// Gave a wrong answer, so it was not timed.
    Wrong(String),
    /// Failed to run, so it was not timed.
    Failed(String),
    /// Gave a different answer that is not a bug: the engine speaks another dialect (a suite's
    /// `may_differ`), so there is nothing to compare; not timed, not an error.
    NotApplicable(String),
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct CaseRow {
    /// Case name.
    pub case: String,
    /// Input size in bytes, for throughput (MB/s).
    pub input_bytes: Option<u64>,
    /// Operations per timed call (e.g. HTTP requests), for a rate (`req/s`).
    pub requests: Option<u64>,
    /// One cell per engine, in the suite's engine order.
    pub cells: Vec<Cell>,
    /// A remark shown under the table (the case's `note`).
    pub note: Option<String>,
}

/// Everything a suite's report shows.
#[derive(Debug, Clone)]
pub struct SuiteReport {
    /// Suite name.
    pub suite: String,
    /// What is measured.
    pub description: String,
    /// Engine names, in order, with their versions.
    pub engines: Vec<(String, String)>,
    /// The engine ratios are computed against.
    pub baseline: String,
    /// How it was measured (tool, runs, warm-up), one paragraph.
    pub method: String,
    /// The rows.
    pub rows: Vec<CaseRow>,
    /// Engines whose cells are marked where they are slower than the baseline (a suite's
    /// `mark_slower`).
    pub mark_slower: Vec<String>,
}

impl SuiteReport {
    fn baseline_index(&self) -> usize {
        self.engines.iter().position(|(name, _)| *name == self.baseline).unwrap_or(0)
    }

    /// Speed of each engine relative to the baseline for one row: `baseline time / engine time`
    /// (2.0 means twice as fast as the baseline). `None` where either side was not timed.
    pub fn ratios(&self, row: &CaseRow) -> Vec<Option<f64>> {
        let base = match &row.cells[self.baseline_index()] {
            Cell::Timed(m) => Some(m.mean_ns),
            _ => None,
        };
        row.cells
            .iter()
            .map(|cell| match (cell, base) {
                (Cell::Timed(m), Some(base)) if m.mean_ns > 0.0 => Some(base / m.mean_ns),
                _ => None,
            })
            .collect()
    }

    /// Geometric mean of each engine's ratios over the rows where it has one.
    pub fn geomeans(&self) -> Vec<Option<f64>> {
        let per_row: Vec<Vec<Option<f64>>> = self.rows.iter().map(|r| self.ratios(r)).collect();
        (0..self.engines.len()).map(|e| geomean(per_row.iter().filter_map(|ratios| ratios[e]))).collect()
    }

    /// Whether any engine gave a wrong answer or failed (n/a cells are not errors).
    pub fn has_errors(&self) -> bool {
        self.rows.iter().flat_map(|r| &r.cells).any(|c| matches!(c, Cell::Wrong(_) | Cell::Failed(_)))
    }

    /// `(case, engine, ratio)` for every cell of a `mark_slower` engine slower than the baseline.
    pub fn slower(&self) -> Vec<(&str, &str, f64)> {
        let mut out = Vec::new();
        for row in &self.rows {
            for ((name, _), ratio) in self.engines.iter().zip(self.ratios(row)) {
                if let Some(r) = ratio
                    && r < 1.0
                    && self.mark_slower.contains(name)
                {
                    out.push((row.case.as_str(), name.as_str(), r));
                }
            }
        }
        out
    }

    /// The Markdown report: table of times and ratios, geomean row, versions, method.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# {}\n\n{}\n", self.suite, self.description);
        let _ = writeln!(
            out,
            "Each cell: mean time ± standard deviation, then speed relative to the baseline \
             **{}** (baseline time / engine time: 2.00× is twice as fast){}. `WRONG` and \
             `FAILED` engines were checked, found wanting, and not timed{}.\n",
            self.baseline,
            match (self.rows.iter().any(|r| r.requests.is_some()), self.rows.iter().any(|r| r.input_bytes.is_some())) {
                (true, true) => ", then requests per second and throughput",
                (true, false) => ", then requests per second",
                (false, true) => ", then throughput",
                (false, false) => "",
            },
            self.legend_extras(),
        );
        let header: Vec<String> = self
            .engines
            .iter()
            .map(|(name, _)| if *name == self.baseline { format!("{name} (baseline)") } else { name.clone() })
            .collect();
        let _ = writeln!(out, "| case | {} |", header.join(" | "));
        let _ = writeln!(out, "|---|{}", "---:|".repeat(self.engines.len()));
        for row in &self.rows {
            let ratios = self.ratios(row);
            let cells: Vec<String> = row
                .cells
                .iter()
                .zip(&ratios)
                .zip(&self.engines)
                .map(|((cell, ratio), (name, _))| {
                    let text = format_cell(cell, *ratio, row);
                    let slower = ratio.is_some_and(|r| r < 1.0) && self.mark_slower.contains(name);
                    if slower { format!("**SLOWER** {text}") } else { text }
                })
                .collect();
            let _ = writeln!(out, "| {} | {} |", row.case, cells.join(" | "));
        }
        let means: Vec<String> =
            self.geomeans().iter().map(|g| g.map_or("n/a".into(), |g| format!("**{g:.2}×**"))).collect();
        let _ = writeln!(out, "| geomean | {} |\n", means.join(" | "));
        let _ = writeln!(out, "Engines:\n");
        for (name, version) in &self.engines {
            let _ = writeln!(out, "- {name}: {version}");
        }
        let _ = writeln!(out, "\nMethod: {}", self.method);
        let notes: Vec<String> =
            self.rows.iter().filter_map(|row| row.note.as_ref().map(|n| format!("- {}: {n}", row.case))).collect();
        if !notes.is_empty() {
            let _ = writeln!(out, "\nNotes:\n\n{}", notes.join("\n"));
        }
        if !self.mark_slower.is_empty() {
            let slower = self.slower();
            let _ = writeln!(
                out,
                "\nSlower than {}: {}",
                self.baseline,
                if slower.is_empty() {
                    format!("none, where {} was timed.", self.mark_slower.join(", "))
                } else {
                    slower
                        .iter()
                        .map(|(case, engine, r)| format!("{case} / {engine} ({r:.2}×)"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            );
        }
        let differ: Vec<String> = self
            .rows
            .iter()
            .flat_map(|row| {
                row.cells.iter().zip(&self.engines).filter_map(move |(cell, (engine, _))| match cell {
                    Cell::NotApplicable(why) => Some(format!("- {} / {engine}: answered {why}", row.case)),
                    _ => None,
                })
            })
            .collect();
        if !differ.is_empty() {
            let _ = writeln!(
                out,
                "\nn/a (another dialect: a different answer, so nothing to compare; not timed):\n\n{}",
                differ.join("\n")
            );
        }
        let problems: Vec<String> = self
            .rows
            .iter()
            .flat_map(|row| {
                row.cells.iter().zip(&self.engines).filter_map(move |(cell, (engine, _))| match cell {
                    Cell::Wrong(why) => Some(format!("- {} / {engine}: WRONG, printed {why:?}", row.case)),
                    Cell::Failed(why) => Some(format!("- {} / {engine}: FAILED, {why}", row.case)),
                    Cell::Timed(_) | Cell::NotApplicable(_) => None,
                })
            })
            .collect();
        if !problems.is_empty() {
            let _ = writeln!(out, "\nNot timed:\n\n{}", problems.join("\n"));
        }
        out
    }

    fn legend_extras(&self) -> String {
        let mut extras = String::new();
        if self.rows.iter().flat_map(|r| &r.cells).any(|c| matches!(c, Cell::NotApplicable(_))) {
            extras.push_str("; `n/a` engines gave a different answer that is their dialect, not a bug");
        }
        if !self.mark_slower.is_empty() {
            let _ =
                write!(extras, "; **SLOWER** marks where {} is slower than the baseline", self.mark_slower.join(", "));
        }
        extras
    }

    /// A horizontal bar chart (SVG) of each engine's speed relative to the baseline, per case.
    pub fn svg_chart(&self) -> String {
        const BAR: f64 = 16.0;
        const LEFT: f64 = 190.0;
        const WIDTH: f64 = 460.0;
        const COLORS: [&str; 8] =
            ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f"];
        let rows: Vec<(String, Vec<Option<f64>>)> = self
            .rows
            .iter()
            .map(|r| (r.case.clone(), self.ratios(r)))
            .chain(std::iter::once(("geomean".to_owned(), self.geomeans())))
            .collect();
        let max = rows.iter().flat_map(|(_, r)| r.iter().flatten()).fold(1.0_f64, |a, b| a.max(*b));
        let group = BAR * self.engines.len() as f64 + 12.0;
        let legend = 20.0 * self.engines.len() as f64 + 10.0;
        let height = 40.0 + group * rows.len() as f64 + legend;
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n\
             <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
             <text x=\"10\" y=\"20\" font-size=\"14\">{title}: speed relative to {base} (higher is faster)</text>\n",
            w = LEFT + WIDTH + 80.0,
            title = xml_escape(&self.suite),
            base = xml_escape(&self.baseline),
        );
        let x_of = |ratio: f64| LEFT + WIDTH * ratio / max;
        for (i, (case, ratios)) in rows.iter().enumerate() {
            let top = 35.0 + group * i as f64;
            let _ = writeln!(
                svg,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                LEFT - 8.0,
                top + group / 2.0,
                xml_escape(case)
            );
            for (e, ratio) in ratios.iter().enumerate() {
                let y = top + BAR * e as f64;
                match ratio {
                    Some(r) => {
                        let _ = writeln!(
                            svg,
                            "<rect x=\"{LEFT}\" y=\"{y}\" width=\"{:.1}\" height=\"{}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{}\">{r:.2}×</text>",
                            x_of(*r) - LEFT,
                            BAR - 2.0,
                            COLORS[e % COLORS.len()],
                            x_of(*r) + 4.0,
                            y + BAR - 4.0,
                        );
                    }
                    None => {
                        let _ = writeln!(
                            svg,
                            "<text x=\"{}\" y=\"{}\" fill=\"#c00\">not timed</text>",
                            LEFT + 4.0,
                            y + BAR - 4.0
                        );
                    }
                }
            }
        }
        let base_x = x_of(1.0);
        let _ = writeln!(
            svg,
            "<line x1=\"{base_x:.1}\" y1=\"30\" x2=\"{base_x:.1}\" y2=\"{:.1}\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>",
            35.0 + group * rows.len() as f64
        );
        for (e, (name, _)) in self.engines.iter().enumerate() {
            let y = 45.0 + group * rows.len() as f64 + 20.0 * e as f64;
            let _ = writeln!(
                svg,
                "<rect x=\"{LEFT}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{y}\">{}</text>",
                y - 10.0,
                COLORS[e % COLORS.len()],
                LEFT + 18.0,
                xml_escape(name)
            );
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// Geometric mean; `None` for no values.
pub fn geomean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values.fold((0.0, 0_u32), |(sum, n), v| (sum + v.ln(), n + 1));
    (count > 0).then(|| (sum / f64::from(count)).exp())
}

/// `12.5 ms`, `850 ns`, `1.20 s`.
pub fn format_duration(ns: f64) -> String {
    let (value, unit) = match ns {
        n if n >= 1e9 => (n / 1e9, "s"),
        n if n >= 1e6 => (n / 1e6, "ms"),
        n if n >= 1e3 => (n / 1e3, "µs"),
        n => (n, "ns"),
    };
    match value {
        v if v >= 100.0 => format!("{v:.0} {unit}"),
        v if v >= 10.0 => format!("{v:.1} {unit}"),
        v => format!("{v:.2} {unit}"),
    }
}

/// `12,345`: a rate with thousands separated.
pub fn format_rate(rate: f64) -> String {
    let digits = format!("{:.0}", rate.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn format_cell(cell: &Cell, ratio: Option<f64>, row: &CaseRow) -> String {
    match cell {
        Cell::Timed(m) => {
            let mut text = format!("{} ± {}", format_duration(m.mean_ns), format_duration(m.stddev_ns));
            if let Some(r) = ratio {
                let _ = write!(text, " ({r:.2}×)");
            }
            if let Some(requests) = row.requests {
                let _ = write!(text, " {} req/s", format_rate(requests as f64 / m.mean_ns * 1e9));
            }
            if let Some(bytes) = row.input_bytes {
                let _ = write!(text, " {:.0} MB/s", bytes as f64 / m.mean_ns * 1e3);
            }
            text
        }
        Cell::Wrong(_) => "WRONG".to_owned(),
        Cell::Failed(_) => "FAILED".to_owned(),
        Cell::NotApplicable(_) => "n/a".to_owned(),
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timed(engine: &str, mean_ns: f64) -> Cell {
        Cell::Timed(Measurement { engine: engine.into(), mean_ns, stddev_ns: mean_ns / 10.0, samples: 10 })
    }

    fn report() -> SuiteReport {
        SuiteReport {
            suite: "demo".into(),
            description: "what".into(),
            engines: vec![("slow".into(), "1.0".into()), ("fast".into(), "2.0".into()), ("liar".into(), "0.1".into())],
            baseline: "slow".into(),
            method: "hyperfine".into(),
            rows: vec![
                CaseRow {
                    case: "a".into(),
                    input_bytes: Some(1_000_000),
                    requests: None,
                    cells: vec![timed("slow", 4e6), timed("fast", 1e6), Cell::Wrong("41".into())],
                    note: None,
                },
                CaseRow {
                    case: "b".into(),
                    input_bytes: None,
                    requests: Some(1000),
                    cells: vec![timed("slow", 9e3), timed("fast", 1e3), Cell::Failed("exit 3".into())],
                    note: None,
                },
            ],
            mark_slower: Vec::new(),
        }
    }

    #[test]
    fn ratios_are_against_the_named_baseline() {
        let r = report();
        assert_eq!(r.ratios(&r.rows[0]), vec![Some(1.0), Some(4.0), None]);
        let g = r.geomeans();
        assert!((g[1].unwrap() - 6.0).abs() < 1e-9, "geomean of 4 and 9 is 6");
        assert_eq!(g[2], None);
        assert!(r.has_errors());
    }

    #[test]
    fn the_table_shows_times_ratios_throughput_and_what_was_not_timed() {
        let md = report().markdown();
        assert!(md.contains("| case | slow (baseline) | fast | liar |"), "{md}");
        assert!(
            md.contains("| a | 4.00 ms ± 400 µs (1.00×) 250 MB/s | 1.00 ms ± 100 µs (4.00×) 1000 MB/s | WRONG |"),
            "{md}"
        );
        assert!(md.contains("| b | 9.00 µs ± 900 ns (1.00×) 111,111,111 req/s | 1.00 µs ± 100 ns (9.00×) 1,000,000,000 req/s | FAILED |"), "{md}");
        assert!(md.contains("| geomean | **1.00×** | **6.00×** | n/a |"), "{md}");
        assert!(md.contains("- a / liar: WRONG, printed \"41\""), "{md}");
        assert!(md.contains("- b / liar: FAILED, exit 3"), "{md}");
        assert!(md.contains("- fast: 2.0"), "{md}");
    }

    #[test]
    fn other_dialects_are_not_errors_and_slower_cells_are_marked() {
        let mut r = report();
        r.rows[0].cells[2] = Cell::NotApplicable("40".into());
        r.rows[1].cells[2] = timed("liar", 1e4);
        r.rows[1].note = Some("counted by CPython".into());
        r.mark_slower = vec!["liar".into()];
        assert!(!r.has_errors());
        assert_eq!(r.slower(), vec![("b", "liar", 0.9)]);
        let md = r.markdown();
        assert!(
            md.contains("| a | 4.00 ms ± 400 µs (1.00×) 250 MB/s | 1.00 ms ± 100 µs (4.00×) 1000 MB/s | n/a |"),
            "{md}"
        );
        assert!(md.contains("| **SLOWER** 10.0 µs ± 1.00 µs (0.90×)"), "{md}");
        assert!(md.contains("- b: counted by CPython"), "{md}");
        assert!(md.contains("Slower than slow: b / liar (0.90×)"), "{md}");
        assert!(md.contains("- a / liar: answered 40"), "{md}");
        assert!(!md.contains("Not timed:"), "{md}");
    }

    #[test]
    fn the_chart_is_an_svg_with_a_bar_per_timed_engine() {
        let svg = report().svg_chart();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("×</text>").count(), 6, "2 cases + geomean, 2 timed engines each");
        assert_eq!(svg.matches("not timed").count(), 3);
    }

    #[test]
    fn rates_have_thousands_separated() {
        assert_eq!(format_rate(999.4), "999");
        assert_eq!(format_rate(1234.0), "1,234");
        assert_eq!(format_rate(1_234_567.0), "1,234,567");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(850.0), "850 ns");
        assert_eq!(format_duration(12_500_000.0), "12.5 ms");
        assert_eq!(format_duration(1.2e9), "1.20 s");
    }
}
