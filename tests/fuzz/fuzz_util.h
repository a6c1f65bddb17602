/* Helpers shared by the libFuzzer targets: a NUL-terminated copy of the
 * input, a scratch file for readers that take a path, and a check that
 * aborts (so that libFuzzer and the replay driver both report it). */
#ifndef XT_FUZZ_UTIL_H
#define XT_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs longer than this are ignored: the readers' own limits are far
 * larger, and long inputs only slow the fuzzer down. */
#define XT_FUZZ_MAX_INPUT 65536

/* Aborts with a message when cond is false.  A failed oracle is a bug in
 * the code under test, so it must crash the fuzzer. */
#define XT_FUZZ_ASSERT(cond, ...)                                         \
    do {                                                                  \
        if (!(cond)) {                                                    \
            fprintf(stderr, "%s:%d: fuzz oracle failed: %s: ", __FILE__,  \
                    __LINE__, #cond);                                     \
            fprintf(stderr, __VA_ARGS__);                                 \
            fprintf(stderr, "\n");                                        \
            abort();                                                      \
        }                                                                 \
    } while (0)

/* Returns a malloc'd copy of data with a NUL byte appended. */
static inline char *xt_fuzz_string(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        abort();
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';
    return text;
}

/* Writes data to a scratch file private to this process and returns its
 * path.  The file is created on the first call and reused, and removed at
 * exit.  suffix (".csv" or "") is appended to the name. */
static char xt_fuzz_path[64];

static inline void xt_fuzz_remove_file(void)
{
    if (xt_fuzz_path[0])
        unlink(xt_fuzz_path);
}

static inline const char *xt_fuzz_file(const uint8_t *data, size_t size,
                                       const char *suffix)
{
    if (!xt_fuzz_path[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(xt_fuzz_path, sizeof xt_fuzz_path, "%s/xtrain-fuzz-%ld%s",
                 dir && strlen(dir) < 24 ? dir : "/tmp", (long)getpid(),
                 suffix);
        atexit(xt_fuzz_remove_file);
    }
    FILE *f = fopen(xt_fuzz_path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    return xt_fuzz_path;
}

#endif
