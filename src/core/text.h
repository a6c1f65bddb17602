/* Private helpers shared by the core readers: whole-file reading, a line
 * scanner with '#' comments, whitespace tokens and bounded integers.
 * Nothing here is part of the public API. */
#ifndef XT_CORE_TEXT_H
#define XT_CORE_TEXT_H

#include <stddef.h>
#include <gmp.h>
#include "xtrain/error.h"

/* Reads the whole file at path ("-" is standard input) in binary mode into
 * a malloc'd buffer with a NUL byte appended (not counted in *len). */
int xt_text_read_file(char **text, size_t *len, const char *path,
                      xt_error_t *err);

/* Name used in messages for path: "<stdin>" for "-". */
const char *xt_text_display_name(const char *path);

/* A view of bytes that need not be NUL-terminated. */
typedef struct {
    const char *start;
    size_t len;
} xt_token;

/* Scans text line by line.  Lines end at '\n'; a '\r' before it is
 * dropped, and so is everything from '#' on when comments is set. */
typedef struct {
    const char *text;
    size_t len;
    size_t pos;
    const char *name;   /* file name for messages */
    int comments;       /* 1: '#' starts a comment */
    long line;          /* number of the current line, from 1 */
    xt_token current;   /* current line, without newline and comment */
} xt_lines;

/* Starts scanning text (len bytes); skips a UTF-8 byte order mark. */
void xt_lines_init(xt_lines *lines, const char *text, size_t len,
                   const char *name, int comments);

/* Moves to the next line that contains more than white space.  Returns 1 on
 * a line, 0 at the end of the text, and -1 with a message when the line
 * contains a NUL byte. */
int xt_lines_next(xt_lines *lines, xt_error_t *err);

/* Reports whether the scan has reached the end of the text. */
int xt_lines_at_end(const xt_lines *lines);

/* Splits a line into white-space-separated tokens.  Stores at most max
 * tokens and returns how many there are in all. */
size_t xt_tokens_split(xt_token *tokens, size_t max, xt_token line);

/* Moves *rest past the next token and stores it in *token.  Returns 0 when
 * no token is left. */
int xt_tokens_next(xt_token *token, xt_token *rest);

/* Reports whether token equals the NUL-terminated word. */
int xt_token_is(xt_token token, const char *word);

/* Quotes a token for messages (see xt_error_quote). */
const char *xt_token_quote(char buf[XT_QUOTE_MAX], xt_token token);

/* Parses a decimal integer from min to max (digits only, no sign).
 * Returns 0 on success, -1 when token is not such an integer, -2 when it
 * is a nonnegative integer outside the range. */
int xt_token_to_long(long *out, xt_token token, long min, long max);

/* Fills err for a failed xt_token_to_long on the value of keyword. */
void xt_text_range_error(xt_error_t *err, const char *name, long line,
                         const char *keyword, xt_token token, long min,
                         long max);

/* Reports whether the canonical text of q (what xt_rat_print writes) has
 * at most XT_MAX_NUMBER_CHARS characters.  A short exponent can stand for
 * a long fraction: "1e-99999" is "1/1000...0".  The readers reject such
 * numbers, so everything xtrain writes can be read back. */
int xt_text_rat_fits(const mpq_t q);

/* Parses a rational number token of at most XT_MAX_NUMBER_CHARS
 * characters.  On failure fills err with "invalid number" or "number too
 * long" at the given line and returns XT_ERR_INPUT. */
int xt_token_to_rat(mpq_t out, xt_token token, const char *name,
                    long line, xt_error_t *err);

#endif
