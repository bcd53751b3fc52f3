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
static inline attr_t shim_a_italic(void) { return A_ITALIC; }
static inline int shim_colors(void) { return COLORS; }
static inline int shim_color_pairs(void) { return COLOR_PAIRS; }
static inline int shim_err(void) { return ERR; }
static inline int shim_key_code_yes(void) { return KEY_CODE_YES; }
/* term.h is not included (its macros clash with Swift names); this is its declaration. */
extern int setupterm(const char *term, int filedes, int *errret);
/* 1 = the terminal can address the cursor; 0 = it cannot (TERM=dumb);
   -1 = no terminfo entry for TERM. Checked before initscr, which would
   otherwise print its own message and exit, or draw garbage. */
static inline int shim_terminal_usable(void) {
    int err = 0;
    if (setupterm(NULL, 1, &err) != OK) return -1;
    const char *cup = tigetstr("cup");
    return (cup != NULL && cup != (const char *)-1) ? 1 : 0;
}
/* Put one cell: the grapheme as a NUL-terminated wchar_t string. */
static inline int shim_put_cell(WINDOW *w, int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t c;
    if (setcchar(&c, text, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(w, y, x, &c);
}
#endif
