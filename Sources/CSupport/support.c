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

void wv_limit_malloc_arenas(int arenas) {
#if defined(__GLIBC__)
    mallopt(M_ARENA_MAX, arenas);
#else
    (void)arenas;
#endif
}

void wv_malloc_trim(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
