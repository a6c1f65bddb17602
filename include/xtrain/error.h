/* Error reports shared by every xtrain module.
 *
 * Library code never prints and never exits.  A function that can fail on
 * its input fills an xt_error_t with one line of text ("FILE:LINE: what is
 * wrong") and returns a nonzero status; the command-line tool prints that
 * line and chooses the exit code. */
#ifndef XTRAIN_ERROR_H
#define XTRAIN_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#define XT_ERROR_MAX 512

typedef struct {
    char message[XT_ERROR_MAX];
} xt_error_t;

/* Status codes returned by library functions. */
enum {
    XT_OK = 0,
    XT_ERR_INPUT = 1,   /* malformed or inconsistent input */
    XT_ERR_IO = 2,      /* a file could not be opened, read or written */
    XT_ERR_LIMIT = 3,   /* a time, memory or size limit was reached */
    XT_ERR_NOMEM = 4,   /* an allocation failed */
    XT_ERR_INTERNAL = 5 /* a self-check failed: a bug, never an answer */
};

/* Clears the message. */
void xt_error_clear(xt_error_t *err);

/* Formats the message like printf.  A NULL err is allowed and ignored. */
void xt_error_set(xt_error_t *err, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Formats "FILE:LINE: message".  LINE 0 omits the line number. */
void xt_error_at(xt_error_t *err, const char *file, long line,
                 const char *format, ...)
    __attribute__((format(printf, 4, 5)));

/* Copies the first len bytes of text into buf as a printable excerpt for
 * messages: quotes around it, bytes outside printable ASCII as \xNN, and
 * "..." when it is longer than 40 characters.  buf must hold
 * XT_QUOTE_MAX bytes.  Returns buf. */
#define XT_QUOTE_MAX 200
const char *xt_error_quote(char buf[XT_QUOTE_MAX], const char *text,
                           size_t len);

#include <stddef.h>

/* Handler for an allocation failure that the caller cannot recover from.
 * The default (NULL) aborts; the command-line tool installs one that
 * reports the memory limit and exits with status 3. */
extern void (*xt_out_of_memory_handler)(size_t size);

/* Calls xt_out_of_memory_handler, then aborts if it returned. */
_Noreturn void xt_out_of_memory(size_t size);

#endif
