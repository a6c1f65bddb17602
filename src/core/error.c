/* One-line error messages ("FILE:LINE: what is wrong"). */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "xtrain/error.h"

/* Maximum length of a quoted excerpt in a message, in input bytes. */
#define QUOTE_BYTES 40

void xt_error_clear(xt_error_t *err)
{
    if (err)
        err->message[0] = '\0';
}

void xt_error_set(xt_error_t *err, const char *format, ...)
{
    va_list args;

    if (!err)
        return;
    va_start(args, format);
    vsnprintf(err->message, sizeof err->message, format, args);
    va_end(args);
}

void xt_error_at(xt_error_t *err, const char *file, long line,
                 const char *format, ...)
{
    va_list args;
    size_t used = 0;

    if (!err)
        return;
    err->message[0] = '\0';
    if (file && line > 0)
        snprintf(err->message, sizeof err->message, "%s:%ld: ", file, line);
    else if (file)
        snprintf(err->message, sizeof err->message, "%s: ", file);
    used = strlen(err->message);

    va_start(args, format);
    vsnprintf(err->message + used, sizeof err->message - used, format,
              args);
    va_end(args);
}

const char *xt_error_quote(char buf[XT_QUOTE_MAX], const char *text,
                           size_t len)
{
    size_t shown = len > QUOTE_BYTES ? QUOTE_BYTES : len;
    size_t out = 0;

    buf[out++] = '"';
    for (size_t i = 0; i < shown; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') {
            buf[out++] = (char)ch;
        } else {
            snprintf(buf + out, 5, "\\x%02x", ch);
            out += 4;
        }
    }
    buf[out++] = '"';
    if (shown < len) {
        memcpy(buf + out, "...", 3);
        out += 3;
    }
    buf[out] = '\0';
    return buf;
}

void (*xt_out_of_memory_handler)(size_t size);

_Noreturn void xt_out_of_memory(size_t size)
{
    if (xt_out_of_memory_handler)
        xt_out_of_memory_handler(size);
    abort();
}
