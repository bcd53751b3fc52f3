import CSupport

/// glibc malloc tuning for a process that holds and drops 60,000-row answers.
public enum Memory {
    /// Two malloc arenas instead of glibc's 8 per core: searches decode on
    /// pool threads and the main thread frees, so each thread's arena kept
    /// its own high-water mark. Call before any thread starts.
    public static func limitArenas() {
        wv_limit_malloc_arenas(2)
    }

    /// For a command that reads one answer and ends (the CLI): blocks of
    /// 256 KiB and more (row arrays, the pieces a second thread reads) are
    /// their own mappings, given back the moment they are freed, so the
    /// peak holds only what is alive. glibc's default raises this threshold
    /// to the size of each large block freed (up to 32 MiB), after which
    /// freed arrays stay resident and add to the peak. (Not for the console,
    /// which reuses its heap search after search.)
    public static func returnLargeBlocksAtOnce() {
        wv_malloc_mmap_threshold(256 * 1024)
    }

    /// glibc's malloc_trim: gives free heap pages back to the kernel. It walks
    /// the arenas, so it is called only after a large result set is dropped.
    static func returnFreedPages() {
        wv_malloc_trim()
    }
}
