#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
/* The wide-character API (setcchar, wadd_wch, get_wch) is only declared when
   these are defined before the header; without them Swift cannot see it. */
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

/* C macros do not import into Swift: expose the few we need as functions. */
static inline int shim_color_pair(int n) { return COLOR_PAIR(n); }
static inline attr_t shim_a_normal(void) { return A_NORMAL; }
static inline attr_t shim_a_bold(void) { return A_BOLD; }
static inline attr_t shim_a_reverse(void) { return A_REVERSE; }
static inline attr_t shim_a_underline(void) { return A_UNDERLINE; }
static inline attr_t shim_a_dim(void) { return A_DIM; }
static inline int shim_key_resize(void) { return KEY_RESIZE; }
static inline int shim_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }
#endif
