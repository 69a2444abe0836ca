//! Long loops of a load split into out-of-line calls.
//!
//! A WebAssembly engine switches a function to its optimized code on the function's next call,
//! never inside a call already running (V8: no on-stack replacement for WebAssembly), so a loop over
//! a million users in a function called once runs in baseline code (Liftoff) to its end. Run as
//! one out-of-line call per chunk, the same loop gets the optimized code after the first chunks.

use std::ops::Range;

/// Items per out-of-line call: small enough that the first chunks are a sliver of a large load, large
/// enough that the call itself costs nothing.
pub(in crate::directory) const CHUNK: usize = 1 << 16;

/// Calls `f` on `0..n` in consecutive ranges of at most [`CHUNK`] items, each from an out-of-line call.
pub(in crate::directory) fn chunked(n: usize, mut f: impl FnMut(Range<usize>)) {
    let mut from = 0;
    while from < n {
        let to = n.min(from.saturating_add(CHUNK));
        run(from..to, &mut f);
        from = to;
    }
}

/// One chunk, never inlined into the loop that calls it (the point of [`chunked`]).
#[inline(never)]
fn run<F: FnMut(Range<usize>)>(range: Range<usize>, f: &mut F) {
    f(range);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_once_in_order() {
        for n in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 7] {
            let mut seen = Vec::new();
            chunked(n, |r| seen.extend(r));
            assert_eq!(seen, (0..n).collect::<Vec<_>>());
        }
    }
}
