//! The wasm linear memory, for the heap reservations the core computes
//! ([`crate::claims::load_pairs_reservation`], [`crate::directory::CompactDirectory::load_reservation`]).

/// The current size of the module's linear memory in bytes (0 outside WebAssembly).
pub(crate) fn memory_bytes() -> usize {
    #[cfg(target_arch = "wasm32")]
    return core::arch::wasm32::memory_size(0).saturating_mul(65_536);
    #[cfg(not(target_arch = "wasm32"))]
    0
}

/// Allocates a block of `bytes` and frees it at once: memory grows in one step and the allocator
/// keeps the block for the allocations that follow (wasm memory never shrinks). Nothing for 0; a
/// failed reservation is ignored (the load then grows memory as it goes).
pub(crate) fn reserve(bytes: usize) {
    if bytes == 0 {
        return;
    }
    let mut block: Vec<u8> = Vec::new();
    if block.try_reserve_exact(bytes).is_ok() {
        // Kept observable: an allocation freed unused could otherwise be optimized away.
        std::hint::black_box(&mut block);
    }
}
