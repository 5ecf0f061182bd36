//! Counting results across steps for the closing `N passed, M failed` line.

use std::time::Duration;

#[derive(Default)]
pub struct Summary {
    pub passed: u64,
    pub failed: u64,
    pub failed_steps: Vec<String>,
    /// Each step's name, wall time and outcome, in order.
    pub timings: Vec<(String, Duration, bool)>,
}

impl Summary {
    /// Adds the counts of every `test result: ... N passed; M failed` line.
    /// Returns whether any such line was found.
    pub fn add_test_output(&mut self, output: &str) -> bool {
        let mut found = false;
        for line in output.lines() {
            let Some(rest) = line.trim().strip_prefix("test result: ") else {
                continue;
            };
            found = true;
            for part in rest.split([';', '.']) {
                let mut words = part.split_whitespace();
                if let (Some(n), Some(what)) = (words.next(), words.next()) {
                    let n: u64 = n.parse().unwrap_or(0);
                    match what {
                        "passed" => self.passed += n,
                        "failed" => self.failed += n,
                        _ => {}
                    }
                }
            }
        }
        found
    }

    pub fn check(&mut self, name: &str, ok: bool) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            self.failed_steps.push(name.to_string());
        }
    }

    pub fn step_failed(&mut self, name: &str) {
        self.failed_steps.push(name.to_string());
    }

    /// Records a test step: its counted results, plus one failure when it
    /// failed (or printed no results) without a failing test to show for it,
    /// e.g. a compile error.
    pub fn tests(&mut self, name: &str, ok: bool, output: &str) {
        let failed_before = self.failed;
        let found = self.add_test_output(output);
        if !ok || !found {
            self.step_failed(name);
            if self.failed == failed_before {
                self.failed += 1;
            }
        }
    }

    pub fn time(&mut self, name: &str, took: Duration, ok: bool) {
        self.timings.push((name.to_string(), took, ok));
    }

    /// The timing table, one line a step.
    pub fn timing_report(&self) -> String {
        let width = self.timings.iter().map(|t| t.0.len()).max().unwrap_or(0);
        let mut out = String::new();
        for (name, took, ok) in &self.timings {
            let mark = if *ok { "ok" } else { "FAILED" };
            out.push_str(&format!(
                "  {name:<width$}  {:>7.1}s  {mark}\n",
                took.as_secs_f64()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Summary;

    #[test]
    fn sums_cargo_and_wasm_runner_lines() {
        let mut s = Summary::default();
        let out = "running 3 tests\ntest result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\
                   test result: FAILED. 5 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out\n";
        assert!(s.add_test_output(out));
        assert_eq!((s.passed, s.failed), (8, 2));
        assert!(!s.add_test_output("no results here"));
        s.check("fmt", false);
        assert_eq!(s.failed, 3);
        assert_eq!(s.failed_steps, vec!["fmt"]);
    }

    #[test]
    fn a_step_failing_without_failed_tests_counts_once() {
        let mut s = Summary::default();
        // Compile error: no result lines.
        s.tests("native", false, "error[E0425]: cannot find value");
        assert_eq!((s.passed, s.failed), (0, 1));
        // Failing tests are counted as they are, not once more.
        s.tests(
            "wasm",
            false,
            "test result: FAILED. 4 passed; 2 failed; 0 ignored",
        );
        assert_eq!((s.passed, s.failed), (4, 3));
        // Success without any result line is suspicious.
        s.tests("e2e", true, "");
        assert_eq!(s.failed, 4);
        s.tests("ok", true, "test result: ok. 1 passed; 0 failed");
        assert_eq!((s.passed, s.failed), (5, 4));
        assert_eq!(s.failed_steps, vec!["native", "wasm", "e2e"]);
    }
}
