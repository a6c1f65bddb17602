/* Memory limits for xtrain solve.
 *
 * GMP aborts the process when an allocation fails, so the command installs
 * its own GMP allocation functions: a failed allocation (or one past
 * --memory-limit) prints one line, and with --json a result object whose
 * status is "unknown", then ends the process with exit code 3 instead of
 * a crash.  --memory-limit also caps the address space with RLIMIT_AS,
 * so that allocations outside GMP fail (the solvers report those as
 * XT_ERR_NOMEM), and passes the limit to Z3 (memory_max_size), which then
 * gives up with "unknown".  Under AddressSanitizer RLIMIT_AS is not set,
 * because the sanitizer reserves far more address space than any limit;
 * only GMP's memory is counted there. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>
#include <gmp.h>
#include <z3.h>
#include "cli.h"
#include "xtrain/error.h"

#if defined(__SANITIZE_ADDRESS__)
#define XT_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XT_UNDER_ASAN 1
#endif
#endif
#ifndef XT_UNDER_ASAN
#define XT_UNDER_ASAN 0
#endif

/* Bytes GMP holds now.  Signed: memory allocated before the functions
 * were installed is freed through them, which may take it below 0. */
static atomic_llong gmp_bytes;
static size_t gmp_limit;          /* 0: no limit */
static long limit_mib;
static int limit_json;
static const char *limit_command = "xtrain";

/* Ends the process after an allocation of size bytes failed.  Nothing
 * here allocates: the message is formatted into a stack buffer and
 * written with write(2). */
static _Noreturn void out_of_memory(size_t size)
{
    static atomic_flag reported = ATOMIC_FLAG_INIT;
    char line[320];
    int len;

    /* Another thread that runs out at the same time waits for the first
     * one's _exit, so the message appears once. */
    if (atomic_flag_test_and_set(&reported))
        for (;;)
            pause();
    fflush(stdout);
    if (limit_json) {
        static const char result[] =
            "{\"status\": \"unknown\", \"proven\": false, "
            "\"memory_limit_reached\": true}\n";
        if (write(STDOUT_FILENO, result, sizeof result - 1) < 0)
            _exit(XT_EXIT_UNKNOWN);
    }
    if (limit_mib > 0)
        len = snprintf(line, sizeof line, "%s: memory limit of %ld MiB "
                       "reached (allocating %zu bytes): stopped without "
                       "an answer\n", limit_command, limit_mib, size);
    else
        len = snprintf(line, sizeof line, "%s: out of memory (allocating "
                       "%zu bytes): stopped without an answer\n",
                       limit_command, size);
    if (len > 0 && write(STDERR_FILENO, line, (size_t)len) < 0)
        _exit(XT_EXIT_UNKNOWN);
    _exit(XT_EXIT_UNKNOWN);
}

/* Counts size more bytes for GMP and checks the limit. */
static void count_bytes(size_t size)
{
    long long now = atomic_fetch_add(&gmp_bytes, (long long)size) +
                    (long long)size;
    if (gmp_limit && now > (long long)gmp_limit)
        out_of_memory(size);
}

/* GMP allocation without counting, for runs without a limit.  It saves
 * the shared counter's atomic updates (3% of an l1 enumeration). */
static void *checked_alloc(size_t size)
{
    void *p = malloc(size);
    if (!p)
        out_of_memory(size);
    return p;
}

static void *checked_realloc(void *old, size_t old_size, size_t new_size)
{
    (void)old_size;
    void *p = realloc(old, new_size);
    if (!p)
        out_of_memory(new_size);
    return p;
}

static void checked_free(void *p, size_t size)
{
    (void)size;
    free(p);
}

static void *limited_alloc(size_t size)
{
    count_bytes(size);
    return checked_alloc(size);
}

static void *limited_realloc(void *old, size_t old_size, size_t new_size)
{
    if (new_size > old_size)
        count_bytes(new_size - old_size);
    else
        atomic_fetch_sub(&gmp_bytes, (long long)(old_size - new_size));
    return checked_realloc(old, old_size, new_size);
}

static void limited_free(void *p, size_t size)
{
    atomic_fetch_sub(&gmp_bytes, (long long)size);
    free(p);
}

int xt_cli_memory_limit(const char *command, long mib, int json)
{
    xt_out_of_memory_handler = out_of_memory;
    limit_command = command;
    limit_json = json;
    limit_mib = mib;
    gmp_limit = mib > 0 ? (size_t)mib << 20 : 0;
    if (mib <= 0) {
        mp_set_memory_functions(checked_alloc, checked_realloc,
                                checked_free);
        return 0;
    }
    mp_set_memory_functions(limited_alloc, limited_realloc, limited_free);

    char value[32];
    snprintf(value, sizeof value, "%ld", mib);
    Z3_global_param_set("memory_max_size", value);
    if (XT_UNDER_ASAN)
        return 0;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0) {
        fprintf(stderr, "%s: cannot read the memory limit: %s\n", command,
                strerror(errno));
        return -1;
    }
    rlim_t bytes = (rlim_t)mib << 20;
    if (rl.rlim_max != RLIM_INFINITY && bytes > rl.rlim_max)
        bytes = rl.rlim_max;
    rl.rlim_cur = bytes;
    if (setrlimit(RLIMIT_AS, &rl) != 0) {
        fprintf(stderr, "%s: cannot set the memory limit: %s\n", command,
                strerror(errno));
        return -1;
    }
    return 0;
}
