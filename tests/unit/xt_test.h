/* Minimal test helpers: assertions that report file and line, and a seed
 * taken from XTRAIN_SEED (printed on failure so a run can be replayed) and
 * an iteration scale from XTRAIN_TEST_SCALE (default 1). */
#ifndef XT_TEST_H
#define XT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <gmp.h>
#include "xtrain/rat.h"

static uint64_t xt_test_seed_value;
static int xt_test_failures;

static inline uint64_t xt_test_seed(void)
{
    const char *s = getenv("XTRAIN_SEED");
    xt_test_seed_value = s ? strtoull(s, NULL, 10) : 12345u;
    return xt_test_seed_value;
}

static inline long xt_test_scale(long base)
{
    const char *s = getenv("XTRAIN_TEST_SCALE");
    long f = s ? atol(s) : 1;
    return base * (f > 0 ? f : 1);
}

/* splitmix64: a small seeded generator for test data. */
static inline uint64_t xt_test_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#define XT_FAIL(...)                                                      \
    do {                                                                  \
        fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);             \
        fprintf(stderr, __VA_ARGS__);                                     \
        fprintf(stderr, " (XTRAIN_SEED=%llu)\n",                          \
                (unsigned long long)xt_test_seed_value);                  \
        xt_test_failures++;                                               \
    } while (0)

#define XT_CHECK(cond)                                                    \
    do {                                                                  \
        if (!(cond))                                                      \
            XT_FAIL("%s", #cond);                                         \
    } while (0)

#define XT_CHECK_INT(got, want)                                           \
    do {                                                                  \
        long long g_ = (long long)(got), w_ = (long long)(want);          \
        if (g_ != w_)                                                     \
            XT_FAIL("%s is %lld, expected %lld", #got, g_, w_);           \
    } while (0)

#define XT_CHECK_STR(got, want)                                           \
    do {                                                                  \
        const char *g_ = (got), *w_ = (want);                             \
        if (!g_ || strcmp(g_, w_) != 0)                                   \
            XT_FAIL("%s is \"%s\", expected \"%s\"", #got,                \
                    g_ ? g_ : "(null)", w_);                              \
    } while (0)

/* Compares an mpq with the canonical text of the expected value. */
#define XT_CHECK_RAT(got, want)                                           \
    do {                                                                  \
        char *g_ = xt_rat_to_string(got);                                 \
        if (!g_ || strcmp(g_, (want)) != 0)                               \
            XT_FAIL("%s is %s, expected %s", #got, g_ ? g_ : "?",         \
                    (want));                                              \
        free(g_);                                                         \
    } while (0)

/* Prints the summary line and returns the process exit status. */
static inline int xt_test_finish(const char *name)
{
    if (xt_test_failures) {
        printf("%s: %d check(s) failed\n", name, xt_test_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

#endif
