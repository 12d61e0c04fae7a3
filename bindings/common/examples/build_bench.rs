//! The Rust side of scripts/bench-bindings.sh: build a kustomization in-process, best of
//! N runs, the same calls the bindings make (`build` then `to_yaml`). Prints wall-clock
//! and on-CPU time (the thread's `/proc/thread-self/schedstat`) of each.
//!
//!     cargo run --release --example build_bench -- DIR RUNS
use std::path::PathBuf;
use std::time::Instant;

use gitops_kustomize::{Options, RealFs, build, to_yaml};

/// Nanoseconds this thread has spent on a CPU.
fn cpu_ns() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|f| f.parse::<f64>().ok()))
        .unwrap_or(0.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let mut best = [f64::MAX; 4];
    let mut bytes = 0;
    for _ in 0..runs {
        let (t, c) = (Instant::now(), cpu_ns());
        let list = match build(&RealFs, &dir, &Options::default()) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
        best[2] = best[2].min(t.elapsed().as_secs_f64() * 1e3);
        best[3] = best[3].min((cpu_ns() - c) / 1e6);
        let text = to_yaml(&list).unwrap_or_default();
        best[0] = best[0].min(t.elapsed().as_secs_f64() * 1e3);
        best[1] = best[1].min((cpu_ns() - c) / 1e6);
        bytes = text.len();
    }
    println!(
        "{{\"yaml_ms\": {:.3}, \"yaml_cpu\": {:.3}, \"objects_ms\": {:.3}, \"objects_cpu\": {:.3}, \"bytes\": {bytes}}}",
        best[0], best[1], best[2], best[3]
    );
}
