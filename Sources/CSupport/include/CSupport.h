// The few libc calls Swift's Glibc module does not expose (they need
// _GNU_SOURCE or <malloc.h>), wrapped in one place instead of binding
// symbols by name from Swift.
#ifndef WV_CSUPPORT_H
#define WV_CSUPPORT_H
#include <stddef.h>

/// posix_spawn_file_actions_addclosefrom_np(3) on glibc 2.34+: the spawned
/// program starts with every descriptor from `from` up closed. SwiftNIO
/// creates its sockets without close-on-exec, so a child (tmux's server,
/// say) would otherwise hold this process's connections open after it
/// closed them. Returns 0, or an errno; ENOSYS where libc lacks it.
int wv_spawn_close_from(void *file_actions, int from);
/// memmem(3): the first `needle` in `haystack`, or NULL.
void *wv_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);
/// wcwidth(3) for one Unicode scalar: columns, or -1 when not printable.
int wv_wcwidth(unsigned int scalar);
/// How many characters the UTF-8 `text` holds when every one is printable
/// ASCII or a Latin letter or sign U+00A0–U+02FF other than the soft hyphen
/// (one scalar, one column, no control or format character); -1 otherwise.
/// The common case of names and phones, decided in one pass over the bytes.
long wv_plain_latin_length(const unsigned char *text, size_t length);
/// mallopt(M_ARENA_MAX, n) on glibc; a no-op elsewhere.
void wv_limit_malloc_arenas(int arenas);
/// mallopt(M_MMAP_THRESHOLD, bytes) on glibc (which also ends its dynamic
/// threshold); a no-op elsewhere.
void wv_malloc_mmap_threshold(int bytes);
/// malloc_trim(0) on glibc: free heap pages back to the kernel; a no-op elsewhere.
void wv_malloc_trim(void);
/// Saves the terminal's modes (of standard input) as they are now, before
/// curses changes them, and installs handlers for the signals that end the
/// process at once — SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGSYS,
/// SIGTRAP and SIGUSR2 —, sent from outside or raised by a crash: each puts
/// the saved modes back, leaves the alternate screen and shows the cursor
/// (async-signal-safe calls only), then re-raises the signal with its
/// default action, so the exit status and the core policy stay true.
void wv_install_fatal_terminal_restore(void);

#endif
