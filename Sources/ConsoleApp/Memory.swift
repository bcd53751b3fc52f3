import CSupport

/// glibc malloc tuning for a process that holds and drops 60,000-row answers.
public enum Memory {
    /// Two malloc arenas instead of glibc's 8 per core: searches decode on
    /// pool threads and the main thread frees, so each thread's arena kept
    /// its own high-water mark. Call before any thread starts.
    public static func limitArenas() {
        wv_limit_malloc_arenas(2)
    }

    /// glibc's malloc_trim: gives free heap pages back to the kernel. It walks
    /// the arenas, so it is called only after a large result set is dropped.
    static func returnFreedPages() {
        wv_malloc_trim()
    }
}
