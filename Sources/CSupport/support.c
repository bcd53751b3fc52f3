#define _GNU_SOURCE
#include "CSupport.h"
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void *wv_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length);
}

int wv_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }

long wv_plain_latin_length(const unsigned char *text, size_t length) {
    long count = 0;
    size_t i = 0;
    while (i < length) {
        unsigned char b = text[i];
        if (b >= 0x20 && b < 0x7F) {
            i += 1;
        } else if (b >= 0xC2 && b <= 0xCB && i + 1 < length && (text[i + 1] & 0xC0) == 0x80) {
            // U+0080–U+02FF; of these, U+0080–U+009F (C1) and U+00AD are not plain.
            if (b == 0xC2 && (text[i + 1] < 0xA0 || text[i + 1] == 0xAD)) return -1;
            i += 2;
        } else {
            return -1;
        }
        count += 1;
    }
    return count;
}

void wv_limit_malloc_arenas(int arenas) {
#if defined(__GLIBC__)
    mallopt(M_ARENA_MAX, arenas);
#else
    (void)arenas;
#endif
}

void wv_malloc_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
#endif
}

void wv_malloc_trim(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

static struct termios wv_saved_modes;
static volatile sig_atomic_t wv_have_saved_modes = 0;

static void wv_fatal_restore(int sig) {
    if (wv_have_saved_modes) tcsetattr(STDIN_FILENO, TCSANOW, &wv_saved_modes);
    // Leave the alternate screen, show the cursor, plain attributes, a new line.
    static const char reset[] = "\x1b[?1049l\x1b[?25h\x1b[0m\r\n";
    ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
    (void)ignored;
    signal(sig, SIG_DFL);
    raise(sig);
}

void wv_install_fatal_terminal_restore(void) {
    if (tcgetattr(STDIN_FILENO, &wv_saved_modes) == 0) wv_have_saved_modes = 1;
    const int signals[] = {SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGSYS, SIGTRAP, SIGUSR2};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = wv_fatal_restore;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_NODEFER;
        sigaction(signals[i], &action, NULL);
    }
}

int wv_spawn_close_from(void *file_actions, int from) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    return posix_spawn_file_actions_addclosefrom_np((posix_spawn_file_actions_t *)file_actions, from);
#else
    (void)file_actions;
    (void)from;
    return ENOSYS;
#endif
}
