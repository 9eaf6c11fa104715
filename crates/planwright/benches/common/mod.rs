//! What the benchmarks share: a small deterministic generator (xorshift64*), so generated
//! repositories are the same on every machine, and best-of-N timing.

pub(crate) mod repo;

pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    #[allow(dead_code)]
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    #[allow(dead_code)]
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The fastest of `runs` runs of `f`.
#[allow(dead_code)]
pub(crate) fn best(runs: usize, mut f: impl FnMut()) -> std::time::Duration {
    (0..runs)
        .map(|_| {
            let t = std::time::Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// This process's CPU times from `/proc/self/stat`, in milliseconds (10 ms ticks): its own
/// user and system time, then its finished children's.
#[allow(dead_code)]
pub(crate) fn cpu_times_ms() -> [f64; 4] {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |p| p.1);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    std::array::from_fn(|i| f.get(11 + i).copied().unwrap_or(0.0) * 10.0)
}
