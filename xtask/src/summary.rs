//! Counting results across steps for the closing `N passed, M failed` line.

#[derive(Default)]
pub struct Summary {
    pub passed: u64,
    pub failed: u64,
    pub failed_steps: Vec<String>,
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
}
