#define _GNU_SOURCE
#include "CSupport.h"
#include <string.h>
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
