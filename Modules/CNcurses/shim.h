#ifndef AMANA_CNCURSES_SHIM_H
#define AMANA_CNCURSES_SHIM_H
// Wide-character curses: Arabic and every other UTF-8 text is drawn and read
// as characters, not bytes (with setlocale(LC_ALL, "") before initscr()).
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Macros and globals Swift cannot import, as functions.
static inline WINDOW *amana_stdscr(void) { return stdscr; }
static inline int amana_lines(void) { return LINES; }
static inline int amana_cols(void) { return COLS; }
static inline int amana_reverse(void) { return (int)A_REVERSE; }
static inline int amana_bold(void) { return (int)A_BOLD; }
static inline int amana_key_code_yes(void) { return KEY_CODE_YES; }
static inline int amana_colour_pair(int n) { return (int)COLOR_PAIR(n); }
#endif
