//! Where results go and the machine they were measured on.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let days = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400);
    civil_date(days as i64)
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_date(days_since_epoch: i64) -> String {
    let z = days_since_epoch + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The host name, safe for a directory name.
pub fn host() -> String {
    let raw = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown-host".to_owned());
    raw.trim().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect()
}

/// `bench-harness/results/<date>-<host>/`.
pub fn results_dir(bench_harness: &Path) -> PathBuf {
    bench_harness.join("results").join(format!("{}-{}", today(), host()))
}

/// The first line a tool prints on stdout, or `"not found"`.
pub fn first_line_of(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.lines().next().map(str::to_owned))
        .unwrap_or_else(|| "not found".to_owned())
}

fn proc_field(file: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_once([':', '=']))
        .map(|(_, v)| v.trim().trim_matches('"').to_owned())
}

/// A Markdown description of the machine and tools, written beside every result.
pub fn describe() -> String {
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let memory = proc_field("/proc/meminfo", "MemTotal").unwrap_or_else(|| "unknown".into());
    format!(
        "# Machine\n\n\
         - date: {date}\n\
         - host: {host}\n\
         - CPU: {cpu} ({cores} logical cores available)\n\
         - memory: {memory}\n\
         - OS: {os}, kernel {kernel}\n\
         - rustc: {rustc}\n\
         - hyperfine: {hyperfine}\n\
         - python3: {python}\n\n\
         Shared machines are noisy: compare ratios within one run, not absolute times across runs.\n",
        date = today(),
        host = host(),
        cpu = proc_field("/proc/cpuinfo", "model name").unwrap_or_else(|| "unknown".into()),
        os = proc_field("/etc/os-release", "PRETTY_NAME").unwrap_or_else(|| "unknown".into()),
        kernel =
            std::fs::read_to_string("/proc/sys/kernel/osrelease").map_or("unknown".into(), |s| s.trim().to_owned()),
        rustc = first_line_of("rustc", &["--version"]),
        hyperfine = first_line_of("hyperfine", &["--version"]),
        python = first_line_of("python3", &["--version"]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_781), "2026-11-24");
        assert_eq!(civil_date(-1), "1969-12-31");
    }

    #[test]
    fn results_dir_is_dated_and_named_after_the_host() {
        let dir = results_dir(Path::new("bench-harness"));
        let name = dir.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(&today()) && name.ends_with(&host()), "{name}");
        assert!(!host().contains('/'));
    }

    #[test]
    fn the_machine_description_names_cpu_and_tools() {
        let text = describe();
        assert!(text.contains("- CPU: ") && text.contains("- rustc: rustc "), "{text}");
    }
}
