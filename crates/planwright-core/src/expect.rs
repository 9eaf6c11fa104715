//! Comparing a command's output with the output a plan says to expect ("Expected output:").
//!
//! The rule: every non-blank line of the expected text must appear, in order, in the output:
//! each inside one output line, after the line where the previous one was found. Whitespace
//! is tolerant — runs of spaces and tabs count as one space, and both ends are trimmed — so
//! that indentation and alignment in the plan do not matter. Output the plan does not mention
//! is allowed: an expected line is a claim about the output, not all of it.

/// Where the expected output was not found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// Expected lines found, in order, before the first one that was not.
    pub found: Vec<String>,
    /// The first expected line not found after them, and the ones after it.
    pub missing: Vec<String>,
}

impl Mismatch {
    /// A readable diff: found lines marked `  ✓`, the first missing `  ✗` and the rest `  ·`.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for l in &self.found {
            out.push_str(&format!("  ✓ {l}\n"));
        }
        for (k, l) in self.missing.iter().enumerate() {
            let mark = if k == 0 { '✗' } else { '·' };
            out.push_str(&format!("  {mark} {l}\n"));
        }
        out
    }
}

/// A line with runs of whitespace as one space, trimmed.
fn squeeze(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks `output` against `expected` (see the module's rule).
pub fn check(expected: &str, output: &str) -> Result<(), Mismatch> {
    let want: Vec<String> = expected
        .lines()
        .map(squeeze)
        .filter(|l| !l.is_empty())
        .collect();
    let have: Vec<String> = output.lines().map(squeeze).collect();
    let mut at = 0;
    for (k, w) in want.iter().enumerate() {
        match have[at..].iter().position(|h| h.contains(w.as_str())) {
            Some(i) => at += i + 1,
            None => {
                return Err(Mismatch {
                    found: want[..k].to_vec(),
                    missing: want[k..].to_vec(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_in_order_whitespace_tolerant() {
        let out = "building…\n  Passed!   12 tests\nwarning: slow\ndone\n";
        assert_eq!(check("Passed! 12 tests\ndone", out), Ok(()));
        assert_eq!(check("\n   Passed!\n\n", out), Ok(()));
        let m = check("done\nPassed!", out).expect_err("out of order");
        assert_eq!(m.found, ["done"]);
        assert_eq!(m.missing, ["Passed!"]);
        assert_eq!(m.diff(), "  ✓ done\n  ✗ Passed!\n");
        assert!(check("Failed", out).is_err());
        assert_eq!(check("", ""), Ok(()));
    }
}
