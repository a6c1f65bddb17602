/* Tests for the logging hooks: verbosity filter, progress lines off a
 * terminal, the interrupt flag and the monotonic clock. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "xt_test.h"
#include "xtrain/log.h"

/* Runs the logging calls with stderr sent to a temporary file and
 * returns what was written. */
static char *capture_stderr(void (*body)(void))
{
    FILE *file = tmpfile();
    int saved = dup(STDERR_FILENO);
    char *text = calloc(1, 4096);
    size_t len;

    fflush(stderr);
    dup2(fileno(file), STDERR_FILENO);
    body();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(file);
    len = fread(text, 1, 4095, file);
    text[len] = '\0';
    fclose(file);
    return text;
}

static void log_body(void)
{
    xt_verbosity = 1;
    xt_log(1, "first %d", 1);
    xt_log(2, "hidden at verbosity 1");
    xt_log(0, "second\n");
    xt_progress("progress %d%%", 50);   /* not a terminal: nothing */
    xt_progress_done();
    xt_verbosity = 0;
    xt_log(1, "hidden at verbosity 0");
    xt_verbosity = 1;
}

static void test_log(void)
{
    char *text = capture_stderr(log_body);
    XT_CHECK_STR(text, "first 1\nsecond\n");
    free(text);
}

static void test_interrupt(void)
{
    XT_CHECK_INT(xt_interrupted(), 0);
    xt_interrupt_install();
    XT_CHECK_INT(xt_interrupted(), 0);
    raise(SIGINT);
    XT_CHECK_INT(xt_interrupted(), 1);
}

static void test_clock(void)
{
    double start = xt_seconds(), later;
    struct timespec pause = {0, 20000000};

    nanosleep(&pause, NULL);
    later = xt_seconds();
    XT_CHECK(later - start >= 0.019);
    XT_CHECK(later - start < 10.0);
}

int main(void)
{
    xt_test_seed();
    test_log();
    test_interrupt();
    test_clock();
    return xt_test_finish("test_log");
}
